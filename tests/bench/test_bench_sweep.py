"""`python -m bench sweep` and the deadline columns of generated tickets.

The data set is built without the demo stories (organisation + bulk tickets
only), so every open ticket is a generated one and the checks below are exact.
No timing assertions: only the shape of the output and the state of the data.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.db.models import F, Max

from bench.runner import main
from charter.deadline_sweep import sweep_once
from charter.models import Escalation, SweepRun
from demo import DEFAULT_SEED
from demo.bulk import Generator, OpenDeadlines, pools_load, tickets_bulk_generate
from demo.org import org_ensure
from helpdesk.notifications.models import Notification
from standards import deadline_maths as maths
from standards.selectors import current_standard, standards_changed
from tickets.lifecycle import PAUSED_STATUSES, Status
from tickets.models import Ticket, TicketEvent

FINISHED = {Status.RESOLVED, Status.CLOSED, Status.CANCELLED}
REQUIRED = {"scenario", "item", "tickets", "median_ms", "queries"}


@pytest.fixture
def generated(db) -> datetime:
    """400 bulk tickets on the demo organisation; returns (about) when they were made."""
    standards_changed()
    assert current_standard() is not None
    org_ensure(seed=DEFAULT_SEED)
    made_at = datetime.now(UTC)
    result = tickets_bulk_generate(total=400, seed=DEFAULT_SEED, batch_size=150)
    assert result.created == 400
    return made_at


def run(*argv: str) -> tuple[int, list[dict], str]:
    out, log = StringIO(), StringIO()
    code = main(list(argv), out=out, log=log)
    return code, [json.loads(line) for line in out.getvalue().splitlines() if line.strip()], log.getvalue()


def test_open_generated_tickets_carry_the_deadlines_the_services_would_give(generated) -> None:
    standard = current_standard()
    open_ = Ticket.objects.exclude(status__in=FINISHED)
    assert open_.count() > 50
    assert not open_.filter(resolve_by__isnull=True).exists()
    assert set(open_.values_list("standard_version_id", flat=True)) == {standard.pk}
    assert set(open_.values_list("deadline_version", flat=True)) == {1}
    for t in open_:
        assert t.clock_started_at == t.created_at
        assert t.respond_by <= t.resolve_by and t.warn_at < t.resolve_by
    # Finished work is left as it was.
    assert not Ticket.objects.filter(status__in=FINISHED, resolve_by__isnull=False).exists()
    # A waiting state pauses the clock: nothing to check until it resumes.
    paused = open_.filter(status__in=PAUSED_STATUSES)
    assert paused.exists()
    assert not paused.filter(paused_at__isnull=True).exists()
    assert not paused.filter(next_check_at__isnull=False).exists()
    # Running clocks check next at a moment still to come, or never (ladder done).
    running = open_.exclude(status__in=PAUSED_STATUSES)
    assert running.filter(next_check_at__gt=generated).exists()
    assert not running.filter(next_check_at__lte=generated).exists()
    exhausted = running.filter(next_check_at__isnull=True)
    assert exhausted.exists() and set(exhausted.values_list("escalation_level", flat=True)) == {3}


def test_moments_already_past_are_recorded_once_with_the_level_they_reached(generated) -> None:
    escalated = Ticket.objects.filter(escalation_level__gt=0)
    assert escalated.exists()
    top = dict(
        Escalation.objects.filter(kind__in=["warning", "escalation"])
        .values_list("ticket_id")
        .annotate(m=Max("level"))
        .values_list("ticket_id", "m")
    )
    assert dict(escalated.values_list("pk", "escalation_level")) == top
    assert not Escalation.objects.filter(due_at__gt=generated + timedelta(minutes=5)).exists()
    assert not Escalation.objects.filter(ticket__status__in=FINISHED).exists()
    # Only a ticket nobody had answered by its respond-by time gets the "no response" record.
    respond = Escalation.objects.filter(kind="respond")
    assert respond.exists()
    assert not respond.filter(ticket__responded_at__lte=F("ticket__respond_by")).exists()
    late = Ticket.objects.filter(responded_at__gt=F("respond_by"), respond_by__lte=generated, paused_at__isnull=True)
    assert set(late.values_list("pk", flat=True)) <= set(respond.values_list("ticket_id", flat=True))


def test_a_sweep_on_the_generated_table_acts_only_on_moments_still_to_come(generated) -> None:
    assert sweep_once(now=generated) == 0
    before = Escalation.objects.aggregate(m=Max("pk"))["m"]
    later = generated + timedelta(days=3)
    swept = 0
    while n := sweep_once(now=later, batch=500):
        swept += n
    assert swept > 0
    new = Escalation.objects.filter(pk__gt=before)
    assert new.exists()
    # Nothing that had already come before the data was made fires again.
    assert not new.filter(due_at__lt=generated - timedelta(minutes=5)).exists()


def test_the_hook_is_a_generator_row_hook_and_skips_finished_rows(generated) -> None:
    generator = Generator(pools_load(seed=1), seed=1)
    hook = OpenDeadlines.for_current_standard(generator.pools, now=generator.now)
    assert hook is not None
    generator.row_hooks.append(hook)
    rows = generator.batch(0, 200)
    finished = [r for r in rows if r["status"] in FINISHED]
    running = [r for r in rows if r["status"] not in FINISHED]
    assert finished and running
    assert all("resolve_by" not in r and "_escalations" not in r for r in finished)
    for r in running:
        clock = maths.Clock(started_at=r["created_at"], resolve_by=r["resolve_by"], respond_by=r["respond_by"],
                            responded=r["responded_at"] is not None)
        assert r["warn_at"] == maths.warn_at(hook.cal, clock, hook.warning_percent)


def test_sweep_scenario_prints_four_items_and_leaves_the_data_as_it_found_it(generated) -> None:
    def state() -> tuple:
        return (
            list(Ticket.objects.order_by("pk").values_list("pk", "next_check_at", "escalation_level", "responded_at")),
            Escalation.objects.count(),
            TicketEvent.objects.count(),
            Notification.objects.count(),
        )

    from helpdesk.celery import app
    from helpdesk.notifications import services

    enqueue, broker = services._enqueue, app.conf.broker_url
    before = state()
    code, lines, log = run("sweep", "--tickets", "0", "--repeat", "2", "--warmup", "1", "--size", "10")
    # The scenario's in-memory deliveries were its own: the process is as it was.
    assert services._enqueue is enqueue and app.conf.broker_url == broker
    assert code == 0, log
    assert [line["item"] for line in lines] == ["sweep_none_due", "sweep_1000_due", "sweep_3000_due", "outbox_per_s"]
    none_due, thousand, backlog, outbox = lines
    for line in (none_due, thousand, backlog):
        assert REQUIRED <= line.keys()
        assert line["scenario"] == "sweep" and line["tickets"] == 400
        assert line["median_ms"] > 0 and line["p90_ms"] >= line["median_ms"]
        assert line["queries"] > 0 and line["repeat"] == 2
    assert none_due["processed"] == 0
    # 400 tickets hold fewer than 1,000 pending moments: every pending one, plus filler rows.
    pending = sum(1 for _pk, check, _l, _r in before[0] if check is not None)
    assert thousand["processed"] == pending + thousand["filler"] > pending
    assert thousand["escalations"] > 0 and thousand["notifications"] > 0
    # The query count does not follow the rows: a batch is a handful of statements.
    assert thousand["queries"] < 40
    assert thousand["cpu_ms"] > 0 and none_due["cpu_ms"] >= 0
    # The backlog is drained as the beat task drains it: its default batch, batch
    # after batch, each a handful of statements (400 tickets: every running clock).
    assert backlog["batch"] == 500 and backlog["processed"] == thousand["processed"]
    assert backlog["escalations"] == thousand["escalations"] and backlog["filler"] == thousand["filler"]
    assert backlog["queries"] < 60
    assert outbox["value"] > 0 and outbox["sent"] == 10
    assert state() == before
    assert SweepRun.objects.get().finished_at is not None
