"""When customers may be texted: the quiet hours, and the end of a quiet period;
and which days are working days for the staff's daily digest.

The hours come from the service standards, so an admin edits them in one
place; otherwise from settings. The standards live a floor above the outbox,
so they register themselves as the source (`standards.receivers`) instead of
being imported here. Working days likewise: Monday to Friday until the
business calendar registers itself (`working_day_source_register`), so a
digest is not sent on a public holiday either.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def _parse_time(value: object, default: time) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        return default


QuietHoursSource = Callable[[], "tuple[time, time] | None"]
_source: QuietHoursSource | None = None


def quiet_hours_source_register(source: QuietHoursSource | None) -> None:
    """Where quiet hours come from (the active service standard); None for settings only."""
    global _source
    _source = source


def quiet_hours() -> tuple[time, time]:
    """(start, end) of the customers' quiet hours in local time; the period may cross midnight."""
    hours = _source() if _source is not None else None
    if hours:
        start, end = hours
        return _parse_time(start, time(21, 0)), _parse_time(end, time(8, 0))
    return (
        _parse_time(getattr(settings, "NOTIFY_QUIET_START", "21:00"), time(21, 0)),
        _parse_time(getattr(settings, "NOTIFY_QUIET_END", "08:00"), time(8, 0)),
    )


def _local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def quiet_until(moment: datetime, hours: tuple[time, time] | None = None) -> datetime | None:
    """The end of the quiet period `moment` falls in, or None when texting is fine.

    Half-open like working hours: at exactly the start it is quiet, at exactly
    the end it is not (21:00 is held, 08:00 goes out).
    """
    start, end = hours or quiet_hours()
    if start == end:
        return None
    local = timezone.localtime(moment, _local_zone())
    now_t = local.time().replace(tzinfo=None)
    day = local.date()
    if start < end:  # e.g. 00:00–07:00, inside one day
        if start <= now_t < end:
            return datetime.combine(day, end, tzinfo=local.tzinfo)
        return None
    # Crosses midnight, e.g. 21:00–08:00.
    if now_t >= start:
        return datetime.combine(day + timedelta(days=1), end, tzinfo=local.tzinfo)
    if now_t < end:
        return datetime.combine(day, end, tzinfo=local.tzinfo)
    return None


WorkingDaySource = Callable[[date], bool]
_working_day_source: WorkingDaySource | None = None


def working_day_source_register(source: WorkingDaySource | None) -> None:
    """Where working days come from (the business calendar); None for Monday to Friday."""
    global _working_day_source
    _working_day_source = source


def is_working_day(day: date) -> bool:
    if _working_day_source is not None:
        return bool(_working_day_source(day))
    return day.weekday() < 5
