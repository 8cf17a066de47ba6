"""Reading the mailboxes: every minute from beat, a bounded batch per mailbox.

For each mailbox in MAIL_IN_MAILBOXES (none: polling is off):

1. take the mailbox's lease (helpdesk.core.beat_lease, a row named after the
   mailbox): a second poller, on another worker or overlapping a slow run,
   finds it held and leaves the mailbox alone;
2. find the messages to read, oldest first, at most MAIL_IN_BATCH: the unseen
   ones, or, with MAIL_IN_DONE_FOLDER, all that are still in the folder;
3. for each, fetch it without marking it seen (BODY.PEEK), let intake record
   and act on it in its own transaction, and only after that commit flag it
   \\Seen or move it to the done folder.

A poller that dies between the commit and the flag leaves the message unseen;
the next run reads it again, intake finds its Message-ID recorded and it is
only flagged. A message that cannot be fetched or raises is logged and left
for the next run; the others go on. A mailbox that cannot be reached is
reported after the others were read, so the task's run is recorded as failed
(/healthz) while the reachable mailboxes still work.
"""
from __future__ import annotations

import imaplib
import logging
import os
import re
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from helpdesk.core.beat_lease import lease_claim, lease_release

from .intake import inbound_mail_receive
from .mailboxes import Mailbox, imap_open, mailboxes_configured, quoted

logger = logging.getLogger(__name__)

# Longer than one message takes to fetch and process; renewed before each message.
LEASE = timedelta(seconds=120)
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')


class MailboxUnreachable(Exception):
    """One or more mailboxes could not be read this run (the others were)."""


@dataclass
class PollResult:
    mailbox: str
    found: int = 0  # messages waiting in the folder
    processed: int = 0  # handed to intake and flagged or moved
    errors: int = 0
    leased: bool = True  # False: another poller holds the mailbox


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _uids(conn: imaplib.IMAP4) -> list[bytes]:
    criteria = "UNDELETED" if settings.MAIL_IN_DONE_FOLDER else "(UNSEEN UNDELETED)"
    status, data = conn.uid("SEARCH", None, criteria)
    if status != "OK":
        raise imaplib.IMAP4.error(f"SEARCH failed: {data!r}")
    return sorted((data[0] or b"").split(), key=int)


def _fetch(conn: imaplib.IMAP4, uid: bytes) -> tuple[bytes, datetime | None] | None:
    status, data = conn.uid("FETCH", uid, "(INTERNALDATE BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.error(f"FETCH {uid!r} failed: {data!r}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            meta, raw = item
            found = _INTERNALDATE.search(meta)
            received = None
            if found:
                try:
                    received = datetime.strptime(found.group(1).decode("ascii"), "%d-%b-%Y %H:%M:%S %z")
                except ValueError:
                    received = None
            return bytes(raw), received
    return None  # expunged meanwhile (someone else moved it)


def _done(conn: imaplib.IMAP4, uid: bytes) -> None:
    """Flag the message seen, or move it to the done folder: only after its row committed."""
    folder = settings.MAIL_IN_DONE_FOLDER
    if not folder:
        conn.uid("STORE", uid, "+FLAGS.SILENT", "(\\Seen)")
        return
    if "MOVE" in conn.capabilities:
        status, data = conn.uid("MOVE", uid, quoted(folder))
        if status == "OK":
            return
        raise imaplib.IMAP4.error(f"MOVE {uid!r} failed: {data!r}")
    conn.uid("COPY", uid, quoted(folder))
    conn.uid("STORE", uid, "+FLAGS.SILENT", "(\\Seen \\Deleted)")
    if "UIDPLUS" in conn.capabilities:
        conn.uid("EXPUNGE", uid)
    else:
        conn.expunge()


def mailbox_poll(*, mailbox: Mailbox, batch: int, holder: str | None = None) -> PollResult:
    """Read up to `batch` messages of one mailbox (see the module's docstring)."""
    holder = holder or _holder()
    result = PollResult(mailbox=mailbox.label)
    if not lease_claim(holder=holder, now=timezone.now(), ttl=LEASE, name=mailbox.lease_name):
        result.leased = False
        return result
    try:
        conn = imap_open(mailbox)
        try:
            if settings.MAIL_IN_DONE_FOLDER:
                conn.create(quoted(settings.MAIL_IN_DONE_FOLDER))  # "already exists" is fine
            uids = _uids(conn)
            result.found = len(uids)
            for uid in uids[:batch]:
                if not lease_claim(holder=holder, now=timezone.now(), ttl=LEASE, name=mailbox.lease_name):
                    logger.warning("Lost the lease on %s; stopping this run", mailbox.label)
                    break
                try:
                    fetched = _fetch(conn, uid)
                    if fetched is None:
                        continue
                    raw, received_at = fetched
                    inbound_mail_receive(raw=raw, mailbox=mailbox.label, uid=int(uid), received_at=received_at)
                    _done(conn, uid)
                    result.processed += 1
                except imaplib.IMAP4.abort:
                    raise  # the connection is gone: nothing more this run
                except Exception:
                    result.errors += 1
                    logger.exception("Mail %s in %s: left for the next run", uid.decode(), mailbox.label)
        finally:
            try:
                conn.logout()
            except Exception:  # the server hung up already
                pass
    finally:
        lease_release(holder=holder, now=timezone.now(), name=mailbox.lease_name)
    return result


def mail_in_poll_once(*, batch: int | None = None) -> int:
    """One run over every configured mailbox; the number of messages processed.
    Raises MailboxUnreachable after the run when a mailbox could not be read."""
    batch = batch or settings.MAIL_IN_BATCH
    processed = 0
    unreachable: list[str] = []
    for mailbox in mailboxes_configured():
        try:
            result = mailbox_poll(mailbox=mailbox, batch=batch)
        except (OSError, imaplib.IMAP4.error) as exc:
            logger.error("Mailbox %s could not be read: %s", mailbox.label, exc)
            unreachable.append(f"{mailbox.label}: {type(exc).__name__}: {exc}")
            continue
        processed += result.processed
        if result.found:
            logger.info(
                "Mailbox %s: %s processed of %s waiting, %s left for later", mailbox.label, result.processed,
                result.found, result.errors,
            )
    if unreachable:
        raise MailboxUnreachable("; ".join(unreachable))
    return processed
