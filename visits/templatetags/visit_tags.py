"""Small display helpers for visits (the ticket pages' visit panels are in visits.panels)."""
from __future__ import annotations

from typing import Any

from django import template

from helpdesk.core import times

from ..models import VisitEvent, VisitState
from ..presenters import visit_event_text

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
    return times.local_hm(value)


@register.filter
def local_dt(value: Any) -> str:
    return times.local_text(value)
