"""What every desk service shares: the staff check, the ticket lock, the
timeline kinds the desk writes, and the one door to the notification outbox."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from tickets.models import Ticket, TicketEvent
from tickets.services import event_record

STAFF_CHANNELS = ("email", "in_app")
CUSTOMER_CHANNELS = ("email", "sms", "in_app")


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


def is_staff(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm("tickets.work_ticket"))


def require_staff(actor: User) -> None:
    if not is_staff(actor):
        raise ActionRefused(_("Only staff can do this."))


def require_staff_person(person: User | None, *, field: str) -> User:
    """A person work can be given to: active staff."""
    if person is None:
        raise ActionRefused(_("Choose a member of staff."), field=field)
    if not is_staff(person):
        raise ActionRefused(_("%(name)s does not handle customers' work.") % {"name": person.display_name}, field=field)
    return person


def locked_ticket(ticket: Ticket) -> Ticket:
    # Two people acting on one ticket at once must not both pass a state guard.
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def timeline(
    *, ticket: Ticket, kind: str, actor: User | None, at: datetime, data: dict[str, Any], is_public: bool
) -> TicketEvent:
    return event_record(ticket=ticket, kind=kind, actor=actor, at=at, is_public=is_public, data=data)


def local(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def language_of(person: User | None) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    language = getattr(person, "language", None)
    return language if language in supported else settings.LANGUAGE_CODE


def tell(
    *,
    key: str,
    recipient: User | None,
    compose: Callable[[], tuple[str, str]],
    link: str = "",
    ticket: Ticket | None = None,
    channels: Sequence[str] = STAFF_CHANNELS,
    customer_facing: bool = False,
    phone: str = "",
) -> None:
    """Put a message in the outbox (same transaction; sent after commit).

    The desk's messages use the outbox's `generic` template: `compose` builds
    the subject and body in the recipient's language here, at the moment of
    the event, so no template folder outside this app is needed. The key makes
    a repeated call (a sweep run twice, a double click) a no-op.
    """
    from helpdesk.notifications.services import notify

    language = language_of(recipient)
    with translation.override(language):
        subject, body = compose()
    notify(
        key=key,
        template="generic",
        context={"subject": subject, "body": body, "link": link},
        recipient=recipient,
        phone=phone,
        channels=tuple(channels),
        language=language,
        ticket=ticket,
        customer_facing=customer_facing,
    )
