"""The `outbox` scenario: notifications delivered per second (bench/outbox.py,
written with the notifications issue), run through the common runner:
`python -m bench outbox --tickets 0 --size 2000`."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .runner import Context, scenario


@scenario("outbox")
def outbox(ctx: Context) -> Iterator[dict[str, Any]]:
    from .outbox import outbox_per_s

    if ctx.wants("outbox_per_s"):
        yield outbox_per_s(n=ctx.size or 2000)
