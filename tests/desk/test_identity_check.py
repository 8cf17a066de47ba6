"""MT3: before a fault moves to diagnosis, the reporter's identity is confirmed and
recorded — how and by whom — or the lifecycle refuses."""
from __future__ import annotations

import pytest
from django.urls import reverse

from desk.models import IdentityCheck, IdentityMethod
from desk.services import identity_check_record
from helpdesk.core.errors import ActionRefused
from tests.desk.helpers import phone_fault_make
from tickets.lifecycle import Status
from tickets.models import Channel, Kind, TicketEvent
from tickets.services import ticket_create, ticket_transition

pytestmark = pytest.mark.django_db


def test_mt3_a_fault_reported_from_the_signed_in_account_is_confirmed_by_it(org, frozen):
    ticket = ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="모니터", channel=Channel.WEB, asset=org.asset,
    )
    check = IdentityCheck.objects.get(ticket=ticket)
    assert check.method == IdentityMethod.SIGNED_IN and check.checked_by == org.customer
    # The "Received" line already names the reporter; no second line for it.
    assert list(ticket.events.values_list("kind", flat=True)) == [TicketEvent.Kind.CREATED]


def test_mt3_a_ticket_someone_else_files_for_the_reporter_is_not_confirmed(org, frozen):
    by_desk = phone_fault_make(org)
    on_behalf = ticket_create(
        actor=org.desk_agent, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="웹 대리 접수", channel=Channel.WEB, asset=org.asset,
    )
    assert not IdentityCheck.objects.filter(ticket__in=[by_desk, on_behalf]).exists()


def test_mt3_an_unconfirmed_fault_cannot_move_to_diagnosis_and_nothing_changes(org, phone_fault):
    events_before = phone_fault.events.count()
    with pytest.raises(ActionRefused) as refused:
        ticket_transition(ticket=phone_fault, action="diagnose", actor=org.engineer)
    assert "identity" in refused.value.message and "before the diagnosis" in refused.value.message
    phone_fault.refresh_from_db()
    assert phone_fault.status == Status.ASSIGNED
    assert phone_fault.events.count() == events_before


def test_mt3_support_requests_pass_through(org, frozen):
    ticket = phone_fault_make(org, assignee=org.engineer, kind=Kind.SUPPORT, asset=None)
    ticket = ticket_transition(ticket=ticket, action="diagnose", actor=org.engineer)
    assert ticket.status == Status.DIAGNOSING


def test_mt3_employee_number_and_phone_that_match_confirm_the_caller(org, phone_fault):
    customer = org.customer
    check = identity_check_record(
        ticket=phone_fault, actor=org.desk_agent, method=IdentityMethod.EMPLOYEE_NO_PHONE,
        employee_no=customer.employee_no.lower(), phone=customer.phone.as_national.replace("-", ""),
    )
    assert check.checked_by == org.desk_agent and customer.employee_no.lower() in check.detail.lower()
    event = phone_fault.events.get(kind="identity_checked")
    assert event.is_public and event.actor == org.desk_agent and event.data["method"] == "employee_no_phone"
    ticket = ticket_transition(ticket=phone_fault, action="diagnose", actor=org.engineer)
    assert ticket.status == Status.DIAGNOSING


@pytest.mark.parametrize(
    ("employee_no", "phone", "field"),
    [
        ("", "010-0000-0000", "employee_no"),
        ("E999999", None, "employee_no"),
        (None, "", "phone"),
        (None, "010-9999-8888", "phone"),
        (None, "not a number", "phone"),
    ],
)
def test_mt3_a_mismatch_is_refused_beside_the_field_and_nothing_is_recorded(org, phone_fault, employee_no, phone, field):
    customer = org.customer
    with pytest.raises(ActionRefused) as refused:
        identity_check_record(
            ticket=phone_fault, actor=org.desk_agent, method=IdentityMethod.EMPLOYEE_NO_PHONE,
            employee_no=customer.employee_no if employee_no is None else employee_no,
            phone=str(customer.phone) if phone is None else phone,
        )
    assert refused.value.field == field
    assert not IdentityCheck.objects.exists()
    assert not phone_fault.events.filter(kind="identity_checked").exists()


def test_mt3_a_callback_to_the_registered_number_records_that_number(org, phone_fault):
    check = identity_check_record(ticket=phone_fault, actor=org.engineer, method=IdentityMethod.CALLBACK)
    assert check.detail == org.customer.phone_display


def test_mt3_a_caller_without_an_account_is_checked_in_person(org, frozen):
    ticket = phone_fault_make(org, reporter=None, reporter_name="홍길동", asset=None, asset_other="개인 노트북")
    for method in (IdentityMethod.EMPLOYEE_NO_PHONE, IdentityMethod.CALLBACK):
        with pytest.raises(ActionRefused) as refused:
            identity_check_record(ticket=ticket, actor=org.desk_agent, method=method, employee_no="E1", phone="010-1111-2222")
        assert refused.value.field == "method"
    check = identity_check_record(ticket=ticket, actor=org.desk_agent, method=IdentityMethod.IN_PERSON, employee_no="N00042")
    assert check.detail == "N00042"


def test_mt3_only_staff_record_a_check_and_only_reporters_use_their_account(org, phone_fault):
    with pytest.raises(ActionRefused):
        identity_check_record(ticket=phone_fault, actor=org.customer, method=IdentityMethod.IN_PERSON)
    with pytest.raises(ActionRefused) as refused:
        identity_check_record(ticket=phone_fault, actor=org.desk_agent, method=IdentityMethod.SIGNED_IN)
    assert refused.value.field == "method"
    with pytest.raises(ActionRefused) as refused:
        identity_check_record(ticket=phone_fault, actor=org.desk_agent, method="telepathy")
    assert refused.value.field == "method"
    assert not IdentityCheck.objects.exists()


def test_mt3_a_second_check_is_refused_naming_the_first(org, phone_fault):
    identity_check_record(ticket=phone_fault, actor=org.desk_agent, method=IdentityMethod.CALLBACK)
    with pytest.raises(ActionRefused) as refused:
        identity_check_record(ticket=phone_fault, actor=org.engineer, method=IdentityMethod.IN_PERSON)
    assert org.desk_agent.display_name in refused.value.message
    assert IdentityCheck.objects.count() == 1


# --- Through the panel -------------------------------------------------------------------


def test_the_panel_form_records_the_check_and_returns_to_the_page_it_came_from(org, phone_fault, client_for):
    page = reverse("staff:ticket_detail", args=[phone_fault.pk])
    response = client_for(org.desk_agent).post(
        reverse("desk:identity_record", args=[phone_fault.pk]),
        {"method": "employee_no_phone", "employee_no": org.customer.employee_no, "phone": str(org.customer.phone), "next": page},
    )
    assert response.status_code == 302 and response["Location"] == page
    assert IdentityCheck.objects.get(ticket=phone_fault).method == IdentityMethod.EMPLOYEE_NO_PHONE


def test_a_refused_check_shows_the_reason_and_keeps_what_was_typed(org, phone_fault, en_client_for):
    response = en_client_for(org.desk_agent).post(
        reverse("desk:identity_record", args=[phone_fault.pk]),
        {"method": "employee_no_phone", "employee_no": "E424242", "phone": "010-1212-3434",
         "next": "https://evil.example.com/"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="E424242"' in html and 'value="010-1212-3434"' in html
    assert "does not match the reporter&#x27;s registered details" in html
    assert not IdentityCheck.objects.exists()


def test_a_foreign_redirect_target_is_ignored(org, phone_fault, client_for):
    response = client_for(org.desk_agent).post(
        reverse("desk:identity_record", args=[phone_fault.pk]),
        {"method": "callback", "next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("desk:ticket_gates", args=[phone_fault.pk])


def test_customers_and_other_teams_cannot_reach_the_staff_gates(org, phone_fault, client_for):
    for person in (org.customer, org.other_customer):
        assert client_for(person).get(reverse("desk:ticket_gates", args=[phone_fault.pk])).status_code == 404
        assert client_for(person).post(
            reverse("desk:identity_record", args=[phone_fault.pk]), {"method": "callback"}
        ).status_code == 404
    assert client_for(org.other_engineer).get(reverse("desk:ticket_gates", args=[phone_fault.pk])).status_code == 404
    assert not IdentityCheck.objects.exists()
