"""Deadline maths (MT1, BS1): pure functions over a ticket's clock, no database.

Services read the clock once (`now`), load the ticket and its standard, and ask
this module what the deadlines are and which moments are due. Keeping the maths
here means every boundary can be tested with plain datetimes.

The model, in one place because SLA disputes are about the edge cases:

* A ticket's *window* starts at `started_at` (W): when it was opened, reopened,
  or when an on-time delay notice set a new committed date.
* `paused_seconds` (P) is the business time spent in waiting states since W;
  it is credited back, so the budget B = between(W, resolve_by) - P is what the
  handler really has.
* The moment p% of the time is used is add(W, p% of B + P): every pause so far
  lies before any moment still in the future (the clock does not run, and the
  sweep has nothing to do, while paused).
* Resuming after a pause of business length d moves resolve_by to add(R, d);
  B is unchanged and the percentage moments follow automatically.
* Each moment has a key (kind, level). The sweep records the keys it acted on
  (per deadline version) and the next check is the earliest moment not yet
  acted on, so a sweep that runs late fires everything it missed, in order,
  and a sweep that runs twice fires nothing the second time.
"""
from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import lru_cache

from .business_calendar import BusinessCalendar

ZERO = timedelta(0)

RESPOND = "respond"
WARNING = "warning"
BREACH = "breach"
ESCALATION = "escalation"

WARNING_POINT = "warning_point"
PERCENT_USED = "percent_used"
AFTER_DEADLINE = "after_deadline"

# At the same instant: the response check, then warnings, then the breach
# record, then the ladder's after-deadline rungs (lowest level first).
_ORDER = {RESPOND: 0, WARNING: 1, BREACH: 2, ESCALATION: 3}


@lru_cache(maxsize=256)
def hours(value: Decimal | int | float | str) -> timedelta:
    """Business hours as a timedelta, to the second (0.5 → 30 minutes).
    Remembered: the sweep asks it for the same few rung values thousands of times."""
    return timedelta(seconds=int(Decimal(str(value)) * 3600))


@dataclass(frozen=True)
class Rung:
    """One escalation level, as the maths needs it."""

    level: int
    trigger: str
    value: Decimal = Decimal("0")
    notify_handler: bool = False
    notify_team_lead: bool = False
    notify_section_chief: bool = False
    only_without_notice: bool = False

    @property
    def kind(self) -> str:
        return ESCALATION if self.trigger == AFTER_DEADLINE else WARNING

    @property
    def recipient_roles(self) -> tuple[str, ...]:
        roles = []
        if self.notify_handler:
            roles.append("handler")
        if self.notify_team_lead:
            roles.append("team_lead")
        if self.notify_section_chief:
            roles.append("section_chief")
        return tuple(roles)


@dataclass(frozen=True)
class Clock:
    """A ticket's deadline state at one instant."""

    started_at: datetime
    resolve_by: datetime
    paused_seconds: int = 0
    respond_by: datetime | None = None
    responded: bool = True


@dataclass(frozen=True)
class Moment:
    at: datetime
    kind: str
    level: int = 0
    rung: Rung | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.level)


def initial_deadlines(
    cal: BusinessCalendar,
    *,
    start: datetime,
    respond: timedelta,
    resolve: timedelta,
    requested_by: datetime | None = None,
) -> tuple[datetime, datetime]:
    """(respond_by, resolve_by) for work that starts at `start`.

    BS1: a support request's resolve-by is the customer's requested completion
    time when it lies after the start; the target is the fallback. The response
    is never due after the resolution."""
    resolve_by = requested_by if requested_by is not None and requested_by > start else cal.add(start, resolve)
    respond_by = min(cal.add(start, respond), resolve_by)
    return respond_by, resolve_by


def budget(cal: BusinessCalendar, clock: Clock) -> timedelta:
    """The business time the handler has in this window, pauses excluded."""
    return max(cal.between(clock.started_at, clock.resolve_by) - timedelta(seconds=clock.paused_seconds), ZERO)


def percent_point(
    cal: BusinessCalendar, clock: Clock, percent: Decimal | int, *, budget_: timedelta | None = None
) -> datetime:
    """The instant at which `percent` of the budget has been used."""
    b = int((budget_ if budget_ is not None else budget(cal, clock)).total_seconds())
    used = b * int(Decimal(str(percent)) * 100) // 10000
    return cal.add(clock.started_at, timedelta(seconds=used + clock.paused_seconds))


def rung_moment(
    cal: BusinessCalendar, clock: Clock, rung: Rung, warning_percent: int, *, budget_: timedelta | None = None
) -> datetime:
    if rung.trigger == WARNING_POINT:
        return percent_point(cal, clock, warning_percent, budget_=budget_)
    if rung.trigger == PERCENT_USED:
        return percent_point(cal, clock, rung.value, budget_=budget_)
    return cal.add(clock.resolve_by, hours(rung.value))


def warn_at(cal: BusinessCalendar, clock: Clock, warning_percent: int) -> datetime:
    return percent_point(cal, clock, warning_percent)


def schedule(
    cal: BusinessCalendar,
    clock: Clock,
    rungs: Iterable[Rung],
    warning_percent: int,
    *,
    skip: Collection[tuple[str, int]] = (),
) -> list[Moment]:
    """Every moment of this window, in the order the sweep must act on them.
    Moments whose key is in `skip` (acted on already) are left out: `pending`,
    `due` and `next_check` never look at them, and the calendar walk each one
    costs is most of the sweep's planning time."""
    moments: list[Moment] = []
    if clock.respond_by is not None and not clock.responded and (RESPOND, 0) not in skip:
        moments.append(Moment(clock.respond_by, RESPOND))
    b: timedelta | None = None  # once: every percentage rung measures the same window
    for rung in rungs:
        if (rung.kind, rung.level) in skip:
            continue
        if b is None and rung.trigger != AFTER_DEADLINE:
            b = budget(cal, clock)
        moments.append(Moment(rung_moment(cal, clock, rung, warning_percent, budget_=b), rung.kind, rung.level, rung))
    if (BREACH, 0) not in skip:
        moments.append(Moment(clock.resolve_by, BREACH))
    moments.sort(key=lambda m: (m.at, _ORDER[m.kind], m.level))
    return moments


def pending(moments: Sequence[Moment], done: Iterable[tuple[str, int]]) -> list[Moment]:
    finished = set(done)
    return [m for m in moments if m.key not in finished]


def due(moments: Sequence[Moment], done: Iterable[tuple[str, int]], now: datetime) -> list[Moment]:
    return [m for m in pending(moments, done) if m.at <= now]


def next_check(moments: Sequence[Moment], done: Iterable[tuple[str, int]]) -> datetime | None:
    """The earliest moment not yet acted on; None when the ladder is exhausted."""
    rest = pending(moments, done)
    return min((m.at for m in rest), default=None)


def resume_shift(cal: BusinessCalendar, moment: datetime, paused: timedelta) -> datetime:
    """A future deadline after a pause of business length `paused` is credited."""
    if paused <= ZERO:
        return moment
    return cal.add(moment, paused)


def recomputed_resolve_by(
    cal: BusinessCalendar, *, started_at: datetime, resolve: timedelta, paused_seconds: int
) -> datetime:
    """A new target applied to a running window, keeping the time already used:
    the handler has (new budget - time used) left from now on."""
    return cal.add(started_at, resolve + timedelta(seconds=paused_seconds))


def time_used(
    cal: BusinessCalendar, clock: Clock, *, now: datetime, paused_at: datetime | None = None
) -> timedelta:
    end = paused_at if paused_at is not None else now
    return max(cal.between(clock.started_at, end) - timedelta(seconds=clock.paused_seconds), ZERO)


def time_left(
    cal: BusinessCalendar, *, resolve_by: datetime, now: datetime, paused_at: datetime | None = None
) -> timedelta:
    """Business time left before the deadline; negative once it has passed.
    While paused the figure is frozen at the moment the pause began."""
    at = paused_at if paused_at is not None else now
    if at <= resolve_by:
        return cal.between(at, resolve_by)
    return -cal.between(resolve_by, at)
