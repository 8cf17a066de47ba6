"""Seoul time for tests: the zone, a short constructor, and the usual instant.

`NOW` is where the `frozen` fixture (tests/conftest.py) stops the clock unless a
folder's conftest overrides `frozen_at`."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")


def kst(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    """An instant in Seoul: kst(2026, 3, 10, 10) is Tuesday 10 March 2026, 10:00 KST."""
    return datetime(y, mo, d, h, mi, s, tzinfo=SEOUL)


# A Tuesday in Seoul, inside working hours (09:00–18:00, lunch 12–13): two
# business hours later is 12:00, where lunch begins.
NOW = kst(2026, 3, 10, 10)
