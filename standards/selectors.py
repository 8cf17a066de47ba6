"""Reading the service standards (selectors): the active version, a ticket's version, its calendar.

Every ticket write and every sweep needs the standard, so it is cached per
process. The cache key includes the version's `updated_at`, read with one small
indexed query per call, so a save in the admin (which always saves the parent
version, inlines included) reaches every web process and worker at once and a
test database that was flushed can never hand out a stale row. Closure days are
global; their changes bump a generation counter (`standards_changed`) and the
calendar also expires after `CALENDAR_TTL` seconds, so a worker in another
process picks up a new closure within a minute even on a per-process cache.
"""
from __future__ import annotations

import logging
import threading
import time as monotonic_time
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Q

from tickets.models import Priority

from .business_calendar import DEFAULT_TZ, BusinessCalendar, WorkingHours
from .deadline_maths import Rung, hours
from .models import ClosureDay, OpenDay, ResolutionTarget, StandardVersion

logger = logging.getLogger(__name__)

GENERATION_KEY = "charter:standards:generation"
CALENDAR_TTL = 60.0
DEFAULT_QUIET_HOURS = (time(21, 0), time(8, 0))

_lock = threading.Lock()
_versions: dict[tuple[int, datetime], StandardVersion] = {}
_calendars: dict[tuple[Any, ...], tuple[float, BusinessCalendar]] = {}


def standards_changed() -> None:
    """Forget cached standards and calendars (admin saves, activation, closures)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)
    with _lock:
        _versions.clear()
        _calendars.clear()


def _generation() -> int:
    return int(cache.get(GENERATION_KEY, 0))


def _load(pk: int) -> StandardVersion:
    version = StandardVersion.objects.prefetch_related("targets__category", "levels").get(pk=pk)
    # Materialised once so the cached object never touches the database again.
    version.target_rows = tuple(version.targets.all())  # type: ignore[attr-defined]
    version.rungs = tuple(  # type: ignore[attr-defined]
        Rung(
            level=lv.level,
            trigger=lv.trigger,
            value=lv.value,
            notify_handler=lv.notify_handler,
            notify_team_lead=lv.notify_team_lead,
            notify_section_chief=lv.notify_section_chief,
            only_without_notice=lv.only_without_notice,
        )
        for lv in sorted(version.levels.all(), key=lambda lv: lv.level)
    )
    return version


def _cached(stamps: Iterable[tuple[int, datetime]]) -> dict[int, StandardVersion]:
    found: dict[int, StandardVersion] = {}
    for pk, updated_at in stamps:
        key = (pk, updated_at)
        with _lock:
            hit = _versions.get(key)
        if hit is None:
            hit = _load(pk)
            with _lock:
                # Drop older copies of the same version: only the newest stamp matters.
                for old in [k for k in _versions if k[0] == pk]:
                    del _versions[old]
                _versions[key] = hit
        found[pk] = hit
    return found


def current_standard() -> StandardVersion | None:
    """The active version with its targets and ladder, or None when none is active."""
    stamp = (
        StandardVersion.objects.filter(is_active=True).order_by("-number").values_list("pk", "updated_at").first()
    )
    if stamp is None:
        return None
    return _cached([stamp])[stamp[0]]


def standards_timeline() -> list[tuple[datetime, int]]:
    """(effective_from, pk) of every version that is or was in force, oldest
    first (a draft copy never activated is not in it). One query."""
    return list(
        StandardVersion.objects.filter(Q(is_active=True) | Q(retired_at__isnull=False))
        .order_by("effective_from", "number")
        .values_list("effective_from", "pk")
    )


def version_at(timeline: list[tuple[datetime, int]], at: datetime) -> int | None:
    """The pk of the version in force at `at`: the latest activated no later than
    `at`; before the first, the first."""
    found = timeline[0][1] if timeline else None
    for effective_from, pk in timeline:
        if effective_from > at:
            break
        found = pk
    return found


def standard_in_force(at: datetime) -> StandardVersion | None:
    """The version in force at `at` (IM1 judges a period by the version in
    force when it ended), with its targets; None when no version was ever active."""
    return standard_by_id(version_at(standards_timeline(), at))


def standards_by_id(ids: Iterable[int]) -> dict[int, StandardVersion]:
    """The versions tickets were opened under (one query for any number of them)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    stamps = StandardVersion.objects.filter(pk__in=wanted).values_list("pk", "updated_at")
    return _cached(stamps)


def standard_by_id(pk: int | None) -> StandardVersion | None:
    if pk is None:
        return None
    return standards_by_id([pk]).get(pk)


def current_quiet_hours() -> tuple[time, time]:
    """(start, end) of customer quiet hours; SMS to customers waits until the end."""
    standard = current_standard()
    if standard is None:
        return DEFAULT_QUIET_HOURS
    return standard.quiet_start, standard.quiet_end


# SV4 without an active standard: prompt the engineer 15 minutes before the
# agreed start, count a visit late without notice 10 minutes after it.
DEFAULT_VISIT_TOLERANCE_MINUTES = 10
DEFAULT_VISIT_PROMPT_MINUTES = 15


def lateness_tolerance() -> timedelta:
    """How long after the agreed start a visit without check-in or notice counts as late (SV4)."""
    standard = current_standard()
    minutes = standard.visit_tolerance_minutes if standard is not None else DEFAULT_VISIT_TOLERANCE_MINUTES
    return timedelta(minutes=minutes)


def prompt_before() -> timedelta:
    """How long before the agreed start an engineer not yet checked in is reminded (SV4)."""
    standard = current_standard()
    minutes = standard.visit_prompt_minutes if standard is not None else DEFAULT_VISIT_PROMPT_MINUTES
    return timedelta(minutes=minutes)


def working_hours(standard: StandardVersion) -> WorkingHours:
    return WorkingHours(
        day_start=standard.day_start,
        day_end=standard.day_end,
        lunch_start=standard.lunch_start,
        lunch_end=standard.lunch_end,
    )


def _special_days() -> tuple[frozenset[date], frozenset[date]]:
    closures = frozenset(ClosureDay.objects.values_list("date", flat=True))
    open_days = frozenset(OpenDay.objects.values_list("date", flat=True))
    return closures, open_days


def calendar_for(standard: StandardVersion | None) -> BusinessCalendar:
    """The business calendar of a version: its working hours, Korean public
    holidays, and the admin's closure and open days."""
    key: tuple[Any, ...] = (
        (standard.pk, standard.updated_at) if standard is not None else None,
        _generation(),
    )
    now = monotonic_time.monotonic()
    with _lock:
        hit = _calendars.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    closures, open_days = _special_days()
    hours_ = working_hours(standard) if standard is not None else WorkingHours()
    try:
        calendar = BusinessCalendar(hours_, DEFAULT_TZ, closures - open_days, open_days, language="ko")
    except ValueError:
        # Admin validation prevents a date being both; never let bad data stop deadlines.
        logger.exception("charter: inconsistent closure/open days; ignoring open days")
        calendar = BusinessCalendar(hours_, DEFAULT_TZ, closures, (), language="ko")
    with _lock:
        _calendars[key] = (now + CALENDAR_TTL, calendar)
    return calendar


def target_for(
    standard: StandardVersion, *, kind: str, priority: str, category_id: int | None
) -> ResolutionTarget | None:
    """The most specific target: category+priority > category > kind+priority > kind."""
    best: tuple[int, ResolutionTarget] | None = None
    for row in standard.target_rows:  # type: ignore[attr-defined]
        if row.kind != kind:
            continue
        if row.priority and row.priority != priority:
            continue
        if row.category_id is not None and row.category_id != category_id:
            continue
        score = (2 if row.category_id is not None else 0) + (1 if row.priority else 0)
        if best is None or score > best[0]:
            best = (score, row)
    return best[1] if best else None


def targets_reachable(standard: StandardVersion) -> list[ResolutionTarget]:
    """The standard's targets less those `target_for` can never pick: an
    any-priority row whose kind and category have a row for every priority. The
    default standard keeps such a row as a safety net for a priority added
    later; the public page would show it as a promise nobody is given."""
    rows = list(standard.target_rows)  # type: ignore[attr-defined]
    all_priorities = set(Priority.values)
    covered = {
        (kind, category_id)
        for kind, category_id in {(r.kind, r.category_id) for r in rows}
        if {r.priority for r in rows if r.kind == kind and r.category_id == category_id} >= all_priorities
    }
    return [r for r in rows if r.priority or (r.kind, r.category_id) not in covered]


def rungs_for(standard: StandardVersion) -> tuple[Rung, ...]:
    return standard.rungs  # type: ignore[attr-defined,no-any-return]


# --- The default standard (seeded by migration 0002; also used by tests) ----------

__all__ = [
    "calendar_for",
    "current_quiet_hours",
    "current_standard",
    "hours",
    "rungs_for",
    "standard_by_id",
    "standards_by_id",
    "standards_changed",
    "target_for",
]
