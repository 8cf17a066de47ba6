"""Through a real Celery worker on the real broker, a ticket that reaches its
warning point gets exactly one notice (MT1, issue item 10).

The test starts `celery worker` as a subprocess on the test database
(pytest-django's test_<name>, committed data: a transactional test) and on
CELERY_BROKER_URL (Redis; CI sets redis://127.0.0.1:6379/15). It sends
`charter.tasks.deadline_sweep` through the broker, as beat does, and waits for
the worker to sweep and then to deliver the outbox rows: the sweep queues
`deliver_notifications` on the same broker after its commit, and the same
worker picks that up. A second sweep through the broker changes nothing.

The worker consumes a queue of its own (its default queue is set to it, so the
delivery tasks it queues go there too): other tests on the same Redis database
leave delivery messages in the shared `celery` queue, which belong to other
test databases, and a worker on `celery` would first chew through those.

Needs PostgreSQL (a second process must see the test database) and Redis:
skipped locally without them, a failure under CI=true.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from charter.models import Escalation, SweepRun
from charter.tasks import deadline_sweep
from helpdesk.celery import app
from helpdesk.notifications.models import Notification
from standards.selectors import standards_changed
from tests.helpers.services import IN_CI, ROOT, database_url
from tests.helpers.ticket_steps import open_ticket
from tickets.models import Kind

SERVICES_SET = connection.vendor == "postgresql" and os.environ.get("CELERY_BROKER_URL", "").startswith("redis")
pytestmark = [
    pytest.mark.services,
    # Skipped before the (slow) transactional set-up; in CI the test runs and fails in require_services().
    pytest.mark.skipif(not SERVICES_SET and not IN_CI, reason="needs PostgreSQL and a Redis broker"),
]

WAIT_SECONDS = 60
# `celery -A helpdesk worker`, with the app's default queue switched to the
# test's own queue first (the CLI has no option for that setting).
WORKER_BOOT = """
import sys
from helpdesk.celery import app
queue = sys.argv[1]
app.conf.task_default_queue = queue
app.worker_main([
    "worker", "--pool", "solo", "--loglevel", "info", "--queues", queue, "--hostname", f"{queue}@%h",
    "--without-gossip", "--without-mingle", "--without-heartbeat",
])
"""


def require_services() -> str:
    broker = os.environ.get("CELERY_BROKER_URL", "")
    problems = []
    if connection.vendor != "postgresql":
        problems.append("DATABASE_URL is not PostgreSQL (the worker is another process)")
    if not broker.startswith(("redis://", "rediss://")):
        problems.append("CELERY_BROKER_URL is not a redis:// URL")
    if problems:
        message = "a real Celery worker needs the real services: " + "; ".join(problems)
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return broker


def wait_for(what: str, check: Callable[[], bool], worker: subprocess.Popen, log: Path) -> None:
    give_up = time.monotonic() + WAIT_SECONDS
    while not check():
        if worker.poll() is not None:
            pytest.fail(f"the worker exited ({worker.returncode}) before {what}:\n{_tail(log)}")
        if time.monotonic() > give_up:
            pytest.fail(f"not within {WAIT_SECONDS} s: {what}\n{_tail(log)}")
        time.sleep(0.25)


def _tail(log: Path, lines: int = 60) -> str:
    return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def worker_start(broker: str, queue: str, log: Path, tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=broker,
        DJANGO_SETTINGS_MODULE="helpdesk.settings",
        PYTHONUNBUFFERED="1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        SMS_BACKEND="helpdesk.notifications.sms.FileSMSBackend",
        SMS_FILE_PATH=str(tmp_path / "sms.log"),
    )
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(
            [sys.executable, "-c", WORKER_BOOT, queue], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def worker_stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # warm shutdown: finish the task at hand, then exit
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=30)


def queue_drop(queue: str) -> None:
    # The queue, its exchange (named after it) and their binding keys would
    # otherwise stay behind in Redis, one set per run.
    try:
        with app.connection_for_write() as conn:
            channel = conn.default_channel
            channel.queue_delete(queue)
            channel.exchange_delete(queue)
            channel.client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
    except Exception:  # best effort: a leftover empty queue harms nothing
        pass


@pytest.mark.django_db(transaction=True)
def test_mt1_worker_on_the_real_broker_sends_exactly_one_warning(org, tmp_path) -> None:
    broker = require_services()
    standards_changed()
    now = timezone.now()
    # A support request opened 30 days ago for a date 3 days ahead (BS1): its
    # warning point (75% of the time) has passed, its deadline has not.
    ticket = open_ticket(
        org, now - timedelta(days=30), kind=Kind.SUPPORT, requested_by=now + timedelta(days=3), assign=org.engineer
    )
    assert ticket.warn_at is not None and ticket.warn_at < now < ticket.resolve_by
    warnings = Notification.objects.filter(ticket=ticket, template="deadline_warning")
    # The assignment's own notices (conversations) were queued where no worker
    # reads; the sweeps must leave nothing else unsent.
    unsent_before = set(Notification.objects.exclude(state=Notification.State.SENT).values_list("pk", flat=True))

    queue = f"charterdesk-test-{uuid.uuid4().hex[:12]}"
    log = tmp_path / "worker.log"
    worker = worker_start(broker, queue, log, tmp_path)
    try:
        deadline_sweep.apply_async(queue=queue)  # what beat does every minute

        def warned_and_delivered() -> bool:
            states = list(warnings.values_list("channel", "state"))
            return len(states) == 2 and all(state == Notification.State.SENT for _channel, state in states)

        wait_for("the warning was recorded and delivered by the worker", warned_and_delivered, worker, log)
        assert sorted(warnings.values_list("channel", flat=True)) == ["email", "in_app"]
        assert set(warnings.values_list("recipient_id", flat=True)) == {org.engineer.pk}
        assert Escalation.objects.filter(ticket=ticket, kind="warning").count() == 1
        first = SweepRun.objects.get()

        deadline_sweep.apply_async(queue=queue)
        wait_for(
            "the second sweep ran",
            lambda: SweepRun.objects.filter(finished_at__gt=first.finished_at).exists(),
            worker,
            log,
        )
        # The second sweep found nothing due and changed nothing.
        assert warnings.count() == 2
        assert sorted(warnings.values_list("channel", flat=True)) == ["email", "in_app"]
        assert Escalation.objects.filter(ticket=ticket, kind="warning").count() == 1
        unsent = set(Notification.objects.exclude(state=Notification.State.SENT).values_list("pk", flat=True))
        assert unsent == unsent_before
    finally:
        worker_stop(worker)
        queue_drop(queue)
    log_text = log.read_text(encoding="utf-8", errors="replace")
    assert "charter.tasks.deadline_sweep" in log_text and "deliver_notification" in log_text
