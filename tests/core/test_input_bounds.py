"""The one set of input bounds (helpdesk.core.input_bounds, issue 16): each kind
of date spans whole calendar years around today, refuses one day past either
end with the same message, and query strings never reach a lookup unparsed."""
from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django import forms
from django.utils import translation

from helpdesk.core.input_bounds import (
    CALENDAR,
    MAX_ID,
    PLANNED,
    RECORDED,
    STANDARDS,
    BoundedDateField,
    BoundedDateTimeField,
    date_param,
    id_param,
)
from tests.helpers.clock import kst

TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("bounds", "first", "last"),
    [
        (RECORDED, date(2021, 1, 1), TODAY),
        (PLANNED, date(2025, 1, 1), date(2028, 12, 31)),
        (CALENDAR, date(2024, 1, 1), date(2028, 12, 31)),
        (STANDARDS, date(2021, 1, 1), date(2028, 12, 31)),
    ],
)
def test_each_kind_of_date_spans_its_years_and_refuses_one_day_past_each_end(bounds, first, last):
    assert bounds.span(TODAY) == (first, last)
    bounds.check(first, TODAY)
    bounds.check(last, TODAY)
    for outside in (date.fromordinal(first.toordinal() - 1), date.fromordinal(last.toordinal() + 1), date.min, date.max):
        with pytest.raises(forms.ValidationError) as refused:
            bounds.check(outside, TODAY)
        assert refused.value.code == "out_of_range"
        with translation.override("en"):
            assert refused.value.messages == [f"Enter a date between {first} and {last}."]


def test_the_span_moves_with_today_in_seoul():
    # 31 December 2026, 23:30 in Seoul is still 2026 there (14:30 UTC).
    with time_machine.travel(kst(2026, 12, 31, 23, 30), tick=False):
        assert CALENDAR.span() == (date(2024, 1, 1), date(2028, 12, 31))
        assert RECORDED.span()[1] == date(2026, 12, 31)
    with time_machine.travel(kst(2027, 1, 1, 0, 30), tick=False):
        assert CALENDAR.span() == (date(2025, 1, 1), date(2029, 12, 31))


class Booking(forms.Form):
    day = BoundedDateField(bounds=PLANNED)
    at = BoundedDateTimeField(bounds=PLANNED, required=False)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-02-30", "Enter a valid date."),
        ("9999-12-31", "Enter a date between 2025-01-01 and 2028-12-31."),
        ("0001-01-01", "Enter a date between 2025-01-01 and 2028-12-31."),
        ("2024-12-31", "Enter a date between 2025-01-01 and 2028-12-31."),
        ("2029-01-01", "Enter a date between 2025-01-01 and 2028-12-31."),
        ("2025-01-01", None),
        ("2028-12-31", None),
    ],
)
def test_a_bounded_date_field_refuses_with_the_shared_message(frozen, typed, error):
    form = Booking({"day": typed, "at": f"{typed} 10:00"})
    with translation.override("en"):
        assert form.errors.get("day", [None]) == [error]
        assert form.errors.get("at", [None]) == [error.replace("valid date.", "valid date/time.") if error else None]


def test_a_date_time_at_year_1_or_9999_is_refused_before_any_zone_conversion(frozen):
    # Converting either to UTC would overflow; the day as typed is checked first.
    for typed in ("0001-01-01 00:00", "9999-12-31 23:59"):
        form = Booking({"day": "2026-03-11", "at": typed})
        with translation.override("en"):
            assert form.errors == {"at": ["Enter a date between 2025-01-01 and 2028-12-31."]}


def test_the_date_pickers_min_and_max_are_todays_not_the_process_starts(frozen):
    assert Booking()["day"].field.widget.attrs == {"min": "2025-01-01", "max": "2028-12-31"}
    assert Booking()["at"].field.widget.attrs == {"min": "2025-01-01T00:00", "max": "2028-12-31T23:59"}
    frozen.move_to(kst(2027, 6, 1, 9))
    assert Booking()["day"].field.widget.attrs == {"min": "2026-01-01", "max": "2029-12-31"}


@pytest.mark.parametrize(
    ("raw", "day", "why"),
    [
        ("2026-03-11", date(2026, 3, 11), ""),
        ("", None, ""),
        (None, None, ""),
        ("2026-02-30", None, "Enter a valid date."),
        ("yesterday", None, "Enter a valid date."),
        ("9999-12-31", None, "Enter a date between 2024-01-01 and 2028-12-31."),
        ("0001-01-01", None, "Enter a date between 2024-01-01 and 2028-12-31."),
        ("2023-12-31", None, "Enter a date between 2024-01-01 and 2028-12-31."),
        ("2024-01-01", date(2024, 1, 1), ""),
    ],
)
def test_a_date_from_a_query_string_is_parsed_or_ignored_with_the_reason(frozen, raw, day, why):
    with translation.override("en"):
        assert date_param(raw, CALENDAR) == (day, why)


@pytest.mark.parametrize(
    ("raw", "number"),
    [("42", 42), (" 7 ", 7), (str(MAX_ID), MAX_ID), (str(MAX_ID + 1), None), ("0", None), ("-3", None), ("²", None),
     ("٣", None), ("1e3", None), ("9" * 5000, None), ("", None), (None, None), ("4.0", None), ("0x10", None)],
)
def test_an_id_from_a_query_string_is_ascii_digits_within_an_integer_column(raw, number):
    assert id_param(raw) == number

