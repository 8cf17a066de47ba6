"""Fixtures the outbox's tests share: the quiet hours as settings say, and a
customer's ticket with a number of its own to text."""
from __future__ import annotations

import pytest

from helpdesk.notifications import policy
from tests import factories as f


@pytest.fixture
def quiet_hours_from_settings(monkeypatch):
    """21:00–08:00 from settings, whatever the standards app registers."""
    monkeypatch.setattr(policy, "_source", None)


@pytest.fixture
def ticket(org):
    """The customer's ticket, to be texted on the number given on it."""
    return f.TicketFactory(reporter=org.customer, team=org.team, contact_phone="010-5555-1234")
