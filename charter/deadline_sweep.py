"""The minute sweep: act on every deadline moment that has come, exactly once.

`sweep_once(now, batch)` is one unit of work (Celery beat calls it every minute
through `charter.tasks.deadline_sweep`; tests and benchmarks call it directly):

1. Claim up to `batch` due rows (`next_check_at <= now`, oldest first) — a scan
   of the partial index `ticket_next_check_idx`, so the cost follows the due
   rows, not the table. On PostgreSQL the rows are locked with
   `SELECT … FOR UPDATE SKIP LOCKED`: two sweeps at once take disjoint rows.
   SQLite has no row locks; there the transaction starts by writing the
   heartbeat row, which takes SQLite's single write lock, so sweeps run one
   after another and the second sees the rows already moved on.
2. For each row, compute in Python (standards.deadline_maths) the moments that are due
   and not yet acted on for its deadline version, and what each one does.
3. Write everything in the same transaction: one `Escalation` row per moment
   (unique on ticket, kind, level, deadline version), the timeline events, the
   outbox rows (`notify`, idempotency key per recipient), and each ticket's
   `next_check_at` moved to its next pending moment (NULL when none is left).
   On PostgreSQL each of these is one statement for the whole batch
   (`helpdesk.core.bulk_insert.rows_insert`, an `UPDATE … FROM unnest(…)`), each
   column sent as one text (`array_param`): a thousand due rows cost a handful
   of statements, and their time is mostly the database's index upkeep and
   foreign-key checks (measured in bench/sweep_scenario.py, figures in the README).

A crash anywhere before commit (even SIGKILL) rolls all of it back and the rows
are due again at the next sweep: nothing is lost and, because notices are
outbox rows in the same transaction, nothing is sent twice. A row whose maths
raises is logged and pushed `RETRY_DELAY` forward while the rest of the batch
goes on; if the batch's writes fail, the batch is retried one row per
transaction so a single bad row cannot hold the others back.
"""
from __future__ import annotations

import gc
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, connections, transaction
from django.utils import timezone

from helpdesk.accounts.models import Team, User
from helpdesk.accounts.selectors import LeadBook, lead_book
from helpdesk.core.bulk_insert import array_param, rows_insert
from helpdesk.core.times import iso_or_empty
from helpdesk.notifications.doors import tell_staff_many
from standards import deadline_maths as maths
from standards.business_calendar import BusinessCalendar
from standards.models import StandardVersion
from standards.selectors import calendar_for, rungs_for, standards_by_id
from tickets.lifecycle import FINISHED, Status
from tickets.models import Ticket, TicketEvent

from . import notify
from .models import DelayNotice, Escalation, SweepRun
from .services.deadlines import clock_of, response_evidence

logger = logging.getLogger(__name__)

RETRY_DELAY = timedelta(minutes=5)
HEARTBEAT_PK = 1
SWEEP_FIELDS = ["next_check_at", "escalation_level", "responded_at"]

_TEMPLATES = {
    maths.RESPOND: "escalation",
    maths.WARNING: "deadline_warning",
    maths.BREACH: "breach",
    maths.ESCALATION: "escalation",
}
_EVENTS = {
    maths.RESPOND: TicketEvent.Kind.ESCALATED,
    maths.WARNING: TicketEvent.Kind.DEADLINE_WARNING,
    maths.BREACH: TicketEvent.Kind.BREACHED,
    maths.ESCALATION: TicketEvent.Kind.ESCALATED,
}


@dataclass
class _Send:
    kind: str
    level: int
    recipient: User
    deadline: datetime | None


@dataclass
class _Plan:
    """What one row's due moments write: Escalation and TicketEvent rows as
    {attname: value} (a thousand rows need no model instances), and the sends."""

    ticket: Ticket
    escalations: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    sends: list[_Send] = field(default_factory=list)


@dataclass
class _Context:
    """What one batch loads once for all its rows."""

    now: datetime
    standards: dict[int, StandardVersion]
    done: dict[int, set[tuple[str, int]]]
    noticed: set[tuple[int, int]]
    first_response: dict[int, datetime]
    leads: LeadBook
    calendars: dict[int, BusinessCalendar] = field(default_factory=dict)

    def calendar(self, standard: StandardVersion) -> BusinessCalendar:
        # Once per batch: calendar_for() asks the cache for the standards'
        # generation on every call, which for a thousand rows adds up.
        cal = self.calendars.get(standard.pk)
        if cal is None:
            cal = self.calendars[standard.pk] = calendar_for(standard)
        return cal


@dataclass
class SweepResult:
    due: int = 0
    processed: int = 0
    errors: int = 0


# --- recipients -------------------------------------------------------------------


def _team_lead(ticket: Ticket, ctx: _Context) -> list[User]:
    # leads_for's rule: no active lead, or the lead is the handler whose work is
    # late, and the section chief stands in, so the level is never silent.
    return ctx.leads.leads_for(ticket.team, about=ticket.assignee)


def _chiefs(ticket: Ticket, ctx: _Context) -> list[User]:
    return ctx.leads.chiefs_for(ticket.team)


def _handler(ticket: Ticket, ctx: _Context) -> list[User]:
    if ticket.assignee is not None and ticket.assignee.is_active:
        return [ticket.assignee]
    return _team_lead(ticket, ctx)


def recipients_for(ticket: Ticket, roles: Iterable[str], ctx: _Context) -> list[User]:
    people: dict[int, User] = {}
    for role in roles:
        found = {"handler": _handler, "team_lead": _team_lead, "section_chief": _chiefs}[role](ticket, ctx)
        if role == "section_chief" and not found:
            found = _team_lead(ticket, ctx)
        for person in found:
            people.setdefault(person.pk, person)
    return list(people.values())


# --- planning (no writes) -----------------------------------------------------------


def _roles(moment: maths.Moment) -> tuple[str, ...]:
    if moment.rung is not None:
        return moment.rung.recipient_roles
    if moment.kind == maths.RESPOND:
        return ("team_lead",)
    return ("handler",)  # breach: the handler hears first; the ladder does the rest


def plan_ticket(ticket: Ticket, ctx: _Context) -> _Plan:
    """Decide what the due moments of one ticket do; mutates the ticket in memory."""
    plan = _Plan(ticket)
    now = ctx.now
    standard = ctx.standards.get(ticket.standard_version_id) if ticket.standard_version_id else None
    if standard is None or ticket.paused_at is not None or Status(ticket.status) in FINISHED:
        ticket.next_check_at = None
        return plan
    cal = ctx.calendar(standard)
    pk = ticket.pk
    done = ctx.done.setdefault(pk, set())
    version = ticket.deadline_version

    # The response check: evidence in the timeline counts even if nobody told us.
    respond_due = (
        ticket.responded_at is None
        and ticket.respond_by is not None
        and ticket.respond_by <= now
        and (maths.RESPOND, 0) not in done
    )
    if ticket.responded_at is None and pk in ctx.first_response:
        ticket.responded_at = ctx.first_response[pk]
    if respond_due:
        assert ticket.respond_by is not None
        on_time = ticket.responded_at is not None and ticket.responded_at <= ticket.respond_by
        if not on_time:
            late_answer = ticket.responded_at is not None
            _act(plan, ticket, maths.Moment(ticket.respond_by, maths.RESPOND), ctx, skipped=late_answer)
        done.add((maths.RESPOND, 0))

    clock = clock_of(ticket)
    if clock is None:
        ticket.next_check_at = None
        return plan
    # Moments acted on already are not worked out again (they would only be filtered out).
    moments = maths.schedule(cal, clock, rungs_for(standard), standard.warning_percent, skip=done)
    for moment in maths.due(moments, done, now):
        skipped = bool(
            moment.rung is not None
            and moment.rung.only_without_notice
            and (pk, version) in ctx.noticed
        )
        _act(plan, ticket, moment, ctx, skipped=skipped)
        done.add(moment.key)
    ticket.next_check_at = maths.next_check(moments, done)
    return plan


def _act(plan: _Plan, ticket: Ticket, moment: maths.Moment, ctx: _Context, *, skipped: bool) -> None:
    people = [] if skipped else recipients_for(ticket, _roles(moment), ctx)
    if not skipped and not people:
        logger.warning("charter: nobody to tell about %s L%s on ticket %s", moment.kind, moment.level, ticket.pk)
    deadline = ticket.respond_by if moment.kind == maths.RESPOND else ticket.resolve_by
    plan.escalations.append(
        dict(
            ticket_id=ticket.pk,
            kind=moment.kind,
            level=moment.level,
            deadline_version=ticket.deadline_version,
            deadline=deadline,
            due_at=moment.at,
            fired_at=ctx.now,
            skipped=skipped or not people,
            recipients=[p.pk for p in people],
        )
    )
    if skipped:
        return
    if moment.kind in (maths.WARNING, maths.ESCALATION) and moment.level > ticket.escalation_level:
        ticket.escalation_level = moment.level
    plan.events.append(
        dict(
            ticket_id=ticket.pk,
            kind=_EVENTS[moment.kind],
            actor_id=None,
            created_at=ctx.now,
            is_public=False,
            data={
                "what": moment.kind,
                "level": moment.level,
                "deadline": iso_or_empty(deadline),
                "to": [p.display_name for p in people],
            },
        )
    )
    for person in people:
        plan.sends.append(_Send(moment.kind, moment.level, person, deadline))


# --- loading and writing -------------------------------------------------------------


def _load_context(tickets: Sequence[Ticket], now: datetime) -> _Context:
    ids = [t.pk for t in tickets]
    done: dict[int, set[tuple[str, int]]] = defaultdict(set)
    versions = {t.pk: t.deadline_version for t in tickets}
    # Unordered (the model orders by fired_at): the unique index holds all four
    # columns, so PostgreSQL answers from the index without reading the table.
    for ticket_id, version, kind, level in (
        Escalation.objects.filter(ticket_id__in=ids).order_by().values_list("ticket_id", "deadline_version", "kind", "level")
    ):
        # The response check is once per ticket: a new deadline does not re-ask it.
        if versions.get(ticket_id) == version or kind == maths.RESPOND:
            done[ticket_id].add((kind, level))
    noticed = set(
        DelayNotice.objects.filter(ticket_id__in=ids).order_by().values_list("ticket_id", "deadline_version").distinct()
    )
    need_response = [t.pk for t in tickets if t.responded_at is None]
    first_response = {pk: at for pk, at in response_evidence(need_response).items() if at <= now}
    return _Context(
        now=now,
        standards=standards_by_id({t.standard_version_id for t in tickets}),
        done=done,
        noticed=noticed,
        first_response=first_response,
        # The section chiefs of the batch's departments, in one query.
        leads=lead_book(t.team for t in tickets),
    )


# The columns the sweep reads (planning, recipients, notice context, writing
# back). Loading only these halves the cost of turning a thousand rows into
# objects; a column left out here would cost one query per row when read, which
# the query-count tests would catch.
CLAIM_FIELDS = (
    "status",
    "title",
    "team",
    "assignee",
    "standard_version",
    "respond_by",
    "responded_at",
    "resolve_by",
    "next_check_at",
    "clock_started_at",
    "paused_at",
    "paused_business_seconds",
    "escalation_level",
    "deadline_version",
)


def _claim(now: datetime, batch: int, only_pk: int | None) -> list[Ticket]:
    """Lock and load the due rows (inside the caller's transaction)."""
    due = Ticket.objects.filter(next_check_at__lte=now)
    if only_pk is not None:
        due = due.filter(pk=only_pk)
    # Ordered by the partial index's own column, so the scan stops after `batch` rows.
    due = due.order_by("next_check_at").select_related("team").only(*CLAIM_FIELDS)
    if connection.features.has_select_for_update_skip_locked:
        # One statement claims and loads: FOR UPDATE OF the ticket rows only (not their teams).
        tickets = list(due.select_for_update(skip_locked=True, of=("self",))[:batch])
    else:
        # SQLite: take the database's write lock first (see the module docstring).
        SweepRun.objects.filter(pk=HEARTBEAT_PK).update(started_at=now)
        tickets = list(due[:batch])
    if not tickets:
        return []
    tickets.sort(key=lambda t: (t.next_check_at, t.pk))
    # The same handlers and leads recur across a batch: load each person once.
    people_ids = {t.assignee_id for t in tickets if t.assignee_id} | {
        t.team.lead_id for t in tickets if t.team is not None and t.team.lead_id
    }
    people = User.objects.select_related("team").in_bulk(people_ids) if people_ids else {}
    # Straight into the relations' caches, as select_related would have put them
    # (assigning through the descriptors checks every object again).
    assignee_cache = Ticket._meta.get_field("assignee")
    lead_cache = Team._meta.get_field("lead")
    for t in tickets:
        assignee_cache.set_cached_value(t, people.get(t.assignee_id) if t.assignee_id else None)
        if t.team is not None:
            lead_cache.set_cached_value(t.team, people.get(t.team.lead_id) if t.team.lead_id else None)
    return tickets


def _store_sweep_fields(tickets: Sequence[Ticket]) -> None:
    """Write next_check_at, escalation_level and responded_at for the whole batch."""
    if not tickets:
        return
    if connection.vendor == "postgresql":
        # One UPDATE … FROM unnest(…): bulk_update's CASE WHEN per field and row
        # costs seconds for a thousand rows; this costs milliseconds, and one
        # text per column (array_param) spares the server parsing four
        # thousand constants of a VALUES list.
        quote = connection.ops.quote_name
        fields = [Ticket._meta.pk, *(Ticket._meta.get_field(name) for name in SWEEP_FIELDS)]
        columns = [array_param([getattr(t, f.attname) for t in tickets], f.db_type(connection)) for f in fields]
        names = [f"c{i}" for i in range(len(fields))]
        sets = ", ".join(f"{quote(f.column)} = v.{name}" for f, name in zip(fields[1:], names[1:], strict=True))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(Ticket._meta.db_table)} AS t SET {sets} "
                f"FROM unnest({', '.join(sql for sql, _param in columns)}) AS v({', '.join(names)}) "
                f"WHERE t.{quote(fields[0].column)} = v.c0",
                [param for _sql, param in columns],
            )
        return
    Ticket.objects.bulk_update(tickets, SWEEP_FIELDS, batch_size=200)


def _insert(model: type[Escalation] | type[TicketEvent], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        # One unnest() INSERT without Django's per-value preparation.
        rows_insert(model, rows)
        return
    model.objects.bulk_create([model(**row) for row in rows])


def _write(plans: Sequence[_Plan], failed: Sequence[int], now: datetime) -> None:
    _insert(Escalation, [e for p in plans for e in p.escalations])
    _insert(TicketEvent, [e for p in plans for e in p.events])
    notices: list[dict[str, object]] = []
    for plan in plans:
        ticket = plan.ticket
        contexts: dict[tuple[int, datetime | None], dict[str, object]] = {}
        for s in plan.sends:
            context = contexts.get((s.level, s.deadline))
            if context is None:
                context = notify.notice_context(ticket, deadline=s.deadline, level=s.level, for_customer=False)
                contexts[(s.level, s.deadline)] = context
            notices.append(
                {
                    "key": notify.notice_key(s.kind, ticket.pk, s.level, ticket.deadline_version),
                    "template": _TEMPLATES[s.kind],
                    "context": context,
                    "recipient": s.recipient,
                    "ticket": ticket,
                }
            )
    # The staff door's batch: one statement for the whole batch on PostgreSQL.
    tell_staff_many(notices)
    _store_sweep_fields([p.ticket for p in plans])
    if failed:
        # Never retried in a hot loop: the row comes back in RETRY_DELAY.
        Ticket.objects.filter(pk__in=failed).update(next_check_at=now + RETRY_DELAY)


_pause_lock = threading.Lock()
_pauses = 0  # batches running with the collector paused
_resume = False  # whether the collector was on when they began


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused for one batch. A batch keeps
    tens of thousands of objects alive (rows, plans, outbox values) until it
    ends, so the collector runs again and again and promotes them, and every
    few batches a full collection walks the whole process: measured, 5 to 90 ms
    of the sweep's CPU. The batch's objects are freed by reference counting
    when it ends; any cycle among them is collected later as usual. Batches of
    several threads (`sweep_until_done`) share one pause: the last to end
    turns the collector back on, if it was on when the first began."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


def _run(
    now: datetime, *, batch: int, only_pk: int | None = None, on_row: Callable[[Ticket], None] | None = None
) -> SweepResult:
    result = SweepResult()
    with _collector_paused(), transaction.atomic():
        tickets = _claim(now, batch, only_pk)
        result.due = len(tickets)
        if not tickets:
            return result
        ctx = _load_context(tickets, now)
        plans: list[_Plan] = []
        failed: list[int] = []
        for ticket in tickets:
            try:
                if on_row is not None:
                    on_row(ticket)
                plans.append(plan_ticket(ticket, ctx))
            except Exception:
                logger.exception("charter: deadline sweep failed on ticket %s; retrying in %s", ticket.pk, RETRY_DELAY)
                failed.append(ticket.pk)
        _write(plans, failed, now)
        result.processed = len(plans)
        result.errors = len(failed)
    return result


def _push_forward(pk: int, now: datetime) -> None:
    Ticket.objects.filter(pk=pk, next_check_at__lte=now).update(next_check_at=now + RETRY_DELAY)


def _heartbeat(**fields: object) -> None:
    updated = SweepRun.objects.filter(pk=HEARTBEAT_PK).update(**fields)
    if not updated:
        SweepRun.objects.get_or_create(pk=HEARTBEAT_PK, defaults=fields)


def sweep(
    now: datetime | None = None, batch: int = 500, *, on_row: Callable[[Ticket], None] | None = None
) -> SweepResult:
    """One sweep over at most `batch` due rows, with the heartbeat recorded. `on_row`
    is called before each row is planned, inside the batch's transaction (the
    crash test uses it to know how far an uncommitted batch has got)."""
    now = now or timezone.now()
    started = time.monotonic()
    _heartbeat(started_at=now)
    try:
        result = _run(now, batch=batch, on_row=on_row)
    except Exception:
        # The batch's writes failed together: redo it one row per transaction so
        # only the row at fault is pushed forward.
        logger.exception("charter: deadline sweep batch failed; retrying row by row")
        result = SweepResult()
        pks = list(
            Ticket.objects.filter(next_check_at__lte=now).order_by("next_check_at").values_list("pk", flat=True)[:batch]
        )
        result.due = len(pks)
        for pk in pks:
            try:
                one = _run(now, batch=1, only_pk=pk, on_row=on_row)
            except Exception:
                logger.exception("charter: deadline sweep failed on ticket %s; retrying in %s", pk, RETRY_DELAY)
                _push_forward(pk, now)
                result.errors += 1
            else:
                result.processed += one.processed
                result.errors += one.errors
    _heartbeat(
        finished_at=timezone.now(),
        due=result.due,
        processed=result.processed,
        errors=result.errors,
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    return result


def sweep_once(now: datetime | None = None, batch: int = 500) -> int:
    """One sweep; returns how many due rows were processed (benchmarks, tests)."""
    return sweep(now=now, batch=batch).processed


def sweep_until_done(
    *, now: datetime | None = None, batch: int = 500, max_seconds: float = 45.0, workers: int = 2
) -> int:
    """Sweeps until less than a full batch was due or time is up (the beat task),
    so a backlog after downtime drains within the minute instead of 500 a minute.
    `now` fixes the instant for every sweep (benchmarks); by default each sweep reads the clock.

    When the first batch comes full (a backlog), `workers` sweeps drain it at
    once on PostgreSQL, the others in threads of their own with their own
    connections: the claim skips locked rows, so they take disjoint batches
    (as several beat workers would), and while one waits for the database the
    other plans — a batch's time is about half Python, half PostgreSQL. Not
    inside a transaction (a test's): a second connection would not see its rows
    and could wait on its locks."""
    stop_at = time.monotonic() + max_seconds
    first = sweep(now=now, batch=batch)
    if first.due < batch or time.monotonic() >= stop_at:
        return first.processed
    helpers: list[threading.Thread] = []
    drained: list[int] = []
    if workers > 1 and connection.features.has_select_for_update_skip_locked and not connection.in_atomic_block:
        for _ in range(workers - 1):
            helper = threading.Thread(
                target=_helper_drain, args=(now, batch, stop_at, drained), name="deadline-sweep", daemon=True
            )
            helper.start()
            helpers.append(helper)
    try:
        total = first.processed + _drain(now, batch, stop_at)
    finally:
        for helper in helpers:  # never left running past the task
            helper.join()
    return total + sum(drained)


def _drain(now: datetime | None, batch: int, stop_at: float) -> int:
    total = 0
    while True:
        result = sweep(now=now, batch=batch)
        total += result.processed
        if result.due < batch or time.monotonic() >= stop_at:
            return total


def _helper_drain(now: datetime | None, batch: int, stop_at: float, drained: list[int]) -> None:
    try:
        drained.append(_drain(now, batch, stop_at))
    except Exception:
        # The calling worker drains on; whatever this one left is due at the next sweep.
        logger.exception("charter: a helper deadline sweep stopped")
    finally:
        connections.close_all()  # this thread's own connection
