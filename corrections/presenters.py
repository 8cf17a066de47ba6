"""How the corrections' timeline events read on the ticket (tickets.presenters)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from tickets.presenters import EventFacts

from .services import CorrectionEvent


def correction_event_text(event: EventFacts) -> str | None:
    d = event.data or {}
    if event.kind == CorrectionEvent.OPENED:
        return _("Reopened as a correction. What was wrong: %(wrong)s") % {"wrong": d.get("wrong", "")}
    if event.kind == CorrectionEvent.CLOSED:
        if d.get("cancelled"):
            return _("Correction ended: the work was cancelled; the customer was told")
        return _("Correction done; the customer was told the result")
    return None
