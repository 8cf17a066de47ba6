"""The team lead's dashboard: each figure counts what it says, for the lead's teams
only, at the boundary of its definition; filters that make no sense fall back
to defaults with a notice; the page refreshes itself through htmx."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from charter.dashboard import selectors, snapshots
from charter.models import DashboardSnapshot, RepeatFault
from helpdesk.accounts.roles import Role
from tests import factories as f
from tests.charter.dashboard_helpers import URL, late_visit, ticket
from tests.helpers.clock import NOW, kst
from tickets.lifecycle import Status
from visits.models import VisitState

# The clock stands at NOW, a Tuesday, 10:00 in Seoul: two business hours later is
# 12:00 (lunch follows); every request counts afresh unless a test says otherwise.
pytestmark = pytest.mark.usefixtures("frozen", "dashboard_live", "standard")


def figures_of(client: Any, query: str = "") -> Any:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response


def test_figures_count_the_open_work_of_the_leads_team(work, org, client_for) -> None:
    response = figures_of(client_for(org.lead))
    fig = response.context["figures"]
    assert fig.open == 6
    assert fig.overdue == 2  # the late ones; a paused clock is not late
    assert fig.due_soon == 1  # 11:59 is within two business hours, 12:00 is not
    assert fig.warnings == 1
    assert fig.vip == 1
    assert fig.unassigned == 1
    assert fig.levels == [(1, 1), (2, 1), (3, 1)]  # level 4 counts under the top level, 3+
    loads = {e.pk: (e.open, e.due_today, e.overdue) for e in fig.engineers}
    assert loads[org.engineer.pk] == (4, 4, 1)
    assert loads[org.lead.pk] == (1, 1, 1)
    assert org.other_engineer.pk not in loads
    html = response.content.decode()
    assert 'data-figure="overdue"' in html and f'data-engineer="{org.engineer.pk}"' in html


def test_idle_engineers_of_the_team_are_listed_with_nothing(org, client_for) -> None:
    idle = f.UserFactory(username="idle", department=org.maintenance_dept, team=org.team, roles=[Role.ENGINEER])
    fig = figures_of(client_for(org.lead)).context["figures"]
    assert (idle.pk, 0, 0, 0) in [(e.pk, e.open, e.due_today, e.overdue) for e in fig.engineers]


def test_only_leads_and_chiefs_see_the_dashboard(org, client_for) -> None:
    for person in (org.engineer, org.customer, org.desk_agent):
        client = client_for(person)
        assert client.get(URL).status_code == 403
        assert client.get(URL + "figures/").status_code == 403
        assert client.get(URL + "list/overdue/").status_code == 403


def test_a_section_chief_sees_every_team_of_the_department(work, org, client_for) -> None:
    chief = f.UserFactory(
        username="chief", department=org.maintenance_dept, team=org.team, roles=[Role.SECTION_CHIEF]
    )
    fig = figures_of(client_for(chief)).context["figures"]
    assert fig.overdue == 3 and fig.open == 7
    only_other = figures_of(client_for(chief), f"?team={org.other_team.pk}").context["figures"]
    assert only_other.open == 1 and only_other.overdue == 1


def test_a_team_that_is_not_yours_falls_back_to_your_teams_with_a_notice(work, org, client_for) -> None:
    response = figures_of(client_for(org.lead), f"?team={org.other_team.pk}")
    assert response.context["figures"].open == 6
    assert "not one of your teams" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["?team=abc&period=zzz", "?period=45", "?period=-7&team=", "?team=99999999999999999999", "?period=%00"],
)
def test_nonsense_filters_fall_back_to_defaults_with_a_notice(work, org, client_for, query) -> None:
    response = figures_of(client_for(org.lead), query)
    assert response.context["filters"] == selectors.Filters(team=None, period=30)
    assert response.context["figures"].open == 6
    assert 'class="alert alert-warning py-2 dashboard-notice"' in response.content.decode()


def test_a_valid_filter_gives_no_notice(work, org, client_for) -> None:
    response = figures_of(client_for(org.lead), f"?team={org.team.pk}&period=7")
    assert response.context["filters"] == selectors.Filters(team=org.team.pk, period=7)
    assert response.context["notices"] == []
    assert len(response.context["chart_data"]["labels"]) == 7


def test_repeat_faults_at_risk_and_escalated_of_the_team(org, client_for) -> None:
    other_asset = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag="PC-000900")

    def episode(state: str, *, team: Any = org.team, until: datetime = NOW + timedelta(days=30), asset: Any = org.asset) -> None:
        RepeatFault.objects.create(
            asset=asset, category=f.FaultCategoryFactory(), team=team, window_days=90, threshold=3,
            window_start=NOW - timedelta(days=5), at_risk_until=until, occurrence_count=2,
            last_occurrence_at=NOW - timedelta(days=1), state=state, created_at=NOW,
        )

    episode(RepeatFault.State.AT_RISK)
    episode(RepeatFault.State.AT_RISK, until=NOW, asset=other_asset)  # its window has just passed
    episode(RepeatFault.State.ESCALATED)
    episode(RepeatFault.State.ESCALATED, team=org.other_team, asset=other_asset)
    episode(RepeatFault.State.RESOLVED)
    fig = figures_of(client_for(org.lead)).context["figures"]
    assert (fig.repeat_at_risk, fig.repeat_escalated) == (1, 1)


def test_late_visits_of_today_past_the_tolerance(org, client_for) -> None:
    late_visit(org, late_without_notice=True, punctuality_minutes=20)
    late_visit(org, punctuality_minutes=25)
    late_visit(org, punctuality_minutes=10)  # within the standard's 10 minutes
    late_visit(org, state=VisitState.CONFIRMED, start=NOW - timedelta(minutes=11))  # not there yet
    late_visit(org, state=VisitState.CONFIRMED, start=NOW - timedelta(minutes=9))  # still within tolerance
    late_visit(org, engineer=org.other_engineer, punctuality_minutes=40)  # another team's engineer
    late_visit(org, start=NOW - timedelta(days=1), punctuality_minutes=40)  # yesterday
    fig = figures_of(client_for(org.lead)).context["figures"]
    assert fig.late_visits == 3


def test_overdue_callbacks_of_the_teams_handlers(org, client_for) -> None:
    from desk.models import CallbackMemo as model

    def memo(handler: Any, due: datetime, closed: datetime | None = None) -> None:
        model.objects.create(
            caller_name="김민수", department=org.customer_dept, phone="010-5555-1234", matter="프린터 문의",
            for_handler=handler, taken_by=org.desk_agent, taken_at=due - timedelta(hours=1), due_minutes=60,
            remind_at=due - timedelta(minutes=15), due_at=due, closed_at=closed,
        )

    memo(org.engineer, NOW - timedelta(minutes=1))
    memo(org.engineer, NOW + timedelta(minutes=30))  # not due yet
    memo(org.engineer, NOW - timedelta(hours=1), closed=NOW - timedelta(minutes=5))  # called back
    memo(org.other_engineer, NOW - timedelta(hours=1))  # another team's
    response = figures_of(client_for(org.lead))
    assert response.context["figures"].callbacks_overdue == 1
    listing = client_for(org.lead).get(URL + "list/callbacks/")
    assert listing.status_code == 200 and listing.context["page"].paginator.count == 1


def test_trend_counts_opened_closed_and_breached_per_day(org, client_for) -> None:
    from charter.models import DailyTeamStat, Escalation

    three_days_ago = NOW - timedelta(days=3)
    for _ in range(2):
        ticket(org, created_at=three_days_ago)
    ticket(org, created_at=NOW - timedelta(hours=1), status=Status.CLOSED, closed_at=NOW - timedelta(minutes=10))
    ticket(org, team=org.other_team, created_at=NOW - timedelta(hours=1))
    breached = ticket(org, created_at=NOW - timedelta(days=8))
    Escalation.objects.create(
        ticket=breached, kind=Escalation.Kind.BREACH, level=0, deadline_version=1, deadline=three_days_ago,
        due_at=three_days_ago, fired_at=three_days_ago + timedelta(minutes=1),
    )
    response = figures_of(client_for(org.lead), "?period=7")
    data = response.context["chart_data"]
    assert data["labels"][0] == "03-04" and data["labels"][-1] == "03-10"
    assert data["opened"] == [0, 0, 0, 2, 0, 0, 1]
    assert data["closed"] == [0, 0, 0, 0, 0, 0, 1]
    assert data["breached"] == [0, 0, 0, 1, 0, 0, 0]
    assert response.context["totals"] == {"opened": 3, "closed": 1, "breached": 1}
    # The page only reads: finished days are written by the beat task, once, and
    # read back the same; the last two days stay live.
    assert not DailyTeamStat.objects.exists()
    snapshots.snapshots_refresh()
    assert DailyTeamStat.objects.filter(team=org.team, day=three_days_ago.date()).get().opened == 2
    assert not DailyTeamStat.objects.filter(day__gte=(NOW - timedelta(days=1)).date()).exists()
    assert figures_of(client_for(org.lead), "?period=7").context["chart_data"] == data
    ticket(org, created_at=NOW - timedelta(minutes=5))
    assert figures_of(client_for(org.lead), "?period=7").context["chart_data"]["opened"][-1] == 2


def test_a_fresh_snapshot_is_read_and_a_stale_one_recounted(work, org, client_for, settings) -> None:
    settings.DASHBOARD_SNAPSHOT_SECONDS = 90
    assert snapshots.snapshots_refresh() == 2  # both maintenance teams
    snapshot = DashboardSnapshot.objects.get(team=org.team)
    assert snapshot.data["counts"]["overdue"] == 2
    ticket(org, resolve_by=NOW - timedelta(minutes=30))  # new overdue work
    assert figures_of(client_for(org.lead)).context["figures"].overdue == 2  # as of the snapshot
    DashboardSnapshot.objects.filter(pk=snapshot.pk).update(computed_at=NOW - timedelta(seconds=91))
    assert figures_of(client_for(org.lead)).context["figures"].overdue == 3  # recounted for the page
    snapshot.refresh_from_db()
    # ...but a read never writes: the stale snapshot waits for the beat task.
    assert snapshot.computed_at == NOW - timedelta(seconds=91) and snapshot.data["counts"]["overdue"] == 2
    snapshots.snapshots_refresh()
    snapshot.refresh_from_db()
    assert snapshot.computed_at == NOW and snapshot.data["counts"]["overdue"] == 3


def test_the_snapshots_and_the_repeat_fault_safety_net_are_beat_tasks_of_their_own(org, settings) -> None:
    from charter import tasks
    from helpdesk.core.models import TaskRun

    missed = ticket(org, asset=org.asset, category=org.category, created_at=NOW - timedelta(minutes=5))
    tasks.deadline_sweep.run()
    assert not DashboardSnapshot.objects.exists()
    missed.refresh_from_db()
    assert missed.repeat_occurrence is None  # the deadline sweep does only its own work

    assert tasks.dashboard_snapshots.run() == 2
    assert set(DashboardSnapshot.objects.values_list("team_id", flat=True)) == {org.team.pk, org.other_team.pk}
    assert tasks.repeat_fault_sweep.run() == 1
    missed.refresh_from_db()
    assert missed.repeat_occurrence == 1
    beat = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"charter.tasks.deadline_sweep", "charter.tasks.repeat_fault_sweep", "charter.tasks.dashboard_snapshots"} <= beat
    runs = {run.task: run for run in TaskRun.objects.all()}
    assert runs["charter.tasks.dashboard_snapshots"].ok and runs["charter.tasks.dashboard_snapshots"].result == 2
    assert runs["charter.tasks.repeat_fault_sweep"].finished_at is not None


def test_the_figures_refresh_themselves_through_htmx(work, org, client_for) -> None:
    client = client_for(org.lead)
    page = client.get(URL + f"?team={org.team.pk}").content.decode()
    assert 'hx-trigger="every 60s"' in page
    assert f'hx-get="{URL}figures/?period=30&amp;team={org.team.pk}"' in page
    fragment = client.get(URL + f"figures/?period=30&team={org.team.pk}", HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert 'id="dashboard-figures"' in html and 'id="trend-data"' in html


def test_chart_js_comes_from_our_own_static_files(org, client_for) -> None:
    html = figures_of(client_for(org.lead)).content.decode()
    assert "/static/vendor/chartjs/chart.umd.min.js" in html and "/static/js/dashboard.js" in html
    assert "cdn" not in html.lower()
    assert finders.find("vendor/chartjs/chart.umd.min.js") and finders.find("js/dashboard.js")


def test_dashboard_numbers_use_the_reading_clock(org) -> None:
    m = selectors.moments_at(NOW)
    assert m.soon == kst(2026, 3, 10, 12) and m.day_start == kst(2026, 3, 10)
    assert m.levels == (1, 2, 3) and m.tolerance == timedelta(minutes=10)
    assert timezone.localtime(m.day_end).hour == 0


def test_an_administrator_sees_every_maintenance_team(work, org, client_for) -> None:
    response = figures_of(client_for(org.admin))
    assert [t.pk for t in response.context["teams"]] == sorted(
        [org.team.pk, org.other_team.pk], key=lambda pk: {org.team.pk: org.team.name, org.other_team.pk: org.other_team.name}[pk]
    )
    assert response.context["figures"].open == 7


def test_a_lead_without_a_team_gets_an_empty_dashboard_with_a_word_why(org, client_for) -> None:
    loner = f.UserFactory(username="loner", department=org.maintenance_dept, roles=[Role.TEAM_LEAD])
    response = figures_of(client_for(loner))
    assert response.context["teams"] == [] and response.context["figures"].open == 0
    assert "You lead no team yet" in response.content.decode()
