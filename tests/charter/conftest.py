"""Fixtures for the deadline engine: the seeded standard, tickets opened at a
chosen instant through the real service, and a clock that stands still."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import translation

from standards.models import StandardVersion
from standards.selectors import current_standard, standards_changed
from standards.services import default_standard_seed
from tests import factories as f
from tickets.models import Kind, Priority, Ticket
from tickets.services import ticket_assign, ticket_create, ticket_transition

SEOUL = ZoneInfo("Asia/Seoul")


def kst(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def _fresh_standards_cache() -> Iterator[None]:
    # The standards cache is per process; a test must never see another's rows.
    standards_changed()
    yield
    standards_changed()


@pytest.fixture
def standard(db) -> StandardVersion:
    """The default standard the data migration seeds (v1, active)."""
    version = current_standard()
    if version is None:  # a transactional test elsewhere may have flushed it
        default_standard_seed()
        standards_changed()
        version = current_standard()
    assert version is not None
    return version


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    # Tests read the English msgids, so they keep passing once Korean translations land.
    with translation.override("en"):
        yield


@pytest.fixture
def client(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def client_for():
    def make(user: Any) -> Client:
        c = Client()
        c.force_login(user)
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return c

    return make


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    # Outbox rows are what we assert; queueing their delivery needs no broker here.
    monkeypatch.setattr("helpdesk.notifications.services._enqueue", lambda ids: None)


def open_ticket(
    org: f.Org,
    at: datetime,
    *,
    kind: str = Kind.FAULT,
    priority: str = Priority.NORMAL,
    requested_by: datetime | None = None,
    assign: Any = None,
    **extra: Any,
) -> Ticket:
    """A ticket filed by the customer at `at` (through ticket_create), optionally assigned."""
    with time_machine.travel(at, tick=False):
        ticket = ticket_create(
            actor=org.customer,
            reporter=org.customer,
            title="모니터가 켜지지 않습니다",
            reporter_department=org.customer_dept,
            reporter_name=org.customer.display_name,
            kind=kind,
            priority=priority,
            asset=org.asset if kind == Kind.FAULT else None,
            requested_by=requested_by,
            **extra,
        )
        if assign is not None:
            ticket = ticket_assign(ticket=ticket, assignee=assign, actor=org.lead)
    ticket.refresh_from_db()
    return ticket


def move(ticket: Ticket, action: str, actor: Any, at: datetime, note: str = "") -> Ticket:
    with time_machine.travel(at, tick=False):
        ticket_transition(ticket=ticket, action=action, actor=actor, note=note or "사유")
    ticket.refresh_from_db()
    return ticket
