"""Tickets filed and moved at chosen instants, through the real services
(tickets.services), for the deadline engine's tests and journeys."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import time_machine

from tests import factories as f
from tickets.models import Kind, Priority, Ticket
from tickets.services import ticket_assign, ticket_create, ticket_transition


def open_ticket(
    org: f.Org,
    at: datetime,
    *,
    kind: str = Kind.FAULT,
    priority: str = Priority.NORMAL,
    requested_by: datetime | None = None,
    assign: Any = None,
    **extra: Any,
) -> Ticket:
    """A ticket filed by the customer at `at` (through ticket_create), optionally assigned."""
    with time_machine.travel(at, tick=False):
        ticket = ticket_create(
            actor=org.customer,
            reporter=org.customer,
            title="모니터가 켜지지 않습니다",
            reporter_department=org.customer_dept,
            reporter_name=org.customer.display_name,
            kind=kind,
            priority=priority,
            asset=org.asset if kind == Kind.FAULT else None,
            requested_by=requested_by,
            **extra,
        )
        if assign is not None:
            ticket = ticket_assign(ticket=ticket, assignee=assign, actor=org.lead)
    ticket.refresh_from_db()
    return ticket


def move(ticket: Ticket, action: str, actor: Any, at: datetime, note: str = "") -> Ticket:
    """`action` (a ticket_transition action) by `actor` at `at`."""
    with time_machine.travel(at, tick=False):
        ticket_transition(ticket=ticket, action=action, actor=actor, note=note or "사유")
    ticket.refresh_from_db()
    return ticket
