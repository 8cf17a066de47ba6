"""The retry sweep: only due rows, expired leases taken back, cost follows the due rows."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from helpdesk.notifications.models import Notification
from helpdesk.notifications.services import (
    MAX_ATTEMPTS,
    notification_deliver,
    outbox_claim_batch,
    outbox_sweep,
)
from tests.helpers.clock import kst
from tests.notifications.helpers import pending

pytestmark = pytest.mark.django_db

NOON = kst(2026, 12, 1, 12, 0)


@time_machine.travel(NOON, tick=False)
def test_the_sweep_sends_only_due_rows(sms_outbox):
    due_pending = pending(key="due-pending", to_phone="01011110001")
    due_failed = pending(key="due-failed", state="failed", attempts=1, to_phone="01011110002")
    due_held = pending(key="due-held", state="held", next_attempt_at=NOON - timedelta(minutes=1), to_phone="01011110003")
    later = pending(key="later", state="failed", next_attempt_at=NOON + timedelta(seconds=1))
    sent = pending(key="sent", state="sent", next_attempt_at=None)
    dead = pending(key="dead", state="dead", next_attempt_at=None)
    fresh_claim = pending(key="fresh-claim", state="sending", claimed_until=NOON + timedelta(minutes=4))

    assert outbox_sweep() == 3

    assert sorted(m["to"] for m in sms_outbox) == ["01011110001", "01011110002", "01011110003"]
    states = dict(Notification.objects.values_list("key", "state"))
    assert states == {
        "due-pending": "sent", "due-failed": "sent", "due-held": "sent",
        "later": "failed", "sent": "sent", "dead": "dead", "fresh-claim": "sending",
    }
    assert {due_pending.pk, due_failed.pk, due_held.pk, later.pk, sent.pk, dead.pk, fresh_claim.pk}


def test_a_stale_sending_claim_is_taken_back(sms_outbox):
    with time_machine.travel(NOON, tick=False):
        row = pending(state="sending", attempts=1, claimed_until=NOON)
        # The lease ends at noon: not yet expired at noon itself.
        assert outbox_sweep() == 0
    with time_machine.travel(NOON + timedelta(seconds=1), tick=False):
        assert outbox_sweep() == 1
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 2)
    assert len(sms_outbox) == 1


def test_a_row_whose_worker_died_on_every_attempt_is_given_up(sms_outbox):
    with time_machine.travel(NOON, tick=False):
        row = pending(state="sending", attempts=MAX_ATTEMPTS, claimed_until=NOON - timedelta(minutes=1))
        assert outbox_sweep() == 0
    row.refresh_from_db()
    assert row.state == "dead"
    assert str(MAX_ATTEMPTS) in row.last_error
    assert sms_outbox == []


def test_a_failing_row_is_pushed_forward_not_retried_in_a_hot_loop(settings):
    settings.SMS_BACKEND = "tests.notifications.test_deliver.BrokenSMSBackend"
    with time_machine.travel(NOON, tick=False):
        row = pending()
        assert outbox_sweep() == 0
        assert outbox_sweep() == 0
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == ("failed", 1, NOON + timedelta(minutes=1))


def test_the_sweep_works_in_batches_until_nothing_is_due(sms_outbox):
    with time_machine.travel(NOON, tick=False):
        for i in range(7):
            pending(key=f"b{i}")
        assert outbox_sweep(batch_size=3) == 7
    assert len(sms_outbox) == 7


def test_a_batch_claim_takes_each_row_once():
    with time_machine.travel(NOON, tick=False):
        rows = [pending(key=f"c{i}") for i in range(4)]
        first = outbox_claim_batch(now=NOON, limit=3)
        second = outbox_claim_batch(now=NOON, limit=3)
    assert len(first) == 3 and len(second) == 1
    assert sorted(first + second) == sorted(r.pk for r in rows)
    assert set(Notification.objects.values_list("state", flat=True)) == {"sending"}


def test_a_sweep_with_nothing_due_costs_the_same_whatever_the_table_holds():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    with time_machine.travel(NOON, tick=False):
        for size in (3, 30):
            while Notification.objects.filter(state="sent").count() < size:
                i = Notification.objects.count()
                pending(key=f"s{i}", state="sent", next_attempt_at=None)
                pending(key=f"f{i}", state="failed", next_attempt_at=NOON + timedelta(hours=1))
            with CaptureQueriesContext(connection) as captured:
                assert outbox_sweep() == 0
            counts.append(len(captured))
    assert counts[0] == counts[1]
    # Bury the lost, look for due rows, look for expired leases (plus savepoints on PostgreSQL).
    assert counts[0] <= 7


def test_the_due_rows_query_reads_the_partial_index_not_the_table():
    """The sweep's cost follows the due rows: sent rows are not even in the index it reads."""
    from django.db import connection
    from django.utils import timezone

    Notification.objects.bulk_create(
        Notification(key=f"old{i}", channel="sms", template="generic", state="sent", to_phone="01012345678")
        for i in range(3000)
    )
    pending(key="due")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_notification")
    now = timezone.now()
    due = Notification.objects.filter(state__in=["pending", "failed", "held"], next_attempt_at__lte=now)
    plan = due.order_by("next_attempt_at").values_list("pk", flat=True)[:100].explain()
    assert "notif_due_idx" in plan, plan
    stale = Notification.objects.filter(state="sending", claimed_until__lt=now).order_by("claimed_until")
    assert "notif_sending_idx" in stale.values_list("pk", flat=True)[:100].explain()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_row_once(sms_outbox):
    """Real threads with their own database connections (PostgreSQL in CI; SQLite's
    in-memory test database cannot be shared between threads)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs a database that several connections can use at once")
    rows = [pending(key=f"race{i}", to_phone=f"0102{i:07d}") for i in range(40)]
    barrier = threading.Barrier(2)
    results: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(outbox_sweep(batch_size=5))
            # And a duplicate task for every row, as a broker redelivery would send.
            results.append(sum(notification_deliver(notification_id=r.pk) for r in rows))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(results) == 40
    assert sorted(m["to"] for m in sms_outbox) == sorted(r.to_phone for r in rows)
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}
