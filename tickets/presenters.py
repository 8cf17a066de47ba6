"""How timeline events read, in the reader's language, at display time."""
from __future__ import annotations

from django.utils.translation import gettext as _

from .lifecycle import Status
from .models import Channel, Priority, TicketEvent


def _status(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def event_text(event: TicketEvent) -> str:
    d = event.data or {}
    kind = event.kind
    if kind == TicketEvent.Kind.CREATED:
        try:
            channel = Channel(d.get("channel", "web")).label
        except ValueError:
            channel = d.get("channel", "")
        return _("Received (%(channel)s)") % {"channel": channel}
    if kind == TicketEvent.Kind.ASSIGNED:
        if d.get("from"):
            return _("Handler changed from %(from)s to %(to)s") % {"from": d["from"], "to": d.get("to", "")}
        return _("Assigned to %(to)s") % {"to": d.get("to", "")}
    if kind == TicketEvent.Kind.ROUTED_TO_BACKUP:
        return _("%(absent)s is away; %(backup)s handles this as backup") % {
            "absent": d.get("absent", ""),
            "backup": d.get("backup", ""),
        }
    if kind == TicketEvent.Kind.STATUS_CHANGED:
        return _("Status: %(from)s → %(to)s") % {"from": _status(d.get("from", "")), "to": _status(d.get("to", ""))}
    if kind == TicketEvent.Kind.PRIORITY_CHANGED:
        def label(v: str) -> str:
            try:
                return str(Priority(v).label)
            except ValueError:
                return v

        return _("Priority: %(from)s → %(to)s") % {"from": label(d.get("from", "")), "to": label(d.get("to", ""))}
    if kind == TicketEvent.Kind.COMMENTED:
        return _("Comment")
    if kind == TicketEvent.Kind.ATTACHED:
        return _("Attached %(name)s") % {"name": d.get("name", "")}
    return str(event.get_kind_display())
