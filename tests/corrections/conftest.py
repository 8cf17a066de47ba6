"""Finished work of the engineer's team, ready to be corrected (CR1)."""
from __future__ import annotations

import pytest
from django.utils import timezone

from tests.helpers.ticket_steps import move, open_ticket
from tickets.models import Kind


@pytest.fixture
def finished_ticket(org):
    """A support request the engineer resolved (no fault gates on the way)."""
    now = timezone.now()
    ticket = open_ticket(org, now, kind=Kind.SUPPORT, assign=org.engineer)
    ticket = move(ticket, "diagnose", org.engineer, now)
    return move(ticket, "resolve", org.engineer, now, note="프린터 드라이버 재설치")
