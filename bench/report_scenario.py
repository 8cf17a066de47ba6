"""The `monthly_report` scenario: what building last month's charter report
costs at N tickets (IM1, charter.scoreboard.report and report_files).

`python -m bench monthly_report --tickets 1000000 --repeat 5` prints one item:

- `monthly_report`: the report of the month before today, as the beat task
  builds it on the first business day — its content (the department's board,
  one board per maintenance team, the worst items with their missed rows, what
  was done in the month) and both files (Excel and PDF), in memory. Nothing is
  stored and nobody is told.

The report reads the daily rollup. When the month is not fully counted yet
(a fresh data set), its days are counted first, once, untimed, with
`days_recompute` (idempotent; the time goes in `rollup_ms`); on a data set whose
rollup is complete nothing is written.

Fields besides the runner's: `median_ms`/`p90_ms` (wall time of content +
both files), `queries` and `db_ms` (statements of one more run and their time
as the client saw it), `cpu_ms` (this process's CPU time of that run: the
Python share, mostly drawing the PDF), `content_ms` (the content alone, one
run), `month`, `teams`, `missed` (promises missed), `xlsx_bytes`, `pdf_bytes`,
`rollup_ms` (null when nothing had to be counted).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter.scoreboard.models import ScoreDay
from charter.scoreboard.periods import last_month
from charter.scoreboard.report import report_content
from charter.scoreboard.report_files import report_pdf, report_xlsx
from charter.scoreboard.rollup import days_recompute, local_today

from .runner import Context, scenario, timed


@scenario("monthly_report")
def monthly_report_scenario(ctx: Context) -> Iterator[dict[str, Any]]:
    if not ctx.wants("monthly_report"):
        return
    from standards.selectors import standards_changed

    standards_changed()  # the standards as the database holds them now, not a stale cache
    period = last_month(local_today())
    counted = ScoreDay.objects.filter(
        day__gte=period.first, day__lte=period.last, team__isnull=True, engineer__isnull=True
    ).count()
    rollup_ms = None
    if counted < period.days:
        ctx.note(f"monthly_report: counting {period.first:%Y-%m} first ({counted} of {period.days} days counted)")
        rollup_ms = days_recompute(period.first, period.last).duration_ms

    def build() -> tuple[Any, bytes, bytes]:
        content = report_content(period.first)
        return content, report_xlsx(content), report_pdf(content)

    timing = timed(build, repeat=ctx.repeat, warmup=ctx.warmup)
    started = time.perf_counter()
    report_content(period.first)
    content_ms = (time.perf_counter() - started) * 1000
    cpu_started = time.process_time()
    with CaptureQueriesContext(connection) as queries:
        content, xlsx, pdf = build()
    cpu_ms = (time.process_time() - cpu_started) * 1000
    yield {
        "item": "monthly_report",
        "median_ms": round(timing.median_ms, 2),
        "p90_ms": round(timing.p90_ms, 2),
        "queries": len(queries.captured_queries),
        "db_ms": round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 2),
        "cpu_ms": round(cpu_ms, 2),
        "content_ms": round(content_ms, 2),
        "repeat": ctx.repeat,
        "month": f"{period.first:%Y-%m}",
        "teams": len(content.teams),
        "missed": sum(1 for line in content.lines if line.verdict == "missed"),
        "xlsx_bytes": len(xlsx),
        "pdf_bytes": len(pdf),
        "rollup_ms": rollup_ms,
    }
