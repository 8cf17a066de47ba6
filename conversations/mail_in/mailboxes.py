"""The IMAP mailboxes mail in reads (MAIL_IN_MAILBOXES), and a connection to one.

A mailbox is a URL: `imap://user:password@host:143/INBOX` (plain or STARTTLS
when the server offers it) or `imaps://user:password@host:993/INBOX` (TLS),
with the user and password percent-encoded. On-premises Exchange and any IMAP
server take the mailbox's own user and password. Exchange Online (Office 365)
no longer accepts a password over IMAP: write
`imaps://eservice@hcnc.co.kr@outlook.office365.com:993/INBOX?auth=xoauth2`
(the user percent-encoded: eservice%40hcnc.co.kr) and set MAIL_IN_OAUTH_* to an
app registration allowed to read that mailbox; the poller signs in with
XOAUTH2 and a client-credentials token (fetched, and kept until it expires).

The standard library's imaplib is all this needs: one connection at a time,
SEARCH, FETCH, STORE, MOVE and APPEND.
"""
from __future__ import annotations

import hashlib
import imaplib
import json
import ssl
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Mailbox:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str
    xoauth2: bool = False

    @property
    def label(self) -> str:
        """How the mailbox is named in records and logs: never with its password."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"

    @property
    def lease_name(self) -> str:
        # helpdesk.core.BeatLease names are at most 50 characters.
        return "mail-in:" + hashlib.sha256(self.label.encode("utf-8")).hexdigest()[:24]


def mailbox_parse(url: str) -> Mailbox:
    """A Mailbox from its URL; ImproperlyConfigured (without the password) when it is not one."""
    parts = urllib.parse.urlsplit(url.strip())
    shown = f"{parts.scheme}://{parts.hostname or '?'}{parts.path}"
    try:
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"MAIL_IN_MAILBOXES: {shown} has a bad port") from exc
    if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
        raise ImproperlyConfigured(f"MAIL_IN_MAILBOXES: {shown} is not imap://user:password@host:port/folder")
    query = urllib.parse.parse_qs(parts.query)
    xoauth2 = query.get("auth", [""])[0].lower() == "xoauth2"
    if not xoauth2 and not parts.password:
        raise ImproperlyConfigured(f"MAIL_IN_MAILBOXES: {shown} has no password")
    port = port or (993 if parts.scheme == "imaps" else 143)
    return Mailbox(
        secure=parts.scheme == "imaps",
        host=parts.hostname,
        port=port,
        user=urllib.parse.unquote(parts.username),
        password=urllib.parse.unquote(parts.password or ""),
        folder=urllib.parse.unquote(parts.path.lstrip("/")) or "INBOX",
        xoauth2=xoauth2,
    )


def mailboxes_configured() -> list[Mailbox]:
    return [mailbox_parse(url) for url in settings.MAIL_IN_MAILBOXES]


def quoted(folder: str) -> str:
    """A folder name as an IMAP astring (imaplib sends names as given)."""
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


_token: tuple[str, float] | None = None


def oauth_token(*, now: float | None = None) -> str:
    """A client-credentials access token for XOAUTH2, kept until a minute before it expires."""
    global _token
    now = time.time() if now is None else now
    if _token is not None and _token[1] > now:
        return _token[0]
    if not settings.MAIL_IN_OAUTH_TOKEN_URL:
        raise ImproperlyConfigured("A mailbox with auth=xoauth2 needs MAIL_IN_OAUTH_TOKEN_URL")
    body = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": settings.MAIL_IN_OAUTH_CLIENT_ID,
            "client_secret": settings.MAIL_IN_OAUTH_CLIENT_SECRET,
            "scope": settings.MAIL_IN_OAUTH_SCOPE,
        }
    ).encode("ascii")
    request = urllib.request.Request(settings.MAIL_IN_OAUTH_TOKEN_URL, data=body, method="POST")
    with urllib.request.urlopen(request, timeout=settings.MAIL_IN_TIMEOUT) as response:  # noqa: S310 (a configured https URL)
        answer = json.loads(response.read().decode("utf-8"))
    token = str(answer["access_token"])
    _token = (token, now + max(0, int(answer.get("expires_in", 3600)) - 60))
    return token


def xoauth2_string(user: str, token: str) -> bytes:
    return f"user={user}\x01auth=Bearer {token}\x01\x01".encode()


def imap_open(mailbox: Mailbox) -> imaplib.IMAP4:
    """A signed-in connection with the mailbox's folder selected (read-write)."""
    timeout = settings.MAIL_IN_TIMEOUT
    if mailbox.secure:
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            mailbox.host, mailbox.port, ssl_context=ssl.create_default_context(), timeout=timeout
        )
    else:
        conn = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
        if "STARTTLS" in conn.capabilities:
            conn.starttls(ssl_context=ssl.create_default_context())
    try:
        if mailbox.xoauth2:
            token = oauth_token()
            conn.authenticate("XOAUTH2", lambda _challenge: xoauth2_string(mailbox.user, token))
        else:
            conn.login(mailbox.user, mailbox.password)
        status, data = conn.select(quoted(mailbox.folder))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open {mailbox.folder}: {data!r}")
    except Exception:
        try:
            conn.logout()
        except Exception:  # already gone
            pass
        raise
    return conn
