"""The staff work queue: tabs per role, filters, search, pagination, query counts (P3)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.helpers.clock import SEOUL
from tickets.lifecycle import Status
from tickets.models import Kind, Priority

QUEUE = reverse("staff:queue")


def shown(response) -> set[int]:
    return {t.pk for t in response.context["page_obj"].object_list}


@pytest.fixture
def tickets(org):
    """Four tickets: one assigned to the engineer, one unassigned in the team,
    one unassigned in the other team, one of the other team assigned to the engineer."""
    return {
        "mine": f.TicketFactory(
            reporter=org.customer, team=org.team, assignee=org.engineer, status=Status.ASSIGNED, title="모니터 깜빡임"
        ),
        "team": f.TicketFactory(reporter=org.customer, team=org.team, title="프린터 용지 걸림"),
        "other": f.TicketFactory(reporter=org.other_customer, team=org.other_team, title="네트워크 끊김"),
        "other_mine": f.TicketFactory(
            reporter=org.other_customer, team=org.other_team, assignee=org.engineer, status=Status.IN_PROGRESS
        ),
    }


def ids(tickets, *names: str) -> set[int]:
    return {tickets[n].pk for n in names}


# --- Tabs by role ------------------------------------------------------------


@pytest.mark.parametrize(
    ("tab", "expected"),
    [
        ("mine", {"mine", "other_mine"}),
        ("team", {"mine", "team"}),
        ("unassigned", {"team"}),
    ],
)
def test_engineer_tabs(org, tickets, client_for, tab, expected):
    response = client_for(org.engineer).get(QUEUE, {"tab": tab})
    assert response.status_code == 200
    assert shown(response) == ids(tickets, *expected)


def test_engineer_has_no_all_tab_and_asking_for_it_falls_back(org, tickets, client_for):
    response = client_for(org.engineer).get(QUEUE, {"tab": "all"})
    assert response.status_code == 200
    assert "all" not in [value for value, _label in response.context["tabs"]]
    assert response.context["tab"] == "mine"
    assert response.context["notices"]
    assert tickets["other"].pk not in shown(response)


def test_lead_sees_the_teams_they_lead(org, tickets, client_for):
    client = client_for(org.lead)
    assert shown(client.get(QUEUE, {"tab": "team"})) == ids(tickets, "mine", "team")
    org.other_team.lead = org.lead
    org.other_team.save()
    assert shown(client.get(QUEUE, {"tab": "team"})) == ids(tickets, "mine", "team", "other", "other_mine")
    assert shown(client.get(QUEUE, {"tab": "unassigned"})) == ids(tickets, "team", "other")


def test_desk_agent_sees_everything_under_all(org, tickets, client_for):
    client = client_for(org.desk_agent)
    response = client.get(QUEUE, {"tab": "all"})
    assert "all" in [value for value, _label in response.context["tabs"]]
    assert shown(response) == ids(tickets, "mine", "team", "other", "other_mine")
    assert shown(client.get(QUEUE, {"tab": "unassigned"})) == ids(tickets, "team", "other")


def test_default_tab_is_mine_with_open_own_work_else_team(org, tickets, client_for):
    assert client_for(org.engineer).get(QUEUE).context["tab"] == "mine"
    assert client_for(org.desk_agent).get(QUEUE).context["tab"] == "team"
    # Finished work of one's own does not count.
    for name in ("mine", "other_mine"):
        tickets[name].status = Status.CLOSED
        tickets[name].save()
    assert client_for(org.engineer).get(QUEUE).context["tab"] == "team"


def test_queue_shows_the_columns(org, client_for):
    vip = f.PositionFactory(name="본부장", name_en="Division head", rank=60)
    boss = f.UserFactory(last_name="오", first_name="상무", department=org.customer_dept, position=vip)
    ticket = f.TicketFactory(
        reporter=boss, reporter_is_vip=True, team=org.team, assignee=org.engineer, status=Status.ASSIGNED,
        priority=Priority.URGENT, title="임원실 PC 고장",
        created_at=datetime(2025, 3, 4, 9, 30, tzinfo=SEOUL),
    )
    html = client_for(org.engineer).get(QUEUE, {"tab": "mine"}).content.decode()
    assert f"#{ticket.pk}" in html
    assert 'class="vip-flag"' in html
    assert "임원실 PC 고장" in html
    assert "오상무" in html and "품질관리부" in html
    assert "badge-status" in html
    assert "업무지원팀" in html and "박준호" in html
    assert "2025-03-04 09:30" in html


def test_mt1_the_queue_shows_each_deadline_how_it_stands_and_the_level(org, client_for):
    from django.utils import timezone

    now = timezone.now()
    late = f.TicketFactory(reporter=org.customer, team=org.team, status=Status.IN_PROGRESS, title="늦은 요청")
    paused = f.TicketFactory(reporter=org.customer, team=org.team, status=Status.WAITING_PARTS, title="부품 대기")
    fine = f.TicketFactory(reporter=org.customer, team=org.team, status=Status.ASSIGNED, title="여유 있는 요청")
    closed = f.TicketFactory(reporter=org.customer, team=org.team, status=Status.CLOSED, title="끝난 요청")
    type(late).objects.filter(pk=late.pk).update(resolve_by=now - timedelta(hours=3), escalation_level=2)
    type(late).objects.filter(pk=paused.pk).update(resolve_by=now - timedelta(hours=1), paused_at=now)
    type(late).objects.filter(pk__in=[fine.pk, closed.pk]).update(resolve_by=now + timedelta(days=1))

    client = client_for(org.lead)
    client.cookies["django_language"] = "en"
    html = client.get(QUEUE, {"tab": "team", "status": ""}).content.decode()

    def row(ticket) -> str:
        start = html.index(f'<a href="/desk/tickets/{ticket.pk}/">')
        return html[start : html.index("</tr>", start)]

    assert "Overdue" in row(late) and "Level 2" in row(late)
    assert "Paused" in row(paused) and "Overdue" not in row(paused)
    assert "Overdue" not in row(fine) and "Level" not in row(fine)
    fine.refresh_from_db()
    assert timezone.localtime(fine.resolve_by).strftime("%Y-%m-%d %H:%M") in row(fine)
    assert "—" in row(closed) and "Overdue" not in row(closed)  # finished work has no running deadline


def test_people_without_work_permission_get_403(org, client_for):
    assert client_for(org.customer).get(QUEUE).status_code == 403


# --- Filters and search --------------------------------------------------------


@pytest.fixture
def varied(org):
    a = f.TicketFactory(
        reporter=org.customer, team=org.team, kind=Kind.FAULT, priority=Priority.HIGH, asset=org.asset,
        status=Status.IN_PROGRESS, assignee=org.engineer, created_at=datetime(2025, 3, 3, 10, tzinfo=SEOUL),
        title="본체 전원 안 켜짐",
    )
    b = f.TicketFactory(
        reporter=None, reporter_name="홍길동", team=org.other_team, kind=Kind.SUPPORT, priority=Priority.LOW,
        status=Status.CLOSED, created_at=datetime(2025, 3, 5, 23, 59, tzinfo=SEOUL), title="프로그램 설치 요청",
    )
    c = f.TicketFactory(
        reporter=org.other_customer, team=org.team, kind=Kind.LARGE_WORK, priority=Priority.NORMAL,
        status=Status.RECEIVED, created_at=datetime(2025, 3, 6, 0, 0, tzinfo=SEOUL), title="부서 이전 전산 작업",
    )
    return a, b, c


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, {0, 2}),
        ({"status": "closed"}, {1}),
        ({"kind": "support"}, {1}),
        ({"priority": "high"}, {0}),
        ({"team": "other_team"}, {1}),
        ({"assignee": "engineer"}, {0}),
        ({"department": "b_department"}, {1}),
        ({"date_from": "2025-03-04", "date_to": "2025-03-05"}, {1}),
        ({"date_from": "2025-03-06"}, {2}),
        ({"date_to": "2025-03-03"}, {0}),
        ({"q": "설치"}, {1}),
        ({"q": "홍길동"}, {1}),
        ({"q": "PC-000001"}, {0}),
        ({"q": "number"}, {2}),
        ({"q": "#number"}, {2}),
    ],
)
def test_filters_and_search(org, varied, client_for, params, expected):
    resolve = {
        "other_team": str(org.other_team.pk),
        "engineer": str(org.engineer.pk),
        "b_department": str(varied[1].reporter_department_id),
        "number": str(varied[2].pk),
        "#number": f"#{varied[2].pk}",
    }
    # "Any status" chosen explicitly, so each filter is seen on its own.
    query = {"tab": "all", "status": "", **{k: resolve.get(v, v) for k, v in params.items()}}
    response = client_for(org.desk_agent).get(QUEUE, query)
    assert response.status_code == 200
    assert response.context["notices"] == []
    assert shown(response) == {varied[i].pk for i in expected}


def test_the_queue_opens_on_open_work_but_a_search_looks_everywhere(org, varied, client_for):
    client = client_for(org.desk_agent)
    assert shown(client.get(QUEUE, {"tab": "all"})) == {varied[0].pk, varied[2].pk}
    assert shown(client.get(QUEUE, {"tab": "all", "q": "설치"})) == {varied[1].pk}
    assert shown(client.get(QUEUE, {"tab": "all", "status": ""})) == {v.pk for v in varied}


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"page": "abc"},
        {"page": "999"},
        {"date_from": "notadate"},
        {"team": "not-a-number"},
        {"assignee": "999999"},
        {"date_from": "2025-03-06", "date_to": "2025-03-01"},
        {"tab": "everything"},
    ],
)
def test_nonsense_filter_falls_back_with_a_notice(org, varied, client_for, params):
    response = client_for(org.desk_agent).get(QUEUE, {"tab": "all", **params})
    assert response.status_code == 200
    assert response.context["notices"], "the page should say what it ignored"
    assert response.content.decode().count('class="alert alert-warning') >= 1


def test_bad_filter_is_dropped_but_good_ones_still_apply(org, varied, client_for):
    response = client_for(org.desk_agent).get(QUEUE, {"tab": "all", "status": "bogus", "kind": "support"})
    assert shown(response) == {varied[1].pk}
    assert "Status" in response.context["notices"][0] or "상태" in response.context["notices"][0]


def test_a_huge_list_counts_only_up_to_the_cap_and_says_so(org, client_for, monkeypatch):
    from helpdesk.core.paging import CappedPaginator

    monkeypatch.setattr(CappedPaginator, "cap", 30)
    made = [f.TicketFactory(reporter=org.customer, team=org.team) for _ in range(32)]
    client = client_for(org.desk_agent)
    client.cookies["django_language"] = "en"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"tab": "all", "status": ""})
    assert "More than 30 tickets: search or filter to narrow the list." in response.content.decode()
    paginator = response.context["page_obj"].paginator
    assert paginator.capped and paginator.count == 30 and paginator.num_pages == 2
    # The count reads at most cap + 1 rows, unordered.
    count_sql = next(q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"])
    assert "LIMIT 31" in count_sql and "ORDER BY" not in count_sql
    # A search narrows it below the cap: an exact count again.
    narrowed = client.get(QUEUE, {"tab": "all", "status": "", "q": f"#{made[0].pk}"})
    assert not narrowed.context["page_obj"].paginator.capped
    assert "1 ticket" in narrowed.content.decode()


def test_pagination_keeps_the_filters(org, client_for):
    for _ in range(30):
        f.TicketFactory(reporter=org.customer, team=org.team, priority=Priority.HIGH)
    f.TicketFactory(reporter=org.customer, team=org.team, priority=Priority.LOW)
    client = client_for(org.desk_agent)
    first = client.get(QUEUE, {"tab": "all", "priority": "high"})
    assert len(first.context["page_obj"].object_list) == 25
    html = first.content.decode()
    assert 'href="?tab=all&amp;priority=high&amp;page=2"' in html
    second = client.get(QUEUE, {"tab": "all", "priority": "high", "page": "2"})
    assert len(second.context["page_obj"].object_list) == 5
    assert all(t.priority == Priority.HIGH for t in second.context["page_obj"].object_list)
    # Switching tab starts again at page 1 but keeps the filters.
    assert 'href="?tab=team&amp;priority=high"' in second.content.decode()


# --- Query counts ----------------------------------------------------------------


def _queue_queries(client, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(QUEUE, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("who", "params"),
    [
        ("desk_agent", {"tab": "all"}),
        ("engineer", {"tab": "team", "status": "open", "priority": "normal", "team": "TEAM"}),
        ("lead", {}),
    ],
)
def test_queue_query_count_does_not_grow_with_rows(org, client_for, django_assert_max_num_queries, who, params):
    params = {k: (str(org.team.pk) if v == "TEAM" else v) for k, v in params.items()}
    client = client_for(getattr(org, who))
    client.get(QUEUE)  # session and permission caches warmed the same way for both runs

    def make(n: int) -> None:
        for _ in range(n):
            f.TicketFactory(
                reporter=org.customer, team=org.team, assignee=org.engineer, status=Status.ASSIGNED,
                asset=org.asset, category=org.category,
            )

    make(3)
    few = _queue_queries(client, params)
    make(27)
    many = _queue_queries(client, params)
    assert few == many
    # A lead on the default tab: their teams come from the process's copy.
    with django_assert_max_num_queries(14):
        client.get(QUEUE, params)
