"""The panels other pages include: the gates for staff (MT3, MT4), and for the
customer the estimate with "I agree" and who covers an absent handler (OV5)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from desk.models import IdentityMethod
from desk.services import consent_give, diagnosis_record, identity_check_record
from helpdesk.accounts.services import absence_create
from tests.helpers.clock import NOW
from tickets.services import ticket_assign, ticket_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_panel(render_panel):
    def render(ticket, user) -> str:
        return render_panel("desk/_staff_panel.html", ticket, user, path=f"/desk/tickets/{ticket.pk}/")

    return render


@pytest.fixture
def customer_panel(render_panel):
    def render(ticket, user) -> str:
        return render_panel("desk/_customer_panel.html", ticket, user, path=f"/desk/tickets/{ticket.pk}/")

    return render


def test_the_staff_panel_walks_through_the_gates(org, phone_fault, staff_panel):
    html = staff_panel(phone_fault, org.desk_agent)
    assert "cannot move to diagnosis" in html and f'action="/frontdesk/tickets/{phone_fault.pk}/identity/"' in html
    assert f'name="next" value="/desk/tickets/{phone_fault.pk}/"' in html
    assert org.customer.phone_display in html  # the registered number to call back
    assert "diagnosis_record" not in html and f'action="/frontdesk/tickets/{phone_fault.pk}/diagnosis/"' not in html

    identity_check_record(ticket=phone_fault, actor=org.desk_agent, method=IdentityMethod.CALLBACK)
    ticket = ticket_transition(ticket=phone_fault, action="diagnose", actor=org.engineer)
    html = staff_panel(ticket, org.engineer)
    assert "Callback to the registered number" in html and "/identity/" not in html
    assert "/diagnosis/" in html and "/consent/" not in html

    diagnosis_record(ticket=ticket, actor=org.engineer, findings="파워 불량", expected_minutes=45, ask_consent=True)
    ticket.refresh_from_db()
    html = staff_panel(ticket, org.engineer)
    assert "파워 불량" in html and "45 min" in html and "repair cannot start yet" in html and "/consent/" in html

    consent_give(ticket=ticket, actor=org.customer)
    html = staff_panel(ticket, org.engineer)
    assert f"{org.customer.display_name} agreed (In the portal)" in html and "/consent/" not in html


def test_the_staff_panel_shows_no_forms_to_customers(org, phone_fault, staff_panel):
    html = staff_panel(phone_fault, org.customer)
    assert "<form" not in html


@pytest.mark.parametrize("answers", [0, 5])
def test_the_staff_panel_costs_a_fixed_number_of_queries(org, phone_fault, answers, django_assert_max_num_queries, staff_panel):
    from tests import factories as f

    for i in range(answers):
        f.SymptomQuestionFactory(category=org.category, text=f"질문 {i}", text_en="", required=False, order=i + 1)
    identity_check_record(ticket=phone_fault, actor=org.desk_agent, method=IdentityMethod.CALLBACK)
    ticket = ticket_transition(ticket=phone_fault, action="diagnose", actor=org.engineer)
    for n in range(3):
        diagnosis_record(ticket=ticket, actor=org.engineer, findings=f"진단 {n}", expected_minutes=30)
    with django_assert_max_num_queries(6):
        html = staff_panel(ticket, org.engineer)
    assert "진단 2" in html and html.count("질문 ") == answers


def test_the_customer_sees_the_estimate_and_agrees(org, phone_fault, customer_panel):
    identity_check_record(ticket=phone_fault, actor=org.desk_agent, method=IdentityMethod.CALLBACK)
    ticket = ticket_transition(ticket=phone_fault, action="diagnose", actor=org.engineer)
    html = customer_panel(ticket, org.customer)
    assert "The engineer is diagnosing" in html and "desk-agree" not in html
    diagnosis_record(ticket=ticket, actor=org.engineer, findings="SSD 교체", expected_minutes=120, ask_consent=True)
    ticket.refresh_from_db()
    html = customer_panel(ticket, org.customer)
    assert "SSD 교체" in html and "2 h" in html and 'id="desk-agree"' in html
    assert customer_panel(ticket, org.other_customer).strip() == ""
    assert customer_panel(ticket, org.engineer).strip() == ""


def test_ov5_the_customer_sees_who_covers_while_the_handler_is_away(org, phone_fault, frozen, customer_panel):
    assert "desk-cover" not in customer_panel(phone_fault, org.customer)
    absence_create(user=org.engineer, backup=org.lead, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(days=2))
    html = customer_panel(phone_fault, org.customer)
    assert 'id="desk-cover"' in html
    assert f"{org.engineer.display_name} is away until" in html and f"{org.lead.display_name} is looking after" in html


def test_ov5_finished_work_no_longer_says_who_covers(org, phone_fault, frozen, customer_panel):
    absence_create(user=org.engineer, backup=org.lead, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(days=2))
    assert 'id="desk-cover"' in customer_panel(phone_fault, org.customer)
    phone_fault.status = "closed"
    phone_fault.save(update_fields=["status"])
    assert 'id="desk-cover"' not in customer_panel(phone_fault, org.customer)


def test_ov5_work_routed_to_the_backup_says_so(org, frozen, customer_panel):
    from tests.desk.helpers import phone_fault_make

    absence_create(user=org.engineer, backup=org.lead, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(days=2))
    ticket = phone_fault_make(org)
    ticket = ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.desk_agent)
    assert ticket.assignee == org.lead
    html = customer_panel(ticket, org.customer)
    assert f"{org.engineer.display_name} is away" in html and org.lead.display_name in html
