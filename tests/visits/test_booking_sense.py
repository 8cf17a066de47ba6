"""Booking sense (issue 18, item 5): a visit keeps to working hours on business
days of the service standard's calendar, unless the customer asked for another
time; a refused time comes with the next open times the engineer is free.

The clock stands at 09:00 on Tuesday 10 March 2026 (tests.visits.helpers.NOW);
working hours are the default standard's, 09:00–18:00 with lunch 12:00–13:00.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from helpdesk.core.errors import ActionRefused
from standards.business_calendar import default_calendar
from standards.models import ClosureDay, OpenDay
from standards.selectors import standards_changed
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.gates import identity_confirmed
from tests.visits.helpers import START, book, fill_checklist
from tickets.lifecycle import Status
from visits import services
from visits.models import Visit, VisitEvent, VisitState
from visits.open_hours import Slot, free_slots
from visits.presenters import visit_event_text
from visits.services.guards import OutsideOpenHours

pytestmark = pytest.mark.django_db

SUNDAY = kst(2026, 3, 15, 10)
WEDNESDAY = date(2026, 3, 11)


def closed_on(day: date, reason: str = "창립기념일") -> None:
    ClosureDay.objects.create(date=day, reason=reason)
    standards_changed()  # as the admin does on save


def open_on(day: date, reason: str = "대체 근무일") -> None:
    OpenDay.objects.create(date=day, reason=reason)
    standards_changed()


def refused(ticket, org, start, end=None, **kwargs) -> OutsideOpenHours:
    with pytest.raises(OutsideOpenHours) as caught:
        book(ticket, org, start=start, end=end or start + timedelta(hours=1), **kwargs)
    assert caught.value.field == "start"  # shown beside the date
    assert not Visit.objects.filter(ticket=ticket).exists()
    return caught.value


def slots_of(exc: OutsideOpenHours) -> list[tuple[str, str, str]]:
    return [(s.date_value, s.start_value, s.end_value) for s in exc.slots]


# --- Closed days ----------------------------------------------------------------------------------


def test_a_sunday_is_refused_with_a_clear_message(ticket, org):
    exc = refused(ticket, org, SUNDAY)
    assert exc.message.startswith("2026-03-15 (Sunday) is not a business day: weekend.")
    assert "if the customer asked for this one" in exc.message


def test_chuseok_2026_is_refused_naming_the_holiday(ticket, org, frozen):
    exc = refused(ticket, org, kst(2026, 9, 25, 10))  # a Friday: Chuseok itself
    assert "2026-09-25 (Friday) is not a business day: public holiday: 추석." in exc.message
    # The day before (a Thursday, lunar too) and a substitute holiday are closed as well.
    refused(ticket, org, kst(2026, 9, 24, 14))
    assert "개천절 대체 휴일" in refused(ticket, org, kst(2026, 10, 5, 10)).message


def test_an_admin_closure_day_is_refused_with_its_reason(ticket, org):
    closed_on(WEDNESDAY)
    exc = refused(ticket, org, kst(2026, 3, 11, 10))
    assert "is not a business day: the department is closed (창립기념일)." in exc.message
    # The next open times skip it: Thursday from the opening.
    assert slots_of(exc)[0] == ("2026-03-12", "09:00", "10:00")


def test_an_extra_open_day_opens_a_saturday(ticket, org):
    saturday = kst(2026, 3, 14, 10)
    refused(ticket, org, saturday)
    open_on(saturday.date())
    visit = book(ticket, org, start=saturday, end=saturday + timedelta(hours=1))
    assert visit.proposed_start == saturday and not visit.off_hours_requested


# --- Working hours --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        ((8, 0), (9, 0), "08:00–09:00 is outside working hours (Monday to Friday, 09:00–18:00, except lunch 12:00–13:00)."),
        ((12, 0), (13, 0), "12:00–13:00 overlaps the lunch break (12:00–13:00)."),
        ((11, 30), (12, 30), "11:30–12:30 overlaps the lunch break"),
        ((17, 30), (18, 30), "17:30–18:30 is outside working hours"),
        ((19, 0), (20, 0), "19:00–20:00 is outside working hours"),
    ],
)
def test_a_time_outside_working_hours_is_refused(ticket, org, start, end, says):
    exc = refused(ticket, org, kst(2026, 3, 11, *start), kst(2026, 3, 11, *end))
    assert says in exc.message


@pytest.mark.parametrize(("start", "end"), [((9, 0), (10, 0)), ((11, 0), (12, 0)), ((13, 0), (14, 0)), ((17, 0), (18, 0))])
def test_a_time_exactly_at_the_edges_of_working_hours_is_booked(ticket, org, start, end):
    visit = book(ticket, org, start=kst(2026, 3, 11, *start), end=kst(2026, 3, 11, *end))
    assert visit.state == VisitState.PROPOSED


def test_a_visit_over_midnight_is_refused(ticket, org):
    exc = refused(ticket, org, kst(2026, 3, 11, 17), kst(2026, 3, 12, 10))
    assert "A visit starts and ends on the same day" in exc.message


# --- At the customer's request ------------------------------------------------------------------------


def test_the_customers_request_allows_a_sunday_and_is_recorded_on_the_visit_and_its_events(ticket, org):
    visit = services.visit_book(
        ticket=ticket, engineer=org.engineer, actor=org.desk_agent, start=SUNDAY, end=SUNDAY + timedelta(hours=2),
        purpose="주말 서버실 점검", off_hours_requested=True,
    )
    assert visit.off_hours_requested is True
    booked = VisitEvent.objects.get(visit=visit, kind=VisitEvent.Kind.BOOKED)
    assert booked.data["off_hours_requested"] is True
    assert visit_event_text(booked).endswith("visit outside working hours at the customer's request")
    # The customer confirms the time they asked for.
    services.visit_confirm(visit=visit, actor=org.customer)
    confirmed = VisitEvent.objects.get(visit=visit, kind=VisitEvent.Kind.CONFIRMED)
    assert confirmed.data["off_hours_requested"] is True


def test_an_ordinary_time_reads_without_the_off_hours_note(ticket, org):
    visit = book(ticket, org)
    assert not visit.off_hours_requested
    assert "customer's request" not in visit_event_text(VisitEvent.objects.get(visit=visit, kind=VisitEvent.Kind.BOOKED))


def test_a_reschedule_to_an_evening_needs_the_request_and_a_new_ordinary_time_clears_it(proposed, org):
    evening = kst(2026, 3, 12, 19)
    with pytest.raises(OutsideOpenHours):
        services.visit_propose(visit=proposed, actor=org.desk_agent, start=evening, end=evening + timedelta(hours=1))
    services.visit_propose(
        visit=proposed, actor=org.desk_agent, start=evening, end=evening + timedelta(hours=1), off_hours_requested=True
    )
    proposed.refresh_from_db()
    assert proposed.off_hours_requested and proposed.proposed_start == evening
    services.visit_propose(visit=proposed, actor=org.desk_agent, start=START, end=START + timedelta(hours=1))
    proposed.refresh_from_db()
    assert not proposed.off_hours_requested


def test_a_customer_cannot_tick_the_box_and_is_told_to_call(proposed, org):
    with pytest.raises(OutsideOpenHours) as caught:
        services.visit_propose(
            visit=proposed, actor=org.customer, start=SUNDAY, end=SUNDAY + timedelta(hours=1), off_hours_requested=True
        )
    assert "call the service desk to arrange a visit outside working hours" in caught.value.message
    assert "tick" not in caught.value.message
    proposed.refresh_from_db()
    assert proposed.schedule_version == 1 and not proposed.off_hours_requested


def test_a_closure_announced_after_the_proposal_stops_its_confirmation(proposed, org):
    closed_on(START.date(), "전산실 이전")
    with pytest.raises(ActionRefused) as caught:
        services.visit_confirm(visit=proposed, actor=org.customer)
    assert "the department is closed (전산실 이전)" in caught.value.message
    assert caught.value.message.endswith("Propose a new time.")
    proposed.refresh_from_db()
    assert proposed.state == VisitState.PROPOSED


def test_the_next_visit_after_a_follow_up_keeps_to_working_hours_too(checked_in, org):
    fill_checklist(checked_in, org.engineer)
    saturday = kst(2026, 3, 14, 10)
    with pytest.raises(OutsideOpenHours) as caught:
        services.visit_follow_up(
            visit=checked_in, actor=org.engineer, reason="부품 주문", next_start=saturday, next_end=saturday + timedelta(hours=1)
        )
    assert caught.value.field == "next_start"
    checked_in.refresh_from_db()
    assert checked_in.state == VisitState.CHECKED_IN  # nothing was recorded
    following = services.visit_follow_up(
        visit=checked_in, actor=org.engineer, reason="부품 주문", next_start=saturday,
        next_end=saturday + timedelta(hours=1), off_hours_requested=True,
    )
    assert following.off_hours_requested


# --- The open times offered ---------------------------------------------------------------------------


def _confirmed_visit(org, engineer, start, end, *, companion=None) -> Visit:
    other = f.TicketFactory(reporter=org.customer, team=org.team, assignee=engineer, status=Status.ASSIGNED)
    identity_confirmed(other)
    return services.visit_book(
        ticket=other, engineer=engineer, companion=companion, actor=org.desk_agent, start=start, end=end,
        purpose="다른 점검", agreed_by_phone=True,
    )


def test_the_slots_are_the_next_three_free_times_skipping_lunch_and_the_engineers_visits(ticket, org):
    # The engineer is busy on Wednesday 09:30–10:30 and 13:00–14:00; another engineer's
    # visit and a visit still only proposed do not make him busy.
    _confirmed_visit(org, org.engineer, kst(2026, 3, 11, 9, 30), kst(2026, 3, 11, 10, 30))
    _confirmed_visit(org, org.engineer, kst(2026, 3, 11, 13), kst(2026, 3, 11, 14))
    _confirmed_visit(org, org.other_engineer, kst(2026, 3, 11, 11), kst(2026, 3, 11, 12))
    exc = refused(ticket, org, kst(2026, 3, 10, 19), kst(2026, 3, 10, 20))  # Tuesday evening
    assert slots_of(exc) == [
        ("2026-03-11", "10:30", "11:30"),
        ("2026-03-11", "14:00", "15:00"),
        ("2026-03-11", "15:00", "16:00"),
    ]


def test_the_slots_last_as_long_as_the_time_asked_for_and_start_after_a_weekend(ticket, org):
    exc = refused(ticket, org, SUNDAY, SUNDAY + timedelta(hours=2))
    assert slots_of(exc) == [
        ("2026-03-16", "09:00", "11:00"),
        ("2026-03-16", "13:00", "15:00"),  # 11:00–13:00 would run into lunch
        ("2026-03-16", "15:00", "17:00"),
    ]


def test_the_companions_visits_count_and_the_visit_being_moved_does_not(ticket, org):
    # The lead goes along on Wednesday 10:00–11:00 elsewhere.
    _confirmed_visit(org, org.other_engineer, kst(2026, 3, 11, 10), kst(2026, 3, 11, 11), companion=org.lead)
    visit = book(ticket, org, start=kst(2026, 3, 11, 9), end=kst(2026, 3, 11, 10), companion=org.lead, by_phone=True)
    with pytest.raises(OutsideOpenHours) as caught:
        services.visit_propose(
            visit=visit, actor=org.desk_agent, start=kst(2026, 3, 11, 7), end=kst(2026, 3, 11, 8)
        )
    # 09:00 is this visit's own time (free to move within); 10:00 is the lead's other visit.
    assert slots_of(caught.value) == [
        ("2026-03-11", "09:00", "10:00"),
        ("2026-03-11", "11:00", "12:00"),
        ("2026-03-11", "13:00", "14:00"),
    ]


def test_the_slots_start_from_now_when_the_time_asked_for_is_earlier_today(ticket, org, frozen):
    frozen.move_to(kst(2026, 3, 10, 9, 7))
    exc = refused(ticket, org, kst(2026, 3, 10, 9, 10), kst(2026, 3, 10, 15, 10))  # runs through lunch
    # Six hours fit no working period (the longest is 13:00–18:00): hour-long slots, on the half hour after now.
    assert slots_of(exc)[:2] == [("2026-03-10", "09:30", "10:30"), ("2026-03-10", "10:30", "11:30")]


def test_free_slots_on_the_bare_calendar():
    cal = default_calendar()
    busy = [(kst(2026, 3, 11, 9), kst(2026, 3, 11, 17, 45))]
    slots = free_slots(cal, after=kst(2026, 3, 11, 8, 1), length=timedelta(minutes=30), busy=busy, count=2)
    assert slots == [
        Slot(kst(2026, 3, 12, 9), kst(2026, 3, 12, 9, 30)),  # 17:45–18:15 would pass the end of the day
        Slot(kst(2026, 3, 12, 9, 30), kst(2026, 3, 12, 10)),
    ]
    assert slots[0].label == "2026-03-12 (Thu) 09:00–09:30"


# --- The booking page ------------------------------------------------------------------------------


def booking(org, **changes) -> dict[str, object]:
    data = {
        "engineer": org.engineer.pk,
        "companion": org.lead.pk,
        "purpose": "모니터 교체 후 화면 점검",
        "date": "2026-03-15",
        "start_time": "10:00",
        "end_time": "11:00",
        "agreed_by_phone": "on",
    }
    data.update(changes)
    return data


def test_the_refused_form_keeps_what_was_typed_and_offers_slots_that_fill_it(ticket, org, en_client_for):
    response = en_client_for(org.desk_agent).post(reverse("visits:book", args=[ticket.pk]), booking(org))
    assert response.status_code == 200 and not Visit.objects.exists()
    form = response.context["form"]
    assert "2026-03-15 (Sunday) is not a business day" in form.errors["date"][0]
    html = response.content.decode()
    # Everything typed is still there…
    assert "모니터 교체 후 화면 점검" in html and 'value="2026-03-15"' in html
    assert f'<option value="{org.lead.pk}" selected>' in html
    assert re.search(r'<input type="checkbox" name="agreed_by_phone"[^>]*checked>', html)
    # …with Monday's open times as buttons that fill the date and times.
    assert 'data-slot-date="2026-03-16" data-slot-start="09:00" data-slot-end="10:00"' in html
    assert [s.label for s in form.open_slots] == [
        "2026-03-16 (Mon) 09:00–10:00", "2026-03-16 (Mon) 10:00–11:00", "2026-03-16 (Mon) 11:00–12:00",
    ]
    assert "visits/open_slots.js" in html


def test_ticking_the_box_books_the_sunday_and_the_visit_card_says_so(ticket, org, en_client_for):
    client = en_client_for(org.desk_agent)
    response = client.post(reverse("visits:book", args=[ticket.pk]), booking(org, off_hours_requested="on"))
    visit = Visit.objects.get()
    assert response.status_code == 302 and visit.off_hours_requested and visit.state == VisitState.CONFIRMED
    card = client.get(reverse("visits:staff_visit", args=[visit.pk])).content.decode()
    assert 'id="off-hours-requested"' in card and "Visit outside working hours at the customer&#x27;s request" in card
    mine = en_client_for(org.customer).get(reverse("visits:customer_visit", args=[visit.pk])).content.decode()
    assert "Outside working hours, as you asked" in mine


def test_the_staff_reschedule_form_has_the_box_and_the_customers_has_not(proposed, org, en_client_for):
    staff = en_client_for(org.desk_agent).get(reverse("visits:staff_visit", args=[proposed.pk])).content.decode()
    customer = en_client_for(org.customer).get(reverse("visits:customer_visit", args=[proposed.pk])).content.decode()
    assert 'name="off_hours_requested"' in staff
    assert 'name="off_hours_requested"' not in customer


def test_a_customers_sunday_is_refused_on_their_page_with_slots(proposed, org, en_client_for):
    response = en_client_for(org.customer).post(
        reverse("visits:customer_propose", args=[proposed.pk]),
        {"date": "2026-03-15", "start_time": "10:00", "end_time": "11:00", "note": "오전만 가능합니다", "off_hours_requested": "on"},
    )
    assert response.status_code == 200
    form = response.context["propose_form"]
    assert "call the service desk" in form.errors["date"][0]
    assert form.open_slots and "오전만 가능합니다" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.schedule_version == 1


def test_the_staff_reschedule_with_the_box_is_accepted(proposed, org, en_client_for):
    response = en_client_for(org.desk_agent).post(
        reverse("visits:staff_propose", args=[proposed.pk]),
        {"date": "2026-03-14", "start_time": "10:00", "end_time": "11:00", "off_hours_requested": "on"},
    )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.off_hours_requested and proposed.proposed_start == kst(2026, 3, 14, 10)
