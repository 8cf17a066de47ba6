"""The feedback folder's people and objects: the customer's request handled by
the engineer (so a complaint about it names him), and the other team's lead,
who must never decide on a complaint about someone outside their team."""
from __future__ import annotations

import pytest

from helpdesk.accounts.roles import Role
from tests import factories as f
from tickets.lifecycle import Status


@pytest.fixture
def handled_ticket(org, standard, frozen):
    """The customer's request, handled by the engineer and resolved."""
    return f.TicketFactory(
        reporter=org.customer, team=org.team, assignee=org.engineer, status=Status.RESOLVED, title="프린터 연결 불량"
    )


@pytest.fixture
def net_lead(org):
    """The network team's lead (another team)."""
    person = f.UserFactory(
        username="netlead", last_name="강", first_name="태윤", department=org.maintenance_dept, team=org.other_team,
        roles=[Role.TEAM_LEAD],
    )
    org.other_team.lead = person
    org.other_team.save(update_fields=["lead"])
    return person
