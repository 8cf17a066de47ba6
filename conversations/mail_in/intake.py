"""One message in, exactly once: parse it, decide what it is, and hand it to
the outcome (services) that records it with whatever it makes.

The order of the questions:

1. already recorded (its Message-ID, or the hash of its bytes)? Nothing to do:
   the poller only flags it. A row that failed is tried again, a few times.
2. too large? Kept, not read, the sender told.
3. an automatic reply, a bounce or our own mail? Ignored, never answered.
4. a reply with our signed address? The token must be ours (else refused and
   the sender told), the person it names must have sent it and may comment:
   a comment, else the desk looks at it.
5. a reply whose In-Reply-To/References name a ticket? A comment by the one
   sender at that address who may comment on it, else the desk.
6. a new mail: a ticket for the one active user with that address; nobody
   (MAIL_IN_UNKNOWN_SENDER), or several: the desk.

Never raises for a message: anything unexpected is logged and recorded as
failed with the error (the raw message with it), so one bad mail cannot stop
the poller or be lost.
"""
from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from helpdesk.accounts.models import User
from tickets.models import Ticket

from ..models import InboundMail, MailReason, MailState
from . import services
from .classifying import mail_classify
from .parsing import mail_key, mail_parse
from .reply_threading import Thread, thread_find
from .selectors import may_comment, users_with_address

logger = logging.getLogger(__name__)

# A message whose processing raised is tried again on the next polls, up to this many times.
MAX_ATTEMPTS = 3


def _decide(arrival: services.Arrival, thread: Thread) -> InboundMail:
    parsed = arrival.parsed
    if len(arrival.raw) > settings.MAIL_IN_MAX_BYTES:
        senders = users_with_address(parsed.from_address)
        return services.inbound_mail_refuse_too_large(arrival=arrival, sender=senders[0] if len(senders) == 1 else None)
    reason = mail_classify(parsed)
    if reason is not None:
        return services.inbound_mail_ignore(arrival=arrival, reason=reason)
    if thread.forged:
        return services.inbound_mail_refuse_bad_token(arrival=arrival)
    if thread.signed is not None:
        return _signed_reply(arrival, thread)
    ticket = Ticket.objects.filter(pk=thread.ticket_id).first() if thread.ticket_id else None
    if ticket is not None:
        return _header_reply(arrival, ticket)
    return _new_mail(arrival)


def _signed_reply(arrival: services.Arrival, thread: Thread) -> InboundMail:
    assert thread.signed is not None
    ticket = Ticket.objects.filter(pk=thread.signed.ticket_id).first()
    author = User.objects.filter(pk=thread.signed.user_id, is_active=True).first()
    if ticket is None or author is None:
        return services.inbound_mail_hold(
            arrival=arrival, reason=MailReason.NOT_ALLOWED, detail=f"ticket={thread.signed.ticket_id} user={thread.signed.user_id}"
        )
    if (author.email or "").strip().lower() != arrival.parsed.from_address:
        # The token was sent to `author`; someone else answering with it (a
        # forward, a shared mailbox) is for a person to look at.
        return services.inbound_mail_hold(
            arrival=arrival, reason=MailReason.OTHER_SENDER, detail=f"{ticket.number} · {author.display_name}"
        )
    if not may_comment(author, ticket):
        return services.inbound_mail_hold(arrival=arrival, reason=MailReason.NOT_ALLOWED, detail=ticket.number)
    return services.inbound_mail_comment_add(arrival=arrival, ticket=ticket, author=author)


def _header_reply(arrival: services.Arrival, ticket: Ticket) -> InboundMail:
    senders = users_with_address(arrival.parsed.from_address)
    if not senders:
        return services.inbound_mail_unknown_sender(arrival=arrival)
    allowed = [user for user in senders if may_comment(user, ticket)]
    if len(allowed) == 1:
        return services.inbound_mail_comment_add(arrival=arrival, ticket=ticket, author=allowed[0])
    if allowed:
        return services.inbound_mail_hold(
            arrival=arrival, reason=MailReason.SEVERAL_USERS, detail=", ".join(u.username for u in allowed)
        )
    return services.inbound_mail_hold(arrival=arrival, reason=MailReason.NOT_ALLOWED, detail=ticket.number)


def _new_mail(arrival: services.Arrival) -> InboundMail:
    senders = users_with_address(arrival.parsed.from_address)
    if not senders:
        return services.inbound_mail_unknown_sender(arrival=arrival)
    if len(senders) > 1:
        return services.inbound_mail_hold(
            arrival=arrival, reason=MailReason.SEVERAL_USERS, detail=", ".join(u.username for u in senders)
        )
    return services.inbound_mail_ticket_create(arrival=arrival, sender=senders[0])


def inbound_mail_receive(
    *, raw: bytes, mailbox: str = "", uid: int | None = None, received_at: datetime | None = None
) -> InboundMail:
    """Record and act on one message (see the module's docstring); return its row,
    the existing one when it was processed before."""
    too_large = len(raw) > settings.MAIL_IN_MAX_BYTES
    parsed = mail_parse(raw, headers_only=too_large)
    key = mail_key(parsed, raw)
    existing = InboundMail.objects.filter(message_id=key).first()
    if existing is not None and not (existing.state == MailState.FAILED and existing.attempts < MAX_ATTEMPTS):
        return existing
    arrival = services.Arrival(
        raw=raw,
        parsed=parsed,
        key=key,
        received_at=received_at or timezone.now(),
        mailbox=mailbox,
        uid=uid,
        attempts=existing.attempts + 1 if existing is not None else 1,
    )
    # Records, refusals and ticket texts are written in the site's language;
    # what the sender is told goes out in theirs (replies).
    with translation.override(settings.LANGUAGE_CODE):
        try:
            thread = thread_find(parsed)
            arrival.to_address = thread.to_address
            with transaction.atomic():
                return _decide(arrival, thread)
        except IntegrityError as exc:
            # Recorded meanwhile by another poller (the same mail in two mailboxes)?
            found = InboundMail.objects.filter(message_id=key).first()
            if found is not None and found.state != MailState.FAILED:
                return found
            error: Exception = exc
        except Exception as exc:
            error = exc
        logger.error("Mail %s from %s could not be processed", key, parsed.from_address, exc_info=error)
        return services.inbound_mail_fail(arrival=arrival, error=f"{type(error).__name__}: {error}")


def inbound_mail_retry(*, mail: InboundMail) -> InboundMail:
    """An admin's "process again" on a failed mail (after the fault was mended):
    its stored raw message through intake once more."""
    if mail.state != MailState.FAILED:
        return mail
    InboundMail.objects.filter(pk=mail.pk, state=MailState.FAILED).update(attempts=0)
    with mail.raw.open("rb") as raw:
        data = raw.read()
    return inbound_mail_receive(raw=data, mailbox=mail.mailbox, uid=mail.uid, received_at=mail.received_at)
