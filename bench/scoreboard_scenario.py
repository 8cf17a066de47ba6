"""The `scoreboard_rollup` scenario: what the scoreboard's background counting
costs at N tickets (IM1, charter.scoreboard.rollup).

`python -m bench scoreboard_rollup --tickets 1000000 --repeat 3` prints two items:

- `live_recompute`: yesterday and today (up to now) counted again from the raw
  rows — what beat runs every few minutes (`charter.tasks.scoreboard_live`).
- `recent_recompute`: the last `RECENT_DAYS` (40) finished days counted again —
  the nightly run for data that arrived late (`charter.tasks.scoreboard_recent`).

Each recompute replaces its days in one transaction with the same counts again
(unless rows changed meanwhile), so repeating it is safe on a shared data set. Fields besides the runner's: `median_ms`/`p90_ms` (wall
time, commit included), `queries` and `db_ms` (statements of one more run and
their time as the client saw it), `cpu_ms` (this process's CPU time of that run:
the Python share of tallying and writing), `rows` (ScoreDay rows written) and
`days`.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter.scoreboard.rollup import RollupResult, live_recompute, recent_recompute

from .runner import Context, scenario, timed

ITEMS: dict[str, Callable[[], RollupResult]] = {
    "live_recompute": live_recompute,
    "recent_recompute": recent_recompute,
}


def rollup_measure(run: Callable[[], RollupResult], ctx: Context) -> dict[str, Any]:
    timing = timed(run, repeat=ctx.repeat, warmup=ctx.warmup)
    # Counted on one more run so recording queries never weighs on the timing.
    cpu_started = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        result = run()
    cpu_ms = (time.process_time() - cpu_started) * 1000
    return {
        "median_ms": round(timing.median_ms, 2),
        "p90_ms": round(timing.p90_ms, 2),
        "queries": len(queries.captured_queries),
        "db_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 2),
        "cpu_ms": round(cpu_ms, 2),
        "rows": result.rows,
        "days": (result.last - result.first).days + 1,
        "repeat": ctx.repeat,
    }


@scenario("scoreboard_rollup")
def scoreboard_rollup(ctx: Context) -> Iterator[dict[str, Any]]:
    from standards.selectors import standards_changed

    standards_changed()  # the standards' timeline as the database holds it now, not a stale cache
    for name, run in ITEMS.items():
        if ctx.wants(name):
            yield {"item": name, **rollup_measure(run, ctx)}
