"""How visit events read, in the reader's language, at display time."""
from __future__ import annotations

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from helpdesk.core.times import local_text

from .models import ConfirmedVia, VisitEvent


def _when(value: object) -> str:
    return local_text(parse_datetime(str(value or "")))


def _via(value: str) -> str:
    try:
        return str(ConfirmedVia(value).label)
    except ValueError:
        return value


def visit_event_text(event: VisitEvent) -> str:
    text = _event_text(event)
    # A time booked, proposed or confirmed outside working hours says the customer asked for it.
    if (event.data or {}).get("off_hours_requested"):
        text += " · " + _("visit outside working hours at the customer's request")
    return text


def _event_text(event: VisitEvent) -> str:
    d = event.data or {}
    kind = event.kind
    K = VisitEvent.Kind
    if kind == K.BOOKED:
        return _("Visit proposed for %(start)s") % {"start": _when(d.get("start"))}
    if kind == K.PROPOSED:
        if d.get("by") == "customer":
            return _("The customer proposed %(start)s") % {"start": _when(d.get("start"))}
        return _("New time proposed: %(start)s") % {"start": _when(d.get("start"))}
    if kind == K.CONFIRMED:
        return _("Confirmed for %(start)s (%(via)s)") % {"start": _when(d.get("start")), "via": _via(d.get("via", ""))}
    if kind == K.COMPANION_SET:
        if d.get("to"):
            return _("Companion: %(name)s") % {"name": d["to"]}
        return _("Companion removed")
    if kind == K.CANCELLED:
        return _("Visit cancelled: %(reason)s") % {"reason": d.get("reason", "")}
    if kind == K.LATE_NOTICE:
        return _("Late notice: new arrival %(time)s") % {"time": _when(d.get("new_arrival"))}
    if kind == K.CHECKED_IN:
        minutes = d.get("minutes_late")
        if isinstance(minutes, int) and minutes > 0:
            return _("Checked in, %(n)s minutes late") % {"n": minutes}
        return _("Checked in on time")
    if kind == K.CHECKLIST:
        return _("Checklist: %(n)s item(s) updated, %(open)s open") % {"n": d.get("changed", 0), "open": d.get("open", 0)}
    if kind == K.FILE_ADDED:
        return _("Files added: %(names)s") % {"names": ", ".join(d.get("names", []))}
    if kind == K.REQUEST_TAKEN:
        return _("New request #%(id)s taken on site: %(title)s") % {"id": d.get("ticket_id", ""), "title": d.get("title", "")}
    if kind == K.RESOLVED:
        return _("Resolved; signed off by %(name)s") % {"name": d.get("signed_by", "")}
    if kind == K.FOLLOW_UP:
        return _("More work needed: %(reason)s") % {"reason": d.get("reason", "")}
    if kind == K.CUSTOMER_ABSENT:
        return _("Customer absent; note left: %(note)s") % {"note": d.get("note", "")}
    return str(event.get_kind_display())
