"""Reading the scoreboard (IM1): who may see which figures, and the figures of a
period with their trend, all from the daily rollup (`ScoreDay`).

A board costs the same few queries whatever the period: the rollup's rows of
the 12 periods ending with the one shown, summed per day in SQL (one query;
for a year that is at most 12 × 366 day rows, whatever the number of
tickets), the walk-in histograms of those days (one), whether and when the
days were counted (one), and the standards' timeline (one, plus the cached
versions). Everything reads `reporting_alias()`, the replica when there is one.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum

from helpdesk.accounts.models import Team, User
from helpdesk.core.replica import reporting_alias
from standards.models import StandardVersion
from standards.selectors import standard_by_id, standards_timeline, version_at
from tickets.selectors import staff_team_ids

from .measures import COUNTERS, MEASURES, WAIT_HISTOGRAM, Measure
from .models import ScoreDay
from .periods import Period, trail
from .rollup import local_midnight

TREND_PERIODS = 12

# --- Who sees what ----------------------------------------------------------------------------


def may_view_board(user: User) -> bool:
    """Section chiefs, team leads and admins see teams; engineers their own row."""
    return user.is_authenticated and (user.has_perm("tickets.lead_team") or user.has_perm("tickets.work_ticket"))


def sees_teams(user: User) -> bool:
    """Leads, section chiefs and admins see teams' figures. A desk agent reads
    every ticket to route it, but another person's record is not theirs to
    read: like an engineer, they see their own row."""
    return user.has_perm("tickets.lead_team")


def board_teams(user: User) -> list[Team]:
    """The teams whose figures this person may see: every maintenance team for an
    admin, the department's teams for a section chief, a lead's own teams
    (`staff_team_ids`), none for anyone else."""
    if not sees_teams(user):
        return []
    if user.has_perm("tickets.view_all_tickets"):
        qs = Team.objects.filter(handles_tickets=True)
    else:
        qs = Team.objects.filter(pk__in=staff_team_ids(user))
    return list(qs.using(reporting_alias()).order_by("name", "pk"))


def board_engineers(team: Team) -> QuerySet[User]:
    """The people of a team who work tickets, for the engineer filter."""
    return (
        User.objects.using(reporting_alias())
        .filter(is_active=True, team=team, groups__permissions__codename="work_ticket")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@dataclass(frozen=True)
class Scope:
    """Whose figures: everyone (team_ids None), some teams, or one engineer."""

    team_ids: tuple[int, ...] | None = None
    engineer_id: int | None = None
    whole_department: bool = False

    def rollup_rows(self) -> Q:
        if self.engineer_id is not None:
            return Q(engineer_id=self.engineer_id)
        if self.team_ids is None:
            return Q(engineer__isnull=True)
        return Q(engineer__isnull=True, team_id__in=list(self.team_ids))


# --- Figures ------------------------------------------------------------------------------------

HUNDRED = Decimal(100)


def _rounded(value: Decimal, places: str = "0.1") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percentile_minutes(histogram: dict[str, int], share: Decimal) -> int | None:
    """The nearest-rank percentile of waits in whole minutes: the smallest wait
    that at least `share` of the visitors waited no longer than."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = int((share * total).to_integral_value(rounding="ROUND_CEILING"))
    seen = 0
    for minutes in sorted(histogram, key=int):
        seen += histogram[minutes]
        if seen >= rank:
            return int(minutes)
    return None  # pragma: no cover - the loop always reaches the total


@dataclass
class Tally:
    """A period's counters summed, and its walk-in waits."""

    counters: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    wait: dict[str, int] = field(default_factory=dict)

    def add(self, counters: dict[str, Any], wait: dict[str, int] | None = None) -> None:
        for name in COUNTERS:
            self.counters[name] += counters.get(name) or 0
        for minutes, n in (wait or {}).items():
            self.wait[minutes] = self.wait.get(minutes, 0) + n


def figure_of(measure: Measure, tally: Tally) -> Decimal | None:
    total = tally.counters[measure.total]
    if measure.kind == "count":
        # Zero late arrivals is a figure; the board blanks it when the period was never counted.
        return Decimal(total)
    if not total:
        return None
    if measure.kind == "rate":
        return _rounded(Decimal(tally.counters[measure.hits or ""]) * HUNDRED / total)
    if measure.kind == "mean":
        return _rounded(Decimal(tally.counters[measure.hits or ""]) / total, "0.01")
    share = Decimal("0.5") if measure.kind == "median" else Decimal("0.9")
    minutes = percentile_minutes(tally.wait, share)
    return None if minutes is None else Decimal(minutes)


def verdict(measure: Measure, figure: Decimal | None, target: Decimal | None) -> str:
    """"met", "missed", "no_target" or "no_data"."""
    if figure is None:
        return "no_data"
    if target is None:
        return "no_target"
    ok = figure >= target if measure.higher_is_better else figure <= target
    return "met" if ok else "missed"


def got_worse(measure: Measure, figure: Decimal | None, before: Decimal | None) -> bool:
    if figure is None or before is None or measure.target_field is None:
        return False
    return figure < before if measure.higher_is_better else figure > before


@dataclass
class Row:
    measure: Measure
    figure: Decimal | None
    target: Decimal | None
    verdict: str
    total: int
    hits: int | None
    missed: int | None
    previous: Decimal | None
    worse: bool
    trend: list[Decimal | None]
    extra: dict[str, Any] = field(default_factory=dict)
    per_engineer_only: bool = False  # shown for an engineer although counted per team only

    @property
    def key(self) -> str:
        return self.measure.key

    @property
    def spark(self) -> str:
        """The trend as a data attribute for static/js/sparkline.js ("" for no data)."""
        return ",".join("" if v is None else format(v, "f") for v in self.trend)


@dataclass
class Board:
    period: Period
    periods: list[Period]
    scope: Scope
    standard: StandardVersion | None
    rows: list[Row]
    counted_days: int
    computed_at: datetime | None

    @property
    def has_data(self) -> bool:
        return self.counted_days > 0

    @property
    def worse(self) -> list[Row]:
        return [r for r in self.rows if r.worse]

    @property
    def missed(self) -> list[Row]:
        return [r for r in self.rows if r.verdict == "missed"]


def _sums_by_day(scope: Scope, first: date, last: date) -> tuple[dict[date, dict[str, Any]], dict[date, dict[str, int]]]:
    rows = ScoreDay.objects.using(reporting_alias()).filter(scope.rollup_rows(), day__gte=first, day__lte=last)
    sums = {
        r["day"]: r
        for r in rows.order_by().values("day").annotate(**{name: Sum(name) for name in COUNTERS})
    }
    waits: dict[date, dict[str, int]] = defaultdict(dict)
    for day, histogram in rows.filter(ov4_served__gt=0).order_by().values_list("day", WAIT_HISTOGRAM):
        bucket = waits[day]
        for minutes, n in (histogram or {}).items():
            bucket[minutes] = bucket.get(minutes, 0) + n
    return sums, waits


def standard_for(period: Period, timeline: list[tuple[datetime, int]] | None = None) -> StandardVersion | None:
    """The standard in force when the period ended (its last moment)."""
    timeline = standards_timeline() if timeline is None else timeline
    end = local_midnight(period.last + timedelta(days=1)) - timedelta(microseconds=1)
    return standard_by_id(version_at(timeline, end))


def board_for(scope: Scope, period: Period, *, measures: Iterable[Measure] = MEASURES) -> Board:
    periods = trail(period, TREND_PERIODS)
    sums, waits = _sums_by_day(scope, periods[0].first, period.last)
    tallies = [Tally() for _ in periods]
    for day, counters in sums.items():
        for i, p in enumerate(periods):
            if p.contains(day):
                tallies[i].add(counters, waits.get(day))
                break
    # How many days of each period were counted (one query): a period never
    # counted has no figure, not even a count of 0, in the trend as on the board.
    counted = (
        ScoreDay.objects.using(reporting_alias())
        .filter(day__gte=periods[0].first, day__lte=period.last, team__isnull=True, engineer__isnull=True)
        .aggregate(
            at=Max("computed_at", filter=Q(day__gte=period.first)),
            **{f"days{i}": Count("pk", filter=Q(day__gte=p.first, day__lte=p.last)) for i, p in enumerate(periods)},
        )
    )
    counted_in = [counted[f"days{i}"] or 0 for i in range(len(periods))]
    timeline = standards_timeline()
    standard = standard_for(period, timeline)
    current = tallies[-1]
    counted_days = counted_in[-1]
    rows = []
    for measure in measures:
        trend = [figure_of(measure, t) if n else None for t, n in zip(tallies, counted_in, strict=True)]
        figure = trend[-1]
        target = measure.target(standard)
        previous = trend[-2] if len(trend) > 1 else None
        total = current.counters[measure.total]
        hits = current.counters[measure.hits] if measure.kind == "rate" and measure.hits else None
        extra: dict[str, Any] = {}
        if measure.key == "cr1_corrections":
            extra["closed"] = current.counters["cr1_closed"]
        if measure.key == "mt1_notice":
            extra["late"] = total - (hits or 0)
        rows.append(
            Row(
                measure=measure,
                figure=figure,
                target=target,
                verdict=verdict(measure, figure, target),
                total=total,
                hits=hits,
                missed=(total - hits) if hits is not None else None,
                previous=previous,
                worse=got_worse(measure, figure, previous),
                trend=trend,
                extra=extra,
                per_engineer_only=scope.engineer_id is not None and not measure.per_engineer,
            )
        )
    return Board(
        period=period,
        periods=periods,
        scope=scope,
        standard=standard,
        rows=rows,
        counted_days=counted_days,
        computed_at=counted["at"],
    )
