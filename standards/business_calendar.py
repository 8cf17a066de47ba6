"""Business-time arithmetic for the helpdesk SLA clock.

Pure Python on purpose (no Django imports) so SLA maths can be unit-tested
and reused from Celery tasks, management commands and reports alike.

Conventions, in one place because SLA disputes are about edge cases:

* Working time is a set of half-open periods per business day, e.g.
  ``[09:00, 12:00)`` and ``[13:00, 18:00)``. ``is_open`` therefore says
  False at exactly 12:00 and 18:00.
* ``add`` lets a deadline land *on* the end of a period (17:00 + 1h is 18:00
  today, not 09:00 tomorrow); a deadline of "end of business today" is what
  people expect to read on a ticket.
* Durations are measured on the wall clock of ``self.tz``. Asia/Seoul has no
  DST, and for zones that do, a working day of 09:00-18:00 should still be
  worth nine hours minus lunch, not eight or ten on transition days.
* A date that is both an admin closure and an extra open day is rejected at
  construction time instead of silently picking a winner.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_TZ",
    "MAX_WALK_DAYS",
    "BusinessCalendar",
    "CalendarRangeError",
    "WorkingHours",
    "default_calendar",
]

DEFAULT_TZ: ZoneInfo = ZoneInfo("Asia/Seoul")

_ONE_DAY = timedelta(days=1)
_ZERO = timedelta(0)

# A calendar whose only working days are a handful of open_days has a finite
# future; without a bound, add()/next_open() would spin forever looking for
# the next opening. A year without a single business day is certainly a
# misconfiguration rather than a real schedule (and it must be found well
# inside MAX_WALK_DAYS, so that it is reported as what it is).
_MAX_CLOSED_RUN_DAYS = 366

# How far the calendar walks from the instant it starts at, in calendar days.
# Every date people may type is bounded to a few years around today
# (helpdesk.core.input_bounds), so a walk longer than this is a bad input that
# slipped through (a year-9999 date walked day by day, then an overflow), not
# a real deadline: it is refused with CalendarRangeError, which callers turn
# into a message beside the field.
MAX_WALK_DAYS = 5 * 366


class CalendarRangeError(ValueError):
    """The calendar was asked to walk further than MAX_WALK_DAYS (or past the
    last date Python can hold). Not a misconfiguration: the input was too far."""

    def __init__(self, start: date | datetime | None, limit_days: int = MAX_WALK_DAYS) -> None:
        self.start = start
        self.limit_days = limit_days
        super().__init__(
            f"business time beyond {limit_days} days of {start!r} is not computed; bound the input instead"
        )


def _since_midnight(t: time) -> timedelta:
    return timedelta(hours=t.hour, minutes=t.minute, seconds=t.second, microseconds=t.microsecond)


@dataclass(frozen=True)
class WorkingHours:
    """Daily opening hours; lunch is disabled with ``lunch_start == lunch_end``."""

    day_start: time = time(9, 0)
    day_end: time = time(18, 0)
    lunch_start: time = time(12, 0)
    lunch_end: time = time(13, 0)
    weekdays: frozenset[int] = field(default_factory=lambda: frozenset({0, 1, 2, 3, 4}))

    def __post_init__(self) -> None:
        for name in ("day_start", "day_end", "lunch_start", "lunch_end"):
            value = getattr(self, name)
            if not isinstance(value, time):
                raise TypeError(f"{name} must be a datetime.time, got {type(value).__name__}")
            # An aware time is meaningless here: the calendar's tz decides the
            # offset, and mixing both would make comparisons raise later on.
            if value.tzinfo is not None:
                raise ValueError(f"{name} must be a naive time; the calendar tz applies")
        if not (self.day_start < self.lunch_start <= self.lunch_end < self.day_end):
            raise ValueError(
                "working hours must satisfy day_start < lunch_start <= lunch_end < day_end, got "
                f"{self.day_start}-{self.lunch_start}-{self.lunch_end}-{self.day_end}"
            )
        # Accept any iterable (sets, lists) from callers but store a frozenset
        # so the dataclass stays hashable and truly immutable.
        weekdays = frozenset(self.weekdays)
        if any(not isinstance(w, int) or isinstance(w, bool) or not 0 <= w <= 6 for w in weekdays):
            raise ValueError(f"weekdays must be ints in 0..6 (Monday=0), got {sorted(weekdays, key=repr)}")
        object.__setattr__(self, "weekdays", weekdays)

    @property
    def has_lunch(self) -> bool:
        return self.lunch_start < self.lunch_end

    def periods(self) -> tuple[tuple[timedelta, timedelta], ...]:
        """Working periods as offsets from midnight, in chronological order."""
        start, end = _since_midnight(self.day_start), _since_midnight(self.day_end)
        if not self.has_lunch:
            return ((start, end),)
        return ((start, _since_midnight(self.lunch_start)), (_since_midnight(self.lunch_end), end))

    @property
    def day_length(self) -> timedelta:
        return sum((end - start for start, end in self.periods()), _ZERO)


def _walk_end(start: date) -> date:
    """The last day a walk from ``start`` may reach."""
    try:
        return start + timedelta(days=MAX_WALK_DAYS)
    except OverflowError:  # within MAX_WALK_DAYS of 9999-12-31
        raise CalendarRangeError(start) from None


def _plain_date(value: date, what: str) -> date:
    # datetime subclasses date but never compares equal to one, so a datetime
    # slipping into closures would silently never match.
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TypeError(f"{what} must contain datetime.date objects, got {type(value).__name__}")
    return value


class BusinessCalendar:
    """Korean public holidays + admin closures + weekday schedule, in one clock."""

    def __init__(
        self,
        hours: WorkingHours | None = None,
        tz: ZoneInfo = DEFAULT_TZ,
        closures: Iterable[date] = (),
        open_days: Iterable[date] = (),
        *,
        language: str | None = None,
    ) -> None:
        self.hours: WorkingHours = hours if hours is not None else WorkingHours()
        self.tz: ZoneInfo = tz
        self.closures: frozenset[date] = frozenset(_plain_date(d, "closures") for d in closures)
        self.open_days: frozenset[date] = frozenset(_plain_date(d, "open_days") for d in open_days)
        clash = self.closures & self.open_days
        if clash:
            raise ValueError(f"dates cannot be both closures and open_days: {sorted(clash)}")
        # Passed through to the holidays package; its default name language
        # depends on the install, so a Korean UI should ask for "ko" explicitly.
        self.language: str | None = language
        # Precomputed because add()/between() run per ticket and per SLA tick.
        self._periods: tuple[tuple[timedelta, timedelta], ...] = self.hours.periods()
        self._day_length: timedelta = self.hours.day_length
        self._holiday_names: dict[date, str] = {}
        self._loaded_years: set[int] = set()

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(hours={self.hours!r}, tz={self.tz.key!r}, "
            f"closures={len(self.closures)}, open_days={len(self.open_days)})"
        )

    # -- calendar days -----------------------------------------------------

    def _ensure_year(self, year: int) -> None:
        if year in self._loaded_years:
            return
        # Building a year of KR holidays involves lunar-calendar conversion;
        # doing it once per year per instance keeps per-day lookups O(1).
        kwargs: dict[str, str] = {"language": self.language} if self.language else {}
        loaded = holidays.country_holidays("KR", years=year, **kwargs)
        self._holiday_names.update(loaded.items())
        self._loaded_years.add(year)

    def _to_date(self, d: date) -> date:
        if isinstance(d, datetime):
            # The calendar day of an instant depends on the zone; use ours.
            return self._local(d).date()
        return d

    def holiday_name(self, d: date) -> str | None:
        """Name of the Korean public holiday on ``d`` (admin closures have none)."""
        d = self._to_date(d)
        self._ensure_year(d.year)
        return self._holiday_names.get(d)

    def is_business_day(self, d: date) -> bool:
        d = self._to_date(d)
        if d in self.open_days:
            return True
        if d in self.closures or d.weekday() not in self.hours.weekdays:
            return False
        return self.holiday_name(d) is None

    # -- instants ----------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        """Naive wall-clock time in self.tz (see module docstring for why naive)."""
        if not isinstance(moment, datetime):
            raise TypeError(f"expected a datetime, got {type(moment).__name__}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r}: business time needs an aware datetime")
        try:
            return moment.astimezone(self.tz).replace(tzinfo=None)
        except OverflowError:  # year 1 or 9999 in another zone
            raise CalendarRangeError(moment) from None

    def _aware(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.tz)

    def _periods_on(self, d: date) -> Iterator[tuple[datetime, datetime]]:
        midnight = datetime.combine(d, time.min)
        for start, end in self._periods:
            yield midnight + start, midnight + end

    def _business_days_from(self, d: date) -> Iterator[date]:
        """Business days from ``d`` (inclusive) onwards, guarding against none
        ever, and never further than MAX_WALK_DAYS from ``d``."""
        first, last = d, _walk_end(d)
        closed_run = 0
        while True:
            if d > last:
                raise CalendarRangeError(first)
            if self.is_business_day(d):
                closed_run = 0
                yield d
            else:
                closed_run += 1
                if closed_run > _MAX_CLOSED_RUN_DAYS:
                    raise ValueError(
                        f"no business day within {_MAX_CLOSED_RUN_DAYS} days after {d - _ONE_DAY * closed_run}; "
                        "check weekdays/closures/open_days"
                    )
            d += _ONE_DAY

    def _next_open_local(self, local: datetime) -> datetime:
        for d in self._business_days_from(local.date()):
            for start, end in self._periods_on(d):
                if local < end:
                    return max(local, start)
        raise AssertionError("unreachable: _business_days_from never ends without raising")

    def is_open(self, moment: datetime) -> bool:
        local = self._local(moment)
        if not self.is_business_day(local.date()):
            return False
        return any(start <= local < end for start, end in self._periods_on(local.date()))

    def next_open(self, moment: datetime) -> datetime:
        """``moment`` if the desk is open then, otherwise the next opening."""
        return self._aware(self._next_open_local(self._local(moment)))

    def add(self, start: datetime, delta: timedelta) -> datetime:
        """The instant at which ``delta`` of business time has elapsed after ``start``."""
        local = self._local(start)
        if not isinstance(delta, timedelta):
            raise TypeError(f"delta must be a timedelta, got {type(delta).__name__}")
        if delta < _ZERO:
            raise ValueError(f"delta must not be negative, got {delta}")
        if delta == _ZERO:
            # Zero elapsed time is the same instant, even outside hours; only
            # the zone is normalised so every return value is in self.tz.
            return self._aware(local)

        remaining = delta
        day_length = self._day_length
        first = True
        for d in self._business_days_from(local.date()):
            # Whole days in the middle of a long delta are consumed in one
            # step; only the first and last day need period-by-period work.
            if not first and remaining > day_length:
                remaining -= day_length
                continue
            cursor = local if first else datetime.combine(d, time.min)
            first = False
            for period_start, period_end in self._periods_on(d):
                if cursor >= period_end:
                    continue
                begin = max(cursor, period_start)
                available = period_end - begin
                # "<=" is the end-of-period convention: landing exactly on
                # 12:00/18:00 stays there instead of jumping to the next opening.
                if remaining <= available:
                    return self._aware(begin + remaining)
                remaining -= available
        raise AssertionError("unreachable: _business_days_from never ends without raising")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time elapsed from ``start`` to ``end``; zero if end <= start."""
        local_start, local_end = self._local(start), self._local(end)
        if end <= start:
            return _ZERO
        if local_end.date() > _walk_end(local_start.date()):
            raise CalendarRangeError(start)
        day_length = self._day_length
        total = _ZERO
        d = local_start.date()
        last = local_end.date()
        while d <= last:
            if self.is_business_day(d):
                if local_start.date() < d < last:
                    total += day_length
                else:
                    for period_start, period_end in self._periods_on(d):
                        lo = max(period_start, local_start)
                        hi = min(period_end, local_end)
                        if hi > lo:
                            total += hi - lo
            d += _ONE_DAY
        return total


def default_calendar(closures: Iterable[date] = (), open_days: Iterable[date] = ()) -> BusinessCalendar:
    """Helpdesk defaults: Mon-Fri 09:00-18:00 with 12:00-13:00 lunch, Asia/Seoul."""
    return BusinessCalendar(WorkingHours(), DEFAULT_TZ, closures, open_days)
