"""SV4's "the team lead is told" asks the one rule (`leads_for`): the engineer's
team lead; the section chief when the team has no active lead, or when the
late engineer is the lead; nobody at all is logged, never sent to no one."""
from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk.notifications.models import Notification
from standards.selectors import lateness_tolerance
from visits.services.visit_sweep import visit_sweep_once

pytestmark = pytest.mark.django_db



def late(visit, frozen) -> set:
    """Run the sweep a second after the tolerance; who was told of the late arrival."""
    frozen.move_to(visit.agreed_start + lateness_tolerance() + timedelta(seconds=1))
    assert visit_sweep_once() == 1
    visit.refresh_from_db()
    assert visit.late_without_notice
    return {n.recipient for n in Notification.objects.filter(template="visit_late_no_notice")}


def test_the_engineers_active_lead_is_told(confirmed, org, section_chief, frozen):
    assert late(confirmed, frozen) == {org.lead}


def test_an_inactive_lead_is_passed_over_for_the_section_chief(confirmed, org, section_chief, frozen):
    org.lead.is_active = False
    org.lead.save()
    assert late(confirmed, frozen) == {section_chief}


def test_when_the_late_engineer_leads_the_team_the_section_chief_is_told(confirmed, org, section_chief, frozen):
    org.team.lead = org.engineer
    org.team.save()
    assert late(confirmed, frozen) == {section_chief}


def test_an_engineer_without_a_team_answers_to_the_tickets_team(confirmed, org, section_chief, frozen):
    org.engineer.team = None
    org.engineer.save()
    assert late(confirmed, frozen) == {org.lead}


def test_with_nobody_to_tell_the_lateness_is_recorded_and_logged(confirmed, org, frozen, caplog):
    org.team.lead = None
    org.team.save()
    assert late(confirmed, frozen) == set()
    assert "nobody to tell about late_without_notice" in caplog.text
