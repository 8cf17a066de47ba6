"""Fast and constant (issue 15 part 3): a list page and a ticket's detail cost
the same number of queries for 1 row as for 30, within the budget of 10, for
staff and for customers (select_related / prefetch everywhere, no per-row
query, no COUNT)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tickets import services
from tickets.models import Ticket

BUDGET = 10


def queries(caller, path: str, params: dict | None = None) -> int:
    caller.get(path, params)  # warm: the token's last use is written once a minute, not here
    with CaptureQueriesContext(connection) as captured:
        response = caller.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return len(captured.captured_queries)


def grow(org, n: int) -> list[Ticket]:
    """n tickets of the customer's, each with a different handler, category and asset."""
    made = []
    for i in range(n):
        engineer = f.UserFactory(team=org.team, department=org.maintenance_dept, roles=["engineer"])
        asset = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag=f"QC-{Ticket.objects.count():05d}")
        made.append(
            f.TicketFactory(
                reporter=org.customer, reporter_department=org.customer_dept, team=org.team, assignee=engineer,
                asset=asset, category=f.FaultCategoryFactory(), title=f"장애 {i}",
            )
        )
    return made


@pytest.mark.parametrize(("who", "params"), [("lead", {}), ("lead", {"status": "open", "queue": "team"}),
                                             ("customer", {}), ("desk_agent", {"queue": "all"})])
def test_a_list_page_costs_the_same_for_1_row_and_30(org, api_for, who, params, request):
    caller = api_for(request.getfixturevalue(who))
    grow(org, 1)
    one = queries(caller, reverse("api:tickets"), {**params, "page_size": "30"})
    grow(org, 29)
    assert len(caller.get(reverse("api:tickets"), {**params, "page_size": "30"}).json()["results"]) == 30
    thirty = queries(caller, reverse("api:tickets"), {**params, "page_size": "30"})
    assert one == thirty <= BUDGET, (one, thirty)


@pytest.mark.parametrize("who", ["desk_agent", "customer"])
def test_a_tickets_detail_costs_the_same_for_1_event_and_30(org, api_for, who, request):
    caller = api_for(request.getfixturevalue(who))
    ticket = services.ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="PC가 켜지지 않습니다", asset=org.asset,
    )
    path = reverse("api:ticket", args=[ticket.pk])
    one = queries(caller, path)
    people = [org.engineer, org.lead, org.desk_agent, org.customer]
    for i in range(29):
        services.comment_add(ticket=ticket, author=people[i % 4], body=f"메모 {i}")
    assert len(caller.get(path).json()["timeline"]) == 30
    thirty = queries(caller, path)
    assert one == thirty <= BUDGET, (one, thirty)


def test_the_other_lists_are_constant_too(org, api_for, standard):
    from desk.services import calls

    caller = api_for(org.desk_agent)
    for i in range(3):
        calls.callback_memo_create(
            actor=org.desk_agent, handler=org.engineer, caller_name=f"고객 {i}", department=org.customer_dept,
            phone="010-5555-1234", matter="문의",
        )
        calls.call_record(agent=org.desk_agent, rings=1, caller=org.customer)
    before = {name: queries(caller, reverse(name), {"scope": "all"}) for name in ("api:callbacks", "api:calls", "api:assets")}
    for i in range(20):
        handler = f.UserFactory(team=org.team, department=org.maintenance_dept, roles=["engineer"])
        calls.callback_memo_create(
            actor=org.desk_agent, handler=handler, caller_name=f"고객 {i}", department=f.DepartmentFactory(),
            phone="010-5555-1234", matter="문의",
        )
        calls.call_record(agent=org.desk_agent, rings=1, caller=f.UserFactory())
        f.AssetFactory(owner=f.UserFactory(), tag=f"QX-{i:05d}")
    after = {name: queries(caller, reverse(name), {"scope": "all"}) for name in before}
    assert before == after and max(after.values()) <= BUDGET, (before, after)
