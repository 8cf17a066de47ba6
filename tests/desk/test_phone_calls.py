"""PH1–PH2: the desk answers before the third ring and greets with team and name,
finds the caller, opens or links a ticket, and transfers to a named handler."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from desk.models import CallTransfer, IdentityCheck, PhoneCall, answered_in_time
from desk.selectors import call_answer_stats
from desk.services import call_record, call_ticket_attach, call_transfer
from helpdesk.accounts.services import absence_create
from helpdesk.core.errors import ActionRefused
from tests import factories as f
from tests.desk.helpers import phone_fault_make
from tests.helpers.clock import NOW
from tickets.models import Channel, Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rings", "seconds", "in_time"),
    [(0, None, True), (2, None, True), (3, None, False), (None, 5, True), (None, 6, False), (2, 30, True), (None, None, False)],
)
def test_ph1_before_the_third_ring(rings, seconds, in_time):
    assert answered_in_time(rings, seconds) is in_time


def test_ph1_a_call_needs_rings_or_seconds_and_finds_the_caller_by_number(org, frozen):
    with pytest.raises(ActionRefused) as refused:
        call_record(agent=org.desk_agent)
    assert refused.value.field == "rings"
    with pytest.raises(ActionRefused) as refused:
        call_record(agent=org.desk_agent, rings=-1)
    assert refused.value.field == "rings"
    with pytest.raises(ActionRefused) as refused:
        call_record(agent=org.desk_agent, rings=1, caller_number="12")
    assert refused.value.field == "caller_number"
    with pytest.raises(ActionRefused) as refused:
        call_record(agent=org.customer, rings=1)
    assert refused.value.field == "agent"
    assert not PhoneCall.objects.exists()

    call, created = call_record(agent=org.desk_agent, rings=2, caller_number=org.customer.phone.as_national)
    assert created and call.answered_in_time and call.greeting_team == org.team
    assert (call.caller, call.caller_name, call.caller_department) == (org.customer, org.customer.display_name, org.customer_dept)
    assert call.received_at == NOW


def test_ph1_the_agent_greets_with_team_and_name_and_sees_the_figures(org, frozen, en_client_for):
    call_record(agent=org.desk_agent, rings=1)
    call_record(agent=org.desk_agent, rings=4)
    html = en_client_for(org.desk_agent).get(reverse("desk:phone")).content.decode()
    assert f"this is {org.desk_agent.display_name} of {org.team.name}" in html
    assert "Today you answered 2 calls, 50% before the third ring." in html
    stats = call_answer_stats(since=NOW - timedelta(hours=1))
    assert (stats.calls, stats.in_time, stats.percent) == (2, 1, 50)


def test_ph1_the_phone_page_is_for_the_desk(org, client_for):
    assert client_for(org.customer).get(reverse("desk:phone")).status_code == 403
    assert client_for(org.engineer).get(reverse("desk:phone")).status_code == 403


def test_the_caller_is_found_by_number_and_the_call_started_with_them(org, frozen, client_for):
    client = client_for(org.desk_agent)
    last4 = org.customer.phone.as_national[-4:]
    page = client.get(reverse("desk:phone"), {"q": last4}).content.decode()
    assert org.customer.display_name in page and f"caller={org.customer.pk}" in page
    page = client.get(reverse("desk:phone"), {"caller": org.customer.pk}).content.decode()
    assert f'value="{org.customer.display_name}"' in page
    response = client.post(
        reverse("desk:phone"),
        {"rings": "1", "caller": org.customer.pk, "caller_name": org.customer.display_name,
         "caller_department": org.customer_dept.pk, "caller_number": str(org.customer.phone)},
    )
    call = PhoneCall.objects.get()
    assert response["Location"] == reverse("desk:call_detail", args=[call.pk])
    assert call.caller == org.customer and call.rings == 1 and call.agent == org.desk_agent


def test_a_call_without_rings_or_seconds_is_refused_keeping_what_was_typed(org, frozen, en_client_for):
    response = en_client_for(org.desk_agent).post(
        reverse("desk:phone"), {"rings": "", "caller_name": "홍길동", "caller_number": "010-12"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "before you answered" in html and 'value="홍길동"' in html and "010-12" in html
    assert not PhoneCall.objects.exists()


def test_a_new_ticket_is_opened_from_the_call_and_the_agent_goes_on_to_identity(org, frozen, client_for):
    call, _ = call_record(agent=org.desk_agent, rings=1, caller=org.customer)
    client = client_for(org.desk_agent)
    page = client.get(reverse("desk:call_detail", args=[call.pk])).content.decode()
    assert org.asset.tag in page  # the caller's equipment is offered
    response = client.post(
        reverse("desk:call_ticket_new", args=[call.pk]),
        {"reporter": org.customer.pk, "reporter_name": org.customer.display_name,
         "reporter_department": org.customer_dept.pk, "contact_phone": str(org.customer.phone),
         "channel": "phone", "kind": "fault", "title": "전화 접수: 부팅 불가", "asset": org.asset.pk,
         "category": org.category.pk, "priority": "normal"},
    )
    ticket = Ticket.objects.get(title="전화 접수: 부팅 불가")
    assert response["Location"] == reverse("desk:ticket_gates", args=[ticket.pk])
    call.refresh_from_db()
    assert call.ticket == ticket and ticket.channel == Channel.PHONE and ticket.created_by == org.desk_agent
    assert not IdentityCheck.objects.filter(ticket=ticket).exists()
    assert ticket.events.filter(kind="phone_call", is_public=False).exists()


def test_a_new_ticket_without_a_title_is_refused_on_the_call_page(org, frozen, client_for):
    call, _ = call_record(agent=org.desk_agent, rings=1, caller=org.customer)
    response = client_for(org.desk_agent).post(
        reverse("desk:call_ticket_new", args=[call.pk]),
        {"reporter": org.customer.pk, "reporter_name": org.customer.display_name,
         "reporter_department": org.customer_dept.pk, "channel": "phone", "kind": "fault", "title": "",
         "description": "화면이 안 나옴", "priority": "normal"},
    )
    assert response.status_code == 400 and "화면이 안 나옴" in response.content.decode()
    assert not Ticket.objects.exists()


def test_a_call_about_an_existing_ticket_is_linked_to_it_once(org, frozen, client_for):
    ticket = phone_fault_make(org)
    call, _ = call_record(agent=org.desk_agent, rings=1, caller=org.customer)
    client = client_for(org.desk_agent)
    assert ticket.title in client.get(reverse("desk:call_detail", args=[call.pk])).content.decode()
    assert client.post(reverse("desk:call_attach", args=[call.pk]), {"ticket": 99999}).status_code == 400
    assert client.post(reverse("desk:call_attach", args=[call.pk]), {"ticket": ticket.pk}).status_code == 302
    call.refresh_from_db()
    assert call.ticket == ticket
    with pytest.raises(ActionRefused):
        call_ticket_attach(call=call, actor=org.desk_agent, ticket=ticket)


def test_ph2_a_transfer_names_the_handler_and_the_topic(org, frozen):
    call, _ = call_record(agent=org.desk_agent, rings=1)
    with pytest.raises(ActionRefused) as refused:
        call_transfer(call=call, actor=org.desk_agent, to=org.engineer, topic=" ")
    assert refused.value.field == "topic"
    with pytest.raises(ActionRefused) as refused:
        call_transfer(call=call, actor=org.desk_agent, to=org.customer, topic="프린터")
    assert refused.value.field == "to"
    transfer = call_transfer(call=call, actor=org.desk_agent, to=org.engineer, topic="프린터 드라이버")
    assert (transfer.from_user, transfer.to_user, transfer.asked_for, transfer.topic) == (
        org.desk_agent, org.engineer, None, "프린터 드라이버",
    )


def test_ph2_ov5_a_transfer_to_an_absent_handler_goes_to_the_backup(org, frozen, en_client_for):
    absence_create(user=org.engineer, backup=org.lead, starts_at=timezone.now() - timedelta(hours=1),
                   ends_at=timezone.now() + timedelta(days=1), reason="출장")
    call, _ = call_record(agent=org.desk_agent, rings=1)
    response = en_client_for(org.desk_agent).post(
        reverse("desk:call_transfer", args=[call.pk]), {"to": org.engineer.pk, "topic": "모니터"}, follow=True
    )
    transfer = CallTransfer.objects.get()
    assert (transfer.to_user, transfer.asked_for) == (org.lead, org.engineer)
    assert f"went to the backup {org.lead.display_name}" in response.content.decode()


def test_other_engineers_cannot_open_the_desks_calls(org, frozen, client_for):
    call, _ = call_record(agent=org.desk_agent, rings=1)
    assert client_for(org.engineer).get(reverse("desk:call_detail", args=[call.pk])).status_code == 404
    assert client_for(org.customer).get(reverse("desk:call_detail", args=[call.pk])).status_code == 404
    mine, _ = call_record(agent=org.engineer, rings=1)
    assert client_for(org.engineer).get(reverse("desk:call_detail", args=[mine.pk])).status_code == 200


@pytest.mark.parametrize("rows", [3, 30])
def test_the_phone_page_costs_the_same_queries_for_3_or_30_calls(org, frozen, client_for, rows, django_assert_max_num_queries):
    callers = f.UserFactory.create_batch(3, department=org.customer_dept)
    for i in range(rows):
        call, _ = call_record(agent=org.desk_agent, rings=i % 4, caller=callers[i % 3])
        if i % 2:
            call_ticket_attach(call=call, actor=org.desk_agent, ticket=phone_fault_make(org, title=f"t{i}"))
    client = client_for(org.desk_agent)
    client.get(reverse("desk:phone"))  # warm the session and permission caches like a real second page view
    with django_assert_max_num_queries(12):
        response = client.get(reverse("desk:phone"))
    assert response.status_code == 200 and response.content.decode().count("/frontdesk/calls/") == min(rows, 25)


@pytest.mark.parametrize("transfers", [1, 10])
def test_the_call_page_costs_the_same_queries_however_many_transfers(org, frozen, client_for, transfers, django_assert_max_num_queries):
    call, _ = call_record(agent=org.desk_agent, rings=1, caller=org.customer)
    for i in range(transfers):
        call_transfer(call=call, actor=org.desk_agent, to=org.engineer if i % 2 else org.lead, topic=f"주제 {i}")
    client = client_for(org.desk_agent)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("desk:call_detail", args=[call.pk]))
    assert response.content.decode().count("주제 ") == transfers
