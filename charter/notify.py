"""The one door from the deadline engine to the notification outbox.

Everything that tells someone about a deadline goes through `send`, so the key
scheme and the context shape live in one place. `notify` writes an outbox row in
the caller's transaction (delivery happens after commit); its idempotency key
makes a repeated call a no-op, which together with the unique Escalation row
gives "exactly one notice per (ticket, kind, level, deadline version)".
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache, partial
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
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
    """Many notices in one go (the sweep).

    On PostgreSQL one `INSERT … ON CONFLICT (key) DO NOTHING RETURNING` writes
    the batch's outbox rows and says which were new; only those are queued for
    delivery after commit. That is `notify_many`'s contract (same rows, built
    by the outbox's own `_rows_for`; a key already present is left alone and
    not queued again) in one statement instead of three, and without Django's
    per-value preparation, which for the 2,000-odd rows of a thousand due
    tickets cost more than the insert itself. Elsewhere: `notify_many`.
    """
    if not requests:
        return
    from helpdesk.notifications import services
    from helpdesk.notifications.models import Notification

    requests = [{**r, "channels": tuple(r["channels"])} for r in requests]
    if connection.vendor != "postgresql":
        services.notify_many(requests)
        return
    now = timezone.now()
    rows: list[Notification | dict[str, Any]] = []
    for r in requests:
        fast = staff_rows(now=now, **r)
        rows.extend(fast if fast is not None else services._rows_for(now=now, **r))
    if not rows:
        return
    with transaction.atomic():
        fresh = rows_insert(Notification, rows, conflict_on="key", returning=("id", "state"))
        queue = [pk for pk, state in fresh if state == services.NotificationState.PENDING]
        if queue:
            transaction.on_commit(partial(services._enqueue, queue), robust=True)


def staff_rows(
    *,
    now: datetime,
    key: str,
    template: str,
    context: dict[str, Any],
    recipient: User | None,
    phone: str = "",
    channels: Sequence[str],
    ticket: Ticket,
    customer_facing: bool,
) -> list[dict[str, Any]] | None:
    """The outbox rows `_rows_for` makes for a staff member by e-mail and in
    the app, as {attname: value} dicts; None for anything else (SMS, customers,
    no recipient), which goes through `_rows_for` itself.

    The sweep's notices are all of this kind, and building 2,000-odd model
    instances just to read their attributes back cost a fifth of its time.
    tests/charter/test_notify_fast.py holds this to `_rows_for`'s output field
    by field, so a change there fails a test instead of drifting.
    """
    from helpdesk.notifications.services import _language_for

    if recipient is None or customer_facing or not set(channels) <= {"email", "in_app"} or not key:
        return None
    # Plain data already (ids and strings): a copy, not a JSON round trip.
    ctx = dict(context)
    ctx.setdefault("ticket_id", ticket.pk)
    ctx.setdefault("ticket_number", f"#{ticket.pk}")
    ctx.setdefault("ticket_title", ticket.title)
    ctx.setdefault("recipient_name", recipient.display_name)
    language = _language_for(recipient, None)
    rows = []
    for channel in dict.fromkeys(channels):
        to_email = ""
        if channel == "email":
            to_email = (recipient.email or "").strip()
            if not to_email:
                continue
        rows.append(
            {
                "key": f"{key}:{channel}",
                "channel": channel,
                "template": template,
                "context": ctx,
                "language": language,
                "customer_facing": False,
                "recipient_id": recipient.pk,
                "to_email": to_email,
                "to_phone": "",
                "ticket_id": ticket.pk,
                "state": "pending",
                "next_attempt_at": now,
            }
        )
    return rows


# --- fast inserts (PostgreSQL) ------------------------------------------------------------


def _column_values(field: models.Field, rows: Sequence[models.Model | dict[str, Any]], now: datetime) -> list[Any]:
    name = field.attname
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        values: list[Any] = [now] * len(rows)
        for row in rows:
            if isinstance(row, dict):
                row[name] = now
            else:
                setattr(row, name, now)
    else:
        default = field.get_default()
        values = [row.get(name, default) if isinstance(row, dict) else getattr(row, name) for row in rows]
    if isinstance(field, models.JSONField):
        encoder = field.encoder or DjangoJSONEncoder
        # Rows of one notice share their context object: encode it once.
        encoded: dict[int, str] = {}
        out: list[Any] = []
        for v in values:
            if v is None:
                out.append(None)
                continue
            text = encoded.get(id(v))
            if text is None:
                text = encoded[id(v)] = json.dumps(v, cls=encoder, ensure_ascii=False)
            out.append(text)
        return out
    if isinstance(field, (models.CharField, models.TextField)):
        # TextChoices members and lazy strings become plain text.
        return [None if v is None else str(v) for v in values]
    return values


def rows_insert(
    model: type[models.Model],
    rows: Sequence[models.Model | dict[str, Any]],
    *,
    conflict_on: str | None = None,
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """Insert rows of one model with one `INSERT … SELECT FROM unnest(…)`
    (PostgreSQL), taking each column's values straight from unsaved objects or
    from dicts keyed by attname (missing keys take the field's default). For
    the sweep's rows: plain text, numbers, datetimes, booleans and JSON. With
    `conflict_on`, rows whose value there exists already are skipped;
    `returning` names columns to give back for the rows inserted."""
    if not rows:
        return []
    meta = model._meta
    quote = connection.ops.quote_name
    now = timezone.now()
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    select: list[str] = []
    constants: list[Any] = []
    arrays: list[list[Any]] = []
    casts: list[str] = []
    for f in fields:
        values = _column_values(f, rows, now)
        first = values[0]
        # A column with one value in every row (the same instant, state, empty
        # text…) goes as one parameter instead of an array: turning arrays into
        # SQL text and parsing them back is most of this statement's cost.
        if all(v is first or v == first for v in values):
            select.append(f"%s::{f.db_type(connection)}")
            constants.append(first)
        else:
            select.append(f"v.c{len(arrays)}")
            casts.append(f"%s::{f.db_type(connection)}[]")
            arrays.append(values)
    if arrays:
        source = f"unnest({', '.join(casts)}) AS v({', '.join(f'c{i}' for i in range(len(arrays)))})"
    else:
        source = "generate_series(1, %s) AS v"
        arrays = [len(rows)]  # type: ignore[list-item]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"SELECT {', '.join(select)} FROM {source}"
    )
    if conflict_on:
        sql += f" ON CONFLICT ({quote(meta.get_field(conflict_on).column)}) DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(quote(meta.get_field(name).column) for name in returning)
    with connection.cursor() as cursor:
        # Placeholders in text order: the constants in the select list, then the arrays.
        cursor.execute(sql, [*constants, *arrays])
        return [tuple(row) for row in cursor.fetchall()] if returning else []
