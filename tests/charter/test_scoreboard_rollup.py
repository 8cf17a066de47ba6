"""IM1: the scoreboard's daily rollup (`ScoreDay`) and the standards that judge it.

Recomputing is idempotent, picks up data that arrived late, counts today only
up to now, fills in the days never counted newest first back to the first
ticket, and the engineers' rows never add up to more than their team's. A
period is judged by the standard in force at its end (and each day by the
version in force at the end of that day); a draft copy never judges anything.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.forms.models import model_to_dict

from charter.scoreboard.measures import COUNTERS, WAIT_HISTOGRAM
from charter.scoreboard.models import ScoreDay
from charter.scoreboard.rollup import days_recompute, live_recompute, missing_recompute
from standards.models import StandardVersion
from standards.services import standard_activate, standard_copy
from tests import factories as f
from tests.charter import scoreboard_helpers as sb
from tests.charter.scoreboard_helpers import FEBRUARY, HOUR, MID, feb
from tests.helpers.clock import NOW, kst

pytestmark = pytest.mark.usefixtures("frozen", "standard")

MARCH = "period=month&day=2026-03-01"
TODAY = "period=week&day=2026-03-10"  # Monday 9 to Sunday 15 March: today is in it
JANUARY = "period=month&day=2026-01-01"


def rollup_rows() -> list[dict[str, Any]]:
    return [
        {k: v for k, v in model_to_dict(row).items() if k != "id"}
        for row in ScoreDay.objects.order_by("day", "team", "engineer")
    ]


def some_of_everything(org: f.Org) -> None:
    """A little of each kind of row in February, for both teams, some without an engineer."""
    sb.resolved(org, MID, MID + HOUR)
    sb.resolved(org, feb(11), feb(10))
    sb.resolved(org, feb(11), feb(12), assignee=None)  # nobody's: the team's only
    sb.resolved(org, feb(12), feb(13), team=org.other_team)
    sb.call(org, MID, rings=1)
    sb.call(org, MID, rings=4, team=None)
    sb.memo(org, feb(11), closed=feb(11) - HOUR)
    sb.walk_in(org, MID, 90)
    sb.walk_in(org, MID, 400, by=org.other_engineer)
    sb.visit(org, start=feb(12), punctuality_minutes=20, late_without_notice=True)
    sb.episode(org, until=feb(14))
    sb.survey(org, feb(13), answered=feb(14), score=4)
    sb.feedback(org, feb(15))
    sb.correction(org, feb(16), closed=feb(17))


# --- Rollup properties ------------------------------------------------------------------------


def test_recomputing_twice_gives_the_same_rows(org) -> None:
    some_of_everything(org)
    sb.recount()
    once = rollup_rows()
    sb.recount()
    assert rollup_rows() == once
    assert len(once) > 70  # a row per counted day, plus the teams' and engineers' rows
    marked = ScoreDay.objects.filter(team__isnull=True, engineer__isnull=True).count()
    assert marked == (date(2026, 3, 10) - date(2026, 1, 1)).days + 1


def test_a_survey_answered_after_its_day_was_counted_changes_the_figure_once_recounted(org, client_for) -> None:
    sent = sb.survey(org, feb(12))
    sb.survey(org, feb(13), answered=feb(13) + HOUR, score=5)
    sb.recount(now=kst(2026, 3, 1, 2))
    lead = client_for(org.lead)
    before = sb.board_row(lead, "im2_response")
    assert (before.hits, before.total, before.figure) == (1, 2, Decimal("50.0"))

    sent.answered_at, sent.overall = kst(2026, 3, 2, 9), 2  # the customer answered in March
    sent.save()
    assert sb.board_row(lead, "im2_response").figure == Decimal("50.0")  # not counted again yet
    sb.recount()
    after = sb.board_row(lead, "im2_response")
    assert (after.hits, after.total, after.figure) == (2, 2, Decimal("100.0"))
    assert sb.board_row(lead, "im2_score").figure == Decimal("3.50")


def test_today_counts_only_up_to_now(org, client_for, frozen) -> None:
    kept = sb.memo(org, kst(2026, 3, 10, 9), closed=kst(2026, 3, 10, 8, 30))
    later = sb.memo(org, kst(2026, 3, 10, 15))  # due this afternoon: nothing to judge yet
    live_recompute()
    lead = client_for(org.lead)
    row = sb.board_row(lead, "ph3_callbacks", TODAY)
    assert (row.hits, row.total) == (1, 1)
    assert sb.listed(lead, "ph3_callbacks", TODAY) == {kept.pk}

    frozen.move_to(kst(2026, 3, 10, 16))
    live_recompute()
    row = sb.board_row(lead, "ph3_callbacks", TODAY)
    assert (row.hits, row.total, row.figure) == (1, 2, Decimal("50.0"))
    assert sb.listed(lead, "ph3_callbacks", TODAY, missed=True) == {later.pk}


def test_days_never_counted_have_no_figures(org, client_for) -> None:
    sb.visit(org, start=feb(12), late_without_notice=True, punctuality_minutes=20)
    sb.resolved(org, MID, MID + HOUR)
    lead = client_for(org.lead)
    board = sb.board_of(lead)
    assert not board.has_data
    assert all(r.figure is None and r.verdict == "no_data" for r in board.rows)
    page = lead.get(f"{sb.BOARD}?{FEBRUARY}").content.decode()
    assert 'id="scoreboard-empty"' in page

    sb.recount()
    board = sb.board_of(lead)
    assert board.has_data
    figures = {r.key: r.figure for r in board.rows}
    assert figures["mt1_on_time"] == Decimal("100.0")
    assert figures["sv4_unannounced"] == Decimal(1)
    assert 'id="scoreboard-empty"' not in lead.get(f"{sb.BOARD}?{FEBRUARY}").content.decode()


def test_sv4_zero_is_a_figure_once_the_period_was_counted(org, client_for) -> None:
    sb.visit(org, start=feb(12), punctuality_minutes=3)  # on time
    lead = client_for(org.lead)
    assert sb.board_row(lead, "sv4_unannounced").figure is None
    sb.recount()
    row = sb.board_row(lead, "sv4_unannounced")
    assert (row.figure, row.total, row.verdict) == (Decimal(0), 0, "met")
    # Counted but with nothing to count: a rate has no figure (never "0 % kept").
    assert sb.board_row(lead, "ph1_answered").verdict == "no_data"


def test_missing_days_are_filled_newest_first_back_to_the_first_ticket(org) -> None:
    # The first ticket by number was filed on the 5th; one filed before it (by
    # date) was entered afterwards: counting goes back to the 3rd, no further.
    sb.ticket(org, created_at=kst(2026, 3, 5, 9))
    sb.ticket(org, created_at=kst(2026, 3, 3, 14))

    def counted() -> set[date]:
        return set(ScoreDay.objects.filter(team__isnull=True, engineer__isnull=True).values_list("day", flat=True))

    days_recompute(date(2026, 3, 6), date(2026, 3, 6), now=NOW)  # a day the nightly run already did
    first = missing_recompute(NOW, limit=2)
    assert first is not None and (first.first, first.last) == (date(2026, 3, 8), date(2026, 3, 9))
    second = missing_recompute(NOW, limit=31)  # stops at the day already counted
    assert second is not None and (second.first, second.last) == (date(2026, 3, 7), date(2026, 3, 7))
    third = missing_recompute(NOW, limit=31)
    assert third is not None and (third.first, third.last) == (date(2026, 3, 3), date(2026, 3, 5))
    assert missing_recompute(NOW) is None
    assert counted() == {date(2026, 3, d) for d in range(3, 10)}  # not today (the live run's), not the 2nd


def test_missing_days_need_a_first_ticket(db) -> None:
    assert missing_recompute(NOW) is None
    assert not ScoreDay.objects.exists()


def test_engineers_rows_add_up_to_at_most_their_teams(org, client_for) -> None:
    some_of_everything(org)
    sb.recount()
    teams: dict[tuple[date, int | None], dict[str, int]] = {}
    engineers: dict[tuple[date, int | None], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    waits_team: dict[tuple[date, int | None], int] = {}
    waits_people: dict[tuple[date, int | None], int] = defaultdict(int)
    for row in ScoreDay.objects.all():
        key = (row.day, row.team_id)
        served = sum(getattr(row, WAIT_HISTOGRAM).values())
        if row.engineer_id is None:
            teams[key] = {c: getattr(row, c) for c in COUNTERS}
            waits_team[key] = served
        else:
            for c in COUNTERS:
                engineers[key][c] += getattr(row, c)
            waits_people[key] += served
    assert engineers, "the story has engineers' rows"
    for key, sums in engineers.items():
        assert key in teams
        assert all(sums[c] <= teams[key][c] for c in COUNTERS), key
        assert waits_people[key] <= waits_team[key]
    # The ticket nobody was assigned: in the team's row, in no engineer's.
    day = (date(2026, 2, 11), org.team.pk)
    assert (engineers[day]["mt1_done"], teams[day]["mt1_done"]) == (1, 2)

    # The engineer's own board: only their rows (the late ticket of the 11th was theirs).
    mine = sb.board_row(client_for(org.engineer), "mt1_on_time")
    assert (mine.hits, mine.total) == (1, 2)


# --- Versioned targets --------------------------------------------------------------------------


@pytest.fixture
def versions(standard: StandardVersion) -> dict[str, StandardVersion]:
    """v1 in force since 2025; v2 (MT1 target 50 %, SV1 tolerance 5 minutes) activated
    at 10:00 on 15 February 2026; v3, a draft copy never activated (target 10 %)."""
    StandardVersion.objects.filter(pk=standard.pk).update(effective_from=kst(2025, 1, 1))
    with time_machine.travel(kst(2026, 2, 15, 10), tick=False):
        v2 = standard_copy(version=standard)
        v2.target_mt1_on_time, v2.visit_tolerance_minutes = 50, 5
        v2.save()
        v2 = standard_activate(version=v2)
        v3 = standard_copy(version=v2)
        v3.target_mt1_on_time, v3.visit_tolerance_minutes = 10, 60
        v3.save()
    return {"v1": StandardVersion.objects.get(pk=standard.pk), "v2": v2, "v3": v3}


def test_each_month_is_judged_by_the_standard_in_force_when_it_ended(org, client_for, versions) -> None:
    # Two of three on time, in January and in February: 66.7 % each.
    for month in (1, 2):
        for done, due in ((5, 6), (6, 7), (8, 7)):
            sb.resolved(org, kst(2026, month, done, 10), kst(2026, month, due, 18))
    sb.recount()
    lead = client_for(org.lead)

    january = sb.board_of(lead, JANUARY)
    assert january.standard.pk == versions["v1"].pk
    row = next(r for r in january.rows if r.key == "mt1_on_time")
    assert (row.figure, row.target, row.verdict) == (Decimal("66.7"), Decimal(90), "missed")

    february = sb.board_of(lead, FEBRUARY)
    assert february.standard.pk == versions["v2"].pk
    row = next(r for r in february.rows if r.key == "mt1_on_time")
    assert (row.figure, row.target, row.verdict) == (Decimal("66.7"), Decimal(50), "met")

    # The draft copy judges nothing, whatever its numbers say.
    for query in (JANUARY, FEBRUARY, MARCH, "period=year&day=2026-01-01", "period=month&day=2024-12-01"):
        assert sb.board_of(lead, query).standard.pk != versions["v3"].pk
    assert sb.board_of(lead, MARCH).standard.pk == versions["v2"].pk


def test_each_day_is_judged_by_the_tolerance_in_force_at_its_end(org, client_for, versions) -> None:
    # Seven minutes late: on time under v1 (10 minutes), late under v2 (5), from
    # the 15th on (v2 was in force when the 15th ended, though activated at 10:00).
    early = sb.visit(org, start=feb(3), punctuality_minutes=7)
    switch_day = sb.visit(org, start=feb(15, 9), punctuality_minutes=7)
    later = sb.visit(org, start=feb(20), punctuality_minutes=7)
    sb.recount()
    lead = client_for(org.lead)
    row = sb.board_row(lead, "sv1_on_time")
    assert (row.hits, row.total, row.figure) == (1, 3, Decimal("33.3"))
    assert sb.listed(lead, "sv1_on_time") == {early.pk, switch_day.pk, later.pk}
    assert sb.listed(lead, "sv1_on_time", missed=True) == {switch_day.pk, later.pk}
    page = sb.list_response(lead, "sv1_on_time")
    kept = {r.ref for r in page.context["rows"] if r.ok}
    assert kept == {f"#{early.ticket_id}"}
