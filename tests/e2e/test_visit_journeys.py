"""Browser journeys of an on-site visit, on a phone-sized screen (SV1, SV4, MT6, MT7, SV6).

1. The desk books a visit; the customer confirms it on their phone; the engineer
   checks in from their day, fills the PC checklist, and the customer signs off
   with a finger (mouse moves on the canvas here); the ticket is resolved.
2. The engineer arrives and nobody is there: the absence is recorded with the
   note left at the desk, a text goes to the customer, who books again.

The clock is moved (for every thread, the live server's too) to 10:00 Seoul
time today (the next business day on a weekend or holiday), so the journeys never
straddle midnight and their visits fall in working hours.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from standards.business_calendar import default_calendar
from tests import factories as f
from tests.e2e.helpers import log_in, path_of
from tests.helpers.gates import identity_confirmed
from tickets.lifecycle import Status
from visits.models import Visit, VisitOutcome, VisitState
from visits.seed import pc_checklist_seed

pytestmark = pytest.mark.e2e


@pytest.fixture
def ticket(org, morning):
    # Another journey's flush (transactional_db) removes what data migrations seeded.
    pc_checklist_seed()
    org.customer_dept.visit_rules = "출입증 패용 필수, 보안구역 사진 촬영 금지"
    org.customer_dept.save()
    ticket = f.TicketFactory(
        reporter=org.customer, team=org.team, asset=org.asset, category=org.category, assignee=org.engineer,
        status=Status.ASSIGNED, contact_phone="010-5555-1234",
    )
    identity_confirmed(ticket)  # MT3: check-in starts the diagnosis
    return ticket


def book_on_the_desk(page: Page, ticket, org, day, *, by_phone: bool) -> Visit:
    log_in(page, org.desk_agent.username)
    page.goto(reverse("visits:book", args=[ticket.pk]))
    page.select_option("#id_engineer", str(org.engineer.pk))
    page.fill("#id_purpose", "PC 부팅 불량 점검")
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "10:30")
    page.fill("#id_end_time", "11:30")
    if by_phone:
        page.check("#id_agreed_by_phone")
    with page.expect_navigation():
        page.click("#book-form button[type=submit]")
    visit = Visit.objects.get(ticket=ticket)
    assert path_of(page) == reverse("visits:staff_visit", args=[visit.pk])
    return visit


def check_in_from_the_day(phone: Page, visit: Visit, org) -> None:
    log_in(phone, org.engineer.username)
    phone.goto(reverse("visits:day"))
    card = phone.locator(f".visit-card[data-visit='{visit.pk}']")
    expect(card).to_contain_text("출입증 패용 필수")  # SV5: the department's rules on the card
    expect(card).to_contain_text("010-5555-1234")
    with phone.expect_navigation():
        card.locator("form button[type=submit]").click()
    assert path_of(phone) == reverse("visits:staff_visit", args=[visit.pk])
    expect(phone.locator("#visit-state")).to_have_attribute("class", "badge text-bg-primary")


def draw_signature(phone: Page) -> None:
    canvas = phone.locator("#signature-pad")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    phone.mouse.move(x + 20, y + box["height"] * 0.6)
    phone.mouse.down()
    for i in range(1, 16):
        phone.mouse.move(x + 20 + i * (box["width"] - 40) / 15, y + box["height"] * (0.6 - 0.3 * ((i % 4) / 3)), steps=2)
    phone.mouse.up()


def test_book_confirm_check_in_checklist_and_resolve_with_a_drawn_signature(pages, ticket, org, morning):
    desk = pages.open("desk")
    visit = book_on_the_desk(desk, ticket, org, morning, by_phone=False)
    assert visit.state == VisitState.PROPOSED

    # The customer confirms on their phone (SV1), seeing who comes (SV3).
    customer = pages.open("customer", phone=True)
    log_in(customer, org.customer.username)
    customer.goto(reverse("visits:customer_visit", args=[visit.pk]))
    expect(customer.locator("#engineer")).to_contain_text(org.engineer.display_name)
    expect(customer.locator("#engineer")).to_contain_text("업무지원팀")
    with customer.expect_navigation():
        customer.click("#confirm-button")
    visit.refresh_from_db()
    assert visit.state == VisitState.CONFIRMED

    # The engineer's phone: the day, one tap to check in.
    phone = pages.open("engineer", phone=True)
    check_in_from_the_day(phone, visit, org)

    # Trying to finish before the checklist is done is refused, nothing lost.
    phone.click("#resolve summary")
    phone.fill("#id_signoff_name", "김민수")
    draw_signature(phone)
    with phone.expect_navigation():
        phone.click("#resolve-form button[type=submit]")
    expect(phone.locator("#resolve-form .alert-danger")).to_be_visible()
    expect(phone.locator("#id_signoff_name")).to_have_value("김민수")
    assert phone.locator("#id_signature").input_value().startswith("data:image/png;base64,")
    visit.refresh_from_db()
    assert visit.state == VisitState.CHECKED_IN

    # MT6: the PC checklist, every item marked; one fixed, with its note.
    items = phone.locator("#checklist-form fieldset.checklist-item")
    assert items.count() == 10
    for i in range(10):
        items.nth(i).locator("input[value=ok] + label").click()
    items.nth(3).locator("input[value=fixed] + label").click()
    items.nth(3).locator("input[type=text]").fill("메모리 재장착")
    with phone.expect_navigation():
        phone.click("#checklist-form button[type=submit]")
    assert not visit.checklist_entries.filter(mark="").exists()

    # SV6: the customer signs on the engineer's phone.
    phone.click("#resolve summary")
    phone.fill("#id_work_note", "메모리 재장착 후 정상 부팅 확인")
    phone.fill("#id_signoff_name", "김민수")
    phone.click("[data-signature-clear]")
    draw_signature(phone)
    with phone.expect_navigation():
        phone.click("#resolve-form button[type=submit]")
    expect(phone.locator("#visit-outcome")).to_be_visible()
    expect(phone.locator("#signature-image")).to_be_visible()
    assert phone.locator("#signature-image").evaluate("img => img.naturalWidth") > 0

    visit.refresh_from_db()
    assert visit.state == VisitState.COMPLETED and visit.outcome == VisitOutcome.RESOLVED
    assert visit.signoff_name == "김민수" and visit.signature
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    from helpdesk.notifications.models import Notification

    assert Notification.objects.filter(template="visit_thanks", channel="sms").exists()


def test_the_customer_is_absent_a_text_goes_out_and_they_book_again(pages, ticket, org, morning):
    desk = pages.open("desk")
    visit = book_on_the_desk(desk, ticket, org, morning, by_phone=True)
    assert visit.state == VisitState.CONFIRMED

    phone = pages.open("engineer", phone=True)
    check_in_from_the_day(phone, visit, org)

    # No reason: refused, and the form is still there.
    phone.click("#absent summary")
    with phone.expect_navigation():
        phone.click("#absent form button[type=submit]")
    expect(phone.locator("#absent .invalid-feedback, #absent .alert-danger").first).to_be_visible()

    phone.fill("#id_note", "명함과 함께 방문 메모를 책상에 남겼습니다")
    with phone.expect_navigation():
        phone.click("#absent form button[type=submit]")
    expect(phone.locator("#visit-outcome")).to_be_visible()
    visit.refresh_from_db()
    assert visit.outcome == VisitOutcome.CUSTOMER_ABSENT

    from helpdesk.notifications.models import Notification

    sms = Notification.objects.get(template="visit_absent", channel="sms")
    assert sms.to_phone == "01055551234" and sms.context["link"] == f"/visits/{visit.pk}/"

    # MT7: the link in the text lets the customer book again.
    customer = pages.open("customer", phone=True)
    log_in(customer, org.customer.username)
    customer.goto(sms.context["link"])
    expect(customer.locator("#result")).to_contain_text("명함과 함께 방문 메모")
    # The next business day: a customer's time outside working hours is refused.
    tomorrow = morning + timedelta(days=1)
    while not default_calendar().is_business_day(tomorrow):
        tomorrow += timedelta(days=1)
    customer.fill("#rebook input[name=date]", tomorrow.isoformat())
    customer.fill("#rebook input[name=start_time]", "14:00")
    customer.fill("#rebook input[name=end_time]", "15:00")
    with customer.expect_navigation():
        customer.click("#rebook button[type=submit]")
    following = Visit.objects.exclude(pk=visit.pk).get()
    assert following.previous_visit == visit and following.proposed_by == "customer"
    assert path_of(customer) == reverse("visits:customer_visit", args=[following.pk])
