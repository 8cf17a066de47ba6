"""notifications_withdraw(): a notice that stopped being true is taken back, by its key."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction

from helpdesk.notifications.models import Notification
from helpdesk.notifications.selectors import unread_count
from helpdesk.notifications.services import (
    notification_claim,
    notification_retry_now,
    notifications_withdraw,
    notify,
    outbox_claim_batch,
)
from tests.helpers.clock import kst

pytestmark = pytest.mark.django_db

NOON = kst(2026, 12, 1, 12, 0)
State = Notification.State


def _rows(key: str, recipient) -> dict[str, Notification]:
    return {r.channel: r for r in notify(key=key, template="generic", context={"subject": "동의해 주세요"}, recipient=recipient)}


@time_machine.travel(NOON, tick=False)
def test_rows_not_yet_sent_are_withdrawn_and_never_claimed(customer):
    rows = _rows("ask:1", customer)
    Notification.objects.filter(pk=rows["sms"].pk).update(state=State.HELD, next_attempt_at=NOON + timedelta(hours=9))
    Notification.objects.filter(pk=rows["email"].pk).update(state=State.FAILED, last_error="SMTP down")

    assert notifications_withdraw(keys=["ask:1"]) == 3

    after = {r.channel: r for r in Notification.objects.filter(key__startswith="ask:1:")}
    assert {r.state for r in after.values()} == {State.WITHDRAWN}
    assert all(r.next_attempt_at is None and r.sent_at is None for r in after.values())
    # Neither the delivery task, nor the sweep (even the next morning), nor an admin's retry sends them.
    assert not notification_claim(notification_id=rows["email"].pk, now=NOON + timedelta(days=1))
    assert outbox_claim_batch(now=NOON + timedelta(days=1), limit=10) == []
    assert notification_retry_now(notification_ids=[r.pk for r in after.values()]) == 0


@time_machine.travel(NOON, tick=False)
def test_an_unread_in_app_notice_already_delivered_leaves_the_bell(customer):
    rows = _rows("ask:2", customer)
    Notification.objects.filter(pk__in=[r.pk for r in rows.values()]).update(
        state=State.SENT, sent_at=NOON, next_attempt_at=None
    )
    assert unread_count(customer) == 1

    with time_machine.travel(NOON + timedelta(minutes=5), tick=False):
        assert notifications_withdraw(keys=["ask:2"]) == 1

    in_app = Notification.objects.get(pk=rows["in_app"].pk)
    assert in_app.state == State.SENT and in_app.read_at == NOON + timedelta(minutes=5)
    assert unread_count(customer) == 0
    # Sent e-mail and SMS are out of reach: recorded as they were.
    assert set(Notification.objects.filter(key__in=["ask:2:email", "ask:2:sms"]).values_list("state", flat=True)) == {State.SENT}


@time_machine.travel(NOON, tick=False)
def test_read_notices_rows_being_sent_and_other_keys_are_left_alone(customer):
    rows = _rows("ask:3", customer)
    Notification.objects.filter(pk=rows["in_app"].pk).update(state=State.SENT, read_at=NOON - timedelta(hours=1))
    Notification.objects.filter(pk=rows["email"].pk).update(state=State.SENDING, claimed_until=NOON + timedelta(minutes=5))
    similar = _rows("ask:30", customer)  # a key that merely starts the same

    assert notifications_withdraw(keys=["ask:3"]) == 1  # only the pending SMS

    assert Notification.objects.get(pk=rows["in_app"].pk).read_at == NOON - timedelta(hours=1)
    assert Notification.objects.get(pk=rows["email"].pk).state == State.SENDING
    assert Notification.objects.get(pk=rows["sms"].pk).state == State.WITHDRAWN
    assert set(Notification.objects.filter(pk__in=[r.pk for r in similar.values()]).values_list("state", flat=True)) == {
        State.PENDING
    }


def test_withdrawing_twice_or_nothing_changes_nothing_more(customer):
    _rows("ask:4", customer)
    assert notifications_withdraw(keys=["ask:4", "ask:4"]) == 3
    assert notifications_withdraw(keys=["ask:4"]) == 0
    assert notifications_withdraw(keys=[]) == 0
    assert notifications_withdraw(keys=["never-told"]) == 0


def test_a_change_that_rolls_back_withdraws_nothing(customer):
    rows = _rows("ask:5", customer)
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            notifications_withdraw(keys=["ask:5"])
            raise RuntimeError("the caller's change failed")
    assert set(Notification.objects.filter(pk__in=[r.pk for r in rows.values()]).values_list("state", flat=True)) == {
        State.PENDING
    }
