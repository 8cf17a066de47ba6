"""How the desk's records read, in the reader's language, at display time."""
from __future__ import annotations

from django.utils.translation import gettext as _

from tickets.presenters import EventFacts

from .models import ConsentHow, IdentityMethod


def duration_text(minutes: int | None) -> str:
    """An expected duration as people say it: '1 h 30 min', '45 min'."""
    if not minutes:
        return ""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": rest}


def wait_text(seconds: int | float | None) -> str:
    if seconds is None:
        return "—"
    seconds = int(seconds)
    if seconds < 60:
        return _("%(seconds)s s") % {"seconds": seconds}
    return duration_text(round(seconds / 60)) or _("%(minutes)s min") % {"minutes": 0}


def _label(choices: type, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def desk_event_text(event: EventFacts) -> str | None:
    """The text of a timeline event the desk wrote, or None for any other kind.

    Registered with tickets.presenters (`desk.receivers`), which asks it first.
    """
    d = event.data or {}
    kind = event.kind
    if kind == "identity_checked":
        return _("Reporter's identity confirmed: %(method)s") % {"method": _label(IdentityMethod, d.get("method", ""))}
    if kind == "symptoms_recorded":
        return _("Symptom answers recorded (%(count)s)") % {"count": d.get("count", 0)}
    if kind == "diagnosis_recorded":
        return _("Diagnosis: %(findings)s — expected duration %(duration)s") % {
            "findings": d.get("findings", ""),
            "duration": duration_text(d.get("minutes")),
        }
    if kind == "consent_given":
        return _("%(name)s agreed to the repair (%(how)s)") % {
            "name": d.get("given_by", ""),
            "how": _label(ConsentHow, d.get("how", "")),
        }
    if kind == "phone_call":
        return _("Phone call taken by %(agent)s") % {"agent": d.get("agent", "")}
    if kind == "callback_requested":
        return _("Callback promised to %(name)s by %(handler)s") % {
            "name": d.get("caller", ""),
            "handler": d.get("handler", ""),
        }
    if kind == "callback_made":
        return _("Called back %(name)s") % {"name": d.get("caller", "")}
    if kind == "walk_in":
        return _("%(name)s came to the office; %(handler)s serves them") % {
            "name": d.get("visitor", ""),
            "handler": d.get("handler", ""),
        }
    return None
