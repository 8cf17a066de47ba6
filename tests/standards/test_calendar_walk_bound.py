"""The business calendar walks at most MAX_WALK_DAYS (issue 16): a deadline in
the year 9999 used to be walked to day by day (then overflowed); now it is
refused at once with CalendarRangeError, which the services turn into a
message beside the field. Plain datetimes, no database."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from standards.business_calendar import MAX_WALK_DAYS, BusinessCalendar, CalendarRangeError, default_calendar

SEOUL = ZoneInfo("Asia/Seoul")
START = datetime(2026, 3, 10, 10, tzinfo=SEOUL)  # a Tuesday, open
LAST_DAY = START + timedelta(days=MAX_WALK_DAYS)
CAL = default_calendar()


def test_the_bound_is_a_few_years():
    assert 3 * 365 < MAX_WALK_DAYS <= 5 * 366


def test_between_counts_up_to_the_last_day_it_may_reach():
    assert CAL.between(START, LAST_DAY.replace(hour=18)) > timedelta(0)


def test_between_refuses_one_day_further_and_the_year_9999():
    for end in (LAST_DAY + timedelta(days=1), datetime(9999, 12, 31, 23, 59, tzinfo=SEOUL)):
        with pytest.raises(CalendarRangeError):
            CAL.between(START, end)


def test_add_refuses_a_delta_it_would_walk_past_the_bound():
    assert CAL.add(START, timedelta(hours=8 * 250)) < LAST_DAY  # a year of business days: fine
    with pytest.raises(CalendarRangeError) as refused:
        CAL.add(START, timedelta(hours=8 * 2000))  # about eight years of business days
    assert refused.value.limit_days == MAX_WALK_DAYS and refused.value.start.isoformat() == "2026-03-10"


@pytest.mark.parametrize(
    "moment",
    # The last minute Python holds in Seoul, and one that is already the year 10000 there.
    [datetime(9999, 12, 31, 23, 59, tzinfo=SEOUL), datetime(9999, 12, 31, 20, tzinfo=ZoneInfo("UTC"))],
)
def test_the_ends_of_pythons_calendar_are_refused_not_overflowed(moment):
    with pytest.raises(CalendarRangeError):
        CAL.add(moment, timedelta(hours=1))
    with pytest.raises(CalendarRangeError):
        CAL.next_open(moment)


def test_time_elapsed_since_the_year_1_is_refused_not_walked():
    with pytest.raises(CalendarRangeError):
        CAL.between(datetime(1, 1, 1, tzinfo=SEOUL), START)


def test_it_is_a_value_error_so_older_callers_still_catch_it():
    assert issubclass(CalendarRangeError, ValueError)


def test_a_calendar_with_no_business_day_is_still_reported_as_misconfigured():
    closed = BusinessCalendar(closures=[START.date() + timedelta(days=i) for i in range(400)])
    with pytest.raises(ValueError) as refused:
        closed.next_open(START)
    assert not isinstance(refused.value, CalendarRangeError)
    assert "no business day" in str(refused.value)
