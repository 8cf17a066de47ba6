"""`python -m bench monthly_report`: last month's charter report built in-process
at a tiny size, one JSON line with its figures (no timing assertions: they
depend on the machine)."""
from __future__ import annotations

import json
from io import StringIO

from bench.runner import main
from charter.scoreboard.models import MonthlyReport, ScoreDay
from charter.scoreboard.periods import last_month
from charter.scoreboard.rollup import local_today


def test_the_monthly_report_item_counts_the_month_once_then_builds_both_files(db):
    out, log = StringIO(), StringIO()
    assert main(["monthly_report", "--tickets", "25", "--repeat", "1", "--warmup", "0"], out=out, log=log) == 0
    (line,) = [json.loads(text) for text in out.getvalue().splitlines() if text.strip()]
    month = last_month(local_today())
    assert (line["scenario"], line["item"], line["month"]) == ("monthly_report", "monthly_report", f"{month.first:%Y-%m}")
    assert line["median_ms"] > 0 and line["queries"] > 0 and line["teams"] >= 1
    assert line["xlsx_bytes"] > 0 and line["pdf_bytes"] > 0
    assert line["rollup_ms"] is not None and "counting" in log.getvalue()
    assert ScoreDay.objects.filter(day=month.last, team__isnull=True, engineer__isnull=True).exists()
    assert not MonthlyReport.objects.exists()  # built in memory: nothing stored, nobody told
    # Counted once: a second run finds the month complete and writes nothing.
    out = StringIO()
    assert main(["monthly_report", "--tickets", "25", "--repeat", "1", "--warmup", "0"], out=out, log=StringIO()) == 0
    assert json.loads(out.getvalue())["rollup_ms"] is None
