"""Fixtures for the outbox: the in-memory SMS backend, and a clock in Seoul time."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from helpdesk.notifications.sms import LocMemSMSBackend

SEOUL = ZoneInfo("Asia/Seoul")


def seoul(*args: int) -> datetime:
    return datetime(*args, tzinfo=SEOUL)


@pytest.fixture(autouse=True)
def sms_outbox(settings) -> list[dict[str, str]]:
    settings.SMS_BACKEND = "helpdesk.notifications.sms.LocMemSMSBackend"
    LocMemSMSBackend.outbox.clear()
    yield LocMemSMSBackend.outbox
    LocMemSMSBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch) -> list[int]:
    """Record what would be queued instead of talking to a broker; tests call services directly."""
    queued: list[int] = []
    from helpdesk.notifications import tasks

    monkeypatch.setattr(tasks.deliver_notification, "delay", lambda pk: queued.append(pk))
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda pks: queued.extend(pks))
    return queued


@pytest.fixture
def queued(_no_broker) -> list[int]:
    return _no_broker
