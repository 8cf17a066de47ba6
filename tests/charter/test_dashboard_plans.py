"""Large-scale work on the team lead's dashboard (BS2, BS4): plans waiting for
approval and completion reports due within two business days or overdue, for
the lead's teams only, each drilling down to its list and its exports."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from largework.models import CompletionReport, PlanState, PlanVersion, WorkPlan
from tests import factories as f
from tests.charter.dashboard_helpers import URL, ticket
from tests.helpers.clock import NOW, kst
from tickets.models import Kind

# The clock stands at NOW, Tuesday 10 March 2026 at 10:00 in Seoul: two business
# days later is Thursday 12 March at 10:00.
pytestmark = pytest.mark.usefixtures("frozen", "dashboard_live", "standard")


def plan(org: f.Org, title: str, *, team: Any = None, state: str = PlanState.APPROVED,
         due: datetime | None = None, reported: bool = False) -> WorkPlan:
    """A plan of a large-work request of the team, made directly (the services are tested in tests/largework)."""
    work = ticket(org, kind=Kind.LARGE_WORK, title=title, team=team or org.team)
    made = WorkPlan.objects.create(
        ticket=work, owner=org.lead, contact=org.customer, supervising_department=org.customer_dept,
        state=state, submitted_at=NOW - timedelta(days=2), report_due_at=due, created_at=NOW - timedelta(days=3),
    )
    version = PlanVersion.objects.create(
        plan=made, number=1, state=state, title=title, scope="범위", staffing="2명", risks="원복",
        customer_notice="안내", created_by=org.lead, created_at=NOW - timedelta(days=3),
    )
    version.departments.set([org.customer_dept])
    made.current = version
    made.save(update_fields=["current"])
    if reported:
        CompletionReport.objects.create(
            plan=made, summary="완료", by_department="품질관리부", submitted_by=org.lead, submitted_at=NOW, due_at=due
        )
    return made


@pytest.fixture
def plans(org: f.Org) -> dict[str, WorkPlan]:
    return {
        "waiting": plan(org, "모니터 교체", state=PlanState.SUBMITTED),
        "draft": plan(org, "프린터 교체", state=PlanState.DRAFT),
        "overdue": plan(org, "PC 교체", due=NOW - timedelta(hours=1)),
        "due_thursday": plan(org, "OS 업그레이드", due=kst(2026, 3, 12, 9, 59)),
        "due_friday": plan(org, "백신 교체", due=kst(2026, 3, 13, 10)),  # beyond two business days
        "reported": plan(org, "서버 이전", due=NOW - timedelta(days=1), reported=True),
        "other_waiting": plan(org, "네트워크 장비 교체", team=org.other_team, state=PlanState.SUBMITTED),
        "other_overdue": plan(org, "스위치 교체", team=org.other_team, due=NOW - timedelta(hours=1)),
    }


def test_the_figures_count_the_teams_plans_waiting_and_reports_due(plans, org, client_for) -> None:
    response = client_for(org.lead).get(URL)
    figures = response.context["figures"]
    assert figures.plans_waiting == 1  # not the draft, not another team's
    assert figures.reports_due == 2  # overdue and due Thursday; not Friday's, not one reported, not another team's
    html = response.content.decode()
    assert 'data-figure="plans_waiting"' in html and 'data-figure="reports_due"' in html
    assert "Plans waiting for approval" in html and "Completion reports due" in html


def test_a_section_chief_counts_every_team_of_the_department(plans, org, section_chief, client_for) -> None:
    figures = client_for(section_chief).get(URL).context["figures"]
    assert (figures.plans_waiting, figures.reports_due) == (2, 3)


def test_the_figures_drill_down_to_exactly_what_they_count(plans, org, client_for) -> None:
    client = client_for(org.lead)
    waiting = client.get(f"{URL}list/plans_waiting/")
    assert waiting.status_code == 200
    assert list(waiting.context["page"].object_list) == [plans["waiting"]]
    due = client.get(f"{URL}list/reports_due/")
    assert list(due.context["page"].object_list) == [plans["overdue"], plans["due_thursday"]]  # soonest first
    html = due.content.decode()
    assert f'data-plan="{plans["overdue"].pk}"' in html and "PC 교체" in html and "Overdue" in html
    assert "스위치 교체" not in html and "백신 교체" not in html


def test_another_teams_filter_shows_nothing_of_it(plans, org, client_for) -> None:
    figures = client_for(org.lead).get(f"{URL}?team={org.other_team.pk}").context["figures"]
    assert (figures.plans_waiting, figures.reports_due) == (1, 2)  # fell back to the lead's own team


def test_the_lists_export_to_csv_and_excel(plans, org, client_for) -> None:
    client = client_for(org.lead)
    response = client.get(f"{URL}list/reports_due/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Ticket", "Title", "Version", "State"]
    assert [r[1] for r in rows[1:]] == ["PC 교체", "OS 업그레이드"]
    assert rows[1][-1] == timezone.localtime(NOW - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{URL}list/plans_waiting/?format=xlsx").content))
    sheet = book.active
    assert [c.value for c in sheet[2]][:2] == [plans["waiting"].ticket.number, "모니터 교체"]
    assert sheet.max_row == 2


def test_the_plan_lists_cost_a_fixed_number_of_queries(org, client_for) -> None:
    client = client_for(org.lead)

    def queries(name: str) -> int:
        client.get(f"{URL}list/{name}/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{URL}list/{name}/").status_code == 200
        return len(captured)

    for i in range(2):
        plan(org, f"교체 {i}", state=PlanState.SUBMITTED, due=NOW - timedelta(hours=i + 1))
    few = {name: queries(name) for name in ("plans_waiting", "reports_due")}
    for i in range(2, 8):
        plan(org, f"교체 {i}", state=PlanState.SUBMITTED, due=NOW - timedelta(hours=i + 1))
    assert {name: queries(name) for name in ("plans_waiting", "reports_due")} == few
