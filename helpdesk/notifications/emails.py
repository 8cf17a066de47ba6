"""E-mail in threes, one helper builds them all (the healthchecks pattern).

templates/emails/<name>-subject.txt, <name>-body-text.txt and
<name>-body-html.html are rendered with the same context in the current
language (the caller wraps this in translation.override).
"""
from __future__ import annotations

import hashlib
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .rendering import render_subject, render_text


def message_id_for(key: str) -> str:
    """A Message-ID fixed by the idempotency key: a resend after a crash carries the
    same id, which lets mail clients and servers drop the duplicate."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].partition("@")[2] or "charterdesk.local"
    return f"<{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}@{domain}>"


def email_build(*, template: str, ctx: dict[str, Any], to: str, key: str = "") -> EmailMultiAlternatives:
    subject = render_subject(template, ctx)
    text = render_text(f"emails/{template}-body-text.txt", ctx)
    html = render_to_string(f"emails/{template}-body-html.html", {**ctx, "subject": subject})
    headers = {"Message-ID": message_id_for(key)} if key else {}
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message
