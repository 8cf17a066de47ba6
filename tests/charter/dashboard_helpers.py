"""The team lead's dashboard in tests: its address, and tickets and visits made
directly (factories, not the services) at the clock's NOW, a Tuesday at 10:00
in Seoul (tests.helpers.clock). The fixtures are in tests/charter/conftest.py."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tests import factories as f
from tests.helpers.clock import NOW
from tickets.lifecycle import Status
from tickets.models import Ticket
from visits.models import Visit, VisitState

URL = "/charter/dashboard/"


def ticket(org: f.Org, **fields: Any) -> Ticket:
    values: dict[str, Any] = {
        "reporter": org.customer,
        "team": org.team,
        "status": Status.IN_PROGRESS,
        "created_at": NOW - timedelta(days=1),
    }
    values.update(fields)
    return f.TicketFactory(**values)


def late_visit(org: f.Org, *, engineer: Any = None, start: datetime = NOW - timedelta(hours=1), **fields: Any) -> Visit:
    values: dict[str, Any] = {
        "ticket": ticket(org),
        "engineer": engineer or org.engineer,
        "purpose": "점검",
        "state": VisitState.CHECKED_IN,
        "proposed_start": start,
        "proposed_end": start + timedelta(hours=1),
        "agreed_start": start,
        "agreed_end": start + timedelta(hours=1),
        "created_by": org.desk_agent,
        "created_at": start - timedelta(days=1),
    }
    values.update(fields)
    return Visit.objects.create(**values)
