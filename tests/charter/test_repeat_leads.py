"""MT5 and MT8 tell whoever `leads_for` names: the team's lead, or the section
chief when the team has none or when the lead handles the fault themselves (a
joint visit needs a lead beside the engineer, not the engineer twice)."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from charter.repeats import repeat_fault_check
from helpdesk.notifications.models import Notification
from tickets.models import Ticket
from tickets.services import ticket_assign, ticket_create

pytestmark = pytest.mark.usefixtures("standard")

DAY1 = datetime(2026, 3, 3, 10, tzinfo=ZoneInfo("Asia/Seoul"))



def fault(org, at: datetime, handler=None) -> Ticket:
    """A fault on the customer's PC filed at `at`, handled by `handler`, then counted as its task would."""
    with time_machine.travel(at, tick=False):
        ticket = ticket_create(
            actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
            reporter_department=org.customer_dept, title="전원이 들어오지 않습니다", asset=org.asset, category=org.category,
        )
        if handler is not None:
            ticket_assign(ticket=ticket, assignee=handler, actor=org.lead)
    with time_machine.travel(at + timedelta(seconds=5), tick=False):
        repeat_fault_check(ticket_id=ticket.pk)
    return ticket


def told(ticket: Ticket, kind: str) -> set[int]:
    return set(
        Notification.objects.filter(key__startswith=f"charter:{kind}:t{ticket.pk}:").values_list("recipient_id", flat=True)
    )


def test_at_risk_the_lead_hears_about_the_engineers_fault(org, section_chief) -> None:
    fault(org, DAY1)
    second = fault(org, DAY1 + timedelta(days=7), handler=org.engineer)
    assert told(second, "repeat_at_risk") == {org.lead.pk}


def test_at_risk_the_section_chief_hears_when_the_lead_handles_the_fault(org, section_chief) -> None:
    fault(org, DAY1)
    second = fault(org, DAY1 + timedelta(days=7), handler=org.lead)
    assert told(second, "repeat_at_risk") == {section_chief.pk}


def test_escalated_the_handling_lead_and_the_section_chief_both_hear(org, section_chief) -> None:
    fault(org, DAY1)
    fault(org, DAY1 + timedelta(days=7))
    third = fault(org, DAY1 + timedelta(days=14), handler=org.lead)
    assert told(third, "repeat_escalated") == {org.lead.pk, section_chief.pk}
