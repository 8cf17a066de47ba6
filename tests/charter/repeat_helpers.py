"""Repeat faults (MT5) in tests: faults on the customer's PC filed a week apart
through the services and checked as their task would, work in progress, and
visits made directly. The `third` fixture is in tests/charter/conftest.py."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import time_machine
from django.utils import timezone

from charter import repeats
from charter.repeats import repeat_fault_check
from tests import factories as f
from tests.helpers.clock import kst
from tickets.lifecycle import Status
from tickets.models import Ticket
from tickets.services import ticket_assign, ticket_create
from visits.models import Visit, VisitOutcome, VisitState

DAY1 = kst(2026, 3, 3, 10)
# After three faults a week apart: where the threshold ticket is worked on.
LATER = DAY1 + timedelta(days=15)


def fault(org: f.Org, at: datetime, *, asset: Any = None, category: Any = None, reporter: Any = None, **extra: Any) -> Ticket:
    """A fault on the customer's PC, filed through ticket_create at `at`."""
    reporter = reporter or org.customer
    with time_machine.travel(at, tick=False):
        return ticket_create(
            actor=reporter,
            reporter=reporter,
            reporter_name=reporter.display_name,
            reporter_department=reporter.department,
            title="전원이 들어오지 않습니다",
            asset=asset or org.asset,
            category=category or org.category,
            **extra,
        )


def check(ticket: Ticket, at: datetime | None = None) -> repeats.CheckResult | None:
    with time_machine.travel(at or ticket.created_at + timedelta(seconds=5), tick=False):
        return repeat_fault_check(ticket_id=ticket.pk)


def faults(org: f.Org, n: int, *, start: datetime = DAY1, every: timedelta = timedelta(days=7)) -> list[Ticket]:
    """n faults a week apart, each checked as its task would."""
    made = []
    for i in range(n):
        t = fault(org, start + i * every)
        check(t)
        t.refresh_from_db()
        made.append(t)
    return made


def in_progress(ticket: Ticket, org: f.Org) -> Ticket:
    """Assigned to the engineer and in progress. Set directly: the identity and
    consent gates on the way (MT3, MT4) are not what these tests are about."""
    with time_machine.travel(LATER, tick=False):
        ticket = ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.IN_PROGRESS)
    ticket.refresh_from_db()
    return ticket


def visit(ticket: Ticket, org: f.Org, *, engineer: Any, companion: Any, outcome: str = VisitOutcome.RESOLVED,
          state: str = VisitState.COMPLETED) -> Visit:
    start = timezone.now() - timedelta(hours=2)
    return Visit.objects.create(
        ticket=ticket, engineer=engineer, companion=companion, purpose="합동 점검", state=state,
        outcome=outcome if state == VisitState.COMPLETED else "", proposed_start=start,
        proposed_end=start + timedelta(hours=1), agreed_start=start, agreed_end=start + timedelta(hours=1),
        checked_in_at=start, checked_out_at=start + timedelta(minutes=50) if state == VisitState.COMPLETED else None,
        created_by=org.lead, created_at=start - timedelta(days=1),
    )
