"""P3: fair handling — open work is listed by deadline, then by arrival."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.factories import TicketFactory
from tests.helpers.clock import SEOUL
from tickets.lifecycle import Status
from tickets.selectors import Queue, QueueFilters, staff_queue

pytestmark = pytest.mark.django_db
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


@pytest.mark.parametrize("queue", [Queue.MINE, Queue.TEAM])
def test_my_and_team_tabs_need_no_visibility_or_and_still_show_only_what_may_be_seen(org, queue):
    """The tab's own filter implies the asker may see the row, so the query
    leaves out the OR over reporter/assignee/team that would keep PostgreSQL
    from counting from the tab's index alone — and shows the same rows."""
    mine = TicketFactory(reporter=org.customer, team=org.team, assignee=org.lead, status=Status.ASSIGNED)
    teams = TicketFactory(reporter=org.customer, team=org.team, status=Status.RECEIVED)
    TicketFactory(reporter=org.customer, team=org.other_team, status=Status.RECEIVED)  # another team's
    TicketFactory(reporter=org.customer, team=org.other_team, assignee=org.other_engineer, status=Status.ASSIGNED)

    qs = staff_queue(org.lead, QueueFilters(queue=queue, status="open"))
    assert "reporter_id" not in str(qs.query).split("WHERE", 1)[1]
    expected = {mine} if queue == Queue.MINE else {mine, teams}
    assert set(qs) == expected
