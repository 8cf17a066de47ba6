"""A walk-in is served only by someone who sees it in their list: another
team's lead cannot serve (or even open) a visitor routed to a different team."""
from __future__ import annotations

import pytest
from django.urls import reverse

from desk.models import WalkIn
from desk.services import walk_in_log
from helpdesk.accounts.roles import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_lead(org):
    return f.UserFactory(
        username="netlead", department=org.maintenance_dept, team=org.other_team, roles=[Role.TEAM_LEAD]
    )


def test_another_teams_lead_cannot_serve_a_walk_in_routed_elsewhere(org, other_lead, client_for):
    walk_in = walk_in_log(
        actor=org.desk_agent, handler=org.engineer, visitor_name="김방문", department=org.customer_dept, matter="노트북 점검"
    )
    response = client_for(other_lead).post(reverse("desk:walk_in_serve", args=[walk_in.pk]))
    assert response.status_code == 404
    walk_in.refresh_from_db()
    assert walk_in.served_at is None and walk_in.served_by is None
    assert "김방문" not in client_for(other_lead).get(reverse("desk:walk_ins")).content.decode()
    # The handler it was routed to serves it.
    assert client_for(org.engineer).post(reverse("desk:walk_in_serve", args=[walk_in.pk])).status_code == 302
    assert WalkIn.objects.get(pk=walk_in.pk).served_by == org.engineer
