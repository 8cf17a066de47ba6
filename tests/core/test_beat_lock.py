"""One beat sends (issue 16, item 8): the beat lease, and beat's scheduler on top
of it, against the real database; and the worker's bounded reconnects (item 7).

The scheduler tests run two `LeasedScheduler`s in this process, as two beats
would on two machines: each is a real scheduler on its own schedule file, with
only the last step, handing a message to the broker, recorded instead.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.db import DatabaseError
from kombu import Connection

from helpdesk.celery import app
from helpdesk.core import beat_scheduler
from helpdesk.core.beat_lease import lease_claim, lease_release
from helpdesk.core.beat_scheduler import LeasedScheduler
from helpdesk.core.broker_reconnect import BoundedReconnectConsumer
from helpdesk.core.models import BeatLease, BeatProcess
from tests.helpers.celery_procs import free_port
from tests.helpers.clock import NOW

TTL = timedelta(seconds=30)
# The entries a new holder sends at once: every interval; a clock-time entry
# (the scoreboard's nightly recount at 01:30) waits for its time.
ENTRIES = sorted(name for name, spec in settings.CELERY_BEAT_SCHEDULE.items() if isinstance(spec["schedule"], float))
STANDBY = "is a standby and sends nothing"


# --- the lease ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_beat_gets_the_lease_only_after_it_runs_out() -> None:
    assert lease_claim(holder="a", now=NOW, ttl=TTL) is True
    assert lease_claim(holder="b", now=NOW + timedelta(seconds=1), ttl=TTL) is False
    # Not at the instant it expires, one microsecond after.
    assert lease_claim(holder="b", now=NOW + TTL, ttl=TTL) is False
    assert lease_claim(holder="b", now=NOW + TTL + timedelta(microseconds=1), ttl=TTL) is True
    lease = BeatLease.objects.get()
    assert lease.holder == "b" and lease.acquired_at == NOW + TTL + timedelta(microseconds=1)
    assert lease_claim(holder="a", now=NOW + TTL + timedelta(seconds=2), ttl=TTL) is False


@pytest.mark.django_db
def test_the_holder_renews_its_lease_and_keeps_its_start() -> None:
    assert lease_claim(holder="a", now=NOW, ttl=TTL)
    assert lease_claim(holder="a", now=NOW + timedelta(seconds=10), ttl=TTL)
    lease = BeatLease.objects.get()
    assert lease.acquired_at == NOW and lease.expires_at == NOW + timedelta(seconds=40)
    assert not lease_claim(holder="b", now=NOW + timedelta(seconds=35), ttl=TTL)


@pytest.mark.django_db
def test_a_lease_given_up_is_taken_at_once() -> None:
    assert lease_claim(holder="a", now=NOW, ttl=TTL)
    assert lease_release(holder="b", now=NOW) is False  # only the holder gives it up
    assert lease_release(holder="a", now=NOW + timedelta(seconds=1)) is True
    assert lease_claim(holder="b", now=NOW + timedelta(seconds=1), ttl=TTL)


# --- two schedulers on one database ------------------------------------------------------


class RecordingScheduler(LeasedScheduler):
    """A real LeasedScheduler whose hand-over to the broker is recorded (or refused)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.sent: list[str] = []
        self.broker_down = False
        self.closed = False
        super().__init__(*args, **kwargs)
        self.__dict__["producer"] = object()  # never connects to a broker

    def apply_async(self, entry: Any, producer: Any = None, advance: bool = True, **kwargs: Any) -> None:
        if self.broker_down:
            raise ConnectionRefusedError("broker down")
        self.sent.append(entry.name)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            super().close()


@pytest.fixture
def beats() -> Iterator[list[RecordingScheduler]]:
    """The schedulers a test makes (beat_make); each is stopped cleanly at the end."""
    made: list[RecordingScheduler] = []
    yield made
    for scheduler in made:
        scheduler.close()


def beat_make(beats: list[RecordingScheduler], tmp_path: Path) -> RecordingScheduler:
    beats.append(RecordingScheduler(app=app, schedule_filename=str(tmp_path / f"beat-{len(beats)}")))
    return beats[-1]


def run(scheduler: RecordingScheduler) -> float:
    """Tick as `celery beat` does until the scheduler waits; return the wait."""
    for _ in range(50):
        wait = scheduler.tick()
        if wait > 0:
            return wait
    raise AssertionError("the scheduler never waited")


def standby_lines(caplog: pytest.LogCaptureFixture, scheduler: LeasedScheduler) -> list[str]:
    return [r.getMessage() for r in caplog.records if STANDBY in r.getMessage() and scheduler.ident in r.getMessage()]


@pytest.mark.django_db(transaction=True)
def test_of_two_beats_on_one_database_only_the_holder_sends(beats, tmp_path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="helpdesk.core.beat_scheduler")
    with time_machine.travel(NOW, tick=False) as clock:
        first, second = beat_make(beats, tmp_path), beat_make(beats, tmp_path)
        run(first)
        run(second)
        # The new holder catches up: every entry at once.
        assert sorted(first.sent) == ENTRIES and second.sent == []
        for _ in range(12):  # two minutes, both ticking every 10 s
            clock.shift(timedelta(seconds=10))
            run(first)
            run(second)
    assert second.sent == []
    assert first.sent.count("deadline-sweep") == 3 and first.sent.count("outbox-retry") == 5
    # It says so in its log, once, naming the holder.
    assert len(standby_lines(caplog, second)) == 1
    assert first.ident in standby_lines(caplog, second)[0]
    roles = dict(BeatProcess.objects.values_list("ident", "role"))
    assert roles == {first.ident: "holder", second.ident: "standby"}


@pytest.mark.django_db(transaction=True)
def test_the_standby_takes_over_when_the_holders_lease_runs_out(beats, tmp_path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="helpdesk.core.beat_scheduler")
    with time_machine.travel(NOW, tick=False) as clock:
        first, second = beat_make(beats, tmp_path), beat_make(beats, tmp_path)
        run(first)
        run(second)
        # The first beat dies here: it never ticks again. Its lease lasts until NOW + 30 s.
        for _ in range(3):
            clock.shift(timedelta(seconds=10))
            run(second)
        assert second.sent == [] and not second.holding  # NOW + 30 s: not yet run out
        clock.shift(timedelta(seconds=10))
        run(second)
    assert second.holding and sorted(second.sent) == ENTRIES
    assert BeatLease.objects.get().holder == second.ident
    assert any("holds the beat lease" in r.getMessage() and second.ident in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_a_beat_stopping_cleanly_hands_over_at_its_standbys_next_check(beats, tmp_path) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        first, second = beat_make(beats, tmp_path), beat_make(beats, tmp_path)
        run(first)
        run(second)
        first.close()
        clock.shift(timedelta(seconds=10))  # the standby's next check, long before NOW + 30 s
        run(second)
    assert second.holding and sorted(second.sent) == ENTRIES
    assert list(BeatProcess.objects.values_list("ident", flat=True)) == [second.ident]


@pytest.mark.django_db(transaction=True)
def test_a_send_the_broker_refused_stays_due_and_goes_out_once_it_answers(beats, tmp_path, caplog) -> None:
    with time_machine.travel(NOW, tick=False) as clock:
        beat = beat_make(beats, tmp_path)
        beat.broker_down = True
        assert run(beat) == beat_scheduler.RESEND_SECONDS  # one refused send, then a pause
        assert beat.sent == []
        clock.shift(timedelta(seconds=4))
        assert run(beat) == pytest.approx(1)  # still paused: nothing is tried
        beat.broker_down = False
        clock.shift(timedelta(seconds=1))
        run(beat)
    # Every entry went out, the refused one included, none twice; Celery's own
    # scheduler would have advanced the refused one to its next turn.
    assert sorted(beat.sent) == ENTRIES
    assert any("could not send" in r.getMessage() and "it stays due" in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True)
def test_a_holder_that_cannot_renew_sends_only_while_its_lease_surely_lasts(
    beats, tmp_path, monkeypatch, settings
) -> None:
    settings.BEAT_LEASE_SECONDS = 60  # checked every 20 s
    with time_machine.travel(NOW, tick=False) as clock:
        beat = beat_make(beats, tmp_path)
        run(beat)
        caught_up = len(beat.sent)

        def database_gone(**kwargs: Any) -> bool:
            raise DatabaseError("the database went away")

        monkeypatch.setattr(beat_scheduler, "lease_claim", database_gone)
        for _ in range(3):  # NOW + 30 s: the outbox retry falls due, the lease runs until NOW + 60 s
            clock.shift(timedelta(seconds=10))
            run(beat)
        assert beat.holding and beat.sent[caught_up:] == ["outbox-retry"]
        for _ in range(6):  # NOW + 90 s: everything fell due, but another beat may hold the lease now
            clock.shift(timedelta(seconds=10))
            run(beat)
    assert not beat.holding and beat.sent[caught_up:] == ["outbox-retry"]


# --- the worker's reconnects -------------------------------------------------------------


def test_the_worker_retries_a_lost_broker_at_most_every_five_seconds(monkeypatch, caplog) -> None:
    """The worker's consumer, on a broker that refuses connections: Celery's own
    back-off would be 2, 4, 6, 8 … 30 s; with the settings' transport options
    it is 1, 2, 3, 4, 5, 5 s. (Sleeping is skipped; the waits are what it logs.)"""
    monkeypatch.setattr("kombu.utils.functional.sleep", lambda seconds: None)
    monkeypatch.setitem(app.conf, "broker_connection_max_retries", 7)
    consumer = BoundedReconnectConsumer.__new__(BoundedReconnectConsumer)  # only its reconnect loop is used
    consumer.app, consumer.first_connection_attempt, consumer.broker_connection_retry_attempt = app, False, 0
    conn = Connection(
        f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    )
    with pytest.raises(Exception):  # noqa: B017 - whatever the refusal, after the last retry
        consumer.ensure_connected(conn)
    waits = [float(w) for w in re.findall(r"Trying again in ([\d.]+) seconds?", caplog.text)]
    assert waits == [1, 2, 3, 4, 5, 5, 5]
