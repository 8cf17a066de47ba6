"""After a broker outage the next deadline sweep runs within a minute of the
broker's return (issue 16, item 7), through a real Redis, worker and beat.

A private `redis-server` (on a free port, started and killed by the test), a
real `celery worker` and a real `celery beat` on the test's database. Beat's
schedule is the deadline sweep alone, every 10 s, so that a send falls inside
a 20 s outage without the test lasting minutes. The test waits for a sweep,
kills Redis, waits until beat has tried to send into the outage, keeps Redis
down for 20 s, starts it again and waits for a sweep that finished after that.

What must hold, besides "within 60 s":

* the worker retried the broker at most every 5 s (Celery's own back-off grows
  by 2 s per failure up to 30 s: after a 20 s outage it waits 8 s and more);
* beat kept the send the broker refused due and sent it again, instead of
  dropping it until the entry's next turn (Celery's default).

Runs on SQLite (a file copy of the test database) and on PostgreSQL (the test
database itself). Without redis-server it is skipped, except under CI=true.
"""
from __future__ import annotations

import re
import signal
import time
from datetime import UTC, datetime

import pytest

from tests.helpers.celery_procs import celery_children, child_database, free_port, redis_server_path

pytestmark = pytest.mark.services

SWEEP = "charter.tasks.deadline_sweep"
OUTAGE_SECONDS = 20
LAST_SWEEP = "SELECT finished_at FROM core_taskrun WHERE task = ?"


@pytest.mark.django_db(transaction=True)
def test_after_a_redis_outage_the_next_sweep_runs_within_a_minute(tmp_path) -> None:
    redis_server_path()
    database = child_database(tmp_path)
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    with celery_children(tmp_path, database, CELERY_BROKER_URL=broker) as procs:
        redis = procs.redis(port)
        worker = procs.celery(
            "worker",
            ["worker", "--pool", "solo", "--loglevel", "info", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--hostname", f"outage-{port}@%h"],
        )
        beat = procs.celery(
            "beat",
            ["beat", "--loglevel", "info", "--schedule", str(tmp_path / "beat-schedule")],
            celery_conf={"beat_schedule": {"deadline-sweep": {"task": SWEEP, "schedule": 10.0}}},
        )
        procs.wait_for("a first sweep", lambda: database.moment(LAST_SWEEP, [SWEEP]) is not None)

        redis.stop(signal.SIGKILL)
        down = time.time()
        procs.wait_for("the worker to lose the broker", lambda: "Connection to broker lost" in worker.text())
        procs.wait_for("beat to send into the outage", lambda: "could not send deadline-sweep" in beat.text())
        time.sleep(max(0.0, down + OUTAGE_SECONDS - time.time()))
        redis = procs.redis(port)
        back = datetime.fromtimestamp(time.time(), UTC)

        def swept_since_the_return() -> bool:
            last = database.moment(LAST_SWEEP, [SWEEP])
            return last is not None and last > back

        swept = procs.wait_for("a sweep finished after the broker's return", swept_since_the_return, seconds=60)

    # Reported, not asserted on its own: the 60 s above is the requirement.
    print(f"sweep finished {swept - back.timestamp():.1f} s after Redis came back")
    worker_log = worker.text()
    waits = [float(s) for s in re.findall(r"Trying again in ([\d.]+) seconds?", worker_log)]
    assert waits, worker_log[-3000:]
    assert max(waits) <= 5.0, waits
    assert worker_log.rindex("Connected to redis") > worker_log.index("Connection to broker lost")
    beat_log = beat.text()
    refused = beat_log.index("could not send deadline-sweep")
    assert "it stays due and is sent again" in beat_log[refused:]
