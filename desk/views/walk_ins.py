"""Walk-ins (OV2–OV4): log a visitor at the desk for a handler, and serve them."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from helpdesk.core.redirects import safe_next

from .. import selectors, services
from ..forms import WalkInForm
from ..presenters import wait_text
from .shared import lookup, page, person, person_initial, submit, visible_ticket


def _walk_ins_page(request: HttpRequest, form: WalkInForm | None = None, visitor: User | None = None) -> HttpResponse:
    user = request.user
    visitor = visitor if visitor is not None else person(request.GET.get("visitor"))
    if form is None:
        initial = person_initial(visitor, pk="visitor", name="visitor_name", department="department")
        form = WalkInForm(user=user, initial=initial)
    week = selectors.week_start()
    return render(
        request,
        "desk/walk_ins.html",
        {
            **lookup(request),
            "visitor": visitor,
            "form": form,
            "page_obj": page(request, selectors.walk_ins_list(user)),
            "stats_today": selectors.walk_in_wait_stats(since=selectors.today_start()),
            "stats_week": selectors.walk_in_wait_stats(since=week),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@permission_required("tickets.work_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def walk_ins(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _walk_ins_page(request)
    visitor = person(request.POST.get("visitor"))
    form = WalkInForm(request.POST, user=request.user)

    def log() -> HttpResponse:
        data = form.cleaned_data
        ticket = visible_ticket(request.user, data["ticket"]) if data["ticket"] else None
        walk_in = services.walk_in_log(
            actor=request.user,
            handler=data["handler"],
            visitor=visitor,
            visitor_name=data["visitor_name"],
            department=data["department"],
            matter=data["matter"],
            ticket=ticket,
        )
        if walk_in.via_backup:
            messages.warning(
                request,
                _("%(absent)s is away; please take %(visitor)s to the backup %(backup)s, with our apologies.")
                % {
                    "absent": data["handler"].display_name,
                    "visitor": walk_in.visitor_name,
                    "backup": walk_in.routed_to.display_name,
                },
            )
        else:
            messages.success(
                request,
                _("%(handler)s has been told that %(visitor)s is waiting.")
                % {"handler": walk_in.routed_to.display_name, "visitor": walk_in.visitor_name},
            )
        return redirect("desk:walk_ins")

    return submit(form, log, lambda: _walk_ins_page(request, form, visitor))


@login_required
@require_POST
def walk_in_serve(request: HttpRequest, pk: int) -> HttpResponse:
    walk_in = selectors.walk_in_for(request.user, pk)
    try:
        walk_in = services.walk_in_serve(walk_in=walk_in, actor=request.user)
    except ActionRefused as exc:
        messages.error(request, exc.message)
        return redirect(safe_next(request, reverse("desk:walk_ins")))
    messages.success(
        request,
        _("Serving %(visitor)s (waited %(wait)s).")
        % {"visitor": walk_in.visitor_name, "wait": wait_text(walk_in.wait_seconds)},
    )
    if walk_in.ticket_id:
        return redirect("staff:ticket_detail", pk=walk_in.ticket_id)
    if request.user.has_perm("tickets.intake_ticket"):
        target = reverse("staff:intake")
        return redirect(f"{target}?reporter={walk_in.visitor_id}" if walk_in.visitor_id else target)
    return redirect(safe_next(request, reverse("desk:walk_ins")))
