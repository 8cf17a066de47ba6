"""P3: fair handling — open work is listed by deadline, then by arrival."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.lifecycle import Status
from tickets.selectors import Queue, QueueFilters, staff_queue
from tests.factories import TicketFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
T0 = datetime(2026, 12, 1, 9, tzinfo=SEOUL)


def test_p3_open_queue_orders_by_deadline_then_arrival_with_no_deadline_last(org):
    def make(title, created, resolve_by):
        t = TicketFactory(reporter=org.customer, team=org.team, status=Status.ASSIGNED, title=title, created_at=created)
        type(t).objects.filter(pk=t.pk).update(resolve_by=resolve_by)
        return t

    late_deadline = make("late deadline", T0, T0 + timedelta(days=3))
    early_second = make("early, second", T0 + timedelta(hours=2), T0 + timedelta(days=1))
    early_first = make("early, first", T0 + timedelta(hours=1), T0 + timedelta(days=1))
    no_deadline = make("no deadline", T0 - timedelta(days=1), None)

    rows = list(staff_queue(org.lead, QueueFilters(queue=Queue.TEAM, status="open")))
    assert rows == [early_first, early_second, late_deadline, no_deadline]
    # Any other view of the list is newest first.
    rows = list(staff_queue(org.lead, QueueFilters(queue=Queue.TEAM, status="")))
    assert rows[0] == early_second and rows[-1] == no_deadline
