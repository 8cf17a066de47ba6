"""bench/outbox.py measures real deliveries and leaves nothing behind."""
from __future__ import annotations

import pytest

from bench.outbox import outbox_per_s
from helpdesk.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_outbox_per_s_delivers_every_row_and_cleans_up(sms_outbox):
    result = outbox_per_s(20)
    assert result["item"] == "outbox_per_s" and result["n"] == 20
    assert (result["sent"], result["sms"], result["emails"]) == (20, 10, 10)
    assert result["value"] > 0
    assert Notification.objects.count() == 0
    # The file backend was used, not the test's in-memory one.
    assert sms_outbox == []
