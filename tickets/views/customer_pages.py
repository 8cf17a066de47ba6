"""The customer portal: report a fault, follow one's own tickets, talk to the handler,
and close, reopen or cancel — from a phone as easily as from a desk.

Views only parse the request, call a selector or a service and render; a
service's ActionRefused is shown on the form it came from.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import text_param

from .. import selectors, services
from ..forms.common import answer_display
from ..forms.portal import OTHER_ASSET, ActionForm, CommentForm, FaultReportForm
from ..lifecycle import CUSTOMER, FINAL_STATUSES, Status, transitions_from
from ..models import Channel, Kind, Ticket
from ..panels import panels_render

PAGE_SIZE = 25
# The service names the argument it refused; the form may call it something else.
_FIELD_FOR = {"file": "attachments", "reporter_department": None, "reporter_name": None}


def _show_refusal(form: forms.Form, exc: ActionRefused) -> None:
    field = _FIELD_FOR.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.message)
    if field == "attachments":
        # Browsers never send a file twice: say so, the rest of the form is still filled in.
        form.add_error("attachments", _("Everything else you typed is kept; please choose the files again."))


def _typed(data: QueryDict) -> dict[str, str]:
    """What the person has typed so far, as initial values for a form rendered again unbound."""
    return {k: v for k, v in data.items() if k != "csrfmiddlewaretoken"}


def _status_choices() -> list[tuple[str, str]]:
    return [("", _("All")), ("open", _("Open (not finished)")), *((s.value, str(s.label)) for s in Status)]


@login_required
@require_GET
def ticket_list(request: HttpRequest) -> HttpResponse:
    q = text_param(request.GET.get("q"))
    status = request.GET.get("status", "")
    choices = _status_choices()
    if status not in {value for value, _label in choices}:
        status = ""
    tickets = selectors.customer_tickets(request.user, q=q, status=status)
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {k: v for k, v in (("q", q), ("status", status)) if v}
    return render(
        request,
        "tickets/portal/ticket_list.html",
        {
            "page": page,
            "tickets": list(page.object_list),
            "q": q,
            "status": status,
            "status_choices": choices,
            "filtered": bool(filters),
            "filter_query": urlencode(filters),
        },
    )


@login_required
@permission_required("tickets.file_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def ticket_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.department is None:
        # CC2: we must know who reports and from which department; ticket_create refuses too.
        return render(request, "tickets/portal/ticket_new.html", {"no_department": True})

    if request.method == "POST" and "_refresh" in request.POST:
        # The no-JavaScript way to reload the fault kinds for newly chosen equipment.
        form = FaultReportForm(initial=_typed(request.POST), user=user)
    elif request.method == "POST":
        form = FaultReportForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_create(
                    actor=user,
                    kind=Kind.FAULT,
                    channel=Channel.WEB,
                    reporter=user,
                    reporter_name=user.display_name,
                    reporter_department=user.department,
                    title=data["title"],
                    description=data["description"],
                    contact_phone=data["contact_phone"],
                    asset=form.asset_obj,
                    asset_other=data["asset_other"] if data["asset"] == OTHER_ASSET else "",
                    category=data["category"],
                    symptom_answers=form.symptom_answers(),
                    attachments=data["attachments"],
                )
            except ActionRefused as exc:
                _show_refusal(form, exc)
            else:
                messages.success(
                    request,
                    _("Your fault report %(number)s has been received. You can follow it here.")
                    % {"number": ticket.number},
                )
                return redirect("portal:ticket_detail", pk=ticket.pk)
    else:
        form = FaultReportForm(initial={"contact_phone": user.phone}, user=user)
    return render(request, "tickets/portal/ticket_new.html", {"form": form})


@login_required
@require_GET
def ticket_new_fields(request: HttpRequest) -> HttpResponse:
    """htmx: the fault kinds for the chosen equipment and the chosen kind's symptom questions."""
    form = FaultReportForm(initial=_typed(request.GET), user=request.user)
    return render(request, "tickets/portal/_fault_fields.html", {"form": form})


def _detail(
    request: HttpRequest,
    ticket: Ticket,
    *,
    comment_form: CommentForm | None = None,
    action_form: ActionForm | None = None,
) -> HttpResponse:
    handler = ticket.assignee
    failed_action = action_form.data.get("action", "") if action_form is not None else ""
    context: dict[str, Any] = {
        "ticket": ticket,
        # OV1, SV3: whoever handles the work, with team and phone, on the customer's page.
        "handler": handler,
        "handler_team": handler.team if handler is not None and handler.team_id else ticket.team,
        "answers": [
            {"question": a.get("question", ""), "answer": answer_display(a)} for a in ticket.symptom_answers or []
        ],
        # Public only: internal notes and staff-only events never reach the portal.
        "events": list(selectors.timeline(ticket, public_only=True)),
        "attachments": list(selectors.attachments_for(ticket, public_only=True)),
        "actions": transitions_from(ticket.status, CUSTOMER),
        "action_form": action_form,
        "failed_action": failed_action,
        "can_comment": Status(ticket.status) not in FINAL_STATUSES,
        "comment_form": comment_form or CommentForm(),
        "panels": panels_render(request, ticket, page="customer_ticket"),
    }
    return render(request, "tickets/portal/ticket_detail.html", context)


@login_required
@require_GET
def ticket_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_for_customer(request.user, pk)
    return _detail(request, ticket)


@login_required
@require_POST
def ticket_comment(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_for_customer(request.user, pk)
    form = CommentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.comment_add(
                ticket=ticket,
                author=request.user,
                body=form.cleaned_data["body"],
                attachments=form.cleaned_data["attachments"],
            )
        except ActionRefused as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, _("Your message has been added."))
            return redirect("portal:ticket_detail", pk=ticket.pk)
    return _detail(request, ticket, comment_form=form)


_DONE = {
    "cancel": gettext_lazy("Your request has been cancelled."),
    "close": gettext_lazy("Thank you. Your request is closed."),
    "reopen": gettext_lazy("Your request has been reopened; the handler will look at it again."),
}


@login_required
@require_POST
def ticket_action(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = selectors.ticket_for_customer(request.user, pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        try:
            services.ticket_transition(
                ticket=ticket, action=action, actor=request.user, note=form.cleaned_data["note"]
            )
        except ActionRefused as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, str(_DONE.get(action, _("Done."))))
            return redirect("portal:ticket_detail", pk=ticket.pk)
    return _detail(request, ticket, action_form=form)
