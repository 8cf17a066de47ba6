"""The charter's panels on the ticket pages (registered with tickets.panels):
the deadline and delay notice (MT1, BS1), the repeat fault (MT5) and the VIP
rule (MT8)."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.selectors import holders_of
from tickets.models import Ticket
from tickets.panels import OnDemand, Panel, panel_register
from visits.selectors import recent_visits_for_ticket

from .dashboard.forms import RootCauseForm
from .forms import DelayNoticeForm
from .repeats import repeat_status
from .selectors import deadline_view


def deadline_panel_context(request: HttpRequest, ticket: Ticket, form: DelayNoticeForm | None = None) -> dict[str, Any]:
    """MT1 for staff: the deadlines and the delay notice form (bound when it failed)."""
    form = form or DelayNoticeForm()
    return {
        "view": deadline_view(ticket),
        "form": form,
        "can_file": ticket.is_open and request.user.has_perm("tickets.work_ticket"),
        "failed": form.is_bound,
    }


def _deadline_staff(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    return deadline_panel_context(request, ticket) if ticket is not None else None


def _deadline_customer(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    # The panel shows nothing without a committed date: then the notices need not be read.
    if ticket is None or ticket.resolve_by is None:
        return None
    return {"view": deadline_view(ticket)}


def _repeat(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    status = repeat_status(ticket) if ticket is not None else None
    if status is None:
        return None
    form = None
    if request.user.has_perm("tickets.work_ticket") and ticket.status != "cancelled":
        record = status.root_cause
        form = RootCauseForm(
            initial={"cause": record.cause, "action_taken": record.action_taken, "prevention": record.prevention}
            if record
            else {}
        )
    return {"status": status, "form": form}


def _vip_rule(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    """MT8 on the ticket: the rule, and whether a lead is on its visit yet."""
    if ticket is None or not ticket.reporter_is_vip:
        return None
    visits = recent_visits_for_ticket(ticket)
    people = [p for visit in visits for p in (visit.engineer, visit.companion) if p is not None]
    leads = holders_of("tickets.lead_team", people)
    # The most recent visit's lead, engineer before companion.
    lead = next((p for p in people if p.pk in leads), None)
    return {"show": True, "lead": lead, "has_visit": bool(visits)}


def _may_repeat(ticket: Ticket) -> bool:
    # From the ticket's own column: a fold only once detection has counted a
    # second occurrence (seconds after filing; the minute sweep catches any
    # ticket the task missed). Not one on every first fault.
    return (ticket.repeat_occurrence or 0) >= 2


panel_register(Panel("staff_ticket", "top", 10, "charter/dashboard/_vip_rule.html", _vip_rule))
panel_register(Panel("staff_ticket", "after_priority", 10, "charter/_deadline_panel.html", _deadline_staff))
# On demand: reading the repeat (its episode, rule, joint visits, root cause) took six queries.
panel_register(
    Panel(
        "staff_ticket", "after_priority", 20, "charter/dashboard/_repeat_panel.html", _repeat,
        OnDemand("repeat", "repeat-fault", _("Repeat fault"), _may_repeat),
    )
)
panel_register(Panel("customer_ticket", "main", 10, "charter/_deadline_customer.html", _deadline_customer))
