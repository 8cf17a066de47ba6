"""The figures of the team lead's dashboard, and the lists behind them.

Every figure is a SQL aggregate; no ticket is ever loaded into Python to be
counted. How they are read:

* Open work (overdue, due within two business hours, at the warning point,
  each escalation level, VIP, unassigned, each engineer's open / due today /
  overdue) is one `GROUP BY team, handler` with a `COUNT(*) FILTER (…)` per
  figure, answered from the partial index `ticket_open_team_load_idx` alone
  (an index-only scan of the teams' open rows). That scan grows with a team's
  open backlog — around 130 ms for a team with 190,000 open tickets on the
  development box — so a beat task of its own (`charter.tasks.dashboard_snapshots`,
  `charter.dashboard.snapshots`) counts it once a minute per team into
  `DashboardSnapshot`, and every lead's page reads the snapshots (one query).
  The snapshot carries the names of the people the load table lists too, so
  the page reads no one (a name is as fresh as the figures beside it).
  A snapshot older than the refresh interval is recounted on the spot for that
  page (`snapshots_for`) but not stored — reads never write — so figures are
  never staler than that even if the worker stops; the page says "updated at".
* Trends (opened, closed, deadlines passed per day): finished days come from
  `DailyTeamStat` rows the same beat task writes once per day (`daily_stats`), the last two days
  from the snapshot, each counted by GROUP BY day over an index bounded by
  the period (`ticket_team_created_idx`, `ticket_team_closed_idx`,
  `escalation_kind_time_idx`).
* Small tables are read live: repeat-fault episodes (partial index over open
  episodes), late visits of today (engineer, agreed_start), overdue callback
  memos (the desk app's partial index over open memos), and large-scale work
  (BS2, BS4): plans waiting for approval and completion reports due within two
  business days or overdue, both in one aggregate (`largework.selectors.plan_figures`).

Where: every read here runs on `helpdesk.core.replica.reporting_alias()`, the
read replica when DATABASE_REPLICA_URL configures one (else the primary), so a
lead's refreshes never load the primary; the figures are a minute old by
design, a replica's lag of a second changes nothing. The beat task's recount
reads there too and writes its snapshot to the primary. (The two large-work
figures are one count in `largework.selectors.plan_figures`, on the primary.)

The page costs the same fixed number of queries whatever the data
(tests/charter/test_dashboard_queries.py). Scope: a lead sees the teams
`tickets.selectors.staff_team_ids` gives them (the teams they lead or sit in;
for a section chief every team of the department); someone with
`view_all_tickets` sees every maintenance team.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from desk.models import CallbackMemo
from helpdesk.accounts.models import Team, User, display_name_of
from helpdesk.core.replica import reporting_alias
from largework import selectors as largework_selectors
from largework.models import WorkPlan
from standards.selectors import DEFAULT_VISIT_TOLERANCE_MINUTES, calendar_for, current_standard
from tickets.lifecycle import OPEN_VALUES, Status
from tickets.models import Ticket
from tickets.selectors import LIST_RELATED, staff_team_ids
from visits.models import Visit, VisitState

from ..models import DailyTeamStat, DashboardSnapshot, Escalation, RepeatFault, RepeatFaultTicket

logger = logging.getLogger(__name__)

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
MAX_PERIOD = max(PERIODS)
# The page refreshes every minute; a snapshot may be this old (DASHBOARD_SNAPSHOT_SECONDS).
SNAPSHOT_SECONDS = 90
SOON = timedelta(hours=2)
# BS4 on the dashboard: completion reports due within this many business days, or overdue.
REPORTS_DUE_BUSINESS_DAYS = 2
DEFAULT_LEVELS = (1, 2, 3)


# --- Scope and filters ---------------------------------------------------------------------


def dashboard_teams(user: User) -> list[Team]:
    """The teams whose figures this lead may see, by name."""
    if not user.has_perm("tickets.lead_team"):
        return []
    if user.has_perm("tickets.view_all_tickets"):
        qs = Team.objects.using(reporting_alias()).filter(handles_tickets=True)
    else:
        qs = Team.objects.using(reporting_alias()).filter(pk__in=staff_team_ids(user))
    return list(qs.order_by("name", "pk"))


@dataclass(frozen=True)
class Filters:
    team: int | None = None
    period: int = DEFAULT_PERIOD

    def query(self) -> dict[str, Any]:
        values: dict[str, Any] = {"period": self.period}
        if self.team:
            values["team"] = self.team
        return values


def team_ids_for(teams: Iterable[Team], filters: Filters) -> list[int]:
    ids = [t.pk for t in teams]
    if filters.team is not None and filters.team in ids:
        return [filters.team]
    return ids


# --- Moments ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moments:
    """Every instant the figures compare against, read once per request."""

    now: datetime
    soon: datetime  # two business hours from now
    day_start: datetime
    day_end: datetime
    levels: tuple[int, ...]
    tolerance: timedelta
    reports_until: datetime  # two business days from now (completion reports due)


def moments_at(now: datetime | None = None) -> Moments:
    now = now or timezone.now()
    standard = current_standard()
    cal = calendar_for(standard)
    local = timezone.localtime(now)
    start = timezone.make_aware(datetime.combine(local.date(), time.min))
    levels = tuple(sorted({r.level for r in standard.rungs})) if standard is not None else DEFAULT_LEVELS  # type: ignore[attr-defined]
    tolerance = standard.visit_tolerance_minutes if standard is not None else DEFAULT_VISIT_TOLERANCE_MINUTES
    return Moments(
        now=now,
        soon=cal.add(now, SOON),
        day_start=start,
        day_end=timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), time.min)),
        levels=levels or DEFAULT_LEVELS,
        tolerance=timedelta(minutes=tolerance),
        reports_until=cal.add(now, cal.hours.day_length * REPORTS_DUE_BUSINESS_DAYS),
    )


# --- The list definitions (one Q per figure; the figure counts it, the list shows it) ------------


def _running() -> Q:
    # A paused clock (waiting on the customer or parts) is not late: its date moves on resume.
    return Q(paused_at__isnull=True)


def figure_q(name: str, m: Moments, *, level: int | None = None) -> Q:
    """The condition one figure counts, over the open work of the teams."""
    if name == "open":
        return Q()
    if name == "overdue":
        return _running() & Q(resolve_by__lt=m.now)
    if name == "due_soon":
        return _running() & Q(resolve_by__gte=m.now, resolve_by__lt=m.soon)
    if name == "warnings":
        # At the warning point (MT1) and not yet late: the ones still to save.
        return _running() & Q(warn_at__lte=m.now, resolve_by__gte=m.now)
    if name == "due_today":
        return Q(resolve_by__gte=m.day_start, resolve_by__lt=m.day_end)
    if name == "vip":
        return Q(reporter_is_vip=True)
    if name == "unassigned":
        return Q(assignee__isnull=True)
    if name == "escalated":
        if level is None:
            return Q(escalation_level__gte=1)
        top = m.levels[-1]
        return Q(escalation_level__gte=level) if level >= top else Q(escalation_level=level)
    raise KeyError(name)


TICKET_FIGURES = ("open", "overdue", "due_soon", "warnings", "due_today", "vip", "unassigned", "escalated")


# --- The figures ---------------------------------------------------------------------------


@dataclass
class EngineerLoad:
    pk: int
    name: str
    open: int = 0
    due_today: int = 0
    overdue: int = 0


@dataclass
class Figures:
    open: int = 0
    overdue: int = 0
    due_soon: int = 0
    warnings: int = 0
    vip: int = 0
    unassigned: int = 0
    levels: list[tuple[int, int]] = field(default_factory=list)
    repeat_at_risk: int = 0
    repeat_escalated: int = 0
    # None: the desk's callback memos (issue 5) are not installed yet.
    callbacks_overdue: int = 0
    late_visits: int = 0
    # Large-scale work (BS2, BS4).
    plans_waiting: int = 0
    reports_due: int = 0
    engineers: list[EngineerLoad] = field(default_factory=list)

    @property
    def escalated(self) -> int:
        return sum(n for _level, n in self.levels)


def _open_work(team_ids: list[int]) -> QuerySet[Ticket]:
    return Ticket.objects.using(reporting_alias()).filter(status__in=OPEN_VALUES, team_id__in=team_ids)


# --- Snapshots: open work, counted once a minute per team -------------------------------------

LIVE_DAYS = 2  # yesterday and today are counted live; older days come from DailyTeamStat


def snapshot_max_age() -> timedelta:
    """How old a team's snapshot may be before a page recomputes it (default: the refresh interval)."""
    return timedelta(seconds=getattr(settings, "DASHBOARD_SNAPSHOT_SECONDS", SNAPSHOT_SECONDS))


def live_start(m: Moments) -> datetime:
    return m.day_start - timedelta(days=LIVE_DAYS - 1)


def _open_work_rows(team_ids: list[int], m: Moments) -> list[dict[str, Any]]:
    """Open work of the teams by (team, handler), one COUNT … FILTER per figure:
    an index-only scan of ticket_open_team_load_idx."""
    counts: dict[str, Any] = {
        "n_open": Count("pk"),
        "n_overdue": Count("pk", filter=figure_q("overdue", m)),
        "n_due_soon": Count("pk", filter=figure_q("due_soon", m)),
        "n_warnings": Count("pk", filter=figure_q("warnings", m)),
        "n_due_today": Count("pk", filter=figure_q("due_today", m)),
        "n_vip": Count("pk", filter=figure_q("vip", m)),
    }
    for level in m.levels:
        counts[f"n_level_{level}"] = Count("pk", filter=figure_q("escalated", m, level=level))
    return list(_open_work(team_ids).order_by().values("team_id", "assignee_id").annotate(**counts))


def _per_day_by_team(qs: QuerySet[Any], moment: str, team_field: str = "team_id") -> dict[tuple[int, date], int]:
    rows = qs.annotate(day=TruncDate(moment)).order_by().values(team_field, "day").annotate(n=Count("pk"))
    return {(r[team_field], r["day"]): r["n"] for r in rows}


def _day_counts(
    team_ids: list[int], since: datetime, until: datetime | None = None
) -> dict[tuple[int, date], list[int]]:
    """[opened, closed, deadlines passed] per (team, day) in [since, until): three
    GROUP BY queries over indexes bounded by the range."""
    opened_qs = Ticket.objects.using(reporting_alias()).filter(team_id__in=team_ids, created_at__gte=since)
    closed_qs = Ticket.objects.using(reporting_alias()).filter(team_id__in=team_ids, status=Status.CLOSED, closed_at__gte=since)
    breached_qs = breaches(team_ids, since)
    if until is not None:
        opened_qs = opened_qs.filter(created_at__lt=until)
        closed_qs = closed_qs.filter(closed_at__lt=until)
        breached_qs = breached_qs.filter(due_at__lt=until)
    result: dict[tuple[int, date], list[int]] = {}
    for i, counts in enumerate(
        (
            _per_day_by_team(opened_qs, "created_at"),
            _per_day_by_team(closed_qs, "closed_at"),
            _per_day_by_team(breached_qs, "due_at", "ticket__team_id"),
        )
    ):
        for key, n in counts.items():
            result.setdefault(key, [0, 0, 0])[i] = n
    return result


def people_named(team_ids: list[int], assignee_ids: Iterable[int]) -> list[tuple[int, str, int | None, bool]]:
    """Who the engineers' load table names, in one query: everyone active who works
    tickets in the teams (idle ones too: an empty row is news for a lead) and whoever
    active holds their open work. Rows of (pk, name, team, works tickets)."""
    works = Exists(
        User.groups.through.objects.filter(user_id=OuterRef("pk"), group__permissions__codename="work_ticket")
    )
    rows = (
        User.objects.using(reporting_alias()).filter(is_active=True)
        .annotate(works=works)
        .filter(Q(pk__in=list(assignee_ids)) | Q(team_id__in=team_ids, works=True))
        .values_list("pk", "last_name", "first_name", "username", "team_id", "works")
    )
    return [(pk, display_name_of(last, first, username), team, works) for pk, last, first, username, team, works in rows]


def snapshots_compute(team_ids: list[int], m: Moments) -> dict[int, dict[str, Any]]:
    """The snapshot data of each team: open-work figures, each engineer's load, the
    names the load table shows and the live days of the trend. Five queries for any
    number of teams."""
    data: dict[int, dict[str, Any]] = {
        t: {
            "counts": dict.fromkeys(("open", "overdue", "due_soon", "warnings", "vip", "unassigned"), 0),
            "levels": {str(level): 0 for level in m.levels},
            "engineers": {},
            "people": {},
            "days": {},
        }
        for t in team_ids
    }
    for row in _open_work_rows(team_ids, m):
        team = data[row["team_id"]]
        counts = team["counts"]
        for name in ("open", "overdue", "due_soon", "warnings", "vip"):
            counts[name] += row[f"n_{name}"]
        for level in m.levels:
            team["levels"][str(level)] += row[f"n_level_{level}"]
        if row["assignee_id"] is None:
            counts["unassigned"] += row["n_open"]
        else:
            team["engineers"][str(row["assignee_id"])] = [row["n_open"], row["n_due_today"], row["n_overdue"]]
    for (team_id, day), counts in _day_counts(team_ids, live_start(m)).items():
        if team_id in data:
            data[team_id]["days"][day.isoformat()] = counts
    # The names, counted with the rest: the page then reads no one (a name is as
    # fresh as the figures beside it). A team's people are its members who work
    # tickets and whoever holds its open work.
    assignees = {int(pk) for team in data.values() for pk in team["engineers"]}
    for pk, name, team_id, works in people_named(team_ids, assignees):
        for t, team in data.items():
            if (works and team_id == t) or str(pk) in team["engineers"]:
                team["people"][str(pk)] = name
    return data


def snapshots_for(team_ids: list[int], m: Moments) -> tuple[dict[int, dict[str, Any]], datetime]:
    """Each team's snapshot (one query); any missing or older than the refresh interval
    is counted now for this page. Returns them and the moment of the oldest used."""
    if not team_ids:
        return {}, m.now
    fresh_after = m.now - snapshot_max_age()
    found = {
        s.team_id: s
        for s in DashboardSnapshot.objects.using(reporting_alias()).filter(
            team_id__in=team_ids, computed_at__gt=fresh_after, computed_at__lte=m.now
        )
    }
    data = {t: s.data for t, s in found.items()}
    oldest = min((s.computed_at for s in found.values()), default=m.now)
    stale = [t for t in team_ids if t not in found]
    if stale:
        # Counted for this page only: the beat task (charter.tasks.dashboard_snapshots)
        # is the one writer, so a read never writes.
        data.update(snapshots_compute(stale, m))
    return data, oldest


def figures_from(snapshots: dict[int, dict[str, Any]], m: Moments) -> Figures:
    """The teams' figures: their snapshots summed, and the engineers named from them
    (one query only if a snapshot stored before it carried names has none)."""
    figures = Figures()
    levels = dict.fromkeys(m.levels, 0)
    loads: dict[int, EngineerLoad] = {}
    names: dict[int, str] = {}
    named = True
    for snap in snapshots.values():
        people = snap.get("people")
        if people is None:
            named = False
        else:
            names.update((int(pk), name) for pk, name in people.items())
        counts = snap.get("counts", {})
        for name in ("open", "overdue", "due_soon", "warnings", "vip", "unassigned"):
            setattr(figures, name, getattr(figures, name) + counts.get(name, 0))
        for level, n in snap.get("levels", {}).items():
            if int(level) in levels:
                levels[int(level)] += n
        for pk, (open_, due_today, overdue) in snap.get("engineers", {}).items():
            load = loads.setdefault(int(pk), EngineerLoad(pk=int(pk), name=""))
            load.open += open_
            load.due_today += due_today
            load.overdue += overdue
    figures.levels = list(levels.items())
    if not named:
        names = {pk: name for pk, name, _team, _works in people_named(list(snapshots), list(loads))}
    for pk, name in names.items():
        loads.setdefault(pk, EngineerLoad(pk=pk, name="")).name = name
    # Someone no longer active has no name here, and no row.
    figures.engineers = sorted((e for e in loads.values() if e.name), key=lambda e: (-e.open, e.name))
    return figures


def repeat_fault_figures(team_ids: list[int], m: Moments) -> tuple[int, int]:
    """Query 3: assets at risk (window still open) and escalated, MT5."""
    if not team_ids:
        return 0, 0
    totals = RepeatFault.objects.using(reporting_alias()).filter(team_id__in=team_ids, state__in=RepeatFault.OPEN_STATES).aggregate(
        at_risk=Count("pk", filter=Q(state=RepeatFault.State.AT_RISK, at_risk_until__gt=m.now)),
        escalated=Count("pk", filter=Q(state=RepeatFault.State.ESCALATED)),
    )
    return totals["at_risk"] or 0, totals["escalated"] or 0


def _late_q(m: Moments) -> Q:
    """SV4: arrived later than the tolerance, recorded late without notice, or
    still not there although the agreed start (or the announced arrival) has passed."""
    tolerance_minutes = int(m.tolerance.total_seconds() // 60)
    overdue_now = m.now - m.tolerance
    return (
        Q(late_without_notice=True)
        | Q(punctuality_minutes__gt=tolerance_minutes)
        | Q(state=VisitState.CONFIRMED, new_arrival__isnull=True, agreed_start__lt=overdue_now)
        | Q(state=VisitState.CONFIRMED, new_arrival__lt=overdue_now)
    )


def late_visits_today(team_ids: list[int], m: Moments) -> QuerySet[Visit]:
    return Visit.objects.using(reporting_alias()).filter(
        engineer__team_id__in=team_ids,
        agreed_start__gte=m.day_start,
        agreed_start__lt=m.day_end,
        state__in=[VisitState.CONFIRMED, VisitState.CHECKED_IN, VisitState.COMPLETED],
    ).filter(_late_q(m))


def callbacks_overdue_qs(team_ids: list[int], m: Moments) -> QuerySet[CallbackMemo]:
    """PH3: memos not called back by their due time, of the teams' handlers (the
    desk's partial index over open memos)."""
    return (
        CallbackMemo.objects.using(reporting_alias()).filter(closed_at__isnull=True, due_at__lt=m.now, for_handler__team_id__in=team_ids)
        .select_related("for_handler", "department")
        .order_by("due_at", "pk")
    )


def figures_for(team_ids: list[int], m: Moments, snapshots: dict[int, dict[str, Any]]) -> Figures:
    figures = figures_from(snapshots, m)
    figures.repeat_at_risk, figures.repeat_escalated = repeat_fault_figures(team_ids, m)
    figures.late_visits = late_visits_today(team_ids, m).count() if team_ids else 0
    figures.callbacks_overdue = callbacks_overdue_qs(team_ids, m).count() if team_ids else 0
    figures.plans_waiting, figures.reports_due = largework_selectors.plan_figures(team_ids, until=m.reports_until)
    return figures


# --- Trends ------------------------------------------------------------------------------


@dataclass
class Trend:
    days: list[date]
    opened: list[int]
    closed: list[int]
    breached: list[int]

    @property
    def totals(self) -> dict[str, int]:
        return {"opened": sum(self.opened), "closed": sum(self.closed), "breached": sum(self.breached)}

    def chart_data(self) -> dict[str, Any]:
        return {
            "labels": [d.strftime("%m-%d") for d in self.days],
            "opened": self.opened,
            "closed": self.closed,
            "breached": self.breached,
        }


def period_start(period: int, m: Moments) -> datetime:
    """Midnight (Seoul) `period` days ago, counting today as the last day."""
    return m.day_start - timedelta(days=period - 1)


def _missing_days(team_ids: list[int], period: int, m: Moments) -> tuple[list[DailyTeamStat], set[tuple[int, date]]]:
    """The finished days of the period already stored (one query), and those not yet."""
    first = period_start(period, m).date()
    last = live_start(m).date() - timedelta(days=1)
    if last < first or not team_ids:
        return [], set()
    rows = list(DailyTeamStat.objects.using(reporting_alias()).filter(team_id__in=team_ids, day__gte=first, day__lte=last))
    have = {(r.team_id, r.day) for r in rows}
    wanted = {(t, first + timedelta(days=i)) for t in team_ids for i in range((last - first).days + 1)}
    return rows, wanted - have


def days_counted(missing: set[tuple[int, date]], m: Moments) -> list[DailyTeamStat]:
    """Unsaved rows for finished days not stored yet (one range of three GROUP BY queries)."""
    if not missing:
        return []
    since = timezone.make_aware(datetime.combine(min(d for _t, d in missing), time.min))
    counts = _day_counts(sorted({t for t, _d in missing}), since, live_start(m))
    rows = []
    for team_id, day in sorted(missing):
        opened, closed, breached = counts.get((team_id, day), [0, 0, 0])
        rows.append(
            DailyTeamStat(team_id=team_id, day=day, opened=opened, closed=closed, breached=breached, computed_at=m.now)
        )
    return rows


def daily_stats(team_ids: list[int], period: int, m: Moments) -> list[DailyTeamStat]:
    """The finished days of the period for these teams (one query). Days the beat
    task has not stored yet (the first minute after midnight) are counted here
    for this page, not written."""
    rows, missing = _missing_days(team_ids, period, m)
    return rows + days_counted(missing, m)


def daily_stats_missing(team_ids: list[int], period: int, m: Moments) -> list[DailyTeamStat]:
    """For the beat task: the finished days of the period not stored yet, counted."""
    _rows, missing = _missing_days(team_ids, period, m)
    return days_counted(missing, m)


def trend_for(team_ids: list[int], period: int, m: Moments, snapshots: dict[int, dict[str, Any]]) -> Trend:
    """Opened, closed and deadlines passed per day (IM1): finished days from
    DailyTeamStat, the last two days from the snapshots."""
    start = period_start(period, m)
    days = [start.date() + timedelta(days=i) for i in range(period)]
    totals: dict[date, list[int]] = {d: [0, 0, 0] for d in days}
    live_day = live_start(m).date()
    for stat in daily_stats(team_ids, period, m):
        row = totals[stat.day]
        row[0] += stat.opened
        row[1] += stat.closed
        row[2] += stat.breached
    for snap in snapshots.values():
        for iso, counts in snap.get("days", {}).items():
            day = date.fromisoformat(iso)
            if day in totals and day >= live_day:
                for i in range(3):
                    totals[day][i] += counts[i]
    return Trend(
        days=days,
        opened=[totals[d][0] for d in days],
        closed=[totals[d][1] for d in days],
        breached=[totals[d][2] for d in days],
    )


def breaches(team_ids: list[int], start: datetime) -> QuerySet[Escalation]:
    """Deadlines passed (the sweep's 'breach' moments) since `start`. A breach is
    acted on after its moment, so fired_at bounds the index range as well."""
    return Escalation.objects.using(reporting_alias()).filter(
        kind=Escalation.Kind.BREACH, fired_at__gte=start, due_at__gte=start, ticket__team_id__in=team_ids
    )


# --- Drill-down lists ------------------------------------------------------------------------


LIST_ORDER = ("resolve_by", "created_at", "pk")


def ticket_list(
    team_ids: list[int],
    name: str,
    m: Moments,
    *,
    level: int | None = None,
    engineer: int | None = None,
    period: int = DEFAULT_PERIOD,
) -> QuerySet[Ticket]:
    """The tickets behind a figure, most urgent first (P3: deadline, then arrival)."""
    if name in TICKET_FIGURES:
        qs = _open_work(team_ids).filter(figure_q(name, m, level=level))
        if engineer is not None:
            qs = qs.filter(assignee_id=engineer)
        order: tuple[str, ...] = LIST_ORDER
    elif name == "opened":
        qs = Ticket.objects.using(reporting_alias()).filter(team_id__in=team_ids, created_at__gte=period_start(period, m))
        order = ("-created_at", "-pk")
    elif name == "closed":
        qs = Ticket.objects.using(reporting_alias()).filter(team_id__in=team_ids, status=Status.CLOSED, closed_at__gte=period_start(period, m))
        order = ("-closed_at", "-pk")
    elif name == "breached":
        # One row per deadline passed (a ticket whose renewed deadline passed again
        # appears twice), newest first: read backwards along escalation_kind_time_idx,
        # so a page stops after 25 rows however many there are.
        start = period_start(period, m)
        qs = Ticket.objects.using(reporting_alias()).filter(
            team_id__in=team_ids,
            escalations__kind=Escalation.Kind.BREACH,
            escalations__fired_at__gte=start,
            escalations__due_at__gte=start,
        )
        order = ("-escalations__fired_at", "-pk")
    else:
        raise KeyError(name)
    return qs.select_related(*LIST_RELATED).order_by(*order)


def repeat_fault_list(team_ids: list[int], name: str, m: Moments) -> QuerySet[RepeatFault]:
    qs = RepeatFault.objects.using(reporting_alias()).filter(team_id__in=team_ids)
    if name == "repeat_at_risk":
        qs = qs.filter(state=RepeatFault.State.AT_RISK, at_risk_until__gt=m.now)
    elif name == "repeat_escalated":
        qs = qs.filter(state=RepeatFault.State.ESCALATED)
    else:
        raise KeyError(name)
    return qs.select_related("asset", "category", "team").order_by("-last_occurrence_at", "-pk")


def repeat_rows(episodes: Iterable[RepeatFault]) -> list[dict[str, Any]]:
    """The tickets of a page of episodes, in one query; the newest ticket is the one to act on."""
    episodes = list(episodes)
    links = (
        RepeatFaultTicket.objects.using(reporting_alias()).filter(repeat_fault__in=episodes)
        .select_related("ticket", "ticket__assignee")
        .order_by("repeat_fault_id", "occurrence", "ticket_id")
    )
    by_episode: dict[int, list[Any]] = {}
    for link in links:
        by_episode.setdefault(link.repeat_fault_id, []).append(link)
    rows = []
    for episode in episodes:
        episode_links = by_episode.get(episode.pk, [])
        latest = episode_links[-1].ticket if episode_links else None
        rows.append({"episode": episode, "links": episode_links, "latest": latest})
    return rows


def visit_list(team_ids: list[int], m: Moments) -> QuerySet[Any]:
    return late_visits_today(team_ids, m).select_related(
        "ticket", "ticket__reporter_department", "engineer", "companion"
    ).order_by("agreed_start", "pk")


PLAN_LISTS = ("plans_waiting", "reports_due")


def plan_list(team_ids: list[int], name: str, m: Moments) -> QuerySet[WorkPlan]:
    """The large-scale work behind a figure: plans waiting for approval (oldest
    submission first), or reports due within two business days or overdue (soonest first)."""
    if name == "plans_waiting":
        qs = largework_selectors.plans_waiting(team_ids)
    elif name == "reports_due":
        qs = largework_selectors.reports_due(team_ids, until=m.reports_until)
    else:
        raise KeyError(name)
    return qs.using(reporting_alias()).select_related("ticket__reporter_department", "ticket__team")


LIST_NAMES = (
    *TICKET_FIGURES, "opened", "closed", "breached", "repeat_at_risk", "repeat_escalated", "late_visits", "callbacks",
    *PLAN_LISTS,
)
