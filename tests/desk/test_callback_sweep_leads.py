"""PH3's overdue callback goes to whoever `leads_for` names: the handler's team
lead; the section chief when the team has no active lead, or when the handler
leads the team (a lead is not told about their own overdue callback)."""
from __future__ import annotations

import pytest

from desk.services import callback_memo_create
from desk.services.callback_sweep import callback_sweep_once
from helpdesk.notifications.models import Notification

pytestmark = pytest.mark.django_db



def overdue_for(org, handler) -> set[tuple[int, str]]:
    """A memo for `handler`, left until it is overdue: (recipient, channel) of the overdue notice."""
    memo = callback_memo_create(
        actor=org.desk_agent, handler=handler, caller_name="김민수", department=org.customer_dept,
        phone="010-2345-6789", matter="프린터 문의",
    )
    assert callback_sweep_once(now=memo.due_at) == 1
    rows = Notification.objects.filter(key__startswith=f"desk:callback:{memo.pk}:overdue:")
    assert all(row.key == f"desk:callback:{memo.pk}:overdue:u{row.recipient_id}:{row.channel}" for row in rows)
    return set(rows.values_list("recipient_id", "channel"))


def test_the_handlers_lead_is_told(org, section_chief, frozen):
    assert overdue_for(org, org.engineer) == {(org.lead.pk, "email"), (org.lead.pk, "in_app")}


def test_a_handler_who_leads_the_team_is_escalated_to_the_section_chief(org, section_chief, frozen):
    assert overdue_for(org, org.lead) == {(section_chief.pk, "email"), (section_chief.pk, "in_app")}


def test_an_inactive_lead_is_passed_over_for_the_section_chief(org, section_chief, frozen):
    org.lead.is_active = False
    org.lead.save()
    assert overdue_for(org, org.engineer) == {(section_chief.pk, "email"), (section_chief.pk, "in_app")}


def test_with_nobody_above_the_handler_it_is_logged(org, frozen, caplog):
    assert overdue_for(org, org.lead) == set()
    assert "no team lead" in caplog.text
