"""The `sweep` scenario: what one deadline sweep costs at N tickets (MT1).

`python -m bench sweep --tickets 1000000` prints four items:

- `sweep_none_due`: one `charter.deadline_sweep.sweep_once` at an instant when no row is
  due — what beat pays every minute on a quiet desk. It must not grow with the
  table (the claim reads the partial index `ticket_next_check_idx`).
- `sweep_1000_due`: one `sweep_once(batch=1000)` with exactly 1,000 due rows
  among the N tickets, timed with its commit: claim, plan, and write the
  escalations, timeline events and outbox rows.
- `sweep_3000_due`: a backlog of 3,000 due rows drained as production drains
  it — the beat task's `sweep_until_done()` with its defaults: batches of 500,
  and from the second batch on two sweeps at once (the second in a thread of
  its own) — timed end to end the same way, and restored between repetitions
  the same way. Its `queries` come from a run drained by one sweep (six full
  batches and one that finds none), so that every statement is counted;
  `cpu_ms` is both threads' Python, and `db_cpu_ms` is null (the second
  sweep's backend ends with its thread and cannot be read).
- `outbox_per_s`: notifications delivered per second (bench/outbox.py).

How the 1,000 due rows are made. The bulk generator leaves every open ticket
as the sweep would have (demo/bulk.py, `OpenDeadlines`): moments
that had come are recorded, `next_check_at` is the next one still pending. So
the sweep is timed at the instant of the 1,000th pending moment: the 1,000
rows due then are the ones a real sweep would meet, each with a warning, a
breach or an escalation to act on (the `escalations` and `notifications`
fields say how much work that was). Forcing `next_check_at` into the past
instead would time rows with nothing to do. Only if the data set has fewer
than 1,000 pending moments are other running clocks set due, as a filler.

Between repetitions everything the sweep wrote is removed and the swept rows'
columns are restored, so every repetition meets the same 1,000 rows. The
outbox's delivery tasks go to an in-memory broker: publishing them is part of
the sweep's time (after its commit), delivering them is `outbox_per_s`'s.

Fields besides the runner's: `median_ms`/`p90_ms` (wall time of the call,
commit included), `queries` and `db_ms` (statements of one more run and their
time as the client saw it), `cpu_ms` (this process's CPU time per run: the
Python share) and `db_cpu_ms` (the PostgreSQL backend's CPU time per run, read
from /proc when the server is on this machine, else null). On a machine busy
with other work the wall time grows; the two CPU figures do not.
"""
from __future__ import annotations

import inspect
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from charter.deadline_sweep import sweep_once, sweep_until_done
from charter.models import Escalation
from helpdesk.notifications import services
from helpdesk.notifications.models import Notification
from tickets.lifecycle import FINISHED, PAUSED_STATUSES
from tickets.models import Ticket, TicketEvent

from .runner import Context, Timing, scenario

DUE = 1000
BACKLOG = 3000
SWEEP_BATCH = inspect.signature(sweep_until_done).parameters["batch"].default  # what the beat task uses
RESTORED = ("next_check_at", "escalation_level", "responded_at")


@contextmanager
def deliveries_in_memory() -> Iterator[None]:
    """Delivery tasks queued by the sweep go to an in-memory broker of a Celery
    app of their own, for the scenario's duration: publishing them is still
    timed, but no worker — on the quick start's filesystem broker or a real
    Redis — sends the bench's rows, and the project's app is left as it was
    (the tests run scenarios in-process)."""
    from celery import Celery

    bench_app = Celery("bench-deliveries", broker="memory://localhost/", set_as_current=False)
    real = services._enqueue

    def enqueue(ids: list[int]) -> None:
        # services._enqueue's chunks and task names, on the bench's own broker.
        size = services.ENQUEUE_CHUNK
        for i in range(0, len(ids), size):
            chunk = ids[i : i + size]
            if len(chunk) == 1:
                bench_app.send_task("helpdesk.notifications.tasks.deliver_notification", args=[chunk[0]])
            else:
                bench_app.send_task("helpdesk.notifications.tasks.deliver_notifications", args=[chunk])

    services._enqueue = enqueue  # type: ignore[assignment]
    try:
        yield
    finally:
        services._enqueue = real  # type: ignore[assignment]
        bench_app.close()


@dataclass
class DueSet:
    """The instant the sweep runs at and the rows due then, with what to restore."""

    now: datetime
    ids: list[int]
    saved: list[tuple[int, datetime | None, int, datetime | None]]
    forced: list[int]  # filler rows whose next_check_at was set due by the bench
    marks: tuple[int, int, int]  # highest Escalation, TicketEvent, Notification ids before

    @classmethod
    def take(cls, n: int) -> DueSet:
        pending = list(
            Ticket.objects.filter(next_check_at__isnull=False)
            .order_by("next_check_at", "pk")
            .values_list("pk", "next_check_at")[:n]
        )
        now = pending[-1][1] if pending else timezone.now()
        forced: list[int] = []
        if len(pending) < n:
            forced = list(
                Ticket.objects.filter(next_check_at__isnull=True, paused_at__isnull=True, resolve_by__isnull=False)
                .exclude(status__in=FINISHED)
                .exclude(status__in=PAUSED_STATUSES)
                .order_by("pk")
                .values_list("pk", flat=True)[: n - len(pending)]
            )
        marks = (
            Escalation.objects.aggregate(m=Max("pk"))["m"] or 0,
            TicketEvent.objects.aggregate(m=Max("pk"))["m"] or 0,
            Notification.objects.aggregate(m=Max("pk"))["m"] or 0,
        )
        # Ties with the n-th moment are due too; the sweep takes n of them, and
        # any of them may be among its n, so all are saved.
        ids = list(Ticket.objects.filter(next_check_at__lte=now).values_list("pk", flat=True)) + forced
        saved = list(Ticket.objects.filter(pk__in=ids).values_list("pk", *RESTORED))
        due = cls(now=now, ids=ids, saved=saved, forced=forced, marks=marks)
        due.arm()
        return due

    def arm(self) -> None:
        if self.forced:
            Ticket.objects.filter(pk__in=self.forced).update(next_check_at=self.now - timedelta(seconds=1))

    def restore(self) -> None:
        """Undo one sweep: its rows go, the swept tickets' columns come back."""
        e, t, n = self.marks
        with transaction.atomic():
            Notification.objects.filter(pk__gt=n, ticket_id__in=self.ids).delete()
            TicketEvent.objects.filter(pk__gt=t, ticket_id__in=self.ids).delete()
            Escalation.objects.filter(pk__gt=e, ticket_id__in=self.ids).delete()
            rows_restore(self.saved)
            self.arm()

    def written(self) -> tuple[int, int]:
        e, _t, n = self.marks
        return (
            Escalation.objects.filter(pk__gt=e, ticket_id__in=self.ids).count(),
            Notification.objects.filter(pk__gt=n, ticket_id__in=self.ids).count(),
        )


def rows_restore(saved: list[tuple[int, datetime | None, int, datetime | None]]) -> None:
    if not saved:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Ticket._meta.db_table)
        values = ", ".join(["(%s, %s::timestamptz, %s, %s::timestamptz)"] * len(saved))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS t SET next_check_at = v.n, escalation_level = v.l, responded_at = v.r "
                f"FROM (VALUES {values}) AS v(id, n, l, r) WHERE t.id = v.id",
                [x for row in saved for x in row],
            )
        return
    objs = [Ticket(pk=pk, next_check_at=n, escalation_level=lvl, responded_at=r) for pk, n, lvl, r in saved]
    Ticket.objects.bulk_update(objs, list(RESTORED), batch_size=500)


@dataclass
class Measured:
    timing: Timing
    cpu_ms: float  # median CPU time of this process per run: the Python share, whatever else the machine runs
    db_cpu_ms: float | None  # median CPU time of the PostgreSQL backend per run, when it runs on this machine
    processed: int
    queries: list[dict[str, Any]]


def _backend_cpu_reader() -> Any:
    """A function giving the CPU seconds used so far by this connection's
    PostgreSQL backend, read from /proc; None when the server is not local
    (or not Linux). With the Python share it tells the sweep's own cost apart
    from waiting for a busy machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    path = f"/proc/{pid}/stat"
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def read() -> float:
        fields = open(path, encoding="ascii").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    try:
        read()
    except (OSError, ValueError, IndexError):
        return None
    return read


def sweep_measure(
    ctx: Context,
    *,
    now: datetime,
    batch: int,
    after: Any = None,
    run: Callable[[], int] | None = None,
    counted: Callable[[], int] | None = None,
) -> Measured:
    """Median time of sweep_once(now, batch) (or of `run()`, which returns the rows
    processed), calling `after()` (untimed) after each run; then one more run with
    its queries recorded (`counted()` if given: this thread's connection is the
    one recorded)."""
    if run is None:
        run = lambda: sweep_once(now=now, batch=batch)  # noqa: E731
    samples: list[float] = []
    cpu: list[float] = []
    db_cpu: list[float] = []
    processed = 0
    backend_cpu = _backend_cpu_reader()
    for i in range(ctx.warmup + ctx.repeat):
        db_started = backend_cpu() if backend_cpu else 0.0
        cpu_started = time.process_time()
        started = time.perf_counter()
        processed = run()
        elapsed = (time.perf_counter() - started) * 1000
        cpu_used = (time.process_time() - cpu_started) * 1000
        db_used = ((backend_cpu() - db_started) * 1000) if backend_cpu else 0.0
        if after is not None:
            after()
        if i >= ctx.warmup:
            samples.append(elapsed)
            cpu.append(cpu_used)
            db_cpu.append(db_used)
    with CaptureQueriesContext(connection) as queries:
        (counted or run)()
    return Measured(
        Timing(statistics.median(samples), samples),
        statistics.median(cpu),
        statistics.median(db_cpu) if backend_cpu else None,
        processed,
        list(queries.captured_queries),
    )


def _figures(measured: Measured, ctx: Context) -> dict[str, Any]:
    queries = measured.queries
    return {
        "median_ms": round(measured.timing.median_ms, 2),
        "p90_ms": round(measured.timing.p90_ms, 2),
        "queries": len(queries),
        # Database share of one more run (statement round trips, as the client saw them).
        "db_ms": round(sum(float(q["time"]) for q in queries) * 1000, 2),
        "cpu_ms": round(measured.cpu_ms, 2),
        "db_cpu_ms": None if measured.db_cpu_ms is None else round(measured.db_cpu_ms, 2),
        "repeat": ctx.repeat,
        "processed": measured.processed,
    }


@scenario("sweep")
def sweep_scenario(ctx: Context) -> Iterator[dict[str, Any]]:
    from standards.selectors import standards_changed

    standards_changed()
    with deliveries_in_memory():
        yield from _sweep_items(ctx)
    if ctx.wants("outbox_per_s"):
        from .outbox import outbox_per_s

        yield outbox_per_s(n=ctx.size or 2000)


def _sweep_items(ctx: Context) -> Iterator[dict[str, Any]]:
    if ctx.wants("sweep_none_due"):
        first = Ticket.objects.filter(next_check_at__isnull=False).order_by("next_check_at").values_list(
            "next_check_at", flat=True
        ).first()
        # Just before the earliest pending moment: nothing is due, whatever the clock says.
        now = first - timedelta(microseconds=1) if first else timezone.now()
        measured = sweep_measure(ctx, now=now, batch=500)
        yield {"item": "sweep_none_due", **_figures(measured, ctx), "at": now.isoformat()}

    if ctx.wants("sweep_1000_due"):
        yield _due_item(ctx, "sweep_1000_due", DUE, batch=DUE)

    if ctx.wants("sweep_3000_due"):
        # A backlog as production drains it: the beat task's sweep_until_done
        # with its defaults (batch 500, two sweeps at once once a batch comes
        # full), batch after batch until one is not full. The statements are
        # counted on a run drained by one sweep, all on this connection.
        record = _due_item(
            ctx,
            "sweep_3000_due",
            BACKLOG,
            batch=SWEEP_BATCH,
            run=lambda now: sweep_until_done(now=now),
            counted=lambda now: sweep_until_done(now=now, workers=1),
        )
        # Only this connection's backend could be read, not the second sweep's
        # (its connection closes with its thread): null rather than half.
        yield {**record, "db_cpu_ms": None}


def _due_item(
    ctx: Context,
    item: str,
    size: int,
    *,
    batch: int,
    run: Callable[[datetime], int] | None = None,
    counted: Callable[[datetime], int] | None = None,
) -> dict[str, Any]:
    """Make `size` rows due, measure sweeping them (restored between runs), and describe it."""
    due = DueSet.take(size)
    try:
        measured = sweep_measure(
            ctx,
            now=due.now,
            batch=batch,
            after=due.restore,
            run=(lambda: run(due.now)) if run else None,
            counted=(lambda: counted(due.now)) if counted else None,
        )
        escalations, notifications = due.written()
    finally:
        due.restore()
        if due.forced:
            Ticket.objects.filter(pk__in=due.forced).update(next_check_at=None)
    if measured.processed < size:
        ctx.note(f"sweep: only {measured.processed} rows could be made due in this data set (wanted {size})")
    return {
        "item": item,
        **_figures(measured, ctx),
        "batch": batch,
        "escalations": escalations,
        "notifications": notifications,
        "filler": len(due.forced),
        "at": due.now.isoformat(),
    }
