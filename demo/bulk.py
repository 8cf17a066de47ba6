"""Benchmark-sized ticket volumes, fast: bulk inserts, not the services.

The services write one ticket at a time with its events and side effects;
that is right for the product and far too slow for a million rows. Here each
batch is two bulk inserts in one transaction (tickets, then their "created"
events; COPY on PostgreSQL, bulk_create elsewhere — see RowWriter), with
foreign keys drawn from the organisation already in the database, so every
row is one the product could have written. Realistic shape:

- 70% finished (closed, resolved, cancelled) spread over two years; 30% open,
  mostly from the last weeks, across every open status;
- a few customers report far more than others (Zipf-like), VIPs a little
  more urgently;
- faults go to the team that fixes that kind of equipment, assigned to one of
  its people; unassigned work waits in the reporter's department's team;
- open tickets carry the deadline columns the services and the minute sweep
  would have left (`OpenDeadlines`): standard version, respond-by, resolve-by,
  warning point and next check, computed with the real business calendar, and
  one `Escalation` row for every moment that had already come, so a sweep run
  on the generated table acts only on what is genuinely still pending.

Random choices come from a fixed seed and the batch's position, so the same
database grown to the same size (with the same batch size) holds the same
tickets; only their dates move with the day it runs.
"""
from __future__ import annotations

import bisect
import io
import json
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone
from phonenumber_field.phonenumber import PhoneNumber

from charter.models import Escalation
from helpdesk.accounts.models import Team, User
from helpdesk.accounts.roles import Role
from standards import deadline_maths as maths
from standards.business_calendar import BusinessCalendar
from standards.models import StandardVersion
from standards.selectors import calendar_for, current_standard, rungs_for, target_for
from tickets.lifecycle import FINISHED, PAUSED_STATUSES, Status
from tickets.models import Asset, AssetType, Channel, FaultCategory, Kind, Priority, Ticket, TicketEvent

from . import data
from .org import ENGINEER_PREFIX

DAY = 86400.0
HOUR = 3600.0
KST = 9 * HOUR  # Asia/Seoul keeps no daylight saving time
SPAN_DAYS = 730

# Finished 70%, open 30%.
STATUS_WEIGHTS: list[tuple[str, float]] = [
    (Status.CLOSED, 62),
    (Status.RESOLVED, 5),
    (Status.CANCELLED, 3),
    (Status.RECEIVED, 4),
    (Status.ASSIGNED, 6),
    (Status.DIAGNOSING, 4),
    (Status.AWAITING_CONSENT, 2),
    (Status.IN_PROGRESS, 8),
    (Status.WAITING_CUSTOMER, 3),
    (Status.WAITING_PARTS, 3),
]
KIND_WEIGHTS = [(Kind.FAULT, 80), (Kind.SUPPORT, 17), (Kind.LARGE_WORK, 3)]
PRIORITY_WEIGHTS = [(Priority.LOW, 15), (Priority.NORMAL, 65), (Priority.HIGH, 15), (Priority.URGENT, 5)]
CHANNEL_WEIGHTS = [
    (Channel.WEB, 55),
    (Channel.PHONE, 30),
    (Channel.WALK_IN, 8),
    (Channel.EMAIL, 5),
    (Channel.WRITTEN, 1),
    (Channel.ON_SITE, 1),
]
# Work arrives in office hours; 09–11 and 13–15 are the busiest.
HOUR_WEIGHTS = [(8, 4), (9, 14), (10, 15), (11, 11), (12, 3), (13, 12), (14, 14), (15, 12), (16, 9), (17, 6)]
# Which equipment faults are about; PCs and printers break most.
ASSET_TYPE_WEIGHTS = [
    (AssetType.DESKTOP, 40),
    (AssetType.PRINTER, 25),
    (AssetType.MONITOR, 12),
    (AssetType.LAPTOP, 10),
    (AssetType.NETWORK, 10),
    (AssetType.OTHER, 3),
]


def _cum(pairs: list[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    values = [v for v, _w in pairs]
    cum, total = [], 0.0
    for _v, w in pairs:
        total += w
        cum.append(total)
    return values, cum


class _Phone(PhoneNumber):
    """A reporter's number, checked and formatted once.

    The bulk path hands the same object to every ticket of a reporter; the
    field's len(), is_valid() and format_as() would otherwise format it again
    on every row, which was a third of the insert time.
    """

    @classmethod
    def of(cls, number: PhoneNumber | str | None) -> _Phone | str:
        if not number:
            return ""
        parsed = number if isinstance(number, PhoneNumber) else PhoneNumber.from_string(str(number), region="KR")
        phone = cls()
        phone.merge_from(parsed)
        phone._valid = parsed.is_valid()
        phone._formats = {}
        phone._text = parsed.format_as(PhoneNumber.format_map[getattr(settings, "PHONENUMBER_DB_FORMAT", "E164")])
        return phone

    def is_valid(self) -> bool:
        return self._valid

    def format_as(self, format: int) -> str:
        if format not in self._formats:
            self._formats[format] = super().format_as(format)
        return self._formats[format]

    def __len__(self) -> int:
        return len(self._text)


@dataclass
class Reporter:
    pk: int
    department_id: int
    name: str
    is_vip: bool
    phone: Any


@dataclass
class Pools:
    """What the generator draws foreign keys from, loaded once."""

    reporters: list[Reporter]
    reporter_cum: list[float]
    owned: dict[int, list[tuple[int, str]]]
    shared: dict[int, list[tuple[int, str]]]
    categories: dict[str, list[tuple[int, str]]]
    team_for_dept: dict[int, int]
    team_for_type: dict[str, int]
    workers: dict[int, list[int]]
    leads: dict[int, int]
    desk: list[int]
    departments: list[int]
    default_team: int
    extra: dict[str, Any] = field(default_factory=dict)


def pools_load(*, seed: int) -> Pools:
    vip_rank = settings.VIP_MIN_RANK
    people = list(
        User.objects.filter(groups__name=Role.CUSTOMER, department__isnull=False, is_active=True)
        .select_related("position")
        .order_by("pk")
        .only("pk", "department_id", "last_name", "first_name", "username", "phone", "position__rank")
    )
    if not people:
        raise RuntimeError("No customers to report tickets: run seed_demo first.")
    reporters = [
        Reporter(
            pk=u.pk,
            department_id=u.department_id,
            name=u.display_name,
            is_vip=bool(u.position and u.position.rank >= vip_rank),
            phone=_Phone.of(u.phone),
        )
        for u in people
    ]
    # Zipf-like activity: a few people file much more than the rest. The
    # order is shuffled with the seed so the busiest are not the oldest.
    order = list(range(len(reporters)))
    random.Random(f"{seed}:activity").shuffle(order)
    weights = [0.0] * len(reporters)
    for rank, i in enumerate(order, start=1):
        weights[i] = 1.0 / rank**0.35
    _values, reporter_cum = _cum(list(zip(range(len(reporters)), weights, strict=True)))

    owned: dict[int, list[tuple[int, str]]] = defaultdict(list)
    shared: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for pk, owner_id, dept_id, asset_type in Asset.objects.values_list(
        "pk", "owner_id", "department_id", "asset_type"
    ).order_by("pk").iterator(chunk_size=10000):
        (owned[owner_id] if owner_id else shared[dept_id]).append((pk, asset_type))

    categories: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pk, asset_type, name in FaultCategory.objects.filter(active=True).order_by("pk").values_list(
        "pk", "asset_type", "name"
    ):
        categories[asset_type].append((pk, name))

    teams = list(Team.objects.filter(handles_tickets=True).select_related("lead").order_by("pk"))
    if not teams:
        raise RuntimeError("No maintenance team: run seed_demo first.")
    default_team = teams[0].pk
    team_for_dept: dict[int, int] = {}
    for team_id, dept_id in (
        Team.served_departments.through.objects.filter(team__handles_tickets=True)
        .order_by("team_id")
        .values_list("team_id", "department_id")
    ):
        team_for_dept.setdefault(dept_id, team_id)
    by_code = {t.code: t.pk for t in teams}
    team_for_type = {
        asset_type: by_code[spec.code] for spec in data.TEAMS if spec.code in by_code for asset_type in spec.asset_types
    }
    # Leads take VIP work (MT8) and a little else; engineers the rest.
    # (Only a lead who sits in the team: assigning moves the ticket to the assignee's team.)
    leads = {t.pk: t.lead_id for t in teams if t.lead_id and t.lead.team_id == t.pk}
    workers: dict[int, list[int]] = defaultdict(list)
    for pk, team_id in (
        User.objects.filter(is_active=True, team__handles_tickets=True, groups__permissions__codename="work_ticket")
        .distinct()
        .order_by("pk")
        .values_list("pk", "team_id")
    ):
        if leads.get(team_id) != pk:
            workers[team_id].append(pk)
    for team_id, lead_id in leads.items():
        workers.setdefault(team_id, [lead_id])
    desk = list(
        User.objects.filter(is_active=True, groups__name=Role.DESK_AGENT).order_by("pk").values_list("pk", flat=True)
    ) or [w for ws in workers.values() for w in ws][:1]
    return Pools(
        reporters=reporters,
        reporter_cum=reporter_cum,
        owned=dict(owned),
        shared=dict(shared),
        categories=dict(categories),
        team_for_dept=team_for_dept,
        team_for_type=team_for_type,
        workers=dict(workers),
        leads=leads,
        desk=desk,
        departments=sorted({r.department_id for r in reporters}),
        default_team=default_team,
    )


class _Draw:
    """Weighted categorical draws with precomputed cumulative weights."""

    def __init__(self, rng: random.Random, pairs: list[tuple[Any, float]]) -> None:
        self.rng = rng
        self.values, self.cum = _cum(pairs)
        self.total = self.cum[-1]

    def __call__(self) -> Any:
        return self.values[bisect.bisect(self.cum, self.rng.random() * self.total)]


def _office_time(rng: random.Random, ts: float, hours: _Draw) -> float:
    """Move a moment to working hours on its day (mostly a weekday)."""
    local_day = math.floor((ts + KST) / DAY)
    weekday = (local_day + 3) % 7  # 1970-01-01 was a Thursday (weekday 3)
    if weekday >= 5 and rng.random() < 0.9:
        local_day -= weekday - 4
    return local_day * DAY - KST + hours() * HOUR + rng.random() * HOUR


# Rows carry the Escalation rows of their past moments under this key until the
# ticket has a primary key; tickets_bulk_generate takes it out before writing.
ESCALATIONS_KEY = "_escalations"
_LEVELLED = (maths.WARNING, maths.ESCALATION)


class OpenDeadlines:
    """A row hook: deadline columns for generated open tickets (MT1, BS1).

    What `charter.services.deadlines.deadline_start` and then the minute sweep
    would have left on a ticket opened at `created_at`, seen at `now`:
    respond-by and resolve-by from the standard's targets in business time (a
    support request's requested time first, BS1), the warning point, and
    `next_check_at` = the first moment still to come (NULL once the ladder is
    exhausted, and while a waiting state pauses the clock). Every moment that
    had already come gets its `Escalation` row and raises `escalation_level`,
    exactly as if the sweep had acted on it on time.

    The maths is the product's own (standards.deadline_maths on the real calendar,
    Korean holidays included), about six calendar steps per open ticket:
    measured ~0.2 ms per generated ticket on average on the development box,
    done on the helper thread while the previous batch is being written.
    Finished tickets keep empty deadline columns, as before.
    """

    def __init__(self, standard: StandardVersion, calendar: BusinessCalendar, pools: Pools, *, now: float) -> None:
        self.standard = standard
        self.cal = calendar
        self.rungs = rungs_for(standard)
        self.warning_percent = standard.warning_percent
        self.pools = pools
        self.now = _dt(now)
        self._targets: dict[tuple[str, str, int | None], tuple[timedelta, timedelta] | None] = {}

    @classmethod
    def for_current_standard(cls, pools: Pools, *, now: float) -> OpenDeadlines | None:
        """Built once, in the thread that may use the database; None without an active standard."""
        standard = current_standard()
        if standard is None:
            return None
        return cls(standard, calendar_for(standard), pools, now=now)

    def _target(self, kind: str, priority: str, category_id: int | None) -> tuple[timedelta, timedelta] | None:
        key = (kind, priority, category_id)
        if key not in self._targets:
            row = target_for(self.standard, kind=kind, priority=priority, category_id=category_id)
            self._targets[key] = (
                None if row is None else (maths.hours(row.respond_hours), maths.hours(row.resolve_hours))
            )
        return self._targets[key]

    def _recipients(self, roles: tuple[str, ...], row: dict[str, Any]) -> list[int]:
        # The handler and the team lead as the sweep would name them; section
        # chiefs are not in the pools and stay out of this list.
        lead = self.pools.leads.get(row["team_id"])
        found = {"handler": row["assignee_id"] or lead, "team_lead": lead}
        people: list[int] = []
        for role in roles:
            who = found.get(role)
            if who and who not in people:
                people.append(who)
        return people

    def __call__(self, row: dict[str, Any], rng: random.Random) -> None:
        status = row["status"]
        if status in FINISHED:
            return
        target = self._target(row["kind"], row["priority"], row["category_id"])
        if target is None:
            return
        created: datetime = row["created_at"]
        now = self.now
        requested = row["requested_by"] if row["kind"] == Kind.SUPPORT else None
        respond_by, resolve_by = maths.initial_deadlines(
            self.cal, start=created, respond=target[0], resolve=target[1], requested_by=requested
        )
        responded = None
        if status != Status.RECEIVED:
            # Assigned (the first response) within minutes to a few hours of arrival.
            responded = min(created + timedelta(seconds=rng.lognormvariate(math.log(1800), 1.0)), now)
        paused = None
        if status in PAUSED_STATUSES:
            paused = created + (now - created) * rng.uniform(0.3, 0.95)
        clock = maths.Clock(
            started_at=created, resolve_by=resolve_by, respond_by=respond_by, responded=responded is not None
        )
        moments = maths.schedule(self.cal, clock, self.rungs, self.warning_percent)
        cutoff = paused or now
        done = [m for m in moments if m.at <= cutoff]
        if responded is not None and respond_by < min(responded, cutoff):
            # Answered, but late: the sweep had recorded the missed response time.
            done.insert(0, maths.Moment(respond_by, maths.RESPOND))
        level = max((m.level for m in done if m.kind in _LEVELLED), default=0)
        warn_at = next(
            (m.at for m in moments if m.rung is not None and m.rung.trigger == maths.WARNING_POINT), None
        ) or maths.warn_at(self.cal, clock, self.warning_percent)
        row.update(
            standard_version_id=self.standard.pk,
            respond_by=respond_by,
            responded_at=responded,
            resolve_by=resolve_by,
            warn_at=warn_at,
            next_check_at=None if paused else maths.next_check(moments, [m.key for m in done]),
            clock_started_at=created,
            paused_at=paused,
            escalation_level=level,
            deadline_version=1,
        )
        row[ESCALATIONS_KEY] = [
            {
                "kind": m.kind,
                "level": m.level,
                "deadline_version": 1,
                "deadline": respond_by if m.kind == maths.RESPOND else resolve_by,
                "due_at": m.at,
                # The sweep runs every minute: it acted within the minute.
                "fired_at": min(m.at + timedelta(seconds=rng.randint(1, 59)), now),
                "skipped": False,
                "recipients": self._recipients(
                    m.rung.recipient_roles if m.rung else ("team_lead",) if m.kind == maths.RESPOND else ("handler",),
                    row,
                ),
            }
            for m in done
        ]


class Generator:
    """Makes tickets batch by batch; `row_hooks` (row, rng) let later issues fill their own columns."""

    def __init__(self, pools: Pools, *, seed: int, now: datetime | None = None) -> None:
        self.pools = pools
        self.seed = seed
        self.now = (now or timezone.now()).timestamp()
        self.row_hooks: list[Callable[[dict[str, Any], random.Random], None]] = []

    def batch(self, start: int, size: int) -> list[dict[str, Any]]:
        """Rows as {attname: value}; columns left out take the model's defaults."""
        p = self.pools
        rng = random.Random(f"{self.seed}:tickets:{start}")
        status_of = _Draw(rng, STATUS_WEIGHTS)
        kind_of = _Draw(rng, KIND_WEIGHTS)
        priority_of = _Draw(rng, PRIORITY_WEIGHTS)
        channel_of = _Draw(rng, CHANNEL_WEIGHTS)
        hour_of = _Draw(rng, HOUR_WEIGHTS)
        asset_type_of = _Draw(rng, ASSET_TYPE_WEIGHTS)
        total = p.reporter_cum[-1]
        now = self.now
        tickets = []
        for _ in range(size):
            status = status_of()
            kind = kind_of()
            channel = channel_of()
            priority = priority_of()
            reporter: Reporter | None = p.reporters[bisect.bisect(p.reporter_cum, rng.random() * total)]
            if channel == Channel.WALK_IN and rng.random() < 0.1:
                reporter = None  # a visitor the desk could not match to an account (CC2)
            if reporter is not None:
                dept_id, name, phone, vip = reporter.department_id, reporter.name, reporter.phone, reporter.is_vip
            else:
                dept_id = rng.choice(p.departments)
                name = rng.choices([f for f, _ in data.FAMILY_NAMES[:10]])[0] + rng.choice(data.GIVEN_NAMES)
                phone, vip = "", False
            if vip and priority == Priority.NORMAL and rng.random() < 0.3:
                priority = Priority.HIGH

            if status in FINISHED:
                age = rng.random() * SPAN_DAYS * DAY
            else:
                age = min(rng.expovariate(1 / (7 * DAY)), 60 * DAY)
            created = _office_time(rng, now - age, hour_of)
            while created > now - 600:
                created -= DAY

            asset_id = category_id = None
            asset_type = None
            requested = None
            asset_other = ""
            if kind == Kind.FAULT:
                wanted = asset_type_of()
                choices = [
                    a
                    for a in (p.owned.get(reporter.pk, []) if reporter else []) + p.shared.get(dept_id, [])
                    if a[1] == wanted
                ] or (p.owned.get(reporter.pk, []) if reporter else [])
                if choices:
                    asset_id, asset_type = rng.choice(choices)
                    cats = p.categories.get(asset_type)
                    if cats:
                        category_id, cat_name = rng.choice(cats)
                    else:
                        cat_name = "장애"
                    title = f"{cat_name} ({data.ASSET_TYPE_KO.get(asset_type, '기타')})"
                else:
                    asset_other = "기타 장비"
                    title = "장비 장애"
                description = rng.choice(data.FAULT_DESCRIPTIONS)
            elif kind == Kind.SUPPORT:
                title = rng.choice(data.SUPPORT_TITLES)
                description = ""
                requested = created + rng.randint(1, 5) * DAY
            else:
                title = rng.choice(data.LARGE_WORK_TITLES)
                description = ""
                requested = created + rng.randint(7, 21) * DAY

            serving = p.team_for_dept.get(dept_id, p.default_team)
            team_id, assignee_id = serving, None
            if status != Status.RECEIVED and not (status == Status.CANCELLED and rng.random() < 0.6):
                team_id = p.team_for_type.get(asset_type, serving) if asset_type else serving
                if team_id not in p.workers:
                    team_id = serving
                lead = p.leads.get(team_id)
                if lead and rng.random() < (0.5 if vip else 0.03):
                    assignee_id = lead
                elif team_id in p.workers:
                    assignee_id = rng.choice(p.workers[team_id])

            if channel == Channel.WEB and reporter is not None:
                created_by = reporter.pk
            elif channel == Channel.ON_SITE and assignee_id:
                created_by = assignee_id
            else:
                created_by = rng.choice(p.desk)

            resolved = closed = None
            if status in (Status.RESOLVED, Status.CLOSED):
                resolved = min(created + rng.lognormvariate(math.log(4 * HOUR), 1.1), now - 60)
                if status == Status.CLOSED:
                    closed = min(resolved + rng.lognormvariate(math.log(DAY), 0.8), now - 30)
            elif status == Status.CANCELLED:
                closed = min(created + rng.lognormvariate(math.log(2 * HOUR), 1.0), now - 30)

            row = dict(
                kind=kind,
                channel=channel,
                status=status,
                priority=priority,
                title=title,
                description=description,
                reporter_id=reporter.pk if reporter else None,
                reporter_name=name,
                reporter_department_id=dept_id,
                reporter_is_vip=vip,
                contact_phone=phone,
                asset_id=asset_id,
                asset_other=asset_other,
                category_id=category_id,
                requested_by=_dt(requested),
                team_id=team_id,
                assignee_id=assignee_id,
                created_by_id=created_by,
                created_at=_dt(created),
                resolved_at=_dt(resolved),
                closed_at=_dt(closed),
                updated_at=_dt(closed or resolved or created),
            )
            for hook in self.row_hooks:
                hook(row, rng)
            tickets.append(row)
        return tickets


def _dt(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)


class RowWriter:
    """Inserts rows given as {attname: value} for one model, in one of two ways.

    PostgreSQL: COPY, with primary keys reserved from the table's sequence so
    the events can point at their tickets. Django's bulk_create spends most of
    its time preparing every field of every row in Python (measured here:
    about 0.6 ms a ticket, so a million would take over ten minutes); COPY
    with values formatted once per column type is several times faster.
    Elsewhere (SQLite): bulk_create, which is fast enough for a laptop demo.

    `lines()` touches no database, so the next batch can be formatted on
    another thread while this one is being written.
    """

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        self.model = model
        self.with_pk = with_pk
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        # copy_expert is psycopg2's; anything else takes the portable path.
        self.copy = self.connection.vendor == "postgresql" and self.connection.Database.__name__ == "psycopg2"
        self.table = model._meta.db_table
        self.pk_column = model._meta.pk.column
        self.columns = ([self.pk_column] if with_pk else []) + [f.column for f in self.fields]
        self.formatters = [(f.attname, _formatter(f, self.connection)) for f in self.fields]

    def lines(self, rows: list[dict[str, Any]]) -> list[str] | None:
        """COPY lines for the rows (without the primary key), or None off PostgreSQL."""
        if not self.copy:
            return None
        defaults = self.defaults
        return [
            "\t".join([fmt(row[name] if name in row else defaults[name]) for name, fmt in self.formatters])
            for row in rows
        ]

    def write(self, rows: list[dict[str, Any]], lines: list[str] | None = None) -> list[int]:
        """Insert the rows; returns their primary keys when `with_pk`."""
        if not self.copy:
            objs = [self.model(**row) for row in rows]
            self.model.objects.bulk_create(objs)
            return [o.pk for o in objs]
        if lines is None:
            lines = self.lines(rows)
            assert lines is not None
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            pks: list[int] = []
            if self.with_pk:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, self.pk_column, len(lines)],
                )
                pks = [r[0] for r in cursor.fetchall()]
                text = "".join(f"{pk}\t{line}\n" for pk, line in zip(pks, lines, strict=True))
            else:
                text = "".join(f"{line}\n" for line in lines)
            columns = ", ".join(quote(c) for c in self.columns)
            cursor.copy_expert(f"COPY {quote(self.table)} ({columns}) FROM STDIN", io.StringIO(text))
        return pks


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return value.translate(_COPY_ESCAPES)


def _formatter(field: models.Field, connection: BaseDatabaseWrapper) -> Callable[[Any], str]:
    """How one column's Python values are written in COPY's text format."""

    def none_or(fmt: Callable[[Any], str]) -> Callable[[Any], str]:
        return lambda v: "\\N" if v is None else fmt(v)

    if isinstance(field, models.BooleanField):
        return none_or(lambda v: "t" if v else "f")
    if isinstance(field, (models.IntegerField, models.ForeignKey, models.AutoField)):
        return none_or(lambda v: str(int(v)))
    if isinstance(field, models.DateTimeField):
        return none_or(lambda v: v.isoformat())
    if isinstance(field, models.JSONField):
        return none_or(lambda v: _text(json.dumps(v, ensure_ascii=False)))
    if type(field) in (models.CharField, models.TextField, models.SlugField):
        return none_or(lambda v: _text(str(v)))

    def prepared(value: Any) -> str:
        # Anything else (phone numbers, dates, decimals…) as Django would store it.
        db_value = field.get_db_prep_save(value, connection)
        return "\\N" if db_value is None else _text(str(db_value))

    return prepared


@dataclass
class BulkResult:
    created: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.created / self.seconds if self.seconds else 0.0


def tickets_bulk_generate(
    *,
    total: int,
    seed: int,
    batch_size: int = 5000,
    progress: Callable[[int, int, float], None] | None = None,
) -> BulkResult:
    """Add tickets until the table holds `total`; each batch is its own transaction.

    While one batch is in the database, a helper thread makes and formats the
    next (it never touches the database), so Python and PostgreSQL work at
    the same time instead of taking turns.
    """
    started = time.perf_counter()
    existing = Ticket.objects.count()
    if existing >= total:
        return BulkResult(0, 0.0)
    generator = Generator(pools_load(seed=seed), seed=seed)
    deadlines = OpenDeadlines.for_current_standard(generator.pools, now=generator.now)
    if deadlines is not None:
        generator.row_hooks.append(deadlines)
    tickets = RowWriter(Ticket, with_pk=True)
    events = RowWriter(TicketEvent, with_pk=False)
    escalations = RowWriter(Escalation, with_pk=False)

    def prepare(start: int) -> tuple[list[dict[str, Any]], list[Any], list[str] | None]:
        rows = generator.batch(start, min(batch_size, total - start))
        # Out of the ticket rows before they are formatted: not a ticket column.
        moments = [row.pop(ESCALATIONS_KEY, ()) for row in rows]
        return rows, moments, tickets.lines(rows)

    made = 0
    starts = list(range(existing, total, batch_size))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-prepare") as pool:
        pending = pool.submit(prepare, starts[0])
        for i in range(len(starts)):
            rows, moments, lines = pending.result()
            if i + 1 < len(starts):
                pending = pool.submit(prepare, starts[i + 1])
            with transaction.atomic():
                pks = tickets.write(rows, lines)
                events.write(
                    [
                        {
                            "ticket_id": pk,
                            "kind": TicketEvent.Kind.CREATED,
                            "actor_id": row["created_by_id"],
                            "created_at": row["created_at"],
                            "is_public": True,
                            "data": {"channel": row["channel"]},
                        }
                        for pk, row in zip(pks, rows, strict=True)
                    ]
                )
                fired = [{"ticket_id": pk, **m} for pk, ms in zip(pks, moments, strict=True) for m in ms]
                if fired:
                    escalations.write(fired)
            made += len(rows)
            if progress:
                progress(made, total - existing, time.perf_counter() - started)
    tables_analyze([Ticket, TicketEvent, Escalation, User, Asset])
    return BulkResult(made, time.perf_counter() - started)


def tables_analyze(models_: list[type[models.Model]]) -> None:
    """Refresh the planner's statistics after a bulk load.

    Autovacuum would get there in its own time; until then PostgreSQL plans
    against an empty table (it estimated 1 row where 15,000 matched and chose
    nested loops), and the benchmark would measure that instead of the product.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(quote(m._meta.db_table) for m in models_))


def population_target(total_tickets: int, base: int) -> int:
    """Customers for a data set of this size: about 200 tickets each over two
    years, never fewer than the demo's and at most 5,000."""
    return max(base, min(5000, total_tickets // 200))


def staff_engineers_target(staff: int) -> int:
    """Generated engineers for at least `staff` active people who work tickets
    in all: the named demo staff count towards it."""
    named = (
        User.objects.filter(is_active=True, groups__permissions__codename="work_ticket")
        .exclude(username__startswith=ENGINEER_PREFIX)
        .distinct()
        .count()
    )
    return max(0, staff - named)


def engineers_target(total_tickets: int) -> int:
    """Generated engineers (beyond the named ones): one per ~4,000 tickets in
    two years (eight a working day), at most 250."""
    return min(250, total_tickets // 4000)
