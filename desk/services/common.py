"""What every desk service shares: the staff checks and the timeline kinds the
desk writes. (The ticket lock, the timeline writer, local times and the doors
to the outbox are the shared ones: tickets.locks, tickets.timeline,
helpdesk.core.times, helpdesk.notifications.doors.)"""
from __future__ import annotations

from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from tickets.permissions import is_staff, require_staff


class DeskEvent:
    """Timeline kinds the desk writes on a ticket (TicketEvent.kind values).

    Requested from the lead as TicketEvent.Kind members; until they exist the
    rows are still written (the column takes any short string) and
    `desk.presenters.desk_event_text` reads them."""

    IDENTITY_CHECKED = "identity_checked"
    SYMPTOMS_RECORDED = "symptoms_recorded"
    DIAGNOSIS_RECORDED = "diagnosis_recorded"
    CONSENT_GIVEN = "consent_given"
    PHONE_CALL = "phone_call"
    CALLBACK_REQUESTED = "callback_requested"
    CALLBACK_MADE = "callback_made"
    WALK_IN = "walk_in"

    ALL = (
        IDENTITY_CHECKED,
        SYMPTOMS_RECORDED,
        DIAGNOSIS_RECORDED,
        CONSENT_GIVEN,
        PHONE_CALL,
        CALLBACK_REQUESTED,
        CALLBACK_MADE,
        WALK_IN,
    )


def require_staff_person(person: User | None, *, field: str) -> User:
    """A person work can be given to: active staff."""
    if person is None:
        raise ActionRefused(_("Choose a member of staff."), field=field)
    if not is_staff(person):
        raise ActionRefused(_("%(name)s does not handle customers' work.") % {"name": person.display_name}, field=field)
    return person


__all__ = ["DeskEvent", "is_staff", "require_staff", "require_staff_person"]
