"""Mail that must never become a ticket or a comment: automatic replies,
bounces and our own mail coming back (a loop). Recorded as ignored, and never
answered, so two robots cannot keep writing to each other.

- a loop: our own notice (X-Charterdesk-Notice, which every notice carries), or
  mail from one of our own addresses (DEFAULT_FROM_EMAIL, MAIL_IN_ADDRESS with
  any +tag, MAIL_IN_OWN_ADDRESSES);
- a bounce: a delivery report (multipart/report), from MAILER-DAEMON or
  postmaster, or with an empty Return-Path (the null sender of RFC 5321 §4.5.5);
- an automatic reply: Auto-Submitted other than "no" (RFC 3834),
  Precedence bulk/junk/list/auto_reply, X-Autoreply or X-Autorespond.
"""
from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings

from helpdesk.notifications.emails import NOTICE_HEADER

from ..models import MailReason
from .parsing import ParsedMail

_ROBOT_LOCAL_PARTS = {"mailer-daemon", "postmaster"}
_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}


def own_addresses() -> set[str]:
    """Our addresses, lower-cased, without +tags."""
    found = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1], getattr(settings, "MAIL_IN_ADDRESS", "")}
    found |= set(getattr(settings, "MAIL_IN_OWN_ADDRESSES", []))
    return {_untagged(a) for a in found if a and "@" in a}


def _untagged(address: str) -> str:
    local, _at, domain = address.strip().lower().rpartition("@")
    return f"{local.partition('+')[0]}@{domain}"


def mail_classify(parsed: ParsedMail) -> str | None:
    """The reason to ignore the message (a MailReason), or None for mail from a person."""
    if parsed.header(NOTICE_HEADER) is not None:
        return MailReason.LOOP
    if parsed.from_address and _untagged(parsed.from_address) in own_addresses():
        return MailReason.OWN_ADDRESS
    if parsed.content_type == "multipart/report":
        return MailReason.BOUNCE
    local = parsed.from_address.partition("@")[0]
    if local in _ROBOT_LOCAL_PARTS:
        return MailReason.BOUNCE
    return_path = parsed.header("return-path")
    if return_path is not None and return_path.strip() in ("<>", ""):
        return MailReason.BOUNCE
    auto_submitted = parsed.header("auto-submitted")
    if auto_submitted is not None and auto_submitted.strip().split(";")[0].strip().lower() != "no":
        return MailReason.AUTO_REPLY
    precedence = (parsed.header("precedence") or "").strip().lower()
    if precedence in _BULK_PRECEDENCE:
        return MailReason.AUTO_REPLY
    if parsed.header("x-autoreply") is not None or parsed.header("x-autorespond") is not None:
        return MailReason.AUTO_REPLY
    return None
