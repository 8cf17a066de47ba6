"""The one set of bounds for dates, times and numbers people (or machines) type.

Browsers send whatever a date picker, a hand-edited link or a script holds:
`0001-01-01`, `9999-12-31`, 20-digit ids. Unbounded, such values reach the
business calendar (which would walk day by day to the year 9999), overflow a
`date + 1 day`, or an integer column. Every form field and query parameter is
therefore bounded here, once, with one message ("Enter a date between … and
…") beside the field, and the value typed drawn again.

A range is counted in whole calendar years around today (in Seoul), so that it
reads plainly on the page: "between 2024-01-01 and 2028-12-31".

| kind of date             | first day … last day              | used by                                   |
|--------------------------|-----------------------------------|-------------------------------------------|
| RECORDED (has happened)  | 1 Jan, 5 years back … today       | the queue's "received" filters            |
| PLANNED (promised)       | 1 Jan last year … 31 Dec, 2 ahead | visit windows, delay notices, requested   |
|                          |                                   | completion                                |
| CALENDAR (either way)    | 1 Jan, 2 back … 31 Dec, 2 ahead   | the engineer's day, large-work windows    |
| STANDARDS (admin)        | 1 Jan, 5 back … 31 Dec, 2 ahead   | closure and open days, a standard's start |

A promised date in the past is within PLANNED on purpose: the service refuses
it with its own, clearer words ("must be in the future"), naming the moment.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

# How far back a record may reach, and how far ahead a plan or promise.
HISTORY_YEARS = 5
PLANNING_YEARS = 2

OUT_OF_RANGE = _("Enter a date between %(first)s and %(last)s.")

# The largest id or count a query string or hidden field may carry: the range of
# an integer column, so that no lookup or insert overflows.
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class DateBounds:
    """Whole calendar years before and after this one; `None` on a side means
    "today" (past-only or future-only)."""

    years_back: int | None
    years_ahead: int | None

    def span(self, today: date | None = None) -> tuple[date, date]:
        """(first, last) allowed day, counted from `today` (Seoul's by default)."""
        today = today or timezone.localdate()
        first = today if self.years_back is None else date(today.year - self.years_back, 1, 1)
        last = today if self.years_ahead is None else date(today.year + self.years_ahead, 12, 31)
        return first, last

    def check(self, day: date, today: date | None = None) -> None:
        """Raise the shared message when `day` falls outside the span."""
        first, last = self.span(today)
        if not first <= day <= last:
            raise forms.ValidationError(
                OUT_OF_RANGE, code="out_of_range", params={"first": first.isoformat(), "last": last.isoformat()}
            )

    def message(self, today: date | None = None) -> str:
        first, last = self.span(today)
        return str(OUT_OF_RANGE) % {"first": first.isoformat(), "last": last.isoformat()}


RECORDED = DateBounds(years_back=HISTORY_YEARS, years_ahead=None)
PLANNED = DateBounds(years_back=1, years_ahead=PLANNING_YEARS)
CALENDAR = DateBounds(years_back=PLANNING_YEARS, years_ahead=PLANNING_YEARS)
STANDARDS = DateBounds(years_back=HISTORY_YEARS, years_ahead=PLANNING_YEARS)


class BoundedMixin:
    """For DateField and DateTimeField: the value's own calendar day (as typed,
    before any zone conversion) must fall within `bounds`; the widget's
    min/max tell a date picker the same."""

    bounds: DateBounds = CALENDAR

    def __init__(self, *args: Any, bounds: DateBounds | None = None, **kwargs: Any) -> None:
        if bounds is not None:
            self.bounds = bounds
        super().__init__(*args, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)  # type: ignore[misc]
        if value not in self.empty_values:  # type: ignore[attr-defined]
            # An aware datetime's .date() is the day in the zone it was typed in:
            # converting year 1 or 9999 to another zone could itself overflow.
            self.bounds.check(value.date() if isinstance(value, datetime) else value)

    def range_attrs(self) -> dict[str, str]:
        first, last = self.bounds.span()
        if isinstance(self, forms.DateTimeField):
            return {"min": f"{first.isoformat()}T00:00", "max": f"{last.isoformat()}T23:59"}
        return {"min": first.isoformat(), "max": last.isoformat()}

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        # Each form gets a copy of its class's fields: today's span goes on the
        # copy, since the class was built when the process started (maybe last year).
        result = super().__deepcopy__(memo)  # type: ignore[misc]
        result.widget.attrs.update(result.range_attrs())
        return result


class BoundedDateField(BoundedMixin, forms.DateField):
    pass


class BoundedDateTimeField(BoundedMixin, forms.DateTimeField):
    pass


def date_validator(bounds: DateBounds) -> Callable[[Any], None]:
    """A validator for a form field Django built (a model form's date or
    date-time, the admin's split date-time): the same span and message."""

    def validate(value: Any) -> None:
        if value is not None:
            bounds.check(value.date() if isinstance(value, datetime) else value)

    return validate


def number_at_most(field: forms.Field, high: int | Decimal) -> None:
    """Bound a number field Django built (a model form's) from above, with
    Django's own message, and tell the browser's number input the same. (Its
    lower bound is the model's: a positive field, or a rule in clean().)"""
    field.validators.append(MaxValueValidator(high))
    field.widget.attrs["max"] = str(high)


def date_param(raw: Any, bounds: DateBounds) -> tuple[date | None, str]:
    """A date from a query string: (the date, "") when it parses and is in
    bounds, else (None, why) so the page ignores it and says so."""
    text = str(raw or "").strip()
    if not text:
        return None, ""
    try:
        day = parse_date(text[:32])
    except ValueError:  # the right shape, an impossible day: 2026-02-30
        day = None
    if day is None:
        return None, str(forms.DateField.default_error_messages["invalid"])  # Django's words
    try:
        bounds.check(day)
    except forms.ValidationError:
        return None, bounds.message()
    return day, ""


_CONTROL = dict.fromkeys(range(32))


def text_param(raw: Any, max_length: int = 100) -> str:
    """Search text from a query string: control characters dropped (PostgreSQL
    refuses a NUL in any text), trimmed, at most `max_length` characters."""
    return str(raw or "").translate(_CONTROL).strip()[:max_length]


def id_param(raw: Any) -> int | None:
    """A positive id from a query string or hidden field, or None: ASCII digits
    only ("²".isdigit() is true, int("²") fails), at most MAX_ID."""
    text = str(raw if raw is not None else "").strip()
    if not text or len(text) > 10 or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
