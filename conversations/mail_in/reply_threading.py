"""Which ticket a mail answers, and whether it says so with our signed address.

A reply to a notice is sent to the notice's Reply-To, `<local>+<token>@<domain>`
(helpdesk.notifications.reply_tokens). The token is looked for in the
envelope and visible recipients (Delivered-To, X-Original-To, Envelope-To, To,
Cc). Without a token, the ticket is the one named by In-Reply-To/References:
every notice about a ticket carries `<ticket-N@domain>` in References, and a
mail that made a ticket or a comment here is found by its Message-ID (a
customer answering their own first mail).
"""
from __future__ import annotations

from dataclasses import dataclass

from helpdesk.notifications.reply_tokens import (
    ReplyToken,
    reply_token_read,
    ticket_in_reference,
    token_in_address,
)

from ..models import InboundMail
from .parsing import ParsedMail


@dataclass(frozen=True)
class Thread:
    to_address: str = ""  # our address it was sent to (first found)
    token: str = ""  # the +tag, "" when none
    signed: ReplyToken | None = None  # the token, when its signature is ours
    ticket_id: int | None = None  # from the token, else the headers

    @property
    def forged(self) -> bool:
        return bool(self.token) and self.signed is None


def thread_find(parsed: ParsedMail) -> Thread:
    to_address, token = "", ""
    for address in parsed.recipients:
        tag = token_in_address(address)
        if tag is None:
            continue
        to_address = to_address or address
        if tag:
            to_address, token = address, tag
            break
    if not to_address and parsed.recipients:
        to_address = parsed.recipients[0]
    if token:
        signed = reply_token_read(token)
        return Thread(to_address[:254], token, signed, signed.ticket_id if signed else None)
    return Thread(to_address[:254], "", None, ticket_from_headers(parsed))


def ticket_from_headers(parsed: ParsedMail) -> int | None:
    ids = parsed.thread_ids
    for reference in ids:
        ticket_id = ticket_in_reference(reference)
        if ticket_id is not None:
            return ticket_id
    if not ids:
        return None
    found = dict(
        InboundMail.objects.filter(message_id__in=ids[:50], ticket__isnull=False).values_list("message_id", "ticket_id")
    )
    return next((found[i] for i in ids if i in found), None)
