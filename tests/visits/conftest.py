"""Visit fixtures: a ticket on the customer's PC, visits in each state, and a drawn signature.

The clock stands at 09:00 (tests.visits.helpers.NOW) here; the section chief,
"no broker" and the outbox helpers are shared (tests/conftest.py, tests.helpers)."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from helpdesk.accounts.roles import Role
from tests import factories as f
from tests.helpers.gates import identity_confirmed
from tests.visits.helpers import NOW, START, book, data_url, png
from tickets.lifecycle import Status
from visits import services
from visits.models import Visit


@pytest.fixture
def signature() -> str:
    return data_url(png())


@pytest.fixture
def frozen_at() -> datetime:
    """The root conftest's `frozen` clock stands at 09:00 here, before the afternoon's visit."""
    return NOW


@pytest.fixture(autouse=True)
def _pc_checklist(db) -> None:
    """The data migration seeds the PC checklist, but a transactional test (the
    browser journeys) flushes every table; seed it again where it is missing."""
    from visits.seed import pc_checklist_seed

    pc_checklist_seed()


@pytest.fixture
def ticket(org, frozen):
    """The customer's PC does not boot; assigned to the engineer."""
    org.customer_dept.visit_rules = "출입증 패용, 09:00–18:00 방문 가능"
    org.customer_dept.save()
    ticket = f.TicketFactory(
        reporter=org.customer,
        team=org.team,
        asset=org.asset,
        category=org.category,
        assignee=org.engineer,
        status=Status.ASSIGNED,
        contact_phone="010-5555-1234",
    )
    identity_confirmed(ticket)  # MT3: check-in starts the diagnosis
    return ticket


@pytest.fixture
def proposed(ticket, org) -> Visit:
    return book(ticket, org)


@pytest.fixture
def confirmed(proposed, org) -> Visit:
    return services.visit_confirm(visit=proposed, actor=org.customer)


@pytest.fixture
def checked_in(confirmed, org, frozen) -> Visit:
    frozen.move_to(START + timedelta(minutes=3))
    return services.visit_check_in(visit=confirmed, actor=org.engineer)


@pytest.fixture
def vip_customer(org):
    head = f.PositionFactory(name="부서장", name_en="Head of Department", rank=55)
    return f.UserFactory(username="vip", last_name="장", first_name="부장", department=org.customer_dept, position=head, roles=[Role.CUSTOMER])
