"""A section chief sees every team's work in their department, also when (as
usual) they sit in the department and in none of its teams: the ticket pages
agree with the escalated list that shows them that work."""
from __future__ import annotations

import pytest
from django.urls import reverse

from charter.selectors import led_team_ids
from tests.factories import DepartmentFactory, TicketFactory
from tickets.selectors import staff_team_ids, tickets_visible_to

pytestmark = pytest.mark.django_db


def test_a_chief_in_no_team_sees_the_departments_teams(org, section_chief, client_for):
    assert section_chief.team_id is None
    ticket = TicketFactory(reporter=org.customer, team=org.other_team)
    assert staff_team_ids(section_chief) == led_team_ids(section_chief) == {org.team.pk, org.other_team.pk}
    assert tickets_visible_to(section_chief).filter(pk=ticket.pk).exists()
    assert client_for(section_chief).get(reverse("staff:ticket_detail", args=[ticket.pk])).status_code == 200


def test_a_customer_departments_ticket_outside_the_chiefs_teams_stays_hidden(org, section_chief, client_for):
    elsewhere = TicketFactory(reporter=org.customer, team=None)
    assert not tickets_visible_to(section_chief).filter(pk=elsewhere.pk).exists()
    assert client_for(section_chief).get(reverse("staff:ticket_detail", args=[elsewhere.pk])).status_code == 404


def _fresh(user):
    # A new request's person: nothing of the last one's answers on it.
    return type(user).objects.get(pk=user.pk)


def test_whose_teams_are_read_from_the_held_copy_without_a_query(org, django_assert_num_queries):
    staff_team_ids(_fresh(org.lead))  # the process's copy of the teams is loaded
    lead = _fresh(org.lead)
    with django_assert_num_queries(0):
        assert staff_team_ids(lead) == {org.team.pk}


def test_a_lead_given_or_taken_a_team_sees_its_work_from_the_next_request(org, client_for):
    ticket = TicketFactory(reporter=org.customer, team=org.other_team)
    assert staff_team_ids(_fresh(org.lead)) == {org.team.pk}
    org.other_team.lead = org.lead
    org.other_team.save()
    assert staff_team_ids(_fresh(org.lead)) == {org.team.pk, org.other_team.pk}
    assert client_for(org.lead).get(reverse("staff:ticket_detail", args=[ticket.pk])).status_code == 200
    org.other_team.lead = None
    org.other_team.save()
    assert staff_team_ids(_fresh(org.lead)) == {org.team.pk}
    assert client_for(org.lead).get(reverse("staff:ticket_detail", args=[ticket.pk])).status_code == 404


def test_a_team_moved_out_of_the_department_leaves_the_chiefs_view_at_once(org, section_chief):
    assert staff_team_ids(_fresh(section_chief)) == {org.team.pk, org.other_team.pk}
    org.other_team.department = DepartmentFactory(name="다른 부서")
    org.other_team.save()
    assert staff_team_ids(_fresh(section_chief)) == {org.team.pk}
