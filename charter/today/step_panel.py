"""The next step at the top of the staff ticket page, and again in the phone's
action bar at the bottom (registered with tickets.panels, two slots).

Both slots show the same step, so it is worked out once per request: the first
slot to render keeps it on the request (as `staff_team_ids` keeps a user's teams:
the answer cannot change within a request)."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from tickets.models import Ticket
from tickets.panels import Panel, panel_register

from ..selectors import business_time_left
from .selectors import ticket_step_facts
from .steps import ticket_step, visit_step

_KEPT = "_charter_next_step"


def next_step_context(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    """The ticket's status, deadline and next step for the staff who work it."""
    if ticket is None or not request.user.has_perm("tickets.work_ticket"):
        return None
    kept: dict[int, dict[str, Any]] = request.__dict__.setdefault(_KEPT, {})
    if ticket.pk in kept:
        return kept[ticket.pk]
    now = timezone.now()
    facts, visit = ticket_step_facts(ticket, request.user)
    step = None
    if visit is not None and ticket.is_open:
        # On (or off to) a visit of today: the visit's step comes first.
        step = visit_step(visit, open_items=getattr(visit, "open_items", 0))
    if step is None:
        step = ticket_step(ticket, facts)
    at = ticket.paused_at or now
    context = {
        "step": step,
        "time_left": business_time_left(ticket, now=now),
        "overdue": ticket.is_open and ticket.resolve_by is not None and at > ticket.resolve_by,
        "at_risk": ticket.is_open and ticket.warn_at is not None and at >= ticket.warn_at,
    }
    kept[ticket.pk] = context
    return context


panel_register(Panel("staff_ticket", "next_step", 10, "charter/today/_ticket_next_step.html", next_step_context))
panel_register(Panel("staff_ticket", "action_bar", 10, "charter/today/_action_bar_step.html", next_step_context))
