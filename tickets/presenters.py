"""How timeline events read, in the reader's language, at display time."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Protocol

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from helpdesk.core.times import local_text

from .lifecycle import Status
from .models import Channel, Priority, TicketEvent


def _status(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def _when(value: str | None) -> str:
    if not value:
        return "-"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return local_text(moment)


class EventFacts(Protocol):
    """What an event's text is written from: a TicketEvent, or an EventRow."""

    kind: str
    data: Any

    def get_kind_display(self) -> str: ...


@dataclass(frozen=True, slots=True)
class EventRow:
    """An event read as values() (tickets.selectors.timeline_rows): its kind and
    data are all its text needs, without building a model instance per event."""

    kind: str
    data: Any

    def get_kind_display(self) -> str:
        # As Django's get_FOO_display: the choice's label, or the value itself.
        return str(_kind_labels().get(self.kind, self.kind))


@cache
def _kind_labels() -> dict[str, Any]:
    return dict(TicketEvent._meta.get_field("kind").flatchoices)


EventReader = Callable[[EventFacts], "str | None"]
_readers: list[EventReader] = []


def event_reader_register(reader: EventReader) -> EventReader:
    """An app above `tickets` reads the timeline kinds it writes (None for others)."""
    if reader not in _readers:
        _readers.append(reader)
    return reader


def event_text(event: EventFacts) -> str:
    for reader in _readers:
        text = reader(event)
        if text is not None:
            return text
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
    if kind == TicketEvent.Kind.TEAM_MOVED:
        return _("Handed over from %(from)s to %(to)s: %(note)s") % {
            "from": d.get("from", "") or "-",
            "to": d.get("to", ""),
            "note": d.get("note", ""),
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
    # Deadlines (charter): dates are stored as ISO strings and shown in local time.
    if kind == TicketEvent.Kind.CLOCK_PAUSED:
        return _("Deadline clock paused while waiting (%(status)s)") % {"status": _status(d.get("status", ""))}
    if kind == TicketEvent.Kind.CLOCK_RESUMED:
        return _("Deadline clock resumed; the deadline moves to %(date)s") % {"date": _when(d.get("resolve_by"))}
    if kind == TicketEvent.Kind.DEADLINE_CHANGED:
        if d.get("why") == "reopened":
            return _("Reopened: new deadline %(date)s") % {"date": _when(d.get("resolve_by"))}
        return _("Deadline changed to %(date)s") % {"date": _when(d.get("resolve_by"))}
    if kind == TicketEvent.Kind.DELAY_NOTICE:
        if d.get("late"):
            return _("Delay notice (filed after the deadline): new expected date %(date)s") % {"date": _when(d.get("to"))}
        return _("Delay notice: new expected date %(date)s") % {"date": _when(d.get("to"))}
    if kind == TicketEvent.Kind.DEADLINE_WARNING:
        return _("Deadline warning (level %(level)s) sent to %(to)s") % {
            "level": d.get("level", ""),
            "to": ", ".join(d.get("to", [])) or "-",
        }
    if kind == TicketEvent.Kind.ESCALATED:
        if d.get("what") == "respond":
            return _("No response in time; %(to)s told") % {"to": ", ".join(d.get("to", [])) or "-"}
        return _("Escalated to level %(level)s; %(to)s told") % {
            "level": d.get("level", ""),
            "to": ", ".join(d.get("to", [])) or "-",
        }
    if kind == TicketEvent.Kind.BREACHED:
        return _("The deadline %(date)s passed") % {"date": _when(d.get("deadline"))}
    # Repeat faults (MT5) and VIP work (MT8): charter.repeats
    if kind in (TicketEvent.Kind.REPEAT_AT_RISK, TicketEvent.Kind.REPEAT_ESCALATED):
        category = d.get("category_en") if get_language() == "en" and d.get("category_en") else d.get("category", "")
        values = {
            "n": d.get("occurrence", ""),
            "days": d.get("window_days", ""),
            "asset": d.get("asset", ""),
            "category": category,
            "to": ", ".join(d.get("to", [])) or "-",
        }
        if kind == TicketEvent.Kind.REPEAT_AT_RISK:
            return _(
                "Repeat fault: %(category)s on %(asset)s %(n)s times in %(days)s days; the equipment is at risk. Told: %(to)s"
            ) % values
        return _(
            "Repeat fault escalated: %(category)s on %(asset)s %(n)s times in %(days)s days. A joint visit with a team "
            "lead and a root-cause record are required. Told: %(to)s"
        ) % values
    if kind == TicketEvent.Kind.ROOT_CAUSE_RECORDED:
        if d.get("updated"):
            return _("Root cause corrected: %(cause)s") % {"cause": d.get("cause", "")}
        return _("Root cause recorded: %(cause)s") % {"cause": d.get("cause", "")}
    if kind == TicketEvent.Kind.VIP_OPENED:
        return _("VIP customer: %(to)s told") % {"to": ", ".join(d.get("to", [])) or "-"}
    if kind in (TicketEvent.Kind.VISIT_BOOKED, TicketEvent.Kind.VISIT_RESCHEDULED) and d.get("start"):
        return _("%(what)s: %(start)s – %(end)s") % {
            "what": event.get_kind_display(),
            "start": _when(d.get("start")),
            "end": _when(d.get("end"))[-5:],
        }
    return str(event.get_kind_display())
