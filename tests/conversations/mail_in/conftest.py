"""Mail in's fixtures: the published address switched on, and a folder of the
tests' Dovecot for the poller (imap_helpers). The frozen clock, the named
people and the in-memory outbox are the root conftest's."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conversations.mail_in.helpers import OUR_ADDRESS
from tests.conversations.mail_in.imap_helpers import ImapFolder, folder_make


@pytest.fixture(autouse=True)
def mail_in_on(settings) -> str:
    """MAIL_IN_ADDRESS set (notices thread, replies are recognised); no mailbox polled."""
    settings.MAIL_IN_ADDRESS = OUR_ADDRESS
    settings.DEFAULT_FROM_EMAIL = f"charterdesk <{OUR_ADDRESS}>"
    settings.MAIL_IN_MAILBOXES = []
    settings.MAIL_IN_DONE_FOLDER = ""
    settings.MAIL_IN_UNKNOWN_SENDER = "reply"
    return OUR_ADDRESS


@pytest.fixture
def imap_folder(settings) -> Iterator[ImapFolder]:
    """A fresh folder on the tests' Dovecot, polled as MAIL_IN_MAILBOXES."""
    folder = folder_make()
    settings.MAIL_IN_MAILBOXES = [folder.url]
    yield folder
    folder.remove(f"{folder.name}-done")
