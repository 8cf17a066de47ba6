"""`python -m bench`: runs in-process at a tiny size and prints what it promises.

No timing assertions: the figures depend on the machine; only their shape is
checked here.
"""
from __future__ import annotations

import json
from io import StringIO

import pytest

from bench.pages import PAGE_ITEMS
from bench.runner import SCENARIOS, main
from tickets.models import Ticket

REQUIRED = {"scenario", "item", "tickets", "median_ms", "queries"}


def run(*argv: str) -> tuple[int, list[dict], str]:
    out, log = StringIO(), StringIO()
    code = main(list(argv), out=out, log=log)
    return code, [json.loads(line) for line in out.getvalue().splitlines() if line.strip()], log.getvalue()


def test_pages_scenario_seeds_to_size_and_prints_one_json_line_per_item(db):
    code, lines, _log = run("pages", "--tickets", "60", "--repeat", "2", "--warmup", "1")
    assert code == 0
    assert Ticket.objects.count() == 60
    items = [line["item"] for line in lines]
    assert items == ["baseline", "customer_list", "staff_queue", "staff_queue_all", "ticket_page",
                     "customer_ticket_page", "scoreboard_rollup_backfill", "scoreboard", "scoreboard_year",
                     "dashboard", "api_ticket_list", "api_ticket_detail"]
    # The backfill is a one-off set-up step with its own fields (tests/bench/test_bench_scoreboard.py).
    for line in (line for line in lines if line["item"] != "scoreboard_rollup_backfill"):
        assert REQUIRED <= line.keys()
        assert line["scenario"] == "pages"
        assert line["tickets"] == 60
        assert line["median_ms"] > 0
        assert line["queries"] > 0  # at least the session and the user
        assert line["db_ms"] >= 0 and line["p90_ms"] >= line["median_ms"] > 0
        assert line["status"] == 200, line
        assert line["repeat"] == 2


def test_items_option_runs_only_those_items_and_keeps_existing_data(db):
    run("pages", "--tickets", "40", "--repeat", "1", "--warmup", "0", "--items", "baseline")
    code, lines, _log = run("pages", "--tickets", "30", "--repeat", "1", "--warmup", "0", "--items", "baseline,ticket_page")
    assert code == 0
    assert [line["item"] for line in lines] == ["baseline", "ticket_page"]
    # Asking for fewer tickets than the database holds measures what is there.
    assert Ticket.objects.count() == 40 and all(line["tickets"] == 40 for line in lines)


def test_baseline_goes_through_the_middleware_as_a_logged_in_user(db):
    _code, lines, _log = run("pages", "--tickets", "25", "--repeat", "1", "--warmup", "0", "--items", "baseline")
    (baseline,) = lines
    assert baseline["url"] == "/__bench__/baseline/"
    assert baseline["status"] == 200
    assert baseline["queries"] >= 2  # session row and user row, the floor every page pays


def test_unknown_scenario_is_refused_and_list_names_the_known_ones(db):
    code, lines, log = run("nonsense", "--tickets", "1")
    assert code == 2 and lines == [] and "pages" in log
    out = StringIO()
    assert main(["list"], out=out, log=StringIO()) == 0
    assert out.getvalue().split() == sorted(SCENARIOS)
    assert "pages" in SCENARIOS and "ticket_page" in PAGE_ITEMS


def test_outbox_scenario_runs_through_the_same_runner(db):
    code, lines, _log = run("outbox", "--tickets", "0", "--size", "6")
    assert code == 0
    (line,) = lines
    assert line["scenario"] == "outbox" and line["item"] == "outbox_per_s"
    assert line["sent"] == 6 and line["value"] > 0


@pytest.mark.parametrize(("item", "tab"), [("staff_queue", "team"), ("staff_queue_all", "all")])
def test_the_queue_items_open_the_list_they_are_named_for(db, item, tab):
    from django.test import Client


    run("pages", "--tickets", "40", "--repeat", "1", "--warmup", "0", "--items", "baseline")
    page = PAGE_ITEMS[item]()
    assert page is not None
    client = Client()
    client.force_login(page.user)
    response = client.get(page.url)
    assert response.status_code == 200
    assert response.context["tab"] == tab and not response.context["notices"]
