"""The `mail_in` scenario: mails a minute through the poller, from a real IMAP
server (bench/mail_in.py): `python -m bench mail_in --tickets 0 --size 300`."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .runner import Context, scenario


@scenario("mail_in")
def mail_in(ctx: Context) -> Iterator[dict[str, Any]]:
    from .mail_in import mail_in_per_min

    if ctx.wants("mail_in_per_min"):
        yield mail_in_per_min(n=ctx.size or 300)
