"""The notification outbox: writing rows, delivering them, retrying them.

How it works
------------
`notify()` writes one outbox row per channel (e-mail, SMS, in-app) in the
caller's transaction, keyed by an idempotency key that is unique in the
table, so the same event notifies once however often it is reported. After
the transaction commits, a Celery task is queued per new row. If the queue is
down the row simply waits: the retry sweep (`outbox_retry_sweep`, every 30 s
from beat) picks up every row whose `next_attempt_at` has come.

A worker owns a row only after a conditional update moved it to `sending`
(`UPDATE … WHERE state IN (pending, failed, held) AND next_attempt_at <= now`
returning 1 row), so two workers, or a task and the sweep, never both send it.
The claim is a lease (`claimed_until`): a worker that dies mid-delivery leaves
the row in `sending`, and once the lease passes the sweep takes it back.

A failure records `last_error` and schedules the next attempt with backoff
(1 min, 5 min, 30 min, 2 h, 6 h); the sixth failure gives up (`dead`). Failures
that no retry can fix (an SMS number that is not a Korean mobile, a missing
template, a provider refusing the message) go to `dead` at once, unsent.
Customer SMS and KakaoTalk inside the quiet hours (charter standards, default
21:00–08:00) are `held` until the morning; staff notifications are never held.
A staff member who chose the daily digest has their e-mail of a digestible
kind written as `digest`, with no next attempt: no worker and no sweep takes
it, and the digest (`digest.py`) gathers it into one e-mail a day, which is an
ordinary outbox row with the same guarantees.

Delivery is at-least-once
-------------------------
Sending (SMTP, the SMS provider's HTTP API) and marking the row `sent` in the
database are two systems that cannot share one transaction. A worker that
crashes, is killed or loses the database after the provider accepted the
message but before the row says `sent` leaves the row `sending`; when its lease
expires the sweep sends it again. We prefer a rare duplicate to a lost notice:
the charter promises that customers hear about delays in advance (MT1), and a
second identical message costs less than a missing one. Duplicates are only
possible in that crash window; e-mails carry a Message-ID fixed by the
idempotency key so that mail systems can drop the copy. A row is never
delivered twice by two live workers (the conditional claim), and never created
twice (the unique key).
"""
from __future__ import annotations

import json
import logging
import time as monotonic_time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F, Model, Q, QuerySet
from django.template import TemplateDoesNotExist
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import PhoneNumber
from phonenumbers import NumberParseException

from helpdesk.accounts.phones import is_korean_mobile
from helpdesk.core.bulk_insert import rows_insert

from .emails import email_build
from .kakao import KakaoUndeliverable, alimtalk_send
from .models import WAITING_STATES, Notification, NotificationChannel, NotificationState
from .policy import quiet_until
from .rendering import render_sms, render_subject, template_context
from .selectors import notification_for
from .sms import SMSPermanentError, get_sms_backend

if TYPE_CHECKING:
    from helpdesk.accounts.models import User

logger = logging.getLogger(__name__)

# notify()'s channels when none are named: KakaoTalk is never a default, only
# the customer door puts it in place of the SMS (doors.tell_customer).
ALL_CHANNELS: tuple[str, ...] = (
    NotificationChannel.EMAIL.value,
    NotificationChannel.SMS.value,
    NotificationChannel.IN_APP.value,
)
KNOWN_CHANNELS: tuple[str, ...] = tuple(NotificationChannel.values)
# The channels that reach a phone: quiet hours hold the customers' ones.
PHONE_CHANNELS: tuple[str, ...] = (NotificationChannel.SMS.value, NotificationChannel.KAKAO.value)
MAX_ATTEMPTS = 6
# Wait after the 1st, 2nd, … failed attempt; the 6th failure gives up.
BACKOFF: tuple[timedelta, ...] = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)


class PermanentFailure(Exception):
    """No retry can deliver this row as it is."""


def claim_lease() -> timedelta:
    # Longer than any one send (SMTP and SOLAPI time out well within it).
    return timedelta(seconds=getattr(settings, "NOTIFY_CLAIM_LEASE_SECONDS", 300))


def backoff_after(attempts: int) -> timedelta | None:
    """How long to wait after `attempts` failed attempts; None means give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return BACKOFF[max(attempts, 1) - 1]


def phone_digits(value: Any) -> str:
    """01012345678 for Korean numbers (what SMS providers take); E.164 for others."""
    if not value:
        return ""
    try:
        parsed = value if isinstance(value, PhoneNumber) else PhoneNumber.from_string(str(value), region="KR")
    except NumberParseException:
        return str(value).strip()[:30]
    if parsed.country_code == 82 and parsed.national_number:
        return f"0{parsed.national_number}"
    return (parsed.as_e164 or str(value)).strip()[:30]


def sms_problem(to_phone: str) -> str | None:
    if not is_korean_mobile(to_phone):
        return _("%(number)s is not a Korean mobile number; SMS goes only to mobiles.") % {
            "number": to_phone or "-"
        }
    return None


def _json_context(context: dict[str, Any]) -> dict[str, Any]:
    # The row is rendered later, by another process: only plain data survives.
    try:
        return json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder))
    except TypeError as exc:
        raise TypeError(f"Notification context must be JSON-serialisable (ids and strings): {exc}") from exc


def language_for(recipient: User | None, language: str | None = None) -> str:
    """The language a notice is written in: the one asked for, else the
    recipient's own, else the site's (a language the site does not offer never)."""
    supported = {code for code, _name in settings.LANGUAGES}
    for candidate in (language, getattr(recipient, "language", None)):
        if candidate in supported:
            return str(candidate)
    return settings.LANGUAGE_CODE


ENQUEUE_CHUNK = 50


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_notification, deliver_notifications

    chunks = [ids] if len(ids) == 1 else [ids[i : i + ENQUEUE_CHUNK] for i in range(0, len(ids), ENQUEUE_CHUNK)]
    for chunk in chunks:
        try:
            if len(chunk) == 1:
                deliver_notification.delay(chunk[0])
            else:
                deliver_notifications.delay(chunk)
        except Exception:  # the broker may be down; the rows are safe in the table
            logger.warning("Could not queue notifications %s; the retry sweep will send them", chunk, exc_info=True)


def _rows_for(
    *,
    now: datetime,
    key: str,
    template: str,
    context: dict[str, Any],
    recipient: User | None = None,
    email: str = "",
    phone: Any = "",
    channels: Iterable[str] = ALL_CHANNELS,
    language: str | None = None,
    ticket: Model | None = None,
    customer_facing: bool = False,
    digest: bool = False,
    kakao_template_id: int | None = None,
) -> list[Notification]:
    """The outbox rows one notify() call would write (unsaved)."""
    if not key:
        raise ValueError("notify() needs an idempotency key")
    wanted = list(dict.fromkeys(channels))
    unknown = set(wanted) - set(KNOWN_CHANNELS)
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    if NotificationChannel.KAKAO in wanted and kakao_template_id is None:
        raise ValueError("A KakaoTalk notice needs its AlimTalk template (kakao_template_id)")
    ctx = _json_context(context)
    if ticket is not None:
        ctx.setdefault("ticket_id", ticket.pk)
        ctx.setdefault("ticket_number", f"#{ticket.pk}")
        ctx.setdefault("ticket_title", ticket.title)
    if recipient is not None:
        # Stored now so delivery needs no join to the user table.
        ctx.setdefault("recipient_name", recipient.display_name)
    lang = language_for(recipient, language)
    rows: list[Notification] = []
    for channel in wanted:
        to_email = to_phone = ""
        if channel == NotificationChannel.EMAIL:
            to_email = (email or (recipient.email if recipient else "")).strip()
            if not to_email:
                continue
        elif channel in PHONE_CHANNELS:
            to_phone = phone_digits(phone) or phone_digits(recipient.phone if recipient else "")
            if not to_phone:
                continue
        elif recipient is None:
            continue
        row = Notification(
            key=f"{key}:{channel}",
            channel=channel,
            template=template,
            context=ctx,
            language=lang,
            customer_facing=customer_facing,
            recipient=recipient,
            to_email=to_email,
            to_phone=to_phone,
            ticket_id=ticket.pk if ticket is not None else None,
            state=NotificationState.PENDING,
            next_attempt_at=now,
        )
        if channel == NotificationChannel.KAKAO:
            row.kakao_template_id = kakao_template_id
        if channel == NotificationChannel.EMAIL and digest:
            # Waits for the person's daily digest: no next attempt, never claimed.
            row.state, row.next_attempt_at = NotificationState.DIGEST, None
        if channel in PHONE_CHANNELS:
            problem = sms_problem(to_phone)
            if problem:
                # Recorded, visible to admins, never sent.
                row.state, row.next_attempt_at, row.last_error = NotificationState.DEAD, None, problem
            elif customer_facing:
                until = quiet_until(now)
                if until is not None:
                    row.state, row.next_attempt_at = NotificationState.HELD, until
        rows.append(row)
    return rows


def _store(rows: list[Notification]) -> tuple[list[Notification], list[int]]:
    """Write the rows whose keys are new and queue those after commit; return
    every row for the keys, and the ids of the rows this call wrote."""
    if not rows:
        return [], []
    keys = [row.key for row in rows]
    existing = set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = [row for row in rows if row.key not in existing]
    if fresh:
        # ignore_conflicts: a concurrent caller with the same key wins quietly.
        Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    by_key = {n.key: n for n in Notification.objects.filter(key__in=keys)}
    result = [by_key[k] for k in keys if k in by_key]
    written = [n for n in result if n.key not in existing]
    _enqueue_on_commit([n.pk for n in written if n.state == NotificationState.PENDING])
    return result, [n.pk for n in written]


def _enqueue_on_commit(ids: list[int]) -> None:
    if ids:
        # Looked up at commit time, so a test or the bench that swaps _enqueue is honoured.
        transaction.on_commit(lambda: _enqueue(ids), robust=True)


@transaction.atomic
def notify(
    *,
    key: str,
    template: str,
    context: dict[str, Any],
    recipient: User | None = None,
    email: str = "",
    phone: Any = "",
    channels: Iterable[str] = ALL_CHANNELS,
    language: str | None = None,
    ticket: Model | None = None,
    customer_facing: bool = False,
    digest: bool = False,
    kakao_template_id: int | None = None,
) -> list[Notification]:
    """Put a notification in the outbox, one row per channel that has an address.

    `key` names the event (e.g. "delay_notice:ticket=42:v=3"); the row key is
    f"{key}:{channel}", so a second call with the same key creates nothing and
    returns the rows of the first. An explicit `email`/`phone` wins over the
    recipient's profile: the contact number given on a ticket is the one the
    customer asked to be reached on. Channels without an address are skipped.
    `digest` holds the e-mail for the recipient's daily digest; a `kakao` row
    names its AlimTalk template (`kakao_template_id`). The doors decide both.
    """
    rows = _rows_for(
        now=timezone.now(), key=key, template=template, context=context, recipient=recipient, email=email,
        phone=phone, channels=channels, language=language, ticket=ticket, customer_facing=customer_facing,
        digest=digest, kakao_template_id=kakao_template_id,
    )
    return _store(rows)[0]


@transaction.atomic
def notify_many(requests: Iterable[dict[str, Any]]) -> list[int]:
    """notify() for many events at once (the deadline sweep's thousand due
    tickets); each request holds notify()'s keyword arguments. Returns the ids
    of the rows written: a key already in the outbox writes nothing and is not
    queued again.

    On PostgreSQL the whole batch is one `INSERT … SELECT FROM unnest(…) ON
    CONFLICT (key) DO NOTHING RETURNING id, state`, which both writes and says
    which rows are new (instead of a SELECT, an INSERT and a SELECT); staff
    rows by e-mail and in the app are built as plain values (`_plain_rows`),
    because building a few thousand model instances only to read their
    attributes back cost a fifth of the sweep's time."""
    now = timezone.now()
    requests = [{**r, "channels": tuple(r.get("channels", ALL_CHANNELS))} for r in requests]
    if connection.vendor != "postgresql":
        return _store([row for r in requests for row in _rows_for(now=now, **r)])[1]
    rows: list[Notification | dict[str, Any]] = []
    languages: dict[int, str] = {}
    for r in requests:
        plain = _plain_rows(now, r, languages)
        rows.extend(plain if plain is not None else _rows_for(now=now, **r))
    if not rows:
        return []
    written = rows_insert(Notification, rows, conflict_on="key", returning=("id", "state"))
    _enqueue_on_commit([pk for pk, state in written if state == NotificationState.PENDING])
    return [pk for pk, _state in written]


def _plain_rows(
    now: datetime, request: dict[str, Any], languages: dict[int, str] | None = None
) -> list[dict[str, Any]] | None:
    """What `_rows_for` makes for a staff member by e-mail and in the app, as
    {attname: value} dicts; None for anything else (SMS, customers, an explicit
    address or language, no recipient or ticket), which `_rows_for` builds.
    tests/charter/test_notify_many.py holds the two to each other field
    by field, so a change in one fails a test instead of drifting.
    `languages` remembers each recipient's language across one batch."""
    recipient: User | None = request.get("recipient")
    ticket: Model | None = request.get("ticket")
    key: str = request.get("key", "")
    wanted = tuple(dict.fromkeys(request.get("channels", ALL_CHANNELS)))
    if (
        recipient is None
        or ticket is None
        or request.get("customer_facing")
        or request.get("email")
        or request.get("language")
        or not key
        or not set(wanted) <= {NotificationChannel.EMAIL, NotificationChannel.IN_APP}
    ):
        return None
    # The sweep's contexts are plain data already (ids and strings): a copy, not a JSON round trip.
    ctx = dict(request["context"])
    ctx.setdefault("ticket_id", ticket.pk)
    ctx.setdefault("ticket_number", f"#{ticket.pk}")
    ctx.setdefault("ticket_title", ticket.title)
    ctx.setdefault("recipient_name", recipient.display_name)
    lang = languages.get(recipient.pk) if languages is not None else None
    if lang is None:
        lang = language_for(recipient)
        if languages is not None:
            languages[recipient.pk] = lang
    digest = bool(request.get("digest"))
    rows = []
    for channel in wanted:
        to_email = ""
        state, next_at = NotificationState.PENDING.value, now
        if channel == NotificationChannel.EMAIL:
            to_email = (recipient.email or "").strip()
            if not to_email:
                continue
            if digest:
                state, next_at = NotificationState.DIGEST.value, None
        rows.append(
            {
                "key": f"{key}:{channel}",
                "channel": str(channel),
                "template": request["template"],
                "context": ctx,
                "language": lang,
                "customer_facing": False,
                "recipient_id": recipient.pk,
                "to_email": to_email,
                "to_phone": "",
                "ticket_id": ticket.pk,
                "state": state,
                "next_attempt_at": next_at,
            }
        )
    return rows


def _due_q(now: datetime) -> Q:
    return Q(state__in=WAITING_STATES, next_attempt_at__lte=now) | Q(
        state=NotificationState.SENDING, claimed_until__lt=now
    )


def notification_claim(*, notification_id: int, now: datetime | None = None) -> bool:
    """Take one due row for delivery; True only for the one caller that moved it to 'sending'."""
    now = now or timezone.now()
    claimed = (
        Notification.objects.filter(_due_q(now), pk=notification_id)
        .update(
            state=NotificationState.SENDING,
            claimed_until=now + claim_lease(),
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Claim one row and deliver it; True when it was sent by this call."""
    if not notification_claim(notification_id=notification_id, now=now):
        return False
    return _deliver_claimed(notification_id)


def deliver(notification_id: int) -> bool:
    """The name the Celery task and other apps use for notification_deliver."""
    return notification_deliver(notification_id=notification_id)


@dataclass(frozen=True)
class Sent:
    """What a delivery sent, for the row: `sent_via` and `note` say when a
    KakaoTalk notice went as a text message instead, and why."""

    subject: str = ""
    body: str = ""
    provider_id: str = ""
    sent_via: str = ""
    note: str = ""


def _render_and_send(row: Notification) -> Sent:
    """Send the row through its channel."""
    ctx = template_context(row.context)
    try:
        if row.channel == NotificationChannel.EMAIL:
            if not row.to_email:
                raise PermanentFailure(_("There is no e-mail address."))
            message = email_build(template=row.template, ctx=ctx, to=row.to_email, key=row.key)
            message.send()
            return Sent(subject=message.subject, body=str(message.body))
        if row.channel == NotificationChannel.SMS:
            problem = sms_problem(row.to_phone)
            if problem:
                raise PermanentFailure(problem)
            text = render_sms(row.template, ctx)
            try:
                provider_id = get_sms_backend().send(row.to_phone, text)
            except SMSPermanentError as exc:
                raise PermanentFailure(str(exc)) from exc
            return Sent(body=text, provider_id=str(provider_id or ""))
        if row.channel == NotificationChannel.KAKAO:
            problem = sms_problem(row.to_phone)
            if problem:
                raise PermanentFailure(problem)
            try:
                outcome = alimtalk_send(
                    to=row.to_phone,
                    template=row.kakao_template,
                    ctx=ctx,
                    sms_text=lambda: render_sms(row.template, ctx),
                    sms_fallback=bool((row.context or {}).get("sms_fallback", True)),
                )
            except KakaoUndeliverable as exc:
                raise PermanentFailure(str(exc)) from exc
            return Sent(
                body=outcome.body, provider_id=outcome.provider_id, sent_via=outcome.sent_via, note=outcome.note
            )
        if row.channel == NotificationChannel.IN_APP:
            if not row.recipient_id:
                raise PermanentFailure(_("An in-app notification needs a recipient."))
            return Sent(subject=render_subject(row.template, ctx))
    except TemplateDoesNotExist as exc:
        raise PermanentFailure(_("The template %(name)s does not exist.") % {"name": exc}) from exc
    raise PermanentFailure(_("Unknown channel %(channel)s.") % {"channel": row.channel})


def _deliver_claimed(notification_id: int) -> bool:
    row = Notification.objects.filter(pk=notification_id).select_related("kakao_template").first()
    if row is None:  # deleted while claimed (e.g. its ticket was removed)
        return False
    now = timezone.now()
    mine = Notification.objects.filter(pk=row.pk, state=NotificationState.SENDING)
    if row.channel in PHONE_CHANNELS and row.customer_facing:
        until = quiet_until(now)
        if until is not None:
            # Waiting out the night is not an attempt.
            mine.update(
                state=NotificationState.HELD,
                next_attempt_at=until,
                claimed_until=None,
                attempts=F("attempts") - 1,
            )
            return False
    try:
        with translation.override(row.language):
            sent = _render_and_send(row)
    except PermanentFailure as exc:
        logger.warning("Notification %s (%s) gave up: %s", row.pk, row.key, exc)
        mine.update(
            state=NotificationState.DEAD, next_attempt_at=None, claimed_until=None, last_error=str(exc)[:2000]
        )
        return False
    except Exception as exc:
        logger.exception("Notification %s (%s) failed on attempt %s", row.pk, row.key, row.attempts)
        _record_failure(row, exc, timezone.now())
        return False
    # A note (KakaoTalk went as a text message, and why) takes the place of an
    # earlier attempt's error; without one, that error stays for the record.
    noted = {"last_error": sent.note[:2000]} if sent.note else {}
    mine.update(
        state=NotificationState.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        claimed_until=None,
        subject=sent.subject[:255],
        body=sent.body,
        provider_id=sent.provider_id[:100],
        sent_via=sent.sent_via,
        **noted,
    )
    return True


def _record_failure(row: Notification, exc: Exception, now: datetime) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    wait = backoff_after(row.attempts)
    mine = Notification.objects.filter(pk=row.pk, state=NotificationState.SENDING)
    if wait is None:
        mine.update(state=NotificationState.DEAD, next_attempt_at=None, claimed_until=None, last_error=error)
        return
    next_at = now + wait
    if row.channel in PHONE_CHANNELS and row.customer_facing:
        # A retry that would land in the night waits for the morning instead.
        next_at = quiet_until(next_at) or next_at
    mine.update(state=NotificationState.FAILED, next_attempt_at=next_at, claimed_until=None, last_error=error)


def _claim_from(qs: QuerySet[Notification], now: datetime, limit: int) -> list[int]:
    if limit <= 0:
        return []
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: concurrent sweeps take disjoint rows instead of racing for the same ones.
        with transaction.atomic():
            ids = list(qs.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
            if ids:
                Notification.objects.filter(pk__in=ids).update(
                    state=NotificationState.SENDING,
                    claimed_until=now + claim_lease(),
                    attempts=F("attempts") + 1,
                )
        return ids
    ids = list(qs.values_list("pk", flat=True)[:limit])
    return [pk for pk in ids if notification_claim(notification_id=pk, now=now)]


def outbox_claim_batch(*, now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due rows: waiting rows whose moment has come, then expired leases."""
    due = Notification.objects.filter(state__in=WAITING_STATES, next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )
    ids = _claim_from(due, now, limit)
    stale = Notification.objects.filter(
        state=NotificationState.SENDING, claimed_until__lt=now, attempts__lt=MAX_ATTEMPTS
    ).order_by("claimed_until")
    return ids + _claim_from(stale, now, limit - len(ids))


def _bury_lost(now: datetime) -> int:
    # A row whose worker died on every attempt (e.g. it crashes the process)
    # must not be retried for ever.
    return Notification.objects.filter(
        state=NotificationState.SENDING, claimed_until__lt=now, attempts__gte=MAX_ATTEMPTS
    ).update(
        state=NotificationState.DEAD,
        next_attempt_at=None,
        claimed_until=None,
        last_error=_("Delivery was interrupted %(n)s times; gave up.") % {"n": MAX_ATTEMPTS},
    )


def outbox_sweep(*, now: datetime | None = None, batch_size: int = 100, max_seconds: float = 25.0) -> int:
    """Deliver every due row, batch by batch; return how many were sent.

    Stops claiming new batches after `max_seconds` so a slow provider cannot
    make beat's 30-second sweeps pile up; what is left is due for the next one.
    """
    started = monotonic_time.monotonic()
    sent = 0
    _bury_lost(now or timezone.now())
    while True:
        ids = outbox_claim_batch(now=now or timezone.now(), limit=batch_size)
        for pk in ids:
            if _deliver_claimed(pk):
                sent += 1
        if len(ids) < batch_size or monotonic_time.monotonic() - started > max_seconds:
            return sent


@transaction.atomic
def notification_retry_now(*, notification_ids: Iterable[int], actor: User | None = None) -> int:
    """Admin action: try failed, dead or held rows again now, with a fresh set of attempts.

    Held customer SMS stays held until morning: the claim checks quiet hours again.
    """
    now = timezone.now()
    qs = Notification.objects.filter(
        pk__in=list(notification_ids),
        state__in=[NotificationState.FAILED, NotificationState.DEAD, NotificationState.HELD, NotificationState.PENDING],
    )
    ids = list(qs.values_list("pk", flat=True))
    if not ids:
        return 0
    count = Notification.objects.filter(pk__in=ids).update(
        state=NotificationState.PENDING, next_attempt_at=now, claimed_until=None, attempts=0
    )
    logger.info("%s asked to retry notifications %s", actor or "system", ids)
    _enqueue_on_commit(ids)
    return count


@transaction.atomic
def notifications_withdraw(*, keys: Iterable[str], now: datetime | None = None) -> int:
    """Take back notices that stopped being true, by the keys they were told under.

    `keys` are the keys given to `notify()` (or `tell_customer`; a staff notice's
    key includes its recipient, `<key>:u<pk>`). Rows not delivered yet (pending,
    failed, held, or waiting for a digest) become `withdrawn` and are never sent; an in-app notice already
    delivered and still unread is marked read, so it leaves the bell but stays in
    the list as it was. A row being sent right now (`sending`), and e-mail or SMS
    already sent, cannot be taken back. Runs in the caller's transaction, so a
    change that rolls back withdraws nothing. Returns how many rows changed."""
    now = now or timezone.now()
    row_keys = [f"{key}:{channel}" for key in dict.fromkeys(keys) for channel in KNOWN_CHANNELS]
    if not row_keys:
        return 0
    rows = Notification.objects.filter(key__in=row_keys)
    # The claim only takes waiting rows, so a row withdrawn here is never claimed
    # afterwards (nor gathered into a digest).
    withdrawn = rows.filter(state__in=(*WAITING_STATES, NotificationState.DIGEST)).update(
        state=NotificationState.WITHDRAWN, next_attempt_at=None, claimed_until=None
    )
    read = rows.filter(
        channel=NotificationChannel.IN_APP, state=NotificationState.SENT, read_at__isnull=True
    ).update(read_at=now)
    return withdrawn + read


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own in-app notifications read (someone else's is a 404)."""
    notification = notification_for(user, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(
        recipient=user,
        channel=NotificationChannel.IN_APP,
        state=NotificationState.SENT,
        read_at__isnull=True,
    ).update(read_at=timezone.now())
