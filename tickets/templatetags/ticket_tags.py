from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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
def timeline_items(events: Iterable[TicketEvent]) -> SafeString:
    """The timeline's entries (tickets/_timeline.html), drawn in Python: a long
    timeline through the template engine was a tenth of the ticket page's time.
    Every value from a person is escaped; the markup is the template's own."""
    reason = escape(_("Reason"))
    internal = escape(_("Internal"))
    download = reverse("attachment_download", args=[0])[:-2]  # ".../0/" -> ".../", the pk goes back in below
    items = []
    for event in events:
        at = timezone.localtime(event.created_at)
        parts = [
            f'<li class="{"" if event.is_public else "internal"}"><div class="small text-muted">'
            f'<time datetime="{at.isoformat()}">{at:%Y-%m-%d %H:%M}</time>'
        ]
        if event.actor_id is not None and event.actor is not None:
            parts.append(f" · {escape(event.actor.display_name)}")
        if not event.is_public:
            parts.append(f' <span class="badge text-bg-warning ms-1">{internal}</span>')
        parts.append(f"</div><div>{conditional_escape(event_text(event))}</div>")
        if event.comment_id is not None and event.comment is not None:
            parts.append(
                '<div class="border rounded p-2 mt-1 bg-body-tertiary" style="white-space: pre-wrap">'
                f"{escape(event.comment.body)}</div>"
            )
        note = event.data.get("note") if isinstance(event.data, dict) else None
        if note:
            parts.append(f'<div class="small mt-1">{reason}: {escape(note)}</div>')
        if event.attachment_id is not None and event.attachment is not None:
            a = event.attachment
            parts.append(
                f'<div class="small mt-1"><a href="{download}{int(a.pk)}/">{escape(a.original_name)}</a> '
                f"({filesizeformat(a.size)})</div>"
            )
        parts.append("</li>")
        items.append("".join(parts))
    return mark_safe("\n".join(items))  # noqa: S308 -- every value above is escaped or a number
