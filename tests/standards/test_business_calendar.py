"""Boundary tests for standards.business_calendar (pure Python, no Django).

The calendar keeps MT1's deadlines honest: business time skips nights, lunch,
weekends, Korean public holidays and admin closures (standards.models.ClosureDay,
read through standards.selectors).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest

from standards.business_calendar import DEFAULT_TZ, BusinessCalendar, WorkingHours, default_calendar
from tests.helpers.clock import SEOUL, kst

H = timedelta(hours=1)
S = timedelta(seconds=1)


def kr_holidays(year: int) -> holidays.HolidayBase:
    # Same default language as the calendar, so names compare equal whatever
    # locale the package falls back to on this machine.
    return holidays.country_holidays("KR", years=year)


@pytest.fixture
def cal() -> BusinessCalendar:
    return default_calendar()


# --- end-of-day boundary ------------------------------------------------


def test_add_one_second_before_close_lands_exactly_on_close(cal: BusinessCalendar) -> None:
    # Tue 2026-03-03 (Mon 03-02 is a substitute holiday).
    assert cal.add(kst(2026, 3, 3, 17, 59, 59), S) == kst(2026, 3, 3, 18)


def test_add_at_close_starts_next_morning(cal: BusinessCalendar) -> None:
    assert cal.add(kst(2026, 3, 3, 18), S) == kst(2026, 3, 4, 9, 0, 1)


def test_add_one_second_after_close_starts_next_morning(cal: BusinessCalendar) -> None:
    assert cal.add(kst(2026, 3, 3, 18, 0, 1), S) == kst(2026, 3, 4, 9, 0, 1)


def test_add_that_fills_the_afternoon_stays_on_same_day(cal: BusinessCalendar) -> None:
    assert cal.add(kst(2026, 3, 3, 17), H) == kst(2026, 3, 3, 18)


def test_add_crossing_close_continues_next_morning(cal: BusinessCalendar) -> None:
    assert cal.add(kst(2026, 3, 3, 17, 59, 59), 2 * S) == kst(2026, 3, 4, 9, 0, 1)


def test_is_open_around_close(cal: BusinessCalendar) -> None:
    assert cal.is_open(kst(2026, 3, 3, 17, 59, 59))
    assert not cal.is_open(kst(2026, 3, 3, 18))
    assert not cal.is_open(kst(2026, 3, 3, 18, 0, 1))


def test_is_open_around_opening(cal: BusinessCalendar) -> None:
    assert not cal.is_open(kst(2026, 3, 3, 8, 59, 59))
    assert cal.is_open(kst(2026, 3, 3, 9))


def test_next_open_around_close(cal: BusinessCalendar) -> None:
    assert cal.next_open(kst(2026, 3, 3, 17, 59, 59)) == kst(2026, 3, 3, 17, 59, 59)
    assert cal.next_open(kst(2026, 3, 3, 18)) == kst(2026, 3, 4, 9)
    assert cal.next_open(kst(2026, 3, 3, 18, 0, 1)) == kst(2026, 3, 4, 9)
    assert cal.next_open(kst(2026, 3, 4, 0, 0)) == kst(2026, 3, 4, 9)


def test_between_around_close(cal: BusinessCalendar) -> None:
    assert cal.between(kst(2026, 3, 3, 17, 59, 59), kst(2026, 3, 3, 18)) == S
    assert cal.between(kst(2026, 3, 3, 17, 59, 59), kst(2026, 3, 3, 18, 0, 1)) == S
    assert cal.between(kst(2026, 3, 3, 18), kst(2026, 3, 4, 9)) == timedelta(0)
    assert cal.between(kst(2026, 3, 3, 17, 59, 59), kst(2026, 3, 4, 9, 0, 1)) == 2 * S


# --- lunch ----------------------------------------------------------------


def test_add_across_lunch(cal: BusinessCalendar) -> None:
    assert cal.add(kst(2026, 3, 3, 11, 30), H) == kst(2026, 3, 3, 13, 30)


def test_add_that_fills_the_morning_stays_at_lunch_start(cal: BusinessCalendar) -> None:
    assert cal.add(kst(2026, 3, 3, 11), H) == kst(2026, 3, 3, 12)


def test_add_started_during_lunch_counts_from_lunch_end(cal: BusinessCalendar) -> None:
    assert cal.add(kst(2026, 3, 3, 12, 30), H) == kst(2026, 3, 3, 14)
    assert cal.next_open(kst(2026, 3, 3, 12, 30)) == kst(2026, 3, 3, 13)


def test_lunch_boundaries_to_the_second(cal: BusinessCalendar) -> None:
    assert cal.add(kst(2026, 3, 3, 11, 59, 59), S) == kst(2026, 3, 3, 12)
    assert cal.add(kst(2026, 3, 3, 12), S) == kst(2026, 3, 3, 13, 0, 1)
    assert cal.is_open(kst(2026, 3, 3, 11, 59, 59))
    assert not cal.is_open(kst(2026, 3, 3, 12))
    assert not cal.is_open(kst(2026, 3, 3, 12, 59, 59))
    assert cal.is_open(kst(2026, 3, 3, 13))


def test_between_excludes_lunch(cal: BusinessCalendar) -> None:
    assert cal.between(kst(2026, 3, 3, 11, 30), kst(2026, 3, 3, 13, 30)) == H
    assert cal.between(kst(2026, 3, 3, 9), kst(2026, 3, 3, 18)) == 8 * H


def test_lunch_can_be_disabled() -> None:
    cal = BusinessCalendar(WorkingHours(lunch_start=time(12), lunch_end=time(12)))
    assert cal.add(kst(2026, 3, 3, 11, 30), H) == kst(2026, 3, 3, 12, 30)
    assert cal.is_open(kst(2026, 3, 3, 12))
    assert cal.between(kst(2026, 3, 3, 9), kst(2026, 3, 3, 18)) == 9 * H


# --- weekends ---------------------------------------------------------------


def test_friday_afternoon_rolls_to_monday(cal: BusinessCalendar) -> None:
    # Fri 2026-03-06 -> Mon 2026-03-09.
    assert cal.add(kst(2026, 3, 6, 17), 2 * H) == kst(2026, 3, 9, 10)


def test_start_on_saturday_begins_monday_morning(cal: BusinessCalendar) -> None:
    assert not cal.is_business_day(date(2026, 3, 7))
    assert not cal.is_open(kst(2026, 3, 7, 10))
    assert cal.next_open(kst(2026, 3, 7, 10)) == kst(2026, 3, 9, 9)
    assert cal.add(kst(2026, 3, 7, 10), H) == kst(2026, 3, 9, 10)
    assert cal.between(kst(2026, 3, 7, 10), kst(2026, 3, 9, 10)) == H


def test_weekend_counts_for_nothing(cal: BusinessCalendar) -> None:
    assert cal.between(kst(2026, 3, 6, 18), kst(2026, 3, 9, 9)) == timedelta(0)


# --- Seollal 2026 ---------------------------------------------------------


def test_seollal_2026_days_match_holidays_package(cal: BusinessCalendar) -> None:
    kr = kr_holidays(2026)
    seollal = [date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18)]
    for d in seollal:
        assert d in kr
        assert cal.holiday_name(d) == kr.get(d)
        assert not cal.is_business_day(d)
    # Seollal 2026 falls Mon-Wed, so the package lists no substitute day and
    # the desk reopens on Thursday.
    assert date(2026, 2, 19) not in kr
    assert cal.is_business_day(date(2026, 2, 19))
    assert cal.holiday_name(date(2026, 2, 19)) is None


def test_ticket_opened_friday_afternoon_before_seollal(cal: BusinessCalendar) -> None:
    # Fri 02-13 16:00: 2h today, then Sat/Sun + three Seollal days are closed.
    assert cal.add(kst(2026, 2, 13, 16), 4 * H) == kst(2026, 2, 19, 11)
    assert cal.next_open(kst(2026, 2, 14, 9)) == kst(2026, 2, 19, 9)
    assert cal.between(kst(2026, 2, 13, 16), kst(2026, 2, 19, 11)) == 4 * H


# --- Chuseok 2026 ---------------------------------------------------------


def test_chuseok_2026_days_match_holidays_package(cal: BusinessCalendar) -> None:
    kr = kr_holidays(2026)
    for d in (date(2026, 9, 24), date(2026, 9, 25), date(2026, 9, 26)):
        assert d in kr
        assert cal.holiday_name(d) == kr.get(d)
        assert not cal.is_business_day(d)
    # Every non-weekend holiday the package lists around Chuseok (including
    # any substitute day it may add) must close the desk.
    window = [date(2026, 9, 20) + timedelta(days=i) for i in range(21)]
    for d in window:
        if d in kr:
            assert not cal.is_business_day(d), d
        elif d.weekday() < 5:
            assert cal.is_business_day(d), d
    # The third day is a Saturday, which does not trigger a Chuseok substitute,
    # but National Foundation Day (Sat 10-03) does: Mon 10-05.
    assert date(2026, 9, 28) not in kr
    assert date(2026, 10, 5) in kr


def test_ticket_opened_afternoon_before_chuseok(cal: BusinessCalendar) -> None:
    # Wed 09-23 17:00: 1h today, Thu-Sun closed, 2h on Mon 09-28.
    assert cal.add(kst(2026, 9, 23, 17), 3 * H) == kst(2026, 9, 28, 11)


def test_substitute_holiday_after_national_foundation_day(cal: BusinessCalendar) -> None:
    # Fri 10-02 17:00: 1h today, weekend, Mon 10-05 substitute holiday.
    assert cal.holiday_name(date(2026, 10, 5)) == kr_holidays(2026).get(date(2026, 10, 5))
    assert cal.add(kst(2026, 10, 2, 17), 2 * H) == kst(2026, 10, 6, 10)


# --- year end -------------------------------------------------------------


def test_year_end_crosses_new_years_day(cal: BusinessCalendar) -> None:
    assert date(2027, 1, 1) in kr_holidays(2027)
    # Thu 12-31 17:00: 1h today, Fri 01-01 holiday, weekend, Mon 01-04.
    assert cal.add(kst(2026, 12, 31, 17), 2 * H) == kst(2027, 1, 4, 10)
    assert cal.between(kst(2026, 12, 31, 17), kst(2027, 1, 4, 10)) == 2 * H


# --- admin closures and open-day overrides --------------------------------


def test_admin_closure_day_is_skipped() -> None:
    cal = default_calendar(closures=[date(2026, 3, 9)])
    assert not cal.is_business_day(date(2026, 3, 9))
    assert cal.holiday_name(date(2026, 3, 9)) is None
    assert cal.add(kst(2026, 3, 6, 17), 2 * H) == kst(2026, 3, 10, 10)
    assert cal.between(kst(2026, 3, 6, 17), kst(2026, 3, 10, 10)) == 2 * H
    assert not cal.is_open(kst(2026, 3, 9, 10))


def test_open_day_overrides_weekend() -> None:
    cal = default_calendar(open_days=[date(2026, 3, 7)])
    assert cal.is_business_day(date(2026, 3, 7))
    assert cal.add(kst(2026, 3, 6, 17), 2 * H) == kst(2026, 3, 7, 10)
    assert cal.is_open(kst(2026, 3, 7, 10))


def test_open_day_overrides_public_holiday() -> None:
    labour_day = date(2026, 5, 1)
    assert labour_day in kr_holidays(2026)
    cal = default_calendar(open_days=[labour_day])
    assert cal.is_business_day(labour_day)
    # Still reported as a holiday: the override changes hours, not the name.
    assert cal.holiday_name(labour_day) == kr_holidays(2026).get(labour_day)
    assert cal.add(kst(2026, 4, 30, 17), 2 * H) == kst(2026, 5, 1, 10)


def test_date_both_closed_and_open_is_rejected() -> None:
    with pytest.raises(ValueError):
        default_calendar(closures=[date(2026, 3, 7)], open_days=[date(2026, 3, 7)])


def test_closures_reject_datetimes() -> None:
    with pytest.raises(TypeError):
        default_calendar(closures=[kst(2026, 3, 9)])


# --- add/between inverse property -----------------------------------------


def _random_moment(rng: random.Random, *, inside_hours: bool, cal: BusinessCalendar) -> datetime:
    base = kst(2025, 12, 1)
    while True:
        moment = base + timedelta(seconds=rng.randrange(0, 800 * 24 * 3600))
        if not inside_hours or cal.is_open(moment):
            return moment


def _random_delta(rng: random.Random) -> timedelta:
    # Mix of sub-minute, intra-day and multi-week deltas, plus exact multiples
    # of a working day/period to hit the end-of-period convention.
    kind = rng.randrange(4)
    if kind == 0:
        return timedelta(seconds=rng.randrange(1, 120))
    if kind == 1:
        return timedelta(seconds=rng.randrange(1, 8 * 3600))
    if kind == 2:
        return timedelta(hours=rng.choice([1, 3, 5, 8, 16, 24, 40]))
    return timedelta(seconds=rng.randrange(1, 400 * 3600))


def test_between_inverts_add_for_starts_inside_hours(cal: BusinessCalendar) -> None:
    rng = random.Random(20260216)
    for _ in range(400):
        start = _random_moment(rng, inside_hours=True, cal=cal)
        delta = _random_delta(rng)
        end = cal.add(start, delta)
        assert cal.between(start, end) == delta, (start, delta, end)
        assert end >= start


def test_between_inverts_add_for_any_start(cal: BusinessCalendar) -> None:
    rng = random.Random(20260924)
    for _ in range(400):
        start = _random_moment(rng, inside_hours=False, cal=cal)
        delta = _random_delta(rng)
        end = cal.add(start, delta)
        assert cal.between(start, end) == delta, (start, delta, end)
        # A positive delta always ends inside a period or exactly on its end.
        assert cal.is_open(end) or cal.is_open(end - S)


def test_add_is_additive_and_monotonic(cal: BusinessCalendar) -> None:
    rng = random.Random(20261231)
    for _ in range(200):
        start = _random_moment(rng, inside_hours=False, cal=cal)
        a, b = _random_delta(rng), _random_delta(rng)
        assert cal.add(cal.add(start, a), b) == cal.add(start, a + b)
        assert cal.add(start, min(a, b)) <= cal.add(start, max(a, b))


# --- input validation -------------------------------------------------------


def test_naive_datetime_raises(cal: BusinessCalendar) -> None:
    naive = datetime(2026, 3, 3, 10)
    with pytest.raises(ValueError):
        cal.add(naive, H)
    with pytest.raises(ValueError):
        cal.add(naive, timedelta(0))
    with pytest.raises(ValueError):
        cal.between(naive, kst(2026, 3, 4, 10))
    with pytest.raises(ValueError):
        cal.between(kst(2026, 3, 3, 10), naive)
    with pytest.raises(ValueError):
        cal.next_open(naive)
    with pytest.raises(ValueError):
        cal.is_open(naive)


def test_negative_delta_raises(cal: BusinessCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add(kst(2026, 3, 3, 10), -S)


def test_zero_delta_returns_start_even_outside_hours(cal: BusinessCalendar) -> None:
    saturday_night = kst(2026, 3, 7, 23, 15)
    assert cal.add(saturday_night, timedelta(0)) == saturday_night
    assert cal.add(kst(2026, 3, 3, 10), timedelta(0)) == kst(2026, 3, 3, 10)


def test_between_is_zero_when_end_not_after_start(cal: BusinessCalendar) -> None:
    assert cal.between(kst(2026, 3, 3, 10), kst(2026, 3, 3, 10)) == timedelta(0)
    assert cal.between(kst(2026, 3, 4, 10), kst(2026, 3, 3, 10)) == timedelta(0)


def test_other_timezones_are_converted_to_calendar_tz(cal: BusinessCalendar) -> None:
    # 00:00 UTC is 09:00 KST.
    start = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)
    result = cal.add(start, H)
    assert result == kst(2026, 3, 3, 10)
    assert result.tzinfo == SEOUL
    assert cal.is_open(start)
    assert not cal.is_open(start - S)
    assert cal.next_open(start - S).tzinfo == SEOUL
    assert cal.add(start, timedelta(0)).tzinfo == SEOUL


# --- large deltas ----------------------------------------------------------


def test_large_delta_matches_repeated_single_hours(cal: BusinessCalendar) -> None:
    start = kst(2026, 1, 28, 14, 20)
    stepped = start
    for _ in range(300):
        stepped = cal.add(stepped, H)
    assert cal.add(start, 300 * H) == stepped


def test_2000_business_hours_is_250_business_days(cal: BusinessCalendar) -> None:
    # 2000h / 8h = exactly 250 days, so the deadline is 18:00 on the 250th
    # business day counting the start day (end-of-period convention).
    start = kst(2026, 1, 5, 9)
    d, counted = date(2026, 1, 5), 0
    while True:
        if cal.is_business_day(d):
            counted += 1
            if counted == 250:
                break
        d += timedelta(days=1)
    expected = datetime.combine(d, time(18), tzinfo=SEOUL)
    assert cal.add(start, 2000 * H) == expected
    assert cal.between(start, expected) == 2000 * H


# --- WorkingHours / calendar configuration -------------------------------


def test_working_hours_defaults() -> None:
    wh = WorkingHours()
    assert (wh.day_start, wh.lunch_start, wh.lunch_end, wh.day_end) == (time(9), time(12), time(13), time(18))
    assert wh.weekdays == frozenset({0, 1, 2, 3, 4})
    assert wh.day_length == 8 * H


@pytest.mark.parametrize(
    "kwargs",
    [
        {"day_start": time(18), "day_end": time(9)},  # inverted day
        {"day_start": time(12)},  # lunch starts at opening
        {"lunch_start": time(13), "lunch_end": time(12)},  # inverted lunch
        {"lunch_end": time(18)},  # lunch ends at closing
        {"lunch_start": time(8), "lunch_end": time(8, 30)},  # lunch before opening
        {"lunch_start": time(18), "lunch_end": time(19)},  # lunch after closing
        {"day_start": time(9), "day_end": time(9)},  # empty day
        {"weekdays": frozenset({0, 7})},  # not a weekday number
    ],
)
def test_working_hours_validation(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WorkingHours(**kwargs)  # type: ignore[arg-type]


def test_working_hours_is_frozen_and_normalises_weekdays() -> None:
    wh = WorkingHours(weekdays={0, 1, 2, 3, 4, 5})  # type: ignore[arg-type]
    assert isinstance(wh.weekdays, frozenset)
    with pytest.raises(AttributeError):
        wh.day_start = time(8)  # type: ignore[misc]


def test_custom_weekdays_include_saturday() -> None:
    cal = BusinessCalendar(WorkingHours(weekdays=frozenset({0, 1, 2, 3, 4, 5})))
    assert cal.add(kst(2026, 3, 6, 17), 2 * H) == kst(2026, 3, 7, 10)


def test_default_calendar_configuration() -> None:
    cal = default_calendar()
    assert cal.tz == DEFAULT_TZ == SEOUL
    assert cal.hours == WorkingHours()


def test_holiday_name_in_korean() -> None:
    cal = BusinessCalendar(language="ko")
    expected = holidays.country_holidays("KR", years=2026, language="ko").get(date(2026, 2, 17))
    assert cal.holiday_name(date(2026, 2, 17)) == expected


def test_calendar_without_any_business_day_raises_instead_of_hanging() -> None:
    cal = BusinessCalendar(WorkingHours(weekdays=frozenset()), open_days=[date(2026, 3, 7)])
    # Friday is not a working day here, so the hour is served Saturday 09-10.
    assert cal.add(kst(2026, 3, 6, 17), H) == kst(2026, 3, 7, 10)
    with pytest.raises(ValueError):
        cal.add(kst(2026, 3, 8, 9), H)
