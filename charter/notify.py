"""What a deadline notice says, and the key it is told under.

The deadline engine's notices (warnings, breaches, escalations, delay notices)
share one key scheme and one context shape, kept here; they are told through
the outbox's doors (`helpdesk.notifications.doors`). The idempotency key
makes a repeated notice a no-op, which together with the unique Escalation row
gives "exactly one notice per (ticket, kind, level, deadline version)".
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from phonenumber_field.phonenumber import PhoneNumber

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from helpdesk.core.times import iso_or_empty
from helpdesk.notifications.rendering import absolute_url
from tickets.links import ticket_link
from tickets.models import Ticket

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


def notice_key(kind: str, ticket_id: int, level: int, version: int, recipient_id: int | None = None) -> str:
    """The idempotency key: (ticket, kind, level, deadline version), per
    recipient. Without `recipient_id` it is the key the staff door is given,
    which adds each recipient the same way (`:u<pk>`)."""
    key = f"charter:{kind}:t{ticket_id}:l{level}:v{version}"
    return key if recipient_id is None else f"{key}:u{recipient_id}"


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
    handler_phone = _phone_of(handler) if handler is not None else ""
    if not handler_phone and team is not None:
        handler_phone = team.phone
    return {
        "ticket_id": ticket.pk,
        "ticket_number": ticket.number,
        "ticket_title": ticket.title,
        "deadline": iso_or_empty(deadline),
        "reason": reason,
        "new_date": iso_or_empty(new_date),
        "handler_name": handler.display_name if handler is not None else "",
        "handler_team": team.name if team is not None else "",
        "handler_phone": handler_phone,
        "level": level,
        "link": absolute_url(ticket_link(ticket.pk, customer=for_customer)),
    }

