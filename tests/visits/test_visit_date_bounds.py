"""Issue 16's bounds on the visit pages: the engineer's day (`?date=`, two years
either side) never fails and says why a date was not shown; a visit window's
day is a promise (up to two years ahead; one in the past is the booking
service's to refuse, in its own words), refused beside the field with what was
typed kept."""
from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from visits.models import Visit

DAY_RANGE = "Enter a date between 2024-01-01 and 2028-12-31."
WINDOW_RANGE = "Enter a date between 2025-01-01 and 2028-12-31."


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("2026-02-30", "Enter a valid date."),
        ("9999-12-31", DAY_RANGE),
        ("0001-01-01", DAY_RANGE),
        ("2023-12-31", DAY_RANGE),
        ("2029-01-01", DAY_RANGE),
    ],
)
def test_the_day_view_shows_today_saying_why_the_date_was_not_shown(org, frozen, en_client_for, typed, why):
    response = en_client_for(org.engineer).get(reverse("visits:day"), {"date": typed})
    assert response.status_code == 200
    assert response.context["day"] == date(2026, 3, 10)
    assert response.context["notices"] == [f"That date was not understood; showing today. {why}"]
    assert why in response.content.decode()


@pytest.mark.parametrize("typed", ["2024-01-01", "2028-12-31"])
def test_the_first_and_last_day_the_view_shows(org, frozen, en_client_for, typed):
    response = en_client_for(org.engineer).get(reverse("visits:day"), {"date": typed})
    assert response.context["day"] == date.fromisoformat(typed) and response.context["notices"] == []


def booking(org, day: str) -> dict[str, object]:
    return {"engineer": org.engineer.pk, "purpose": "부팅 불량 점검", "date": day, "start_time": "10:00", "end_time": "11:00"}


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-02-30", "Enter a valid date."),
        ("9999-12-31", WINDOW_RANGE),
        ("0001-01-01", WINDOW_RANGE),
        ("2024-12-31", WINDOW_RANGE),
        ("2029-01-01", WINDOW_RANGE),
    ],
)
def test_a_booking_out_of_range_is_a_message_beside_the_date_keeping_what_was_typed(ticket, org, en_client_for, typed, error):
    response = en_client_for(org.desk_agent).post(reverse("visits:book", args=[ticket.pk]), booking(org, typed))
    assert response.status_code == 200
    assert response.context["form"].errors == {"date": [error]}
    html = response.content.decode()
    assert error in html and f'value="{typed}"' in html and "부팅 불량 점검" in html
    assert not Visit.objects.exists()


def test_a_booking_on_the_last_allowed_day_is_made(ticket, org, en_client_for):
    # A Sunday: the customer asked for it, as visits keep to business days otherwise.
    data = {**booking(org, "2028-12-31"), "off_hours_requested": "on"}
    response = en_client_for(org.desk_agent).post(reverse("visits:book", args=[ticket.pk]), data)
    assert response.status_code == 302
    assert Visit.objects.get().proposed_start.date() == date(2028, 12, 31)


def test_a_booking_in_the_past_within_range_is_the_services_refusal(ticket, org, en_client_for):
    response = en_client_for(org.desk_agent).post(reverse("visits:book", args=[ticket.pk]), booking(org, "2025-01-01"))
    assert response.status_code == 200
    assert "cannot start in the past" in response.context["form"].errors["date"][0]
