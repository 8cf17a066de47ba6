"""When a visit may take place, and the next times it could instead.

A visit keeps to the service standard's working hours (day start to day end,
lunch excluded) on a business day of its calendar: weekends, Korean public
holidays (lunar and substitute ones included) and the admin's closure days are
closed, an extra open day opens a weekend or holiday. The calendar
(`standards.business_calendar.BusinessCalendar`) knows all of that; this module
only asks it. The guard that refuses a time is `visits.services.guards.check_open_hours`;
the pure parts here take the calendar and the busy times as arguments so they
are tested without a database.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

from helpdesk.core.times import LOCAL_HM
from standards.business_calendar import BusinessCalendar
from standards.models import ClosureDay
from standards.selectors import calendar_for, current_standard

from .models import Visit, VisitState

# The slots offered with a refusal: this many, starting on the half hour,
# as long as the time asked for (an hour when that cannot fit in a working period).
SLOT_COUNT = 3
SLOT_STEP = timedelta(minutes=30)
DEFAULT_SLOT_LENGTH = timedelta(hours=1)
# Looking further than this for a free time helps nobody: say nothing instead.
SLOT_HORIZON_DAYS = 60

# An engineer is busy during the visits that are agreed (or under way).
BUSY_STATES = (VisitState.CONFIRMED, VisitState.CHECKED_IN)


@dataclass(frozen=True)
class Slot:
    """An open time to offer, with the values the window form's fields take."""

    start: datetime
    end: datetime

    @property
    def date_value(self) -> str:
        return self.start.strftime("%Y-%m-%d")

    @property
    def start_value(self) -> str:
        return self.start.strftime(LOCAL_HM)

    @property
    def end_value(self) -> str:
        return self.end.strftime(LOCAL_HM)

    @property
    def label(self) -> str:
        return f"{self.date_value} ({WEEKDAYS_ABBR[self.start.weekday()]}) {self.start_value}–{self.end_value}"


def _local(cal: BusinessCalendar, moment: datetime) -> datetime:
    """Naive wall-clock time in the calendar's zone, as the calendar counts."""
    return moment.astimezone(cal.tz).replace(tzinfo=None)


def _periods(cal: BusinessCalendar, day: date) -> list[tuple[datetime, datetime]]:
    midnight = datetime.combine(day, time.min)
    return [(midnight + start, midnight + end) for start, end in cal.hours.periods()]


def _hm(t: time) -> str:
    return t.strftime(LOCAL_HM)


def hours_text(cal: BusinessCalendar) -> str:
    """"Monday to Friday, 09:00–18:00, except lunch 12:00–13:00", in the reader's language."""
    hours = cal.hours
    text = _("Monday to Friday, %(start)s–%(end)s") % {"start": _hm(hours.day_start), "end": _hm(hours.day_end)}
    if hours.has_lunch:
        text += ", " + _("except lunch %(start)s–%(end)s") % {
            "start": _hm(hours.lunch_start),
            "end": _hm(hours.lunch_end),
        }
    return text


def within_open_hours(cal: BusinessCalendar, start: datetime, end: datetime) -> bool:
    """Whether the whole of [start, end) lies in one working period of a business day."""
    local_start, local_end = _local(cal, start), _local(cal, end)
    if local_end <= local_start or not cal.is_business_day(local_start.date()):
        return False
    return any(p_start <= local_start and local_end <= p_end for p_start, p_end in _periods(cal, local_start.date()))


def closed_reason(
    cal: BusinessCalendar, start: datetime, end: datetime, *, closure_reason: str = ""
) -> str | None:
    """Why [start, end) is no time for a visit, in a sentence; None when it is one.
    `closure_reason` is what the admin wrote for a closure day on the start's date."""
    if within_open_hours(cal, start, end):
        return None
    local_start, local_end = _local(cal, start), _local(cal, end)
    day = local_start.date()
    if not cal.is_business_day(day):
        holiday = cal.holiday_name(day)
        if day in cal.closures:
            why = _("the department is closed (%(reason)s)") % {"reason": closure_reason} if closure_reason else _(
                "the department is closed"
            )
        elif holiday:
            why = _("public holiday: %(name)s") % {"name": holiday}
        else:
            why = _("weekend")
        return _("%(date)s (%(weekday)s) is not a business day: %(why)s.") % {
            "date": day.strftime("%Y-%m-%d"),
            "weekday": WEEKDAYS[day.weekday()],
            "why": why,
        }
    if local_end.date() != day:
        return _("A visit starts and ends on the same day, within working hours (%(hours)s).") % {
            "hours": hours_text(cal)
        }
    times = {"start": local_start.strftime(LOCAL_HM), "end": local_end.strftime(LOCAL_HM)}
    hours = cal.hours
    inside_day = hours.day_start <= local_start.time() and local_end.time() <= hours.day_end
    if inside_day and hours.has_lunch:
        return _("%(start)s–%(end)s overlaps the lunch break (%(lunch_start)s–%(lunch_end)s).") % {
            **times,
            "lunch_start": _hm(hours.lunch_start),
            "lunch_end": _hm(hours.lunch_end),
        }
    return _("%(start)s–%(end)s is outside working hours (%(hours)s).") % {**times, "hours": hours_text(cal)}


def _round_up(moment: datetime) -> datetime:
    """The next start on the half-hour grid of the day (the moment itself when on it)."""
    midnight = datetime.combine(moment.date(), time.min)
    steps = -(-(moment - midnight) // SLOT_STEP)  # ceiling division of timedeltas
    return midnight + steps * SLOT_STEP


def free_slots(
    cal: BusinessCalendar,
    *,
    after: datetime,
    length: timedelta,
    busy: Sequence[tuple[datetime, datetime]],
    count: int = SLOT_COUNT,
) -> list[Slot]:
    """The next `count` times from `after` (aware) that fit a working period of a
    business day and overlap none of the `busy` windows (aware), each after the
    one before; as long as `length`, or an hour when that fits no working period."""
    longest = max(p_end - p_start for p_start, p_end in cal.hours.periods())
    if not timedelta(0) < length <= longest:
        length = DEFAULT_SLOT_LENGTH
    busy_local = sorted((_local(cal, b_start), _local(cal, b_end)) for b_start, b_end in busy)
    cursor = _round_up(_local(cal, after))
    found: list[Slot] = []
    day = cursor.date()
    for _offset in range(SLOT_HORIZON_DAYS):
        if cal.is_business_day(day):
            for p_start, p_end in _periods(cal, day):
                candidate = max(cursor, p_start)
                while candidate + length <= p_end:
                    clash = next((b for b in busy_local if b[0] < candidate + length and candidate < b[1]), None)
                    if clash is not None:
                        # Start again at the first half hour after the engineer is free.
                        candidate = _round_up(max(clash[1], candidate + SLOT_STEP))
                        continue
                    found.append(Slot(candidate.replace(tzinfo=cal.tz), (candidate + length).replace(tzinfo=cal.tz)))
                    if len(found) == count:
                        return found
                    candidate = _round_up(candidate + length)
                    cursor = candidate
        day += timedelta(days=1)
    return found


# --- Reads ---------------------------------------------------------------------------------


def visit_calendar() -> BusinessCalendar:
    """The calendar visits keep to: the active service standard's."""
    return calendar_for(current_standard())


def closure_reason(day: date) -> str:
    return ClosureDay.objects.filter(date=day).values_list("reason", flat=True).first() or ""


def busy_windows(
    people: Iterable[int], *, since: datetime, exclude: int | None = None
) -> list[tuple[datetime, datetime]]:
    """The agreed windows of these people's visits (as engineer or companion) that
    end after `since`, up to the slot horizon. One query."""
    ids = [pk for pk in people if pk is not None]
    if not ids:
        return []
    until = since + timedelta(days=SLOT_HORIZON_DAYS + 1)
    rows = (
        Visit.objects.filter(Q(engineer_id__in=ids) | Q(companion_id__in=ids))
        .filter(state__in=BUSY_STATES, agreed_start__lt=until, agreed_end__gt=since)
        .exclude(pk=exclude)
        .values_list("agreed_start", "agreed_end")
    )
    return list(rows)


def open_slots(
    *, people: Iterable[int], after: datetime, length: timedelta, exclude: int | None = None
) -> list[Slot]:
    """The next open times for a visit by these people, skipping their agreed visits."""
    cal = visit_calendar()
    return free_slots(cal, after=after, length=length, busy=busy_windows(people, since=after, exclude=exclude))
