"""The one door from the deadline engine to the notification outbox.

Everything that tells someone about a deadline goes through `send`, so the key
scheme and the context shape live in one place. `notify` writes an outbox row in
the caller's transaction (delivery happens after commit); its idempotency key
makes a repeated call a no-op, which together with the unique Escalation row
gives "exactly one notice per (ticket, kind, level, deadline version)".
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from phonenumber_field.phonenumber import PhoneNumber

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from tickets.models import Ticket

STAFF_CHANNELS = ("email", "in_app")
CUSTOMER_CHANNELS = ("email", "sms", "in_app")


_PHONE_TEXTS: dict[tuple[Any, ...], str] = {}


def _phone_of(user: User) -> str:
    # Formatting a phone number costs more than the rest of a notice's context,
    # and the sweep meets the same handlers batch after batch: remember the
    # text on the loaded object, and per number across batches. (Not `if
    # phone:` on a PhoneNumber: its truthiness formats it too.)
    cached = user.__dict__.get("_charter_phone")
    if cached is None:
        phone = user.phone
        if isinstance(phone, PhoneNumber):
            key = (
                phone.country_code,
                phone.national_number,
                phone.extension,
                phone.italian_leading_zero,
                phone.number_of_leading_zeros,
            )
            cached = _PHONE_TEXTS.get(key)
            if cached is None:
                if len(_PHONE_TEXTS) >= 4096:
                    _PHONE_TEXTS.clear()
                cached = _PHONE_TEXTS[key] = phone_format(phone)
        else:
            cached = phone_format(phone) if phone else ""
        user.__dict__["_charter_phone"] = cached
    return cached


_PK_PLACEHOLDER = 987654321


@lru_cache(maxsize=32)
def _path_pattern(name: str, urlconf: str | None, prefix: str) -> tuple[str, str]:
    path = reverse(name, args=[_PK_PLACEHOLDER], urlconf=urlconf)
    head, _sep, tail = path.partition(str(_PK_PLACEHOLDER))
    return head, tail


def ticket_path(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a ticket URL, resolved once per URL name: a
    sweep builds a link for every notice, and reversing costs more than the
    notice's other context together."""
    # The URLconf in force is part of the key: tests and the bench switch ROOT_URLCONF.
    head, tail = _path_pattern(name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return f"{head}{pk}{tail}"


def notice_key(kind: str, ticket_id: int, level: int, version: int, recipient_id: int | None) -> str:
    """The idempotency key: (ticket, kind, level, deadline version), per recipient."""
    return f"charter:{kind}:t{ticket_id}:l{level}:v{version}:u{recipient_id or 0}"


def notice_context(
    ticket: Ticket,
    *,
    deadline: datetime | None,
    level: int = 0,
    reason: str = "",
    new_date: datetime | None = None,
    for_customer: bool,
) -> dict[str, Any]:
    handler = ticket.assignee
    team = handler.team if handler is not None and handler.team_id else ticket.team
    path = ticket_path("portal:ticket_detail" if for_customer else "staff:ticket_detail", ticket.pk)
    handler_phone = _phone_of(handler) if handler is not None else ""
    if not handler_phone and team is not None:
        handler_phone = team.phone
    return {
        "ticket_id": ticket.pk,
        "ticket_number": ticket.number,
        "ticket_title": ticket.title,
        "deadline": deadline.isoformat() if deadline else "",
        "reason": reason,
        "new_date": new_date.isoformat() if new_date else "",
        "handler_name": handler.display_name if handler is not None else "",
        "handler_team": team.name if team is not None else "",
        "handler_phone": handler_phone,
        "level": level,
        "link": settings.SITE_URL.rstrip("/") + path,
    }


def send(
    *,
    key: str,
    template: str,
    context: dict[str, Any],
    recipient: User | None,
    phone: str,
    channels: Sequence[str],
    ticket: Ticket,
    customer_facing: bool,
) -> None:
    # Imported here: the outbox app imports charter.standards for quiet hours.
    from helpdesk.notifications.services import notify

    notify(
        key=key,
        template=template,
        context=context,
        recipient=recipient,
        phone=phone,
        channels=tuple(channels),
        ticket=ticket,
        customer_facing=customer_facing,
    )


def send_many(requests: Sequence[dict[str, Any]]) -> None:
    """Many notices in one go (the sweep): the outbox's `notify_many`, which
    writes a batch of a thousand due tickets' rows in one statement."""
    from helpdesk.notifications.services import notify_many

    notify_many(requests)
