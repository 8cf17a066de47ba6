"""The ladder's "team lead" (MT1) is `leads_for`'s answer: the team's active lead;
the section chief when the team has none, or when the lead is the handler whose
work is late (the lead hears as the handler already); a level with nobody to
tell is recorded as skipped and logged.

Seeded ladder: L1 at the warning point → handler; L2 at the deadline without a
delay notice → team lead. A normal fault opened Tue 2026-03-03 09:00 is due
Wed 18:00.
"""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from charter.deadline_sweep import sweep_once
from charter.models import Escalation
from helpdesk.notifications.models import Notification
from tickets.models import Ticket
from tickets.services import ticket_assign, ticket_create

pytestmark = pytest.mark.usefixtures("standard")

SEOUL = ZoneInfo("Asia/Seoul")
OPENED = datetime(2026, 3, 3, 9, tzinfo=SEOUL)
DEADLINE = datetime(2026, 3, 4, 18, tzinfo=SEOUL)



def handled_by(org, handler) -> Ticket:
    with time_machine.travel(OPENED, tick=False):
        ticket = ticket_create(
            actor=org.customer, reporter=org.customer, title="모니터가 켜지지 않습니다",
            reporter_department=org.customer_dept, reporter_name=org.customer.display_name, asset=org.asset,
        )
        ticket_assign(ticket=ticket, assignee=handler, actor=org.lead)
    ticket.refresh_from_db()
    return ticket


def level2(ticket: Ticket) -> Escalation:
    sweep_once(now=DEADLINE)
    return Escalation.objects.get(ticket=ticket, kind="escalation", level=2)


def test_the_active_lead_hears_at_level_two(org, section_chief) -> None:
    ticket = handled_by(org, org.engineer)
    assert level2(ticket).recipients == [org.lead.pk]


def test_when_the_lead_handles_the_work_the_section_chief_hears_instead(org, section_chief) -> None:
    ticket = handled_by(org, org.lead)
    assert level2(ticket).recipients == [section_chief.pk]
    key = f"charter:escalation:t{ticket.pk}:l2:v{ticket.deadline_version}:u{section_chief.pk}"
    assert set(Notification.objects.filter(key__startswith=key).values_list("key", flat=True)) == {
        f"{key}:email", f"{key}:in_app"
    }


def test_an_inactive_lead_is_passed_over_for_the_section_chief(org, section_chief) -> None:
    ticket = handled_by(org, org.engineer)
    org.lead.is_active = False
    org.lead.save()
    assert level2(ticket).recipients == [section_chief.pk]


def test_a_level_with_nobody_to_tell_is_skipped_and_logged(org, caplog) -> None:
    ticket = handled_by(org, org.engineer)
    org.team.lead = None
    org.team.save()
    row = level2(ticket)
    assert row.recipients == [] and row.skipped
    assert "nobody to tell about escalation L2" in caplog.text
