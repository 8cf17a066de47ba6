"""E-mail in threes, one helper builds them all (the healthchecks pattern).

templates/emails/<name>-subject.txt, <name>-body-text.txt and
<name>-body-html.html are rendered with the same context in the current
language (the caller wraps this in translation.override).

Every notice says it was sent by a machine (`Auto-Submitted: auto-generated`,
RFC 3834) and that it is ours (`X-Charterdesk-Notice`), so that out-of-office
robots do not answer it and our own mail in never takes it for a customer's.
A notice about a ticket, with mail in on (MAIL_IN_ADDRESS), also threads:
`Reply-To` is the mail-in address with a signed token naming the ticket and the
recipient (reply_tokens), `References` names the ticket, and the text carries a
reply marker line above which a reply is read (conversations.mail_in trims the rest).
"""
from __future__ import annotations

import hashlib
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .models import Notification
from .rendering import render_subject, render_text
from .reply_tokens import reply_address, thread_reference

NOTICE_HEADER = "X-Charterdesk-Notice"


def message_id_for(key: str) -> str:
    """A Message-ID fixed by the idempotency key: a resend after a crash carries the
    same id, which lets mail clients and servers drop the duplicate."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].partition("@")[2] or "charterdesk.local"
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}@{domain}>"


def _recipient_of(key: str) -> int | None:
    # The outbox row knows whom it is for; a caller with only the key (the
    # delivery of one row) finds it by its unique key, one indexed read.
    return Notification.objects.filter(key=key).values_list("recipient_id", flat=True).first()


def thread_headers(*, ctx: dict[str, Any], key: str = "", recipient_id: int | None = None) -> dict[str, str]:
    """Reply-To and References for a notice about a ticket, when mail in is on;
    empty otherwise. Without a recipient (an address typed at the desk) there is
    no token: the reply still threads by References and its sender's address."""
    try:
        ticket_id = int(ctx.get("ticket_id") or 0)
    except (TypeError, ValueError):
        ticket_id = 0
    reference = thread_reference(ticket_id) if ticket_id > 0 else None
    if reference is None:
        return {}
    headers = {"References": reference}
    if recipient_id is None and key:
        recipient_id = _recipient_of(key)
    address = reply_address(ticket_id=ticket_id, user_id=recipient_id) if recipient_id else None
    if address:
        headers["Reply-To"] = address
    return headers


def email_build(
    *, template: str, ctx: dict[str, Any], to: str, key: str = "", recipient_id: int | None = None
) -> EmailMultiAlternatives:
    threading = thread_headers(ctx=ctx, key=key, recipient_id=recipient_id)
    if threading:
        ctx = {**ctx, "reply_marker": True}
    subject = render_subject(template, ctx)
    text = render_text(f"emails/{template}-body-text.txt", ctx)
    html = render_to_string(f"emails/{template}-body-html.html", {**ctx, "subject": subject})
    headers = {"Auto-Submitted": "auto-generated", NOTICE_HEADER: template}
    if key:
        headers["Message-ID"] = message_id_for(key)
    if "References" in threading:
        headers["References"] = threading["References"]
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
        reply_to=[threading["Reply-To"]] if "Reply-To" in threading else None,
    )
    message.attach_alternative(html, "text/html")
    return message
