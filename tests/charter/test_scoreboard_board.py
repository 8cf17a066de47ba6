"""IM1: who sees which figures on the scoreboard, and the trend beside each.

The section chief sees every team and the whole department; a team lead only
their own teams (another team's id in the query string is set aside, with a
notice, and nothing of that team shows); an engineer only their own row,
whatever the query string says; a customer finds no scoreboard at all. Each
row's sparkline holds the last twelve periods, ending with the figure, and a
row is "worse" exactly when its figure moved the wrong way since the period
before.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from charter.scoreboard.measures import MEASURES
from tests import factories as f
from tests.charter import scoreboard_helpers as sb
from tests.charter.scoreboard_helpers import FEBRUARY, HOUR, MID, feb
from tests.helpers.clock import kst

pytestmark = pytest.mark.usefixtures("frozen", "standard")


def work_of_both_teams(org: f.Org) -> None:
    """February: the lead's team finished two jobs on time, its engineer one of
    them; the network team finished one late. One call was greeted by no team."""
    sb.resolved(org, MID, MID + HOUR)
    sb.resolved(org, feb(11), feb(11, 12), assignee=org.lead)
    sb.resolved(org, feb(12), feb(11), team=org.other_team)
    sb.call(org, MID, rings=1)
    sb.call(org, MID, rings=4, agent=org.other_engineer)
    sb.call(org, MID, rings=4, team=None)
    sb.recount()


def figures(board) -> dict[str, tuple[Decimal | None, int]]:
    return {r.key: (r.figure, r.total) for r in board.rows}


def notices(response) -> list[str]:
    return [str(n) for n in response.context["filters"].notices]


# --- Scope and security -------------------------------------------------------------------------


def test_the_section_chief_sees_every_team_and_the_whole_department(org, section_chief, client_for) -> None:
    work_of_both_teams(org)
    chief = client_for(section_chief)
    response = chief.get(f"{sb.BOARD}?{FEBRUARY}")
    assert {t.pk for t in response.context["filters"].teams} == {org.team.pk, org.other_team.pk}
    assert response.context["filters"].scope.whole_department
    everyone = figures(response.context["board"])
    assert everyone["mt1_on_time"] == (Decimal("66.7"), 3)
    # The call greeted by no team is the department's, in no team's figures.
    assert everyone["ph1_answered"] == (Decimal("33.3"), 3)
    assert "How the whole department kept the charter" in response.content.decode()

    ours = figures(sb.board_of(chief, f"{FEBRUARY}&team={org.team.pk}"))
    theirs = figures(sb.board_of(chief, f"{FEBRUARY}&team={org.other_team.pk}"))
    assert (ours["mt1_on_time"], theirs["mt1_on_time"]) == ((Decimal("100.0"), 2), (Decimal("0.0"), 1))
    assert (ours["ph1_answered"], theirs["ph1_answered"]) == ((Decimal("100.0"), 1), (Decimal("0.0"), 1))
    mine = figures(sb.board_of(chief, f"{FEBRUARY}&team={org.team.pk}&engineer={org.engineer.pk}"))
    assert mine["mt1_on_time"] == (Decimal("100.0"), 1)
    assert sb.listed(chief, "mt1_on_time", f"{FEBRUARY}&team={org.other_team.pk}") == set(
        org.other_team.tickets.values_list("pk", flat=True)
    )


def test_a_team_lead_sees_only_their_teams_and_another_teams_id_leaks_nothing(org, client_for) -> None:
    work_of_both_teams(org)
    lead = client_for(org.lead)
    own = figures(sb.board_of(lead))
    assert own["mt1_on_time"] == (Decimal("100.0"), 2)

    response = lead.get(f"{sb.BOARD}?{FEBRUARY}&team={org.other_team.pk}")
    assert response.status_code == 200
    assert notices(response) == ["The team filter was not one of your teams; all your teams are shown."]
    assert [t.pk for t in response.context["filters"].teams] == [org.team.pk]
    assert figures(response.context["board"]) == own
    page = response.content.decode()
    assert org.other_team.name not in page
    assert "scoreboard-notice" in page

    listing = sb.list_response(lead, "mt1_on_time", f"{FEBRUARY}&team={org.other_team.pk}")
    assert listing.status_code == 200 and notices(listing)
    assert {t.team_id for t in listing.context["page"].object_list} == {org.team.pk}

    # Someone of another team as "engineer": the team's figures, and a notice.
    response = lead.get(f"{sb.BOARD}?{FEBRUARY}&team={org.team.pk}&engineer={org.other_engineer.pk}")
    assert notices(response) == ["The engineer was not one of the chosen team's; the team's figures are shown."]
    assert figures(response.context["board"])["mt1_on_time"] == (Decimal("100.0"), 2)
    # One of the team: that engineer's figures.
    response = lead.get(f"{sb.BOARD}?{FEBRUARY}&team={org.team.pk}&engineer={org.engineer.pk}")
    assert figures(response.context["board"])["mt1_on_time"] == (Decimal("100.0"), 1)


@pytest.mark.parametrize("query", ["", "&team={other_team}", "&engineer={other_engineer}",
                                   "&team={other_team}&engineer={other_engineer}", "&engineer={lead}"])
def test_an_engineer_sees_only_their_own_row_whatever_the_query_says(org, client_for, query) -> None:
    work_of_both_teams(org)
    extra = query.format(other_team=org.other_team.pk, other_engineer=org.other_engineer.pk, lead=org.lead.pk)
    engineer = client_for(org.engineer)
    response = engineer.get(f"{sb.BOARD}?{FEBRUARY}{extra}")
    assert response.status_code == 200
    filters = response.context["filters"]
    assert filters.locked_to_self and filters.engineer == org.engineer and filters.scope.engineer_id == org.engineer.pk
    board = figures(response.context["board"])
    assert board["mt1_on_time"] == (Decimal("100.0"), 1)
    assert board["ph1_answered"] == (None, 0)  # the desk's calls are not the engineer's
    assert org.other_team.name not in response.content.decode()
    assert {r.key for r in response.context["board"].rows if r.per_engineer_only} == {
        m.key for m in MEASURES if not m.per_engineer
    }
    listing = sb.list_response(engineer, "mt1_on_time", f"{FEBRUARY}{extra}")
    assert {t.assignee_id for t in listing.context["page"].object_list} == {org.engineer.pk}
    # Counted per team only: nothing of anyone's on the engineer's list.
    assert sb.listed(engineer, "mt5_stopped", f"{FEBRUARY}{extra}") == set()


@pytest.mark.parametrize("person", ["customer", "approver", "auditor"])
def test_people_without_a_scoreboard_get_404(org, approver, auditor, client_for, person) -> None:
    work_of_both_teams(org)
    client = client_for({"customer": org.customer, "approver": approver, "auditor": auditor}[person])
    assert client.get(f"{sb.BOARD}?{FEBRUARY}").status_code == 404
    for measure in MEASURES:
        assert sb.list_response(client, measure.key).status_code == 404
        assert sb.list_response(client, measure.key, missed=True).status_code == 404


def test_an_unknown_measure_is_404_and_a_stranger_is_sent_to_sign_in(org, client_for, client) -> None:
    lead = client_for(org.lead)
    assert sb.list_response(lead, "mt99_nothing").status_code == 404
    assert sb.list_response(lead, "MT1_ON_TIME").status_code == 404
    assert client.get(f"{sb.BOARD}?{FEBRUARY}").status_code == 302
    assert client.get(f"{sb.BOARD}rows/mt1_on_time/").status_code == 302


# --- Trend --------------------------------------------------------------------------------------


def january_then_february(org: f.Org) -> None:
    """Each measure's January and February, so that some get worse, some better, some stay."""
    jan = [kst(2026, 1, d, 10) for d in range(5, 10)]
    # MT1 worse: 2 of 2 on time in January, 1 of 2 in February.
    for at in jan[:2]:
        sb.resolved(org, at, at + HOUR)
    sb.resolved(org, feb(10), feb(10, 12))
    sb.resolved(org, feb(11), feb(10, 12))
    # OV4 worse: the wait grew from 2 to 10 minutes (a wait is better shorter).
    sb.walk_in(org, jan[0], 100)
    sb.walk_in(org, feb(10), 590)
    # IM2 score better: 3 then 4.
    sb.survey(org, jan[0], answered=jan[0] + HOUR, score=3)
    sb.survey(org, feb(10), answered=feb(10, 12), score=4)
    # PH1 the same: one in time of two, both months.
    for at in (jan[0], feb(10)):
        sb.call(org, at, rings=1)
        sb.call(org, at, rings=5)
    # SV4 worse: none in January (a counted zero), one in February.
    sb.visit(org, start=feb(12), late_without_notice=True, punctuality_minutes=30)
    # CR1 more corrections: counted, with no target, so never "worse".
    sb.correction(org, feb(13))
    # CP1 first seen in February: nothing to compare with.
    sb.feedback(org, feb(14), answered=feb(13))


def test_the_trend_has_twelve_periods_ending_with_the_figure(org, client_for) -> None:
    january_then_february(org)
    sb.recount()
    board = sb.board_of(client_for(org.lead))
    assert [p.first for p in board.periods] == [date(2025, m, 1) for m in range(3, 13)] + [
        date(2026, 1, 1), date(2026, 2, 1)
    ]
    for row in board.rows:
        assert len(row.trend) == 12, row.key
        assert row.trend[-1] == row.figure, row.key
        assert row.trend[-2] == row.previous, row.key
        assert row.trend[:10] == [None] * 10, row.key  # nothing was counted before 2026
    rows = {r.key: r for r in board.rows}
    assert rows["mt1_on_time"].trend[-2:] == [Decimal("100.0"), Decimal("50.0")]
    assert rows["ov4_median"].trend[-2:] == [Decimal(2), Decimal(10)]
    assert rows["sv4_unannounced"].trend[-2:] == [Decimal(0), Decimal(1)]
    assert rows["mt1_on_time"].spark == ",,,,,,,,,,100.0,50.0"


def test_worse_is_exactly_a_move_the_wrong_way(org, client_for) -> None:
    january_then_february(org)
    sb.recount()
    board = sb.board_of(client_for(org.lead))
    worse = {r.key for r in board.rows if r.worse}
    assert worse == {"mt1_on_time", "ov4_median", "ov4_p90", "sv4_unannounced"}
    rows = {r.key: r for r in board.rows}
    assert not rows["im2_score"].worse and rows["im2_score"].figure > rows["im2_score"].previous
    assert not rows["ph1_answered"].worse and rows["ph1_answered"].figure == rows["ph1_answered"].previous
    assert not rows["cr1_corrections"].worse and rows["cr1_corrections"].figure > rows["cr1_corrections"].previous
    assert not rows["cp1_answered"].worse and rows["cp1_answered"].previous is None
    page = client_for(org.lead).get(f"{sb.BOARD}?{FEBRUARY}").content.decode()
    assert 'id="scoreboard-worse"' in page and page.count('href="#row-') >= len(worse)


def test_a_period_never_counted_has_no_trend_point_and_nothing_is_worse_than_it(org, client_for) -> None:
    january_then_february(org)
    sb.recount(first=date(2026, 2, 1))  # January was never counted
    board = sb.board_of(client_for(org.lead))
    for row in board.rows:
        assert row.previous is None and row.trend[-2] is None, row.key
        assert not row.worse, row.key
    rows = {r.key: r for r in board.rows}
    assert rows["sv4_unannounced"].figure == Decimal(1)
