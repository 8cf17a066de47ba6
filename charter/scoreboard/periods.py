"""The periods a scoreboard can show: a week (Monday to Sunday), a month, a
quarter, a year, or a custom range of days; each knows the one before it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from django.utils.translation import gettext as _

PeriodKind = Literal["week", "month", "quarter", "year", "custom"]
KINDS: tuple[PeriodKind, ...] = ("week", "month", "quarter", "year", "custom")
MAX_CUSTOM_DAYS = 366


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first: date
    last: date  # inclusive

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last

    def shifted(self, steps: int) -> Period:
        """The period `steps` before (negative) or after (positive) this one."""
        if self.kind == "week":
            return Period("week", self.first + timedelta(weeks=steps), self.last + timedelta(weeks=steps))
        if self.kind in ("month", "quarter", "year"):
            months = {"month": 1, "quarter": 3, "year": 12}[self.kind] * steps
            first = _add_months(self.first, months)
            last = _add_months(first, {"month": 1, "quarter": 3, "year": 12}[self.kind]) - timedelta(days=1)
            return Period(self.kind, first, last)
        offset = timedelta(days=self.days * steps)
        return Period("custom", self.first + offset, self.last + offset)

    def previous(self) -> Period:
        return self.shifted(-1)

    def label(self) -> str:
        if self.kind == "month":
            return _("%(year)d-%(month)02d") % {"year": self.first.year, "month": self.first.month}
        if self.kind == "quarter":
            return _("%(year)d Q%(quarter)d") % {"year": self.first.year, "quarter": (self.first.month - 1) // 3 + 1}
        if self.kind == "year":
            return _("%(year)d") % {"year": self.first.year}
        return f"{self.first:%Y-%m-%d} ~ {self.last:%Y-%m-%d}"

    def short_label(self) -> str:
        """For a sparkline's tick: the shortest thing that tells periods apart."""
        if self.kind == "month":
            return f"{self.first:%y.%m}"
        if self.kind == "quarter":
            return f"{self.first:%y}Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.first:%Y}"
        return f"{self.first:%m.%d}"


def period_of(kind: PeriodKind, day: date) -> Period:
    """The week, month, quarter or year that holds `day`."""
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period("week", first, first + timedelta(days=6))
    if kind == "month":
        first = _month_start(day)
        return Period("month", first, _add_months(first, 1) - timedelta(days=1))
    if kind == "quarter":
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period("quarter", first, _add_months(first, 3) - timedelta(days=1))
    if kind == "year":
        return Period("year", date(day.year, 1, 1), date(day.year, 12, 31))
    raise ValueError(kind)


def custom_period(first: date, last: date) -> Period:
    return Period("custom", first, last)


def last_month(today: date) -> Period:
    return period_of("month", _add_months(_month_start(today), -1))


def trail(period: Period, count: int = 12) -> list[Period]:
    """The `count` periods ending with `period`, oldest first."""
    return [period.shifted(-i) for i in range(count - 1, -1, -1)]
