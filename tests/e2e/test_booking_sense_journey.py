"""Booking sense in the browser (issue 18, item 5): the desk types a visit for a
Sunday; it is refused beside the date with the next open times as buttons; a
tap fills the date and times without losing anything else typed; the visit is
then booked at that time. On a phone: the desk books from the ticket on the go too.

The clock stands at 10:00 Seoul time on today's business day (the `morning` fixture).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from standards.business_calendar import default_calendar
from tests import factories as f
from tests.e2e.helpers import log_in, path_of, pick_person
from tests.helpers.clock import SEOUL
from tests.helpers.gates import identity_confirmed
from tickets.lifecycle import Status
from visits.models import Visit, VisitState
from visits.seed import pc_checklist_seed

pytestmark = pytest.mark.e2e


@pytest.fixture
def ticket(org, morning):
    pc_checklist_seed()  # another journey's flush removes what data migrations seeded
    ticket = f.TicketFactory(
        reporter=org.customer, team=org.team, asset=org.asset, category=org.category, assignee=org.engineer,
        status=Status.ASSIGNED, contact_phone="010-5555-1234",
    )
    identity_confirmed(ticket)
    return ticket


def test_a_sunday_is_refused_and_a_tapped_open_time_fills_the_form_and_books(pages, ticket, org, morning):
    sunday = morning + timedelta(days=6 - morning.weekday())
    desk = pages.open("desk", phone=True)
    log_in(desk, org.desk_agent.username)
    desk.goto(reverse("visits:book", args=[ticket.pk]))
    pick_person(desk, "#id_engineer", org.engineer)
    pick_person(desk, "#id_companion", org.lead)
    desk.fill("#id_purpose", "모니터 교체 후 화면 점검")
    desk.fill("#id_date", sunday.isoformat())
    desk.fill("#id_start_time", "10:00")
    desk.fill("#id_end_time", "11:30")
    desk.check("#id_agreed_by_phone")
    with desk.expect_navigation():
        desk.click("#book-form button[type=submit]")

    # Refused beside the date, everything typed kept, three open times offered.
    expect(desk.locator("#id_date_error")).to_contain_text(sunday.isoformat())
    assert not Visit.objects.exists()
    slots = desk.locator(".open-slots button")
    expect(slots).to_have_count(3)
    expect(desk.locator("#id_purpose")).to_have_value("모니터 교체 후 화면 점검")
    expect(desk.locator("#id_companion")).to_have_value(str(org.lead.pk))
    expect(desk.locator("#id_agreed_by_phone")).to_be_checked()

    # The first is the next business day's opening, as long as the time typed.
    first = slots.first
    day = date.fromisoformat(first.get_attribute("data-slot-date") or "")
    assert day > sunday and default_calendar().is_business_day(day)
    assert (first.get_attribute("data-slot-start"), first.get_attribute("data-slot-end")) == ("09:00", "10:30")
    first.click()
    expect(desk.locator("#id_date")).to_have_value(day.isoformat())
    expect(desk.locator("#id_start_time")).to_have_value("09:00")
    expect(desk.locator("#id_end_time")).to_have_value("10:30")
    expect(first).to_have_attribute("aria-pressed", "true")
    expect(desk.locator("[data-slot-status]")).to_contain_text("09:00")
    expect(desk.locator("#id_purpose")).to_have_value("모니터 교체 후 화면 점검")  # nothing else touched

    with desk.expect_navigation():
        desk.click("#book-form button[type=submit]")
    visit = Visit.objects.get(ticket=ticket)
    assert path_of(desk) == reverse("visits:staff_visit", args=[visit.pk])
    assert visit.state == VisitState.CONFIRMED and visit.companion == org.lead and not visit.off_hours_requested
    assert visit.agreed_start == datetime.combine(day, time(9, 0), tzinfo=SEOUL)
    assert visit.purpose == "모니터 교체 후 화면 점검"


def test_the_customers_request_books_the_sunday_and_the_card_says_so(pages, ticket, org, morning):
    sunday = morning + timedelta(days=6 - morning.weekday())
    desk = pages.open("desk")
    log_in(desk, org.desk_agent.username)
    desk.goto(reverse("visits:book", args=[ticket.pk]))
    desk.select_option("#id_engineer", str(org.engineer.pk))
    desk.fill("#id_purpose", "주말 교체 작업")
    desk.fill("#id_date", sunday.isoformat())
    desk.fill("#id_start_time", "10:00")
    desk.fill("#id_end_time", "12:00")
    desk.check("#id_off_hours_requested")
    with desk.expect_navigation():
        desk.click("#book-form button[type=submit]")
    visit = Visit.objects.get(ticket=ticket)
    assert visit.off_hours_requested
    expect(desk.locator("#off-hours-requested")).to_be_visible()
