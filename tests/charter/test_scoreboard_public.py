"""The charter page's public summary (IM1, SCOREBOARD_PUBLIC): with the setting
on, everyone, signed-out visitors too, sees last month's department figure,
target and met/missed beside each measured clause, counted from real rows by
the daily rollup; with it off nothing of it appears and nothing is counted."""
from __future__ import annotations

import html as html_lib
import re
from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import charter.clause_screens as clause_screens
from charter.scoreboard.measures import BY_KEY
from charter.scoreboard.rollup import days_recompute
from tests import factories as f
from tests.helpers.clock import kst


@pytest.fixture
def frozen_at() -> datetime:
    # Thursday 3 December 2026: "last month" is November 2026.
    return kst(2026, 12, 3, 10)


def finished(team, engineer, at: datetime, *, late: bool) -> None:
    """Work of `team` finished at `at`, before its deadline or an hour after it (MT1)."""
    f.TicketFactory(
        team=team,
        assignee=engineer,
        created_at=at - timedelta(days=1),
        resolve_by=at + timedelta(hours=-1 if late else 1),
        resolved_at=at,
    )


@pytest.fixture
def november(org, standard, frozen) -> None:
    """November's finished work: 3 of 4 on time across two teams (75 %, under
    the standard's 90 %), and late work just outside the month on either side."""
    finished(org.team, org.engineer, kst(2026, 11, 2, 10), late=False)
    finished(org.team, org.engineer, kst(2026, 11, 16, 15), late=False)
    finished(org.team, org.engineer, kst(2026, 11, 30, 23, 59), late=True)
    finished(org.other_team, org.other_engineer, kst(2026, 11, 20, 11), late=False)
    finished(org.team, org.engineer, kst(2026, 10, 31, 23, 59), late=True)
    finished(org.team, org.engineer, kst(2026, 12, 1, 0, 0), late=True)
    days_recompute(date(2026, 10, 1), date(2026, 12, 2))


def charter_page(client) -> str:
    return client.get(reverse("charter:charter")).content.decode()


def label(key: str) -> str:
    return str(BY_KEY[key].label)


def figure_of(html: str, key: str) -> str:
    """The text of one scoreboard row on the page, its label first, tags stripped."""
    found = re.search(rf'data-measure="{key}">(.*?)(?=<span class="clause-figure|</div>)', html, re.S)
    assert found, f"{key} is not on the page"
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", found.group(1))).split())


@pytest.mark.usefixtures("november")
def test_a_signed_out_visitor_sees_last_months_figures_when_the_setting_is_on(settings, en_client):
    settings.SCOREBOARD_PUBLIC = True
    html = charter_page(en_client)
    assert "Last month, 2026-11: how we kept these promises" in html
    # 3 of November's 4 finished on time; the late ones of 31 October and 1 December are other months'.
    assert figure_of(html, "mt1_on_time") == f"{label('mt1_on_time')} 75% (Target ≥ 90%) Missed"
    # Counted days with no late arrival: a figure of 0 that meets "at most 0".
    assert figure_of(html, "sv4_unannounced") == f"{label('sv4_unannounced')} 0 cases (Target ≤ 0 cases) Met"
    # Nothing to count is "no data", never a 0 % that would mean "everyone failed".
    assert figure_of(html, "ph1_answered") == f"{label('ph1_answered')} — (Target ≥ 90%) No data"
    assert reverse("charter:scoreboard:board") not in html  # the figures are public, the board is not


@pytest.mark.usefixtures("november")
def test_the_figures_follow_the_records(settings, en_client, org):
    settings.SCOREBOARD_PUBLIC = True
    finished(org.team, org.engineer, kst(2026, 11, 25, 10), late=False)
    days_recompute(date(2026, 11, 25), date(2026, 11, 25))
    assert figure_of(charter_page(en_client), "mt1_on_time") == f"{label('mt1_on_time')} 80% (Target ≥ 90%) Missed"


@pytest.mark.usefixtures("november")
def test_a_section_chief_sees_the_figures_beside_the_links_to_the_board(settings, en_client_for, section_chief):
    settings.SCOREBOARD_PUBLIC = True
    html = charter_page(en_client_for(section_chief))
    assert f'href="{reverse("charter:scoreboard:board")}#row-mt1_on_time"' in html
    assert figure_of(html, "mt1_on_time") == f"{label('mt1_on_time')} 75% (Target ≥ 90%) Missed"


@pytest.mark.usefixtures("november")
def test_with_the_setting_off_nobody_sees_figures_and_none_are_counted(
    settings, en_client, en_client_for, section_chief, monkeypatch
):
    settings.SCOREBOARD_PUBLIC = False

    def counted(*args, **kwargs):
        raise AssertionError("the figures are counted although the summary is off")

    monkeypatch.setattr(clause_screens, "board_for", counted)
    for client in (en_client, en_client_for(section_chief)):
        html = charter_page(client)
        assert 'id="scoreboard-public"' not in html and "Last month" not in html
        assert "public-figure" not in html and "75%" not in html
        assert figure_of(html, "mt1_on_time") == label("mt1_on_time")


def test_before_anything_is_counted_the_summary_says_so(settings, en_client, standard, frozen):
    settings.SCOREBOARD_PUBLIC = True
    html = charter_page(en_client)
    assert "No figures have been counted for last month yet." in html
    assert figure_of(html, "mt1_on_time")== f"{label('mt1_on_time')} — (Target ≥ 90%) No data"


def queries_for(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("charter:charter")).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("november")
def test_the_page_costs_the_same_few_queries_whatever_the_number_of_clauses(settings, client, monkeypatch):
    settings.SCOREBOARD_PUBLIC = False
    queries_for(client)  # the standards cache is warm from here on
    off = queries_for(client)
    settings.SCOREBOARD_PUBLIC = True
    queries_for(client)
    on = queries_for(client)
    monkeypatch.setattr(clause_screens, "CLAUSES", clause_screens.CLAUSES[:3])
    fewer = queries_for(client)
    monkeypatch.setattr(clause_screens, "CLAUSES", clause_screens.CLAUSES * 3)
    more = queries_for(client)
    # A signed-out visitor's page reads nothing but the board: the day sums, the
    # walk-in waits, whether the days were counted, the standards' timeline and its version.
    assert off == 0
    assert on == fewer == more == 5
