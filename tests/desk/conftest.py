"""Desk fixtures: a frozen Tuesday morning in Seoul, a fault taken by phone, the outbox."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tickets.models import Channel, Ticket
from tickets.services import ticket_assign, ticket_create

SEOUL = ZoneInfo("Asia/Seoul")
# A Tuesday, inside working hours (09:00–18:00, lunch 12–13).
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch) -> list[int]:
    """Outbox rows are what we assert on; nothing is queued to a broker."""
    queued: list[int] = []
    from helpdesk.notifications import tasks

    monkeypatch.setattr(tasks.deliver_notification, "delay", lambda pk: queued.append(pk))
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda pks: queued.extend(pks))
    return queued


def phone_fault_make(org, *, assignee=None, **extra) -> Ticket:
    """A fault the desk agent took by phone for the customer (no signed-in report: MT3 applies)."""
    fields = {
        "actor": org.desk_agent,
        "reporter": org.customer,
        "reporter_name": org.customer.display_name,
        "reporter_department": org.customer_dept,
        "title": "PC가 켜지지 않습니다",
        "channel": Channel.PHONE,
        "asset": org.asset,
        "category": org.category,
        **extra,
    }
    ticket = ticket_create(**fields)
    if assignee is not None:
        ticket = ticket_assign(ticket=ticket, assignee=assignee, actor=org.desk_agent)
    return ticket


@pytest.fixture
def phone_fault(org, frozen) -> Ticket:
    """Assigned to the engineer, nothing checked yet."""
    return phone_fault_make(org, assignee=org.engineer)


def outbox(**filters):
    from helpdesk.notifications.models import Notification

    return Notification.objects.filter(**filters)


def outbox_keys(**filters) -> set[str]:
    return set(outbox(**filters).values_list("key", flat=True))


@pytest.fixture
def en_client_for(client_for):
    """A logged-in client reading pages in English (pages are Korean-first)."""
    from django.conf import settings

    def make(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make
