"""Two real `celery beat` processes: the second refuses to send and says so in
its log; when the first dies, the second takes over once the lease runs out
(issue 16, item 8).

Both beats publish to a private filesystem broker (a folder of this test: one
file per message, nothing consumes them), with every beat entry once an hour,
so the only sends are a new holder's catch-up (every entry at once) and the
count of message files says who sent what. The lease is 6 s instead of 30.

Runs on SQLite (a file copy of the test database) and on PostgreSQL (the test
database itself).
"""
from __future__ import annotations

import signal
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers.celery_procs import ChildDatabase, Proc, Procs, celery_children, child_database

pytestmark = pytest.mark.services

LEASE_SECONDS = 6
HOLDER = "holds the beat lease and sends the periodic tasks"
STANDBY = "is a standby and sends nothing"
SENDING = "Scheduler: Sending due task"


def beat_start(procs: Procs, name: str, broker: Path, tmp_path: Path) -> Proc:
    hourly = {entry: {**spec, "schedule": 3600.0} for entry, spec in settings.CELERY_BEAT_SCHEDULE.items()}
    return procs.celery(
        name,
        ["beat", "--loglevel", "info", "--schedule", str(tmp_path / f"{name}-schedule")],
        celery_conf={
            "beat_schedule": hourly,
            "broker_url": "filesystem://",
            "broker_transport_options": {
                "data_folder_in": str(broker),
                "data_folder_out": str(broker),
                "control_folder": str(tmp_path / "control"),
                "store_processed": False,
            },
        },
        django_conf={"BEAT_LEASE_SECONDS": LEASE_SECONDS},
    )


def heartbeats(database: ChildDatabase) -> dict[int, str]:
    return {pid: str(seen) for pid, seen in database.rows("SELECT pid, last_seen FROM core_beatprocess")}


@pytest.mark.django_db(transaction=True)
def test_a_second_beat_stands_by_and_takes_over_when_the_first_dies(tmp_path) -> None:
    database = child_database(tmp_path)
    broker = tmp_path / "broker"
    broker.mkdir()
    (tmp_path / "control").mkdir()
    entries = len(settings.CELERY_BEAT_SCHEDULE)

    def messages() -> int:
        return len(list(broker.iterdir()))

    with celery_children(tmp_path, database, CELERY_BROKER_URL="filesystem://") as procs:
        first = beat_start(procs, "first", broker, tmp_path)
        procs.wait_for("the first beat to take the lease", lambda: HOLDER in first.text())
        procs.wait_for("the first beat's catch-up", lambda: messages() == entries)

        second = beat_start(procs, "second", broker, tmp_path)
        procs.wait_for("the second beat to stand by", lambda: STANDBY in second.text())
        # Let the standby tick on past a renewal of its own heartbeat: it still sends nothing.
        pid = second.popen.pid
        procs.wait_for("the standby's heartbeat", lambda: pid in heartbeats(database))
        seen = heartbeats(database)[pid]
        procs.wait_for("a second heartbeat of the standby", lambda: heartbeats(database).get(pid) != seen)
        assert messages() == entries
        assert SENDING not in second.text()
        holder_before = database.rows("SELECT holder FROM core_beatlease WHERE name = 'beat'")[0][0]
        assert holder_before.split(":")[1] == str(first.popen.pid)
        roles = dict(database.rows("SELECT pid, role FROM core_beatprocess"))
        assert roles == {first.popen.pid: "holder", second.popen.pid: "standby"}

        first.stop(signal.SIGKILL)  # no clean stop: the lease must run out by itself
        procs.wait_for("the second beat to take over", lambda: HOLDER in second.text(), seconds=4 * LEASE_SECONDS)
        procs.wait_for("the second beat's catch-up", lambda: messages() == 2 * entries)

    standby_log = second.text()
    assert standby_log.index(STANDBY) < standby_log.index(HOLDER) < standby_log.index(SENDING)
    # The second beat stopped cleanly at the end: it left no heartbeat (the killed
    # first one's stays until it is a day old) and the last holder is the second.
    assert set(heartbeats(database)) == {first.popen.pid}
    holder_after = database.rows("SELECT holder FROM core_beatlease WHERE name = 'beat'")[0][0]
    assert holder_after.split(":")[1] == str(second.popen.pid)
