"""A section chief sees every team's work in their department, also when (as
usual) they sit in the department and in none of its teams: the ticket pages
agree with the escalated list that shows them that work."""
from __future__ import annotations

import pytest
from django.urls import reverse

from charter.selectors import led_team_ids
from tests.factories import TicketFactory
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
