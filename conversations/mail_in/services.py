"""What a mail becomes: one function per outcome, each writing the mail's
`InboundMail` row in the transaction of whatever it makes.

The row is unique by Message-ID, so a ticket and its record commit together or
not at all, and a second attempt at the same message (the poller killed after
the commit and before the IMAP flag, or the same mail in two mailboxes) fails
on the constraint and rolls its own work back (intake.inbound_mail_receive).
Whatever the outcome, the raw message is stored with the row.

A reply by mail is a public comment, from staff too: the mail answers a
conversation the customer is in (the notice it replies to, or the customer's
own mail), and e-mail has no way to say "internal". Staff who want an
internal note write it on the ticket's page, where the choice is explicit.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.core.errors import ActionRefused
from tickets.lifecycle import FINAL_STATUSES, Status
from tickets.models import Channel, Kind, Ticket
from tickets.services import comment_add, ticket_create

from ..models import InboundMail, MailReason, MailState
from . import replies
from .attachments import CheckedFiles, files_check
from .parsing import ParsedMail
from .quoting import reply_trim

# "Re:", "RE:", "Fwd:", "FW:", "회신:", "전달:", "답장:" and "[External]" tags at the start of a subject.
_SUBJECT_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|sv|회신|답장|전달)\s*(?:\[\d+\])?\s*:\s*|\[[^\]]{1,30}\]\s*)+", re.I)


@dataclass
class Arrival:
    """One message as it arrived: its bytes, what they say, and where it was read."""

    raw: bytes
    parsed: ParsedMail
    key: str  # the Message-ID, or a hash of the bytes
    received_at: datetime
    mailbox: str = ""
    uid: int | None = None
    to_address: str = ""
    attempts: int = 1


def _record(
    arrival: Arrival,
    *,
    state: str,
    reason: str = "",
    detail: str = "",
    ticket: Ticket | None = None,
    comment_id: int | None = None,
    files: CheckedFiles | None = None,
) -> InboundMail:
    parsed = arrival.parsed
    mail = InboundMail.objects.filter(message_id=arrival.key, state=MailState.FAILED).first() or InboundMail(
        message_id=arrival.key
    )
    mail.mailbox = arrival.mailbox[:200]
    mail.uid = arrival.uid
    mail.from_address = parsed.from_address
    mail.from_name = parsed.from_name
    mail.to_address = arrival.to_address
    mail.subject = parsed.subject
    mail.text = parsed.text
    mail.size = len(arrival.raw)
    mail.received_at = arrival.received_at
    mail.processed_at = timezone.now()
    mail.state = state
    mail.reason = reason
    mail.detail = detail[:5000]
    mail.ticket = ticket
    mail.comment_id = comment_id
    mail.attempts = arrival.attempts
    if files is not None:
        mail.attachments = files.record
    elif not mail.attachments:
        mail.attachments = [
            {"name": f.name, "size": len(f.content), "content_type": f.content_type, "refused": ""}
            for f in parsed.files
        ]
    if not mail.raw:
        name = hashlib.sha256(arrival.key.encode("utf-8")).hexdigest()[:32] + ".eml"
        mail.raw.save(name, ContentFile(arrival.raw), save=False)
    mail.save()
    return mail


def ticket_title(*, subject: str, text: str) -> str:
    """The subject without its Re:/Fwd: prefixes; else the first line of the text."""
    title = _SUBJECT_PREFIX.sub("", subject).strip()
    if not title:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        title = first[:100]
    return title[:200] or _("E-mail without a subject")


@transaction.atomic
def inbound_mail_ignore(*, arrival: Arrival, reason: str) -> InboundMail:
    """An automatic reply, a bounce or our own mail: recorded, never answered."""
    return _record(arrival, state=MailState.IGNORED, reason=reason)


@transaction.atomic
def inbound_mail_hold(*, arrival: Arrival, reason: str, detail: str = "") -> InboundMail:
    """Left for a person at the desk (the mail page) to file or set aside."""
    return _record(arrival, state=MailState.WAITING, reason=reason, detail=detail)


@transaction.atomic
def inbound_mail_fail(*, arrival: Arrival, error: str) -> InboundMail:
    """Processing raised: kept with the error, to be tried again by the poller."""
    return _record(arrival, state=MailState.FAILED, reason=MailReason.ERROR, detail=error)


@transaction.atomic
def inbound_mail_refuse_bad_token(*, arrival: Arrival) -> InboundMail:
    """A reply address whose token is not ours: nothing is added, the sender is told."""
    mail = _record(arrival, state=MailState.REFUSED, reason=MailReason.BAD_TOKEN, detail=arrival.to_address)
    replies.bad_token_tell(mail)
    return mail


@transaction.atomic
def inbound_mail_refuse_too_large(*, arrival: Arrival, sender: User | None) -> InboundMail:
    """Larger than MAIL_IN_MAX_BYTES: kept whole, not read, the sender told the limit."""
    mail = _record(
        arrival,
        state=MailState.REFUSED,
        reason=MailReason.TOO_LARGE,
        detail=_("%(size)s bytes; the limit is %(limit)s.") % {"size": len(arrival.raw), "limit": settings.MAIL_IN_MAX_BYTES},
    )
    replies.too_large_tell(mail, user=sender)
    return mail


@transaction.atomic
def inbound_mail_unknown_sender(*, arrival: Arrival) -> InboundMail:
    """Nobody has this address: MAIL_IN_UNKNOWN_SENDER says whether the sender is
    told how to register (once a day per address) or the desk looks at it."""
    if settings.MAIL_IN_UNKNOWN_SENDER == "desk":
        return _record(arrival, state=MailState.WAITING, reason=MailReason.UNKNOWN_SENDER)
    mail = _record(arrival, state=MailState.REFUSED, reason=MailReason.UNKNOWN_SENDER)
    replies.unknown_sender_tell(mail)
    return mail


@transaction.atomic
def inbound_mail_ticket_create(*, arrival: Arrival, sender: User) -> InboundMail:
    """A new mail from a known sender: a ticket for them, as if they had filed it.

    A fault (the usual reason to write to a maintenance desk, with its tighter
    deadline) whose equipment is "not stated in the e-mail" until the handler
    finds out; its reporter's identity is not taken as confirmed (a From line
    proves nothing), so the identity gate (MT3) asks staff to check it."""
    parsed = arrival.parsed
    files = files_check(parsed.files)
    if sender.department is None:
        return _record(arrival, state=MailState.WAITING, reason=MailReason.NO_DEPARTMENT, files=files)
    try:
        with transaction.atomic():
            ticket = ticket_create(
                actor=sender,
                title=ticket_title(subject=parsed.subject, text=parsed.text),
                reporter=sender,
                reporter_department=sender.department,
                reporter_name=sender.display_name,
                kind=Kind.FAULT,
                channel=Channel.EMAIL,
                description=parsed.text,
                asset_other=_("Not stated in the e-mail"),
                attachments=files.accepted,
            )
    except ActionRefused as exc:
        return _record(
            arrival, state=MailState.WAITING, reason=MailReason.TICKET_REFUSED, detail=exc.message, files=files
        )
    mail = _record(arrival, state=MailState.TICKET, ticket=ticket, files=files)
    replies.received_tell(mail, ticket=ticket, user=sender)
    return mail


@transaction.atomic
def inbound_mail_comment_add(*, arrival: Arrival, ticket: Ticket, author: User) -> InboundMail:
    """A reply from someone who may comment on the ticket: a public comment of
    the new part of the mail (the quoted message trimmed), with its files."""
    files = files_check(arrival.parsed.files)
    body = reply_trim(arrival.parsed.text)
    try:
        with transaction.atomic():
            comment = comment_add(ticket=ticket, author=author, body=body, is_public=True, attachments=files.accepted)
    except ActionRefused as exc:
        mail = _record(
            arrival,
            state=MailState.REFUSED,
            reason=MailReason.COMMENT_REFUSED,
            detail=exc.message,
            ticket=ticket,
            files=files,
        )
        ticket.refresh_from_db(fields=["status"])
        if Status(ticket.status) in FINAL_STATUSES:
            replies.finished_tell(mail, ticket=ticket, user=author)
        return mail
    mail = _record(arrival, state=MailState.COMMENT, ticket=ticket, comment_id=comment.pk, files=files)
    if files.refused:
        replies.attachments_refused_tell(mail, ticket=ticket, user=author)
    return mail
