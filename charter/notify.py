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
from typing import Any

from django.conf import settings
from django.urls import reverse

from helpdesk.accounts.models import User
from helpdesk.accounts.phones import phone_format
from tickets.models import Ticket

STAFF_CHANNELS = ("email", "in_app")
CUSTOMER_CHANNELS = ("email", "sms", "in_app")


def _phone_of(user: User) -> str:
    # Formatting a phone number parses it; a sweep meets the same handler in many
    # rows, and the loaded User objects are shared, so remember it on the object.
    cached = user.__dict__.get("_charter_phone")
    if cached is None:
        cached = phone_format(user.phone) if user.phone else ""
        user.__dict__["_charter_phone"] = cached
    return cached


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
    if for_customer:
        path = reverse("portal:ticket_detail", args=[ticket.pk])
    else:
        path = reverse("staff:ticket_detail", args=[ticket.pk])
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
    """Many notices in one go (the sweep): one SELECT and one INSERT for the batch."""
    if not requests:
        return
    from helpdesk.notifications.services import notify_many

    notify_many([{**r, "channels": tuple(r["channels"])} for r in requests])
