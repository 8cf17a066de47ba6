"""Before the scoreboard is measured: make sure its daily rollup covers the data set.

The scoreboard page reads only `ScoreDay` (charter.scoreboard.rollup). A freshly
generated data set has no rollup at all, and in production the beat task fills
in a month of missing days per run, so measuring an empty rollup would time a
board of "no data". `rollup_backfill` counts every month of the data set that
has a day never counted, from the first ticket's day to today, in monthly
chunks (one `days_recompute` each, as the beat task does), printing progress on
stderr. It returns a record for the bench's output when it ran, None when the
rollup was already complete, so a second run measures straight away.
"""
from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any, TextIO

from django.db import connection

from charter.scoreboard.models import ScoreDay
from charter.scoreboard.rollup import days_recompute, first_data_day, local_today


def month_chunks(first: date, last: date) -> list[tuple[date, date]]:
    """[first, last] cut at month boundaries: (first day, last day) of each piece."""
    chunks = []
    start = first
    while start <= last:
        next_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(next_month - timedelta(days=1), last)
        chunks.append((start, end))
        start = end + timedelta(days=1)
    return chunks


def days_missing(first: date, last: date) -> set[date]:
    """Days in [first, last] the rollup never counted (no row without team and engineer)."""
    counted = set(
        ScoreDay.objects.filter(day__gte=first, day__lte=last, team__isnull=True, engineer__isnull=True).values_list(
            "day", flat=True
        )
    )
    return {first + timedelta(days=i) for i in range((last - first).days + 1)} - counted


def rollup_backfill(log: TextIO) -> dict[str, Any] | None:
    """Count the months holding days never counted; a bench record when anything ran."""
    first, today = first_data_day(), local_today()
    if first is None:
        return None
    missing = days_missing(first, today)
    if not missing:
        return None
    chunks = [(a, b) for a, b in month_chunks(first, today) if any(a <= d <= b for d in missing)]
    print(
        f"scoreboard: rollup misses {len(missing)} days between {first} and {today}; "
        f"counting {len(chunks)} months",
        file=log,
        flush=True,
    )
    started = time.perf_counter()
    rows = days = 0
    slowest_ms = 0
    for i, (a, b) in enumerate(chunks, 1):
        result = days_recompute(a, b)
        rows += result.rows
        days += (b - a).days + 1
        slowest_ms = max(slowest_ms, result.duration_ms)
        print(
            f"scoreboard: {i}/{len(chunks)} {a}..{b}: {result.rows} rows in {result.duration_ms} ms",
            file=log,
            flush=True,
        )
    # Fresh statistics, as after any bulk load: autovacuum would get there later,
    # and until then the board's SUMs would be planned against an empty table.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + connection.ops.quote_name(ScoreDay._meta.db_table))
    seconds = time.perf_counter() - started
    print(f"scoreboard: rollup backfill took {seconds:.1f} s ({days} days, {rows} rows)", file=log, flush=True)
    return {
        "item": "scoreboard_rollup_backfill",
        "seconds": round(seconds, 2),
        "missing_days": len(missing),
        "days": days,  # every day of the months counted, missing or not
        "months": len(chunks),
        "rows": rows,
        "slowest_month_ms": slowest_ms,
        "first": first.isoformat(),
        "last": today.isoformat(),
    }
