"""MT3–MT4 journey: a fault taken by phone cannot be diagnosed until the reporter's
identity is confirmed; after the diagnosis the customer reads the expected
duration on a phone and agrees in the portal, which starts the repair.
Every gate is on the timeline."""
from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from desk.models import Consent, ConsentHow, Diagnosis, IdentityCheck, IdentityMethod
from helpdesk.notifications.models import Notification
from tests.e2e.helpers import log_in
from tests.factories import PASSWORD
from tickets.lifecycle import Status
from tickets.models import Channel, Ticket
from tickets.services import ticket_assign, ticket_create

pytestmark = pytest.mark.e2e

FINDINGS = "메인보드의 메모리 슬롯 불량입니다. 메모리 모듈을 옮기고 슬롯을 교체해야 합니다."


def _status(ticket: Ticket) -> str:
    ticket.refresh_from_db()
    return ticket.status


def test_a_fault_passes_identity_diagnosis_and_consent_before_the_repair(pages, org) -> None:
    customer, engineer = org.customer, org.engineer
    ticket = ticket_create(
        actor=org.desk_agent, reporter=customer, reporter_name=customer.display_name,
        reporter_department=org.customer_dept, title="PC가 부팅 중 멈춥니다", channel=Channel.PHONE,
        asset=org.asset, category=org.category,
    )
    ticket = ticket_assign(ticket=ticket, assignee=engineer, actor=org.desk_agent)
    staff_page = reverse("staff:ticket_detail", args=[ticket.pk])
    gates_page = reverse("desk:ticket_gates", args=[ticket.pk])

    desk: Page = pages.open("engineer")
    phone: Page = pages.open("customer", phone=True)
    log_in(desk, engineer.username, PASSWORD)

    # MT3: diagnosis is refused while the caller's identity is unconfirmed.
    desk.goto(staff_page)
    with desk.expect_navigation():
        desk.click("button[name=action][value=diagnose]")
    expect(desk.locator(".alert-danger", has_text="본인 여부를 확인").first).to_be_visible()
    assert _status(ticket) == Status.ASSIGNED

    # The employee number and phone the caller gives match the account.
    desk.goto(gates_page)
    identity = desk.locator("#desk-identity form")
    identity.locator("input[name=method][value=employee_no_phone]").check()
    identity.locator("#id_employee_no").fill("X99999")  # a wrong number first: refused, nothing recorded
    identity.locator("#id_phone").fill(customer.phone.as_national)
    with desk.expect_navigation():
        identity.locator("button[type=submit]").click()
    expect(desk.locator("#desk-identity .invalid-feedback, #desk-identity .alert-danger").first).to_be_visible()
    assert not IdentityCheck.objects.exists()
    identity = desk.locator("#desk-identity form")
    expect(identity.locator("#id_phone")).to_have_value(customer.phone.as_national)
    identity.locator("#id_employee_no").fill(customer.employee_no)
    with desk.expect_navigation():
        identity.locator("button[type=submit]").click()
    expect(desk.locator("#desk-identity")).to_contain_text("✓")
    assert IdentityCheck.objects.get(ticket=ticket).method == IdentityMethod.EMPLOYEE_NO_PHONE

    desk.goto(staff_page)
    with desk.expect_navigation():
        desk.click("button[name=action][value=diagnose]")
    assert _status(ticket) == Status.DIAGNOSING

    # MT4: no repair before the customer's consent.
    with desk.expect_navigation():
        desk.click("button[name=action][value=start_work]")
    expect(desk.locator(".alert-danger", has_text="수리를 시작할 수 없습니다").first).to_be_visible()
    assert _status(ticket) == Status.DIAGNOSING

    # The diagnosis and the expected duration (an hour and a half); the customer is asked.
    desk.goto(gates_page)
    diagnosis = desk.locator("#desk-diagnosis form")
    diagnosis.locator("#id_findings").fill(FINDINGS)
    diagnosis.locator("#id_duration").fill("1.5")
    diagnosis.locator("#id_unit").select_option("hours")
    with desk.expect_navigation():
        diagnosis.locator("button[type=submit]").click()
    expect(desk.locator("#desk-diagnosis")).to_contain_text(FINDINGS)
    assert Diagnosis.objects.get(ticket=ticket).expected_minutes == 90
    assert _status(ticket) == Status.AWAITING_CONSENT
    asked = Notification.objects.get(recipient=customer, channel="in_app", key__startswith="desk:consent-ask:")
    consent_link = reverse("desk:consent", args=[ticket.pk])
    assert asked.context["link"] == consent_link

    # The customer, on a phone, reads what is wrong and how long it takes, and agrees.
    log_in(phone, customer.username, PASSWORD)
    phone.goto(consent_link)
    expect(phone.locator("#desk-estimate")).to_contain_text(FINDINGS)
    duration = phone.locator("#desk-duration").inner_text()
    assert "1" in duration and "30" in duration
    with phone.expect_navigation():
        phone.click("#desk-agree")
    expect(phone.locator("#desk-consent-given")).to_be_visible()
    consent = Consent.objects.get(ticket=ticket)
    assert (consent.how, consent.given_by, consent.recorded_by) == (ConsentHow.PORTAL, customer.display_name, customer)

    # The agreement starts the repair, with no click on the staff side, and the
    # "please agree" notice leaves the customer's bell.
    assert _status(ticket) == Status.IN_PROGRESS
    asked.refresh_from_db()
    assert asked.read_at is not None or asked.state == Notification.State.WITHDRAWN
    desk.goto(staff_page)
    expect(desk.locator("button[name=action][value=start_work]")).to_have_count(0)

    kinds = list(ticket.events.order_by("created_at", "pk").values_list("kind", flat=True))
    gates = [k for k in kinds if k in ("identity_checked", "diagnosis_recorded", "consent_given")]
    assert gates == ["identity_checked", "diagnosis_recorded", "consent_given"]
    statuses = list(ticket.events.filter(kind="status_changed").order_by("pk").values_list("data__to", flat=True))
    assert statuses == ["diagnosing", "awaiting_consent", "in_progress"]
