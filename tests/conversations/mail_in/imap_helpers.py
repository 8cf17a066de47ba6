"""The tests' IMAP server: the private Dovecot that .ci/dovecot/start runs on
127.0.0.1:1143 (MAIL_TEST_IMAP), with the user of .ci/dovecot/users.

Each test gets a folder of its own (a fresh name, deleted afterwards), so
tests in parallel workers never read each other's mail. When the server does
not answer the test fails under CI=true and is skipped elsewhere."""
from __future__ import annotations

import imaplib
import os
import socket
import uuid
from dataclasses import dataclass
from urllib.parse import quote

import pytest

from tests.helpers.services import IN_CI

USER = "charterdesk"
PASSWORD = "charterdesk-mail"


def imap_address() -> tuple[str, int]:
    host, _colon, port = os.environ.get("MAIL_TEST_IMAP", "127.0.0.1:1143").rpartition(":")
    return host or "127.0.0.1", int(port or 1143)


def imap_required() -> tuple[str, int]:
    """The server's address; fail (CI) or skip (elsewhere) when it does not answer."""
    host, port = imap_address()
    try:
        with socket.create_connection((host, port), timeout=2) as sock:
            greeting = sock.recv(64)
    except OSError as exc:
        greeting, problem = b"", str(exc)
    else:
        problem = "" if greeting.startswith(b"* OK") else f"unexpected greeting {greeting!r}"
    if problem:
        message = f"no IMAP server on {host}:{port} ({problem}); start one with `bash .ci/dovecot/start`"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return host, port


@dataclass
class ImapFolder:
    """A folder of the test user's: where the test delivers, what the poller reads."""

    host: str
    port: int
    name: str

    @property
    def url(self) -> str:
        return f"imap://{USER}:{quote(PASSWORD)}@{self.host}:{self.port}/{self.name}"

    def connect(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4(self.host, self.port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def append(self, *messages: bytes, folder: str | None = None) -> None:
        """Deliver messages as a mail server does (IMAP APPEND), unseen."""
        conn = self.connect()
        try:
            for raw in messages:
                status, data = conn.append(folder or self.name, None, None, raw)
                assert status == "OK", data
        finally:
            conn.logout()

    def uids(self, criteria: str = "ALL", folder: str | None = None) -> list[int]:
        conn = self.connect()
        try:
            status, _data = conn.select(folder or self.name)
            if status != "OK":
                return []
            status, data = conn.uid("SEARCH", None, criteria)
            return [int(u) for u in (data[0] or b"").split()]
        finally:
            conn.logout()

    def unflag(self, uid: int) -> None:
        """As if the poller had died after the commit and before the flag."""
        conn = self.connect()
        try:
            conn.select(self.name)
            conn.uid("STORE", str(uid), "-FLAGS.SILENT", "(\\Seen)")
        finally:
            conn.logout()

    def remove(self, *extra: str) -> None:
        conn = self.connect()
        try:
            for name in (self.name, *extra):
                conn.delete(name)
        finally:
            conn.logout()


def folder_make() -> ImapFolder:
    host, port = imap_required()
    folder = ImapFolder(host=host, port=port, name=f"t-{uuid.uuid4().hex[:12]}")
    conn = folder.connect()
    try:
        status, data = conn.create(folder.name)
        assert status == "OK", data
    finally:
        conn.logout()
    return folder
