"""The visit panels the ticket pages include, and small display helpers.

Staff ticket page:    {% load visit_tags %}{% visits_panel ticket request.user %}
Customer ticket page: {% load visit_tags %}{% visits_customer_panel ticket request.user %}
"""
from __future__ import annotations

from typing import Any

from django import template
from django.template.context import Context
from django.utils import timezone

from ..forms import BookForm
from ..models import VisitEvent, VisitState
from ..presenters import visit_event_text
from ..selectors import open_visit_for_ticket, visits_for_ticket

register = template.Library()

_STATE_COLOURS = {
    VisitState.PROPOSED: "warning",
    VisitState.CONFIRMED: "info",
    VisitState.CHECKED_IN: "primary",
    VisitState.COMPLETED: "success",
    VisitState.CANCELLED: "secondary",
}


@register.filter
def visit_state_colour(state: str) -> str:
    try:
        return _STATE_COLOURS[VisitState(state)]
    except (ValueError, KeyError):
        return "secondary"


@register.filter
def visit_event(event: VisitEvent) -> str:
    return visit_event_text(event)


@register.filter
def local_hm(value: Any) -> str:
    return timezone.localtime(value).strftime("%H:%M") if value else ""


@register.filter
def local_dt(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@register.inclusion_tag("visits/_panel.html", takes_context=True)
def visits_panel(context: Context, ticket: Any, user: Any) -> dict[str, Any]:
    """The ticket's visits for staff, with the form to book one (one query for the
    visits, one for the people in the form's lists)."""
    visits = visits_for_ticket(ticket)
    can_book = user.has_perm("tickets.work_ticket") and ticket.is_open and open_visit_for_ticket(visits) is None
    form = None
    if can_book:
        form = BookForm(user=user, initial={"engineer": ticket.assignee_id or user.pk, "purpose": ticket.title})
    return {
        "ticket": ticket,
        "visits": visits,
        "form": form,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }


@register.inclusion_tag("visits/_customer_panel.html", takes_context=True)
def visits_customer_panel(context: Context, ticket: Any, user: Any) -> dict[str, Any]:
    """The customer's visits on their ticket page: who comes and when (SV3), and
    what needs their answer."""
    visits = visits_for_ticket(ticket) if ticket.reporter_id == getattr(user, "pk", None) else []
    return {"ticket": ticket, "visits": visits, "request": context.get("request")}
