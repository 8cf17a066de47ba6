"""The scoreboard's daily rollup (IM1): each source's raw rows counted per local
day, team and engineer into `ScoreDay`, so a year's figures are a SUM over a
few thousand rows instead of a scan of a million tickets.

`days_recompute` replaces whole days: it deletes what the days held and writes
them again in one transaction, under a lock, so it is idempotent and two
runs never interleave. Every recomputed day gets a row without team or engineer
(what no team owns, possibly all zeros), which also says "this day was
counted". The beat task (`charter.tasks.scoreboard_rollup`) recomputes
yesterday and today every few minutes (today up to now: the live part), the
last `RECENT_DAYS` each night (late data: a survey answered a week later, a
record corrected), and fills in days never counted, a month per run, back to
the first ticket (`BACKFILL_DAYS` at most), so a new install fills itself in.
`manage.py scoreboard_rollup` recomputes any range by hand.

Each day is judged by the standard in force at its end (the SV1 tolerance).
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from standards.models import StandardVersion
from standards.selectors import standard_by_id, standards_timeline, version_at
from tickets.models import Ticket

from .measures import COUNTERS, WAIT_HISTOGRAM
from .models import ScoreDay
from .sources import SOURCES, Source

logger = logging.getLogger(__name__)

RECENT_DAYS = 40  # the nightly recompute: longer than a survey link lives (14 days) and a month's report
BACKFILL_DAYS = 2 * 366  # how far back a new install is filled in
BACKFILL_PER_RUN = 31
LOCK_KEY = 7_310_001  # pg_advisory_xact_lock: one rollup writes at a time

Key = tuple[date, int | None, int | None]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime.min))


def local_today(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())


def standard_stretches(first: date, last: date) -> list[tuple[date, date, int | None]]:
    """[first, last] split where another standard came into force, with the pk of
    the version judging each stretch (each day is judged by the version in force
    at its end). One query; the list behind a figure judges its rows the same way."""
    timeline = standards_timeline()

    def in_force(day: date) -> int | None:
        return version_at(timeline, local_midnight(day + timedelta(days=1)) - timedelta(microseconds=1))

    stretches = []
    start = first
    while start <= last:
        pk = in_force(start)
        end = start
        while end < last and in_force(end + timedelta(days=1)) == pk:
            end += timedelta(days=1)
        stretches.append((start, end, pk))
        start = end + timedelta(days=1)
    return stretches


def _segments(first: date, last: date) -> Iterator[tuple[date, date, StandardVersion | None]]:
    for start, end, pk in standard_stretches(first, last):
        yield start, end, standard_by_id(pk)


def _engineer_expr(source: Source) -> Any:
    return F(source.engineer) if source.engineer else Value(None, output_field=IntegerField())


def _counted(source: Source, standard: StandardVersion | None, start: datetime, end: datetime) -> list[dict[str, Any]]:
    qs = source.queryset(standard).filter(**{f"{source.moment}__gte": start, f"{source.moment}__lt": end})
    aggregates: dict[str, Any] = {"n": Count("pk")}
    if source.hits:
        aggregates["h"] = Count("pk", filter=Q(ok=True))
    if source.name == "im2_surveys":
        aggregates["s"] = Sum("overall", filter=Q(answered_at__isnull=False))
    keyed = qs.annotate(_day=TruncDate(source.moment), _team=F(source.team), _eng=_engineer_expr(source))
    fields = ["_day", "_team", "_eng"]
    if source.name == "ov4_walk_ins":
        # Whole minutes, rounded up: a 61-second wait is 2 minutes.
        keyed = keyed.annotate(_min=ExpressionWrapper((F("wait_seconds") + 59) / 60, output_field=IntegerField()))
        fields.append("_min")
    return list(keyed.order_by().values(*fields).annotate(**aggregates))


@dataclass
class Tally:
    counters: dict[str, int]
    wait: dict[str, int]


def _tallies(first: date, last: date, now: datetime) -> dict[Key, Tally]:
    tallies: dict[Key, Tally] = defaultdict(lambda: Tally(defaultdict(int), defaultdict(int)))
    for seg_first, seg_last, standard in _segments(first, last):
        start = local_midnight(seg_first)
        end = min(local_midnight(seg_last + timedelta(days=1)), now)
        if end <= start:
            continue
        for source in SOURCES.values():
            for row in _counted(source, standard, start, end):
                day = row["_day"]
                keys: list[Key] = [(day, row["_team"], None)]
                if row["_eng"] is not None:
                    keys.append((day, row["_team"], row["_eng"]))
                for key in keys:
                    tally = tallies[key]
                    tally.counters[source.total] += row["n"]
                    if source.hits:
                        tally.counters[source.hits] += row["h"]
                    if "s" in row:
                        tally.counters["im2_score_sum"] += row["s"] or 0
                    if "_min" in row:
                        tally.wait[str(row["_min"])] += row["n"]
    return tallies


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


@dataclass(frozen=True)
class RollupResult:
    first: date
    last: date
    rows: int
    duration_ms: int


def days_recompute(first: date, last: date, *, now: datetime | None = None) -> RollupResult:
    """Count the days [first, last] again from the raw rows and replace what
    ScoreDay held for them (today only up to `now`)."""
    now = now or timezone.now()
    last = min(last, local_today(now))
    began = time.monotonic()
    if last < first:
        return RollupResult(first, last, 0, 0)
    tallies = _tallies(first, last, now)
    for offset in range((last - first).days + 1):
        tallies[(first + timedelta(days=offset), None, None)]  # the "counted" marker, even when empty
    rows = [
        ScoreDay(
            day=day,
            team_id=team,
            engineer_id=engineer,
            computed_at=now,
            **{name: tally.counters.get(name, 0) for name in COUNTERS},
            **{WAIT_HISTOGRAM: dict(tally.wait)},
        )
        for (day, team, engineer), tally in tallies.items()
    ]
    with transaction.atomic():
        _lock()
        ScoreDay.objects.filter(day__gte=first, day__lte=last).delete()
        ScoreDay.objects.bulk_create(rows, batch_size=2000)
    duration = int((time.monotonic() - began) * 1000)
    logger.info("scoreboard rollup %s..%s: %d rows in %d ms", first, last, len(rows), duration)
    return RollupResult(first, last, len(rows), duration)


def live_recompute(now: datetime | None = None) -> RollupResult:
    """Yesterday and today up to now: what changed since the last run."""
    today = local_today(now)
    return days_recompute(today - timedelta(days=1), today, now=now)


def recent_recompute(now: datetime | None = None) -> RollupResult:
    """The last RECENT_DAYS finished days, for data that arrived late."""
    today = local_today(now)
    return days_recompute(today - timedelta(days=RECENT_DAYS), today - timedelta(days=1), now=now)


def first_data_day() -> date | None:
    # The earliest ticket, not the lowest pk: imported or generated history can
    # arrive after today's tickets (created_at is indexed: one index probe).
    first = Ticket.objects.order_by("created_at").values_list("created_at", flat=True).first()
    return timezone.localdate(first) if first else None


def missing_recompute(now: datetime | None = None, *, limit: int = BACKFILL_PER_RUN) -> RollupResult | None:
    """Up to `limit` of the most recent days never counted, back to the first
    ticket (at most BACKFILL_DAYS ago); None when there are none."""
    today = local_today(now)
    earliest = first_data_day()
    if earliest is None:
        return None
    floor = max(earliest, today - timedelta(days=BACKFILL_DAYS))
    counted = set(
        ScoreDay.objects.filter(day__gte=floor, day__lt=today, team__isnull=True, engineer__isnull=True).values_list(
            "day", flat=True
        )
    )
    missing = [d for d in (today - timedelta(days=i) for i in range(1, (today - floor).days + 1)) if d not in counted]
    if not missing:
        return None
    newest = missing[0]
    # One contiguous stretch, newest first: the days people look at first.
    oldest = newest
    for day in missing[1:limit]:
        if day != oldest - timedelta(days=1):
            break
        oldest = day
    return days_recompute(oldest, newest, now=now)
