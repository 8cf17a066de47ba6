"""The sweep's batch paths (issue 17): what they send to PostgreSQL arrives as it
was, the planning shortcut changes no moment, the kind of a batch's notices is
the kind of each, and the collector pause is undone.

- `array_param` sends a column as one text split by PostgreSQL (or, when a value
  holds the separator or is the NULL mark, as an array literal): every kind of
  value the sweep and the outbox write must come back unchanged;
- `schedule(skip=…)` leaves out moments acted on already: due moments and the
  next check are exactly those of the full schedule;
- `tell_staff_many` looks a kind up once per key stem: the stem's kind is the
  key's for every prefix the code uses;
- `_run` pauses the cyclic garbage collector for one batch and restores it,
  even when the batch fails.
"""
from __future__ import annotations

import gc
import json
import threading
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from charter import deadline_sweep as sweep_module
from charter.deadline_sweep import sweep_until_done
from charter.models import Escalation
from helpdesk.core.bulk_insert import NULL_MARK, SEP, SPLIT_SQL, array_param, rows_insert
from helpdesk.notifications.doors import kind_stem
from helpdesk.notifications.kinds import CUSTOMER, KINDS, STAFF, kind_for
from helpdesk.notifications.models import Notification
from standards import deadline_maths as maths
from standards.business_calendar import BusinessCalendar
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import open_ticket
from tickets.models import TicketEvent

pytestmark = pytest.mark.usefixtures("standard")

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the unnest() writes are PostgreSQL's")

OPENED = kst(2026, 3, 3, 9)
DEADLINE = kst(2026, 3, 4, 18)

AWKWARD_TEXTS = [
    "plain",
    "",
    'quote " and backslash \\ and {braces}, commas',
    "NULL",
    "한국어 제목",
    "tab\tnew\nline",
    None,
]


def round_trip(values: list, db_type: str) -> list:
    sql, param = array_param(values, db_type)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", [param])
        return list(cursor.fetchone()[0])


@on_postgresql
@pytest.mark.django_db
def test_text_values_come_back_as_they_were_sent() -> None:
    sql, param = array_param(AWKWARD_TEXTS, "text")
    assert sql.startswith(SPLIT_SQL)  # the split path: no value holds a reserved character
    assert round_trip(AWKWARD_TEXTS, "text") == AWKWARD_TEXTS


@on_postgresql
@pytest.mark.django_db
def test_a_value_holding_the_separator_or_the_null_mark_goes_as_an_array_literal() -> None:
    values = [f"a{SEP}b", NULL_MARK, 'x"y\\z', None]
    sql, _param = array_param(values, "text")
    assert not sql.startswith(SPLIT_SQL)
    assert round_trip(values, "text") == values


@on_postgresql
@pytest.mark.django_db
def test_numbers_times_booleans_and_json_come_back_as_they_were_sent() -> None:
    instant = datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC)
    assert round_trip([1, None, -7, 2**40], "bigint") == [1, None, -7, 2**40]
    assert round_trip([True, False, None], "boolean") == [True, False, None]
    assert round_trip([instant, None, instant + timedelta(days=400)], "timestamptz") == [
        instant, None, instant + timedelta(days=400)
    ]
    assert round_trip([Decimal("1.25"), None], "numeric") == [Decimal("1.25"), None]
    assert round_trip([timedelta(days=1, seconds=5, microseconds=7), None], "interval") == [
        timedelta(days=1, seconds=5, microseconds=7), None
    ]
    documents = [{"to": ["김 팀장", 'a "quoted" name'], "n": 1}, [], None, {"s": "back\\slash"}]
    texts = [None if d is None else json.dumps(d, ensure_ascii=False) for d in documents]
    back = round_trip(texts, "jsonb")  # psycopg2 reads a jsonb[] as texts
    assert [None if t is None else json.loads(t) for t in back] == documents


def test_values_that_are_no_scalars_are_refused() -> None:
    with pytest.raises(TypeError):
        array_param([1, [2, 3]], "bigint")


@on_postgresql
def test_rows_insert_stores_awkward_rows_field_by_field(ticket, org) -> None:
    now = timezone.now()
    rows = [
        {"key": f"bulk:{i}", "channel": "in_app", "template": "generic", "context": {"text": text, "i": i},
         "recipient_id": org.engineer.pk, "ticket_id": ticket.pk if i % 2 else None, "to_email": text or "",
         "next_attempt_at": now if i % 3 else None}
        for i, text in enumerate(AWKWARD_TEXTS)
    ]
    written = rows_insert(Notification, rows, conflict_on="key", returning=("id", "key"))
    assert len(written) == len(rows)
    stored = {n.key: n for n in Notification.objects.filter(pk__in=[pk for pk, _key in written])}
    for i, text in enumerate(AWKWARD_TEXTS):
        row = stored[f"bulk:{i}"]
        assert row.context == {"text": text, "i": i}
        assert row.to_email == (text or "")
        assert row.ticket_id == (ticket.pk if i % 2 else None)
        assert row.next_attempt_at == (now if i % 3 else None)


# --- schedule(skip=…) ---------------------------------------------------------------


RUNGS = (
    maths.Rung(1, maths.WARNING_POINT, notify_handler=True),
    maths.Rung(2, maths.PERCENT_USED, Decimal("90"), notify_team_lead=True),
    maths.Rung(3, maths.AFTER_DEADLINE, Decimal("2"), notify_section_chief=True),
    maths.Rung(4, maths.AFTER_DEADLINE, Decimal("8"), notify_section_chief=True),
)


@pytest.mark.parametrize(
    "done",
    [
        set(),
        {(maths.RESPOND, 0)},
        {(maths.WARNING, 1)},
        {(maths.WARNING, 1), (maths.WARNING, 2)},
        {(maths.WARNING, 1), (maths.WARNING, 2), (maths.BREACH, 0)},
        {(maths.WARNING, 1), (maths.WARNING, 2), (maths.BREACH, 0), (maths.ESCALATION, 3)},
        {(maths.RESPOND, 0), (maths.WARNING, 1), (maths.WARNING, 2), (maths.BREACH, 0), (maths.ESCALATION, 3),
         (maths.ESCALATION, 4)},
    ],
)
def test_skipping_moments_acted_on_changes_neither_what_is_due_nor_the_next_check(done) -> None:
    cal = BusinessCalendar()
    start = datetime(2026, 3, 2, 0, 30, tzinfo=UTC)  # Monday 09:30 in Seoul
    clock = maths.Clock(
        started_at=start,
        resolve_by=cal.add(start, timedelta(hours=16)),
        paused_seconds=1800,
        respond_by=cal.add(start, timedelta(hours=2)),
        responded=False,
    )
    full = maths.schedule(cal, clock, RUNGS, 75)
    short = maths.schedule(cal, clock, RUNGS, 75, skip=done)
    assert short == [m for m in full if m.key not in done]
    for now in [start, *(m.at for m in full), full[-1].at + timedelta(days=3)]:
        assert maths.due(short, done, now) == maths.due(full, done, now)
    assert maths.next_check(short, done) == maths.next_check(full, done)


# --- kinds by stem -------------------------------------------------------------------


def test_a_key_stem_has_the_kind_of_the_key_for_every_prefix() -> None:
    for kind in KINDS:
        for prefix in kind.prefixes:
            for key in (prefix, f"{prefix}:t12:l1:v3", f"{prefix}:12", f"{prefix}:x:u7", f"{prefix}-more:t1"):
                stem = kind_stem(key)
                assert key.startswith(stem)
                for audience in (STAFF, CUSTOMER):
                    assert kind_for(stem, audience) == kind_for(key, audience), key
    assert kind_stem("charter:warning:t12:l1:v1") == "charter:warning"
    assert kind_stem("t1:x") == ""


# --- the collector pause and the backlog -----------------------------------------------


def test_a_batch_runs_with_the_collector_paused_and_restores_it(ticket) -> None:
    seen: list[bool] = []
    assert gc.isenabled()
    result = sweep_module.sweep(now=ticket.resolve_by, on_row=lambda t: seen.append(gc.isenabled()))
    assert result.processed == 1 and seen == [False]
    assert gc.isenabled()

    gc.disable()
    try:
        ticket.refresh_from_db()
        sweep_module.sweep(now=ticket.resolve_by + timedelta(days=30))
        assert not gc.isenabled()  # a caller's choice is left alone
    finally:
        gc.enable()


def test_the_collector_is_back_on_when_a_batch_fails(ticket, monkeypatch) -> None:
    def write(plans, failed, now):
        assert not gc.isenabled()
        raise RuntimeError("database said no")

    monkeypatch.setattr(sweep_module, "_write", write)
    # The batch fails, then the row-by-row retry fails too: the row is pushed forward.
    result = sweep_module.sweep(now=ticket.resolve_by)
    assert result.errors == 1
    assert gc.isenabled()


def test_sweep_until_done_drains_a_backlog_at_a_fixed_instant(org, monkeypatch) -> None:
    helpers: list[object] = []
    monkeypatch.setattr(sweep_module, "_helper_drain", lambda *args: helpers.append(args))
    tickets = [open_ticket(org, OPENED) for _ in range(5)]
    later = DEADLINE + timedelta(hours=1)
    assert sweep_until_done(now=later, batch=2) == 5
    assert Escalation.objects.filter(ticket__in=tickets, kind="breach").count() == 5
    assert TicketEvent.objects.filter(ticket__in=tickets, kind=TicketEvent.Kind.BREACHED).count() == 5
    assert sweep_until_done(now=later, batch=2) == 0
    # Inside a transaction (this test's) no second sweep is started: its connection would not see these rows.
    assert helpers == []


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_backlog_is_drained_by_two_sweeps_at_once_each_row_once(org, monkeypatch) -> None:
    from standards.selectors import standards_changed

    standards_changed()
    helped: list[int] = []
    real_drain = sweep_module._drain

    def drain(now, batch, stop_at):
        done = real_drain(now, batch, stop_at)
        if threading.current_thread() is not threading.main_thread():
            helped.append(done)
        return done

    monkeypatch.setattr(sweep_module, "_drain", drain)
    tickets = [open_ticket(org, OPENED, assign=org.engineer) for _ in range(12)]
    later = DEADLINE + timedelta(hours=1)
    assert sweep_until_done(now=later, batch=2) == 12
    assert len(helped) == 1  # the second sweep ran, in its own thread
    for ticket in tickets:
        # Each ticket's moments acted on once, by one of the two sweeps.
        kinds = list(Escalation.objects.filter(ticket=ticket).values_list("kind", "level"))
        assert len(kinds) == len(set(kinds)) and ("breach", 0) in kinds
        assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.BREACHED).count() == 1
    keys = list(Notification.objects.filter(ticket__in=tickets).values_list("key", flat=True))
    assert keys and len(keys) == len(set(keys))
    assert sweep_until_done(now=later, batch=2) == 0
    assert gc.isenabled()
