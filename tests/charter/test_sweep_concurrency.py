"""Two sweeps at once give one notice (MT1), and the sweep reads only due rows.

On PostgreSQL (CI) two threads sweep the same due rows at the same instant,
each on its own connection; `SKIP LOCKED` gives them disjoint rows. SQLite has
a single writer, so there the same claim is shown by two sweeps back to back.
The query-plan test needs PostgreSQL's EXPLAIN and is skipped on SQLite.
"""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from charter.deadline_sweep import sweep_once
from charter.models import Escalation
from helpdesk.notifications.models import Notification
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import open_ticket
from tickets.models import Ticket

OPENED = kst(2026, 3, 3, 9)
WARN = kst(2026, 3, 4, 14)
ON_POSTGRES = connection.vendor == "postgresql"


def _two_sweeps_at_once(now) -> list[int]:
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(sweep_once(now=now, batch=500))
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.skipif(not ON_POSTGRES, reason="threads need row locks: PostgreSQL only (CI)")
@pytest.mark.django_db(transaction=True)
def test_mt1_two_sweeps_at_once_send_one_notice_each(org, monkeypatch) -> None:
    from standards.selectors import standards_changed

    standards_changed()
    tickets = [open_ticket(org, OPENED, assign=org.engineer) for _ in range(40)]
    results = _two_sweeps_at_once(WARN)
    assert sum(results) == 40  # every row processed by exactly one of them
    assert Escalation.objects.filter(kind="warning").count() == 40
    emails = Notification.objects.filter(template="deadline_warning", channel="email")
    assert emails.count() == 40
    assert emails.values("ticket_id").distinct().count() == 40
    assert not Ticket.objects.filter(pk__in=[t.pk for t in tickets], next_check_at__lte=WARN).exists()


# Both backends: one sweep after another (SQLite's only way; on PostgreSQL the
# test above runs them in parallel as well).
@pytest.mark.usefixtures("standard")
def test_mt1_two_sweeps_back_to_back_send_one_notice_each(org) -> None:
    for _ in range(5):
        open_ticket(org, OPENED, assign=org.engineer)
    assert sweep_once(now=WARN) == 5
    assert sweep_once(now=WARN) == 0
    assert Notification.objects.filter(template="deadline_warning", channel="email").count() == 5


@pytest.mark.skipif(not ON_POSTGRES, reason="EXPLAIN plan shapes are PostgreSQL's (CI)")
@pytest.mark.usefixtures("standard")
def test_sweep_reads_only_due_rows_through_the_partial_index(org) -> None:
    dept = org.customer_dept
    now = WARN
    # 20,000 tickets; 2,000 still have a moment pending, 1,000 of them due now.
    rows = []
    for i in range(20_000):
        check = None
        if i % 10 == 0:
            check = now - timedelta(minutes=i % 7) if i % 20 == 0 else now + timedelta(hours=1)
        rows.append(
            Ticket(title="t", reporter_name="홍길동", reporter_department=dept, created_at=now, next_check_at=check)
        )
    Ticket.objects.bulk_create(rows, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tickets_ticket")
    due = Ticket.objects.filter(next_check_at__lte=now).order_by("next_check_at").values_list("pk", flat=True)

    plan = due[:500].explain(analyze=True)
    print("\nEXPLAIN ANALYZE — one batch of 500 among 1,000 due rows:\n" + plan)
    scan = next(line for line in plan.splitlines() if "ticket_next_check_idx" in line)
    # An Index Scan (ordered, stops at the batch) or a Bitmap Index Scan (then a
    # sort of the due rows): either way only the partial index's due rows are read.
    assert "Index Scan" in scan
    assert "Seq Scan" not in plan
    # The due rows (plus any dead index entries other tests rolled back), never the table's 20,000.
    assert _actual_rows(scan) < 5000

    none_due = Ticket.objects.filter(next_check_at__lte=now - timedelta(days=1)).order_by("next_check_at")
    plan = none_due.values_list("pk", flat=True)[:500].explain(analyze=True)
    print("\nEXPLAIN ANALYZE — nothing due:\n" + plan)
    assert "ticket_next_check_idx" in plan and "Seq Scan" not in plan
    assert _actual_rows(next(line for line in plan.splitlines() if "ticket_next_check_idx" in line)) == 0


def _actual_rows(line: str) -> int:
    match = re.search(r"actual time=[0-9.]+\.\.[0-9.]+ rows=(\d+)", line)
    assert match, line
    return int(match.group(1))
