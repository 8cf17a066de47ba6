"""The API's ticket list and detail are compiled once per shape (api.ticket_rows):
every role, tab and filter, walked page by page, gives exactly the tickets the
work queue's (or the portal's) selector gives, in its order — also across ties
and undated work — and a compiled list or detail is one query."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from api import ticket_rows
from tests import factories as f
from tickets.lifecycle import Status
from tickets.models import Priority
from tickets.selectors import QueueFilters, customer_tickets, staff_queue
from tickets.services import comment_add

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(org, frozen):
    """Fourteen tickets over both teams, handlers and statuses; some share their
    arrival (ties broken by id), some their deadline, four have none."""
    deadline = timezone.now() + timedelta(days=2)
    for i in range(14):
        if i % 3:
            frozen.shift(timedelta(minutes=1))  # every third shares the previous arrival
        f.TicketFactory(
            reporter=org.customer if i % 2 else org.other_customer,
            reporter_department=org.customer_dept,
            team=org.team if i % 4 else org.other_team,
            assignee=[org.engineer, org.other_engineer, None][i % 3],
            status=[Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.RECEIVED][i // 2 % 4],
            priority=Priority.URGENT if i % 5 == 0 else Priority.NORMAL,
            resolve_by=None if i % 7 in (2, 5) else deadline + timedelta(hours=i % 3),
            title=f"요청 {i}",
        )
    return org


def _walk(caller, params: dict) -> list[int]:
    seen, url, query = [], reverse("api:tickets"), {**params, "page_size": "2"}
    while url:
        response = caller.get(url, query)
        assert response.status_code == 200, response.content[:300]
        seen += [row["id"] for row in response.json()["results"]]
        url, query = response.json()["next"], {}
    return seen


STAFF_ASKS = [
    {},
    {"status": "open"},
    {"queue": "mine"},
    {"queue": "team", "status": "open"},
    {"queue": "unassigned"},
    {"queue": "all", "status": "assigned"},
    {"queue": "all", "priority": "urgent", "kind": "fault"},
    {"queue": "all", "team": "other_team"},
    {"queue": "all", "assignee": "engineer", "status": "open"},
    {"queue": "all", "department": "customer_dept"},
]


def _filters(org, ask: dict) -> tuple[dict, QueueFilters]:
    """The request's parameters and the selector's filters for one ask."""
    params, filters = {}, QueueFilters(queue="all")
    for name, value in ask.items():
        if name in ("team", "assignee", "department"):
            pk = getattr(org, value).pk
            params[name], value = str(pk), pk
        else:
            params[name] = value
        setattr(filters, name, value)
    return params, filters


@pytest.mark.parametrize("who", ["engineer", "lead", "section_chief", "desk_agent", "admin"])
@pytest.mark.parametrize("ask", STAFF_ASKS, ids=lambda a: ",".join(f"{k}={v}" for k, v in a.items()) or "default")
def test_every_staff_shape_pages_through_exactly_the_queue(busy, api_for, who, ask, request):
    user = busy.admin if who == "admin" else request.getfixturevalue(who)
    params, filters = _filters(busy, ask)
    expected = list(staff_queue(user, filters).values_list("pk", flat=True))
    assert _walk(api_for(user), params) == expected


@pytest.mark.parametrize("status", ["", "open", "resolved"])
def test_a_customers_shapes_page_through_exactly_their_list(busy, api_for, status):
    expected = list(customer_tickets(busy.customer, status=status).values_list("pk", flat=True))
    assert expected and _walk(api_for(busy.customer), {"status": status} if status else {}) == expected


def test_search_and_dates_are_read_through_the_orm_with_the_same_answer(busy, api_for):
    lead = api_for(busy.lead)
    today = timezone.localdate().isoformat()
    for params, filters in [
        ({"q": "요청 1"}, QueueFilters(queue="all", q="요청 1")),
        ({"date_from": today, "date_to": today}, QueueFilters(queue="all", date_from=timezone.localdate(), date_to=timezone.localdate())),
    ]:
        assert _walk(lead, params) == list(staff_queue(busy.lead, filters).values_list("pk", flat=True))


def _one_call(caller, path: str, params: dict | None = None) -> list[str]:
    caller.get(path, params)  # the token, teams and names are held from here on
    with CaptureQueriesContext(connection) as captured:
        assert caller.get(path, params).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("params", [{}, {"queue": "team", "status": "open"}, {"page_size": "3", "status": "open"}])
def test_a_compiled_list_is_one_query(busy, api_for, params):
    sql = _one_call(api_for(busy.lead), reverse("api:tickets"), params)
    assert len(sql) == 1 and 'FROM "tickets_ticket"' in sql[0]


def test_a_compiled_detail_is_the_ticket_and_its_events(busy, api_for):
    ticket = f.TicketFactory(reporter=busy.customer, team=busy.team)
    comment_add(ticket=ticket, author=busy.engineer, body="점검했습니다")
    sql = _one_call(api_for(busy.desk_agent), reverse("api:ticket", args=[ticket.pk]))
    assert len(sql) == 2
    assert 'FROM "tickets_ticket"' in sql[0] and 'FROM "tickets_ticketevent"' in sql[1]


def test_each_shape_is_compiled_once_and_search_never(busy, api_for):
    lead = api_for(busy.lead)
    before = ticket_rows._LISTS.compiled_shapes()
    lead.get(reverse("api:tickets"), {"status": "open", "page_size": "97"})  # a shape no other test asks for
    assert ticket_rows._LISTS.compiled_shapes() == before + 1
    lead.get(reverse("api:tickets"), {"status": "open", "page_size": "97"})
    lead.get(reverse("api:tickets"), {"q": "요청", "page_size": "97"})
    assert ticket_rows._LISTS.compiled_shapes() == before + 1
