"""The scoreboard in `python -m bench`: the `scoreboard` and `scoreboard_year`
items of `pages` (the rollup filled in first) and the `scoreboard_rollup` scenario.

No timing assertions: the figures depend on the machine; only the shape of the
output and the state of the rollup are checked. The clock travels to a fixed
afternoon in Seoul (ticking, so the timings stay positive): the rollup's
"today" cannot change halfway through a test.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.test import Client

from bench.pages import PAGE_ITEMS
from bench.runner import SCENARIOS, main
from bench.scoreboard_setup import days_missing, month_chunks
from charter.scoreboard.models import ScoreDay
from charter.scoreboard.rollup import RECENT_DAYS, first_data_day, local_today
from charter.scoreboard.sources import SOURCES
from tests.helpers.clock import kst

REQUIRED = {"scenario", "item", "tickets", "median_ms", "p90_ms", "queries", "db_ms"}
BOARD_ITEMS = "scoreboard,scoreboard_year"


def run(*argv: str) -> tuple[int, list[dict], str]:
    out, log = StringIO(), StringIO()
    code = main(list(argv), out=out, log=log)
    return code, [json.loads(line) for line in out.getvalue().splitlines() if line.strip()], log.getvalue()


@pytest.fixture
def afternoon() -> Iterator[None]:
    with time_machine.travel(kst(2026, 3, 10, 14), tick=True):
        yield


def test_month_chunks_cut_at_month_boundaries() -> None:
    assert month_chunks(date(2024, 1, 30), date(2024, 3, 2)) == [
        (date(2024, 1, 30), date(2024, 1, 31)),
        (date(2024, 2, 1), date(2024, 2, 29)),
        (date(2024, 3, 1), date(2024, 3, 2)),
    ]
    assert month_chunks(date(2024, 5, 5), date(2024, 5, 5)) == [(date(2024, 5, 5), date(2024, 5, 5))]


def test_board_items_fill_the_rollup_once_then_answer_200(db, afternoon) -> None:
    code, lines, log = run("pages", "--tickets", "60", "--repeat", "1", "--warmup", "0", "--items", BOARD_ITEMS)
    assert code == 0
    backfill, month, year = lines
    first, today = first_data_day(), local_today()
    assert first is not None and first < today - timedelta(days=300)  # generated history reaches back
    # The backfill ran over the whole data set and says so on its own line.
    assert backfill["scenario"] == "pages" and backfill["item"] == "scoreboard_rollup_backfill"
    assert (backfill["first"], backfill["last"]) == (first.isoformat(), today.isoformat())
    assert backfill["days"] == backfill["missing_days"] == (today - first).days + 1
    assert backfill["months"] == len(month_chunks(first, today))
    assert backfill["rows"] >= backfill["days"] and backfill["seconds"] >= 0
    assert "rollup backfill took" in log
    assert not days_missing(first, today)
    for line, period in ((month, "month"), (year, "year")):
        assert REQUIRED <= line.keys()
        assert line["url"] == f"/charter/scoreboard/?period={period}"
        assert line["status"] == 200, line
        assert line["median_ms"] > 0 and line["queries"] > 0
    assert (month["item"], year["item"]) == ("scoreboard", "scoreboard_year")

    # A second run finds every day counted: straight to measuring, no backfill line.
    code, lines, _log = run("pages", "--tickets", "60", "--repeat", "1", "--warmup", "0", "--items", BOARD_ITEMS)
    assert code == 0
    assert [line["item"] for line in lines] == ["scoreboard", "scoreboard_year"]


def test_board_items_show_the_section_chief_a_counted_period(db, afternoon) -> None:
    run("pages", "--tickets", "60", "--repeat", "1", "--warmup", "0", "--items", BOARD_ITEMS)
    today = local_today()
    for item, counted in (("scoreboard", today.day), ("scoreboard_year", (today - date(today.year, 1, 1)).days + 1)):
        page = PAGE_ITEMS[item]()
        assert page is not None and page.user.username == "chief"
        client = Client()
        client.force_login(page.user)
        response = client.get(page.url)
        assert response.status_code == 200
        board = response.context["board"]
        # Every day of the period up to today was counted: the page measures figures, not "no data".
        assert board.counted_days == counted
        assert board.period.kind == ("month" if item == "scoreboard" else "year")
        assert not response.context["filters"].notices


def test_scoreboard_rollup_scenario_times_the_live_and_the_nightly_recompute(db, afternoon) -> None:
    assert "scoreboard_rollup" in SCENARIOS
    code, lines, _log = run("scoreboard_rollup", "--tickets", "40", "--repeat", "2", "--warmup", "0")
    assert code == 0
    live, recent = lines
    assert (live["item"], recent["item"]) == ("live_recompute", "recent_recompute")
    assert (live["days"], recent["days"]) == (2, RECENT_DAYS)
    for line in lines:
        assert REQUIRED <= line.keys() and line["scenario"] == "scoreboard_rollup"
        assert line["median_ms"] > 0 and line["p90_ms"] >= line["median_ms"]
        assert line["queries"] >= len(SOURCES)  # at least one count per source
        assert line["rows"] >= line["days"]  # each day's "counted" row at least
        assert line["repeat"] == 2
    # Repeating a recompute replaces its days: one marker per day, none twice.
    today = local_today()
    markers = ScoreDay.objects.filter(team__isnull=True, engineer__isnull=True)
    assert markers.count() == RECENT_DAYS + 1
    assert set(markers.values_list("day", flat=True)) == {today - timedelta(days=i) for i in range(RECENT_DAYS + 1)}


def test_scoreboard_rollup_items_option_runs_only_the_live_recompute(db, afternoon) -> None:
    code, lines, _log = run("scoreboard_rollup", "--tickets", "30", "--repeat", "1", "--warmup", "0",
                            "--items", "live_recompute")
    assert code == 0
    assert [line["item"] for line in lines] == ["live_recompute"]
    assert ScoreDay.objects.filter(team__isnull=True, engineer__isnull=True).count() == 2


def test_a_day_gone_missing_is_counted_again_with_its_month_only(db, afternoon) -> None:
    run("pages", "--tickets", "50", "--repeat", "1", "--warmup", "0", "--items", "scoreboard")
    gap = local_today().replace(day=1) - timedelta(days=40)  # a day in a month before last
    ScoreDay.objects.filter(day=gap).delete()
    code, lines, _log = run("pages", "--tickets", "50", "--repeat", "1", "--warmup", "0", "--items", "scoreboard")
    assert code == 0
    backfill, board = lines
    (month,) = [c for c in month_chunks(first_data_day(), local_today()) if c[0] <= gap <= c[1]]
    assert (backfill["missing_days"], backfill["months"]) == (1, 1)
    assert backfill["days"] == (month[1] - month[0]).days + 1
    assert ScoreDay.objects.filter(day=gap, team__isnull=True, engineer__isnull=True).exists()
    assert board["item"] == "scoreboard" and board["status"] == 200
