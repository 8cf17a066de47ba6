"""OV2–OV5: whoever meets a visitor logs them and routes them to the handler or,
while the handler is away, to the backup; visitors head the handler's queue;
the wait from arrival to being served is measured."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from desk.models import WalkIn
from desk.selectors import walk_in_wait_stats
from desk.services import walk_in_log, walk_in_serve
from helpdesk.accounts.services import absence_create
from helpdesk.core.errors import ActionRefused
from tests import factories as f
from tests.desk.helpers import phone_fault_make
from tests.helpers.clock import NOW
from tests.helpers.outbox import outbox

pytestmark = pytest.mark.django_db


def log(org, **extra) -> WalkIn:
    fields = {
        "actor": org.other_engineer,  # OV2: the first member of staff who sees the visitor
        "handler": org.engineer,
        "visitor_name": "김민수",
        "department": org.customer_dept,
        "matter": "노트북 충전이 안 됩니다",
        **extra,
    }
    return walk_in_log(**fields)


def test_ov2_anyone_on_staff_logs_the_visitor_and_the_handler_is_told(org, frozen):
    w = log(org, visitor=org.customer, visitor_name="")
    assert (w.arrived_at, w.met_by, w.routed_to, w.via_backup) == (NOW, org.other_engineer, org.engineer, False)
    assert (w.visitor_name, w.department) == (org.customer.display_name, org.customer_dept)
    told = outbox(recipient=org.engineer, key__startswith=f"desk:walkin:{w.pk}:")
    assert {n.channel for n in told} == {"email", "in_app"}
    assert "김민수" in told.get(channel="email").context["subject"]


def test_ov5_a_visitor_for_an_absent_handler_goes_to_the_backup(org, frozen):
    absence_create(user=org.engineer, backup=org.lead, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=8))
    w = log(org)
    assert (w.routed_to, w.asked_for, w.via_backup) == (org.lead, org.engineer, True)
    body = outbox(recipient=org.lead, channel="email").get().context["body"]
    assert org.engineer.display_name in body


@pytest.mark.parametrize(("field", "value"), [("visitor_name", " "), ("department", None), ("matter", ""), ("handler", None)])
def test_ov2_a_visit_missing_who_or_why_is_refused(org, frozen, field, value):
    with pytest.raises(ActionRefused) as refused:
        log(org, **{field: value})
    assert refused.value.field == field
    assert not WalkIn.objects.exists()


def test_ov4_the_wait_from_arrival_to_being_served_is_recorded(org, frozen):
    w = log(org)
    frozen.shift(timedelta(minutes=4, seconds=30))
    served = walk_in_serve(walk_in=w, actor=org.engineer)
    assert (served.served_by, served.wait_seconds) == (org.engineer, 270)
    with pytest.raises(ActionRefused):
        walk_in_serve(walk_in=w, actor=org.lead)
    stats = walk_in_wait_stats(since=NOW - timedelta(hours=1))
    assert (stats.served, stats.waiting, stats.average_seconds, stats.longest_seconds) == (1, 0, 270, 270)


def test_a_walk_in_about_a_ticket_is_on_its_timeline(org, frozen):
    ticket = phone_fault_make(org)
    log(org, ticket=ticket)
    event = ticket.events.get(kind="walk_in")
    assert event.data["visitor"] == "김민수" and event.data["handler"] == org.engineer.display_name


@pytest.fixture
def render_block(render_panel):
    def render(user):
        return render_panel("desk/_walkins_waiting.html", None, user, path="/desk/")

    return render


def test_ov3_waiting_visitors_head_the_handlers_queue_longest_wait_first(org, frozen, render_block):
    first = log(org, visitor_name="먼저 온 분")
    frozen.shift(timedelta(minutes=3))
    log(org, visitor_name="나중에 온 분")
    log(org, visitor_name="다른 담당", handler=org.lead)
    html = render_block(org.engineer)
    assert 'id="walkins-waiting"' in html
    assert html.index("먼저 온 분") < html.index("나중에 온 분") and "다른 담당" not in html
    walk_in_serve(walk_in=first, actor=org.engineer)
    assert "먼저 온 분" not in render_block(org.engineer)
    assert render_block(org.customer).strip() == ""


@pytest.mark.parametrize("waiting", [0, 1, 8])
def test_the_block_costs_two_queries_however_many_wait(org, frozen, waiting, django_assert_num_queries, render_block):
    departments = [f.DepartmentFactory() for _ in range(3)]
    for i in range(waiting):
        log(org, visitor_name=f"방문자{i}", department=departments[i % 3], ticket=phone_fault_make(org) if i % 2 else None)
    log(org, visitor_name="다른 담당", handler=org.lead)
    # Nobody waiting, as on nearly every view of the queue: one question, with
    # no join; someone waiting: that and the list with its people, however many.
    with django_assert_num_queries(2 if waiting else 1) as queries:
        html = render_block(org.engineer)
    assert html.count("방문자") == waiting and "다른 담당" not in html
    if not waiting:
        assert "JOIN" not in queries.captured_queries[0]["sql"]


def test_serving_from_the_page_opens_the_ticket_or_the_intake(org, frozen, client_for):
    ticket = phone_fault_make(org)
    about_ticket = log(org, ticket=ticket)
    new_matter = log(org, visitor=org.customer, handler=org.desk_agent)
    engineer = client_for(org.engineer)
    response = engineer.post(reverse("desk:walk_in_serve", args=[about_ticket.pk]))
    assert response["Location"] == reverse("staff:ticket_detail", args=[ticket.pk])
    response = client_for(org.desk_agent).post(reverse("desk:walk_in_serve", args=[new_matter.pk]))
    assert response["Location"] == reverse("staff:intake") + f"?reporter={org.customer.pk}"
    again = engineer.post(reverse("desk:walk_in_serve", args=[about_ticket.pk]), {"next": "/desk/"})
    assert again["Location"] == "/desk/"
    assert client_for(org.customer).post(reverse("desk:walk_in_serve", args=[about_ticket.pk])).status_code == 404


def test_the_walk_in_form_logs_and_a_bad_ticket_number_keeps_what_was_typed(org, frozen, en_client_for):
    client = en_client_for(org.other_engineer)
    bad = client.post(
        reverse("desk:walk_ins"),
        {"visitor_name": "홍길동", "department": org.customer_dept.pk, "matter": "모니터 문의", "handler": org.engineer.pk, "ticket": 999},
    )
    html = bad.content.decode()
    assert bad.status_code == 400 and "no ticket with that number" in html and 'value="홍길동"' in html and "모니터 문의" in html
    ok = client.post(
        reverse("desk:walk_ins"),
        {"visitor_name": "홍길동", "department": org.customer_dept.pk, "matter": "모니터 문의", "handler": org.engineer.pk},
        follow=True,
    )
    assert WalkIn.objects.get().routed_to == org.engineer
    assert f"{org.engineer.display_name} has been told" in ok.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_walk_ins_page_costs_the_same_queries_for_3_or_30(org, frozen, client_for, rows, django_assert_max_num_queries):
    departments = [f.DepartmentFactory() for _ in range(3)]
    for i in range(rows):
        w = log(org, visitor_name=f"방문자{i}", department=departments[i % 3], handler=org.lead if i % 2 else org.engineer)
        if i % 3 == 0:
            walk_in_serve(walk_in=w, actor=org.engineer)
    client = client_for(org.desk_agent)
    with django_assert_max_num_queries(13):
        html = client.get(reverse("desk:walk_ins")).content.decode()
    assert len(re.findall(r"방문자\d+", html)) == min(rows, 25)
