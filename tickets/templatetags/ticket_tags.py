from __future__ import annotations

from django import template

from ..lifecycle import Status
from ..models import TicketEvent
from ..presenters import event_text

register = template.Library()

_STATUS_COLOURS = {
    Status.RECEIVED: "secondary",
    Status.ASSIGNED: "info",
    Status.DIAGNOSING: "info",
    Status.AWAITING_CONSENT: "warning",
    Status.IN_PROGRESS: "primary",
    Status.WAITING_CUSTOMER: "warning",
    Status.WAITING_PARTS: "warning",
    Status.RESOLVED: "success",
    Status.CLOSED: "dark",
    Status.CANCELLED: "light",
}


@register.filter
def describe(event: TicketEvent) -> str:
    return event_text(event)


@register.filter
def status_colour(status: str) -> str:
    try:
        return _STATUS_COLOURS[Status(status)]
    except (ValueError, KeyError):
        return "secondary"


@register.inclusion_tag("components/status_badge.html")
def status_badge(ticket) -> dict:
    return {"label": ticket.get_status_display(), "colour": status_colour(ticket.status), "classes": "badge-status"}
