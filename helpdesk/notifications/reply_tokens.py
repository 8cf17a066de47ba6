"""Signed reply addresses: `<local>+<token>@<domain>` names a ticket and the person
a notice went to, so their reply by e-mail finds its ticket (conversations.mail_in).

The token is `<ticket id>-<user id>-<signature>`: lower-case letters, digits and
hyphens, safe in a local part that mail systems may lower-case. The signature
is the first 12 base32 characters (60 bits) of an HMAC-SHA256 over the two ids
keyed by SECRET_KEY (django's salted_hmac): enough that guessing one for another
ticket or person is hopeless, short enough that the whole local part stays well
under the 64 characters RFC 5321 allows. Keys in SECRET_KEY_FALLBACKS still
verify, so rotating the secret does not orphan the replies to mails already sent.

A token does not expire: a customer may answer a notice weeks later, and what
the reply may do is decided when it arrives (the ticket's state, the sender's
right to comment), not by the token.
"""
from __future__ import annotations

import base64
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "charterdesk.reply-token"
SIGNATURE_CHARS = 12
# RFC 5321: a local part is at most 64 octets.
LOCAL_PART_MAX = 64
_TOKEN = re.compile(rf"(\d{{1,18}})-(\d{{1,18}})-([a-z2-7]{{{SIGNATURE_CHARS}}})")


@dataclass(frozen=True)
class ReplyToken:
    ticket_id: int
    user_id: int


def _signature(ticket_id: int, user_id: int, secret: str) -> str:
    digest = salted_hmac(SALT, f"{ticket_id}:{user_id}", secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii").lower()[:SIGNATURE_CHARS]


def reply_token_make(*, ticket_id: int, user_id: int) -> str:
    return f"{ticket_id}-{user_id}-{_signature(ticket_id, user_id, settings.SECRET_KEY)}"


def reply_token_read(token: str) -> ReplyToken | None:
    """The ticket and person a token names, or None when it is malformed or its
    signature is not ours (forged, altered, or from another installation)."""
    found = _TOKEN.fullmatch((token or "").strip().lower())
    if found is None:
        return None
    ticket_id, user_id = int(found.group(1)), int(found.group(2))
    for secret in (settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())):
        if constant_time_compare(found.group(3), _signature(ticket_id, user_id, secret)):
            return ReplyToken(ticket_id=ticket_id, user_id=user_id)
    return None


def mail_in_parts() -> tuple[str, str] | None:
    """(local part, domain) of MAIL_IN_ADDRESS, lower-cased; None when mail in is off."""
    address = (getattr(settings, "MAIL_IN_ADDRESS", "") or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain:
        return None
    return local.partition("+")[0], domain


def reply_address(*, ticket_id: int, user_id: int) -> str | None:
    """The address a reply to a notice about `ticket_id` sent to `user_id` goes to,
    or None when mail in is off or the local part would be too long."""
    parts = mail_in_parts()
    if parts is None:
        return None
    local, domain = parts
    full = f"{local}+{reply_token_make(ticket_id=ticket_id, user_id=user_id)}"
    if len(full) > LOCAL_PART_MAX:
        return None
    return f"{full}@{domain}"


def token_in_address(address: str) -> str | None:
    """The plus-tag of an address at our mail-in address ("" when it is the plain
    address), or None when the address is not ours at all."""
    parts = mail_in_parts()
    if parts is None:
        return None
    local, domain = parts
    their_local, at, their_domain = (address or "").strip().lower().rpartition("@")
    if not at or their_domain != domain:
        return None
    base, plus, tag = their_local.partition("+")
    if base != local:
        return None
    return tag if plus else ""


def thread_reference(ticket_id: int) -> str | None:
    """The References id every notice about a ticket carries, so that a reply names
    the ticket even without the token (`<ticket-42@hcnc.co.kr>`)."""
    parts = mail_in_parts()
    if parts is None:
        return None
    return f"<ticket-{ticket_id}@{parts[1]}>"


def ticket_in_reference(reference: str) -> int | None:
    """The ticket a References/In-Reply-To id of ours names, else None."""
    parts = mail_in_parts()
    if parts is None:
        return None
    found = re.fullmatch(r"<?ticket-(\d{1,18})@([^>]+)>?", (reference or "").strip().lower())
    if found is None or found.group(2) != parts[1]:
        return None
    return int(found.group(1))
