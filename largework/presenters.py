"""How the plan's timeline events read on the ticket (registered with tickets.presenters)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from tickets.presenters import EventFacts

from .services.common import PlanEvent


def plan_event_text(event: EventFacts) -> str | None:
    d = event.data or {}
    n = d.get("version", "")
    if event.kind == PlanEvent.CREATED:
        return _("Work plan opened")
    if event.kind == PlanEvent.SUBMITTED:
        return _("Work plan version %(n)s submitted for approval") % {"n": n}
    if event.kind == PlanEvent.APPROVED:
        return _("Work plan version %(n)s approved by %(by)s") % {"n": n, "by": d.get("by", "")}
    if event.kind == PlanEvent.RETURNED:
        return _("Work plan version %(n)s returned by %(by)s") % {"n": n, "by": d.get("by", "")}
    if event.kind == PlanEvent.REVISED:
        return _("Work plan changed: version %(n)s needs approval again") % {"n": n}
    if event.kind == PlanEvent.WINDOW_DONE:
        return _("Work window done: %(what)s") % {"what": d.get("what", "")}
    if event.kind == PlanEvent.WINDOW_POSTPONED:
        return _("Work window postponed: %(what)s") % {"what": d.get("what", "")}
    if event.kind == PlanEvent.REPORT_SUBMITTED:
        return _("Completion report submitted") if d.get("on_time", True) else _("Completion report submitted after its due time")
    return None
