"""IM1: the scoreboard's pages stand up to whatever a query string holds, and
cost a fixed number of queries.

Anything not understood (an unknown period, 30 February, a range backwards,
missing or longer than a year, a superscript digit for a team) falls back to
a default, with a notice, never a server error. The board reads only the
rollup: the same few queries for a week as for a year, with one day of rollup
rows or forty, for the section chief, a team lead and an engineer. The list
behind a figure costs the same with five rows as with thirty.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from charter.scoreboard.measures import MEASURES
from charter.scoreboard.models import ScoreDay
from charter.scoreboard.rollup import days_recompute
from tests import factories as f
from tests.charter import scoreboard_helpers as sb
from tests.charter.scoreboard_helpers import DAY, FEBRUARY, HOUR, MID, feb
from tests.helpers.clock import NOW, kst
from tickets.models import Kind
from visits.models import VisitOutcome

pytestmark = pytest.mark.usefixtures("frozen", "standard")

BOARD_BUDGET = 20
THIS_MONTH = (date(2026, 3, 1), date(2026, 3, 31))


# --- Bad input ----------------------------------------------------------------------------------

BAD = {
    "unknown period": ("period=bogus", "The period was not one we know", THIS_MONTH),
    "30 February": ("period=month&day=2026-02-30", "The day was not understood", THIS_MONTH),
    "not a date": ("period=month&day=yesterday%00", "The day was not understood", THIS_MONTH),
    "a day after today": ("period=month&day=9999-12-31", "The day was not understood", THIS_MONTH),
    "range backwards": ("period=custom&from=2026-02-28&to=2026-02-01", "they were swapped",
                        (date(2026, 2, 1), date(2026, 2, 28))),
    "no last day": ("period=custom&from=2026-02-01", "A custom period needs a first and a last day", THIS_MONTH),
    "no days at all": ("period=custom", "A custom period needs a first and a last day", THIS_MONTH),
    "over a year": ("period=custom&from=2025-01-01&to=2026-03-01", "A custom period is at most 366 days",
                    THIS_MONTH),
    "superscript team": (f"{FEBRUARY}&team=²", "The team filter was not one of your teams",
                         (date(2026, 2, 1), date(2026, 2, 28))),
    "huge team": (f"{FEBRUARY}&team=99999999999999999999", "The team filter was not one of your teams",
                  (date(2026, 2, 1), date(2026, 2, 28))),
}


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("who", ["lead", "chief"])
def test_bad_input_gives_the_page_with_a_notice(org, section_chief, client_for, case, who) -> None:
    sb.resolved(org, MID, MID + HOUR)
    sb.recount()
    query, notice, (first, last) = BAD[case]
    client = client_for(org.lead if who == "lead" else section_chief)
    for url in (f"{sb.BOARD}?{query}", f"{sb.BOARD}rows/mt1_on_time/?{query}&page=x",
                f"{sb.BOARD}rows/ov4_p90/?{query}&missed=1"):
        response = client.get(url)
        assert response.status_code == 200, url
        filters = response.context["filters"]
        assert any(notice in str(n) for n in filters.notices), (url, filters.notices)
        assert (filters.period.first, filters.period.last) == (first, last)
        assert "scoreboard-notice" in response.content.decode()


def test_a_swapped_custom_range_counts_like_the_month_it_covers(org, client_for) -> None:
    sb.resolved(org, MID, MID + HOUR)
    sb.resolved(org, feb(20), feb(19))
    sb.recount()
    lead = client_for(org.lead)
    month = sb.board_row(lead, "mt1_on_time")
    custom = sb.board_row(lead, "mt1_on_time", "period=custom&from=2026-02-28&to=2026-02-01")
    assert (custom.figure, custom.total) == (month.figure, month.total) == (Decimal("50.0"), 2)


# --- Query counts -------------------------------------------------------------------------------

PERIODS = {
    "week": "period=week&day=2026-03-09",
    "month": "period=month&day=2026-03-01",
    "quarter": "period=quarter&day=2026-01-01",
    "year": "period=year&day=2026-01-01",
    "custom": "period=custom&from=2026-01-29&to=2026-03-09",
}


def forty_days_of_work(org: f.Org) -> None:
    for i in range(40):
        at = kst(2026, 3, 9, 10) - i * DAY
        sb.resolved(org, at, at + HOUR)
        sb.resolved(org, at, at - HOUR, team=org.other_team)
        sb.call(org, at, rings=1 + i % 3)
        sb.walk_in(org, at, 60 + 30 * i)
        sb.visit(org, start=at, punctuality_minutes=i % 15)
        sb.survey(org, at, answered=at + HOUR, score=1 + i % 5)


def queries(client: Client, url: str) -> int:
    client.get(url)  # warm: the standards' cache, the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["chief", "lead", "engineer"])
def test_the_board_costs_the_same_few_queries_for_every_period_and_any_amount_of_rollup(
    org, section_chief, client_for, who
) -> None:
    forty_days_of_work(org)
    client = client_for({"chief": section_chief, "lead": org.lead, "engineer": org.engineer}[who])
    days_recompute(date(2026, 3, 9), date(2026, 3, 9), now=NOW)
    few = {kind: queries(client, f"{sb.BOARD}?{query}") for kind, query in PERIODS.items()}
    sb.recount(first=date(2026, 1, 29), last=date(2026, 3, 9))
    assert ScoreDay.objects.filter(team__isnull=True, engineer__isnull=True).count() == 40
    many = {kind: queries(client, f"{sb.BOARD}?{query}") for kind, query in PERIODS.items()}
    assert few == many
    assert len(set(many.values())) == 1, many
    assert many["year"] <= BOARD_BUDGET
    # and the figures are there: a year of forty days' work
    assert sb.board_row(client, "mt1_on_time", PERIODS["year"]).total > 0


def _at(i: int) -> datetime:
    return feb(1 + i % 27, 9 + i % 8)


# One row of the list behind each figure, the i-th of the story: a mix of kept and missed.
ROW_MAKERS: dict[str, Callable[[f.Org, int], Any]] = {
    "mt1_on_time": lambda org, i: sb.resolved(org, _at(i), _at(i) + (HOUR if i % 2 else -HOUR)),
    "mt1_notice": lambda org, i: sb.notice(org, sb.ticket(org), _at(i), late=i % 2 == 0),
    "ph1_answered": lambda org, i: sb.call(org, _at(i), rings=1 + i % 4),
    "ph3_callbacks": lambda org, i: sb.memo(org, _at(i), closed=_at(i) if i % 2 else None),
    "ov4_median": lambda org, i: sb.walk_in(org, _at(i), 60 * i + 30),
    "ov4_p90": lambda org, i: sb.walk_in(org, _at(i), 60 * i + 30),
    "sv1_on_time": lambda org, i: sb.visit(org, start=_at(i), punctuality_minutes=i % 20),
    "sv4_unannounced": lambda org, i: sb.visit(org, start=_at(i), late_without_notice=True, punctuality_minutes=20),
    "mt2_first_visit": lambda org, i: sb.visit(
        org, start=_at(i), outcome=VisitOutcome.RESOLVED if i % 2 else VisitOutcome.FOLLOW_UP,
        companion=org.lead if i % 3 == 0 else None,
    ),
    "mt4_consent": lambda org, i: _repair(org, i),
    "mt5_stopped": lambda org, i: sb.episode(org, until=_at(i)),
    "mt5_joint": lambda org, i: _joint(org, i),
    "mt8_lead": lambda org, i: sb.visit(
        org, sb.ticket(org, reporter_is_vip=True), start=_at(i), companion=org.lead if i % 2 else None
    ),
    "bs1_on_time": lambda org, i: sb.resolved(
        org, _at(i), None, kind=Kind.SUPPORT, requested_by=_at(i) + (HOUR if i % 2 else -HOUR)
    ),
    "bs2_approved": lambda org, i: _window(org, i),
    "bs4_reports": lambda org, i: _report_due(org, i),
    "cr1_corrections": lambda org, i: sb.correction(org, _at(i), closed=_at(i) + HOUR if i % 2 else None),
    "cr3_trainings": lambda org, i: sb.training(org, _at(i), completed=_at(i) if i % 2 else None),
    "im2_response": lambda org, i: sb.survey(org, _at(i), answered=_at(i) + HOUR if i % 2 else None,
                                             score=1 + i % 5 if i % 2 else None),
    "im2_score": lambda org, i: sb.survey(org, _at(i), answered=_at(i) + HOUR, score=1 + i % 5),
    "cp1_answered": lambda org, i: sb.feedback(org, _at(i), answered=_at(i) if i % 2 else None),
}


def _repair(org: f.Org, i: int) -> Any:
    t = sb.resolved(org, _at(i), None)
    sb.work_started(org, t, _at(i) - DAY)
    if i % 2:
        sb.consent(org, t, _at(i) - 2 * DAY)
    return t


def _joint(org: f.Org, i: int) -> Any:
    made = sb.episode(org, escalated=_at(i) - 10 * DAY, until=_at(i) + 30 * DAY, resolved_at=_at(i))
    sb.visit(org, sb.episode_ticket(org, made), start=_at(i) - DAY, companion=org.lead if i % 2 else None)
    return made


def _window(org: f.Org, i: int) -> Any:
    version = sb.plan(org).versions.get()
    if i % 2:
        sb.approve(org, version, kst(2026, 1, 20))
    return sb.window(version, _at(i))


def _report_due(org: f.Org, i: int) -> Any:
    made = sb.plan(org, report_due=_at(i))
    if i % 2:
        sb.report(made, _at(i) - HOUR)
    return made


def test_every_list_has_a_row_maker() -> None:
    assert set(ROW_MAKERS) == {m.key for m in MEASURES}


@pytest.mark.parametrize("key", list(ROW_MAKERS))
def test_the_list_costs_the_same_with_five_rows_as_with_thirty(org, client_for, key) -> None:
    make = ROW_MAKERS[key]
    for i in range(5):
        make(org, i)
    lead = client_for(org.lead)
    url = f"{sb.BOARD}rows/{key}/?{FEBRUARY}"
    few = queries(lead, url)
    assert len(lead.get(url).context["rows"]) == 5
    for i in range(5, 30):
        make(org, i)
    many = queries(lead, url)
    assert len(lead.get(url).context["rows"]) == 25  # a page
    assert few == many, (few, many)
    assert queries(lead, url + "&missed=1&page=2") <= many + 1
