from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from helpdesk.core.times import local_short, local_text

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


_STATUS_LABELS = dict(Status.choices)


@register.simple_tag
def status_badge(ticket) -> str:
    """A ticket's status as components/status_badge.html draws a state, built in
    Python: a work list draws it twice a row, and an included template per
    badge was a fifth of the list's rendering."""
    label = _STATUS_LABELS.get(ticket.status, ticket.status)
    return format_html('<span class="badge badge-status text-bg-{}">{}</span>', status_colour(ticket.status), label)


@register.simple_tag
def deadline_cell(ticket, now: datetime, short: bool = False) -> str:
    """The work queue's deadline (MT1, P3): the committed date, how it stands and
    the escalation level; a simple tag for the same reason as status_badge."""
    if not (ticket.is_open and ticket.resolve_by):
        return mark_safe('<span class="text-muted">—</span>')  # noqa: S308  (a constant)
    local = timezone.localtime(ticket.resolve_by)
    html = format_html(
        '<time class="nowrap" datetime="{}">{}</time>',
        local.isoformat(),
        local_short(local) if short else local_text(local),
    )
    if ticket.paused_at:
        html += format_html(' <span class="badge text-bg-warning">{}</span>', _("Paused"))
    elif ticket.resolve_by < now:
        html += format_html(' <span class="badge text-bg-danger">{}</span>', _("Overdue"))
    if ticket.escalation_level:
        html += format_html(
            ' <span class="badge text-bg-danger" title="{}">{}</span>',
            _("Escalation level"),
            _("Level %(level)s") % {"level": ticket.escalation_level},
        )
    return html
