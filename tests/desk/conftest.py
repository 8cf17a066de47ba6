"""Desk fixtures: a fault taken by phone on a Tuesday morning in Seoul.

The frozen clock (at tests.helpers.clock.NOW, 10:00), "no broker" and the
English client are the root conftest's; phone_fault_make is tests.desk.helpers'."""
from __future__ import annotations

import pytest

from tests.desk.helpers import PHONE_TOKEN, phone_fault_make
from tickets.models import Ticket


@pytest.fixture
def phone_fault(org, frozen) -> Ticket:
    """Assigned to the engineer, nothing checked yet."""
    return phone_fault_make(org, assignee=org.engineer)


@pytest.fixture
def phone_token(settings) -> str:
    """The phone system's endpoint switched on, with tests.desk.helpers.PHONE_TOKEN."""
    settings.PHONE_SYSTEM_TOKEN = PHONE_TOKEN
    return PHONE_TOKEN
