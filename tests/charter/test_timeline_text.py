"""The deadline events read as sentences on the timeline, dates in local time."""
from __future__ import annotations

import pytest
import time_machine

from charter.deadline_sweep import sweep_once
from charter.services import delay_notice_file
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import move, open_ticket
from tickets.models import TicketEvent
from tickets.presenters import event_text

pytestmark = pytest.mark.usefixtures("standard")


def texts(ticket) -> dict[str, str]:
    return {e.kind: event_text(e) for e in ticket.events.all()}


def test_deadline_events_are_described(org, engineer, lead) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=engineer)
    ticket = move(ticket, "diagnose", engineer, kst(2026, 3, 3, 10))
    ticket = move(ticket, "wait_parts", engineer, kst(2026, 3, 3, 11))
    ticket = move(ticket, "resume", engineer, kst(2026, 3, 3, 14))
    sweep_once(now=kst(2026, 3, 6, 18))  # warning, breach and level 2 at once
    with time_machine.travel(kst(2026, 3, 6, 18, 30), tick=False):
        delay_notice_file(ticket=ticket, actor=engineer, reason="부품", new_date=kst(2026, 3, 9, 18))
    t = texts(ticket)
    assert t[TicketEvent.Kind.CLOCK_PAUSED] == "Deadline clock paused while waiting (Waiting on parts)"
    assert t[TicketEvent.Kind.CLOCK_RESUMED] == "Deadline clock resumed; the deadline moves to 2026-03-05 11:00"
    assert t[TicketEvent.Kind.DEADLINE_WARNING] == f"Deadline warning (level 1) sent to {engineer.display_name}"
    assert t[TicketEvent.Kind.BREACHED] == "The deadline 2026-03-05 11:00 passed"
    escalated = [event_text(e) for e in ticket.events.filter(kind=TicketEvent.Kind.ESCALATED).order_by("pk")]
    # No section chief in this organisation: level 3 falls back to the team lead, never silent.
    assert escalated == [f"Escalated to level 2; {lead.display_name} told", f"Escalated to level 3; {lead.display_name} told"]
    assert t[TicketEvent.Kind.DELAY_NOTICE] == "Delay notice (filed after the deadline): new expected date 2026-03-09 18:00"
