from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import id_param
from standards.selectors import current_standard
from tickets.selectors import ticket_for_staff

from .clause_screens import clause_links, public_summary
from .forms import DelayNoticeForm
from .panels import deadline_panel_context
from .selectors import escalated_for
from .services import delay_notice_file
from .texts import charter_lines

logger = logging.getLogger(__name__)

PAGE_SIZE = 25


@require_GET
def charter_page(request: HttpRequest) -> HttpResponse:
    language = get_language()
    summary = public_summary()  # None unless SCOREBOARD_PUBLIC: then nothing is counted
    return render(
        request,
        "charter/charter.html",
        {
            "lines": charter_lines(language),
            "original": charter_lines("ko") if language == "en" else None,
            "clauses": clause_links(request.user, summary),
            "summary": summary,
        },
    )


# --- MT1: the delay notice -------------------------------------------------------------


@login_required
@require_POST
def delay_notice_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = ticket_for_staff(request.user, pk)
    form = DelayNoticeForm(request.POST)
    if form.is_valid():
        try:
            notice = delay_notice_file(
                ticket=ticket,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                new_date=form.cleaned_data["new_date"],
            )
        except ActionRefused as exc:
            exc.show_on(form)
        else:
            if notice.was_late:
                messages.warning(
                    request,
                    _("The customer has been told. The deadline had already passed, so this notice is recorded as late."),
                )
            else:
                messages.success(request, _("The customer has been told the reason and the new date."))
            target = reverse("staff:ticket_detail", args=[ticket.pk])
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
    context = {"ticket": ticket, **deadline_panel_context(request, ticket, form)}
    if getattr(request, "htmx", False):
        return render(request, "charter/_deadline_panel.html", context)
    return render(request, "charter/delay_notice_page.html", context)


# --- Leads: escalated work -------------------------------------------------------------


@login_required
@permission_required("tickets.lead_team", raise_exception=True)
@require_GET
def escalated_list(request: HttpRequest) -> HttpResponse:
    # Levels run 1-9 (standards.models.EscalationLevel); anything else shows them all, saying so.
    raw = request.GET.get("level")
    asked = id_param(raw)
    notices = []
    if raw not in (None, "") and (asked is None or asked > 9):
        notices.append(_("That level was not understood; every level from 1 is shown."))
    min_level = asked if asked is not None and asked <= 9 else 1
    page = Paginator(escalated_for(request.user, min_level=min_level), PAGE_SIZE).get_page(request.GET.get("page"))
    standard = current_standard()
    levels = [rung.level for rung in standard.rungs] if standard is not None else []  # type: ignore[attr-defined]
    return render(
        request,
        "charter/escalated_list.html",
        {"page": page, "min_level": min_level, "levels": levels, "now": timezone.now(), "notices": notices},
    )
