"""Customer SMS waits out the quiet hours (21:00–08:00 by default) and goes in the morning."""
from __future__ import annotations

from datetime import time

import pytest
import time_machine

from helpdesk.notifications import policy
from helpdesk.notifications.models import Notification
from helpdesk.notifications.policy import quiet_hours, quiet_until
from helpdesk.notifications.services import notification_deliver, notify, outbox_sweep
from tests.helpers.clock import kst
from tests.notifications.helpers import pending

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_standards_source(monkeypatch):
    # The defaults under test, whatever the standards app registers.
    monkeypatch.setattr(policy, "_source", None)


@pytest.mark.parametrize(
    ("moment", "until"),
    [
        (kst(2026, 12, 1, 20, 59, 59), None),
        (kst(2026, 12, 1, 21, 0), kst(2026, 12, 2, 8, 0)),
        (kst(2026, 12, 1, 23, 30), kst(2026, 12, 2, 8, 0)),
        (kst(2026, 12, 2, 0, 0), kst(2026, 12, 2, 8, 0)),
        (kst(2026, 12, 2, 7, 59, 59), kst(2026, 12, 2, 8, 0)),
        (kst(2026, 12, 2, 8, 0), None),
        (kst(2026, 12, 31, 22, 0), kst(2027, 1, 1, 8, 0)),
    ],
)
def test_quiet_until_at_the_boundaries(moment, until):
    assert quiet_until(moment) == until


def test_quiet_hours_inside_one_day():
    hours = (time(1, 0), time(6, 0))
    assert quiet_until(kst(2026, 12, 1, 0, 59), hours) is None
    assert quiet_until(kst(2026, 12, 1, 1, 0), hours) == kst(2026, 12, 1, 6, 0)
    assert quiet_until(kst(2026, 12, 1, 6, 0), hours) is None


def test_quiet_hours_come_from_settings_without_a_source(settings):
    settings.NOTIFY_QUIET_START = "22:30"
    settings.NOTIFY_QUIET_END = "07:00"
    assert quiet_hours() == (time(22, 30), time(7, 0))


def test_quiet_hours_come_from_the_registered_source(monkeypatch):
    policy.quiet_hours_source_register(lambda: (time(20, 0), time(9, 0)))
    assert quiet_hours() == (time(20, 0), time(9, 0))
    assert quiet_until(kst(2026, 12, 1, 20, 0)) == kst(2026, 12, 2, 9, 0)


def _customer_sms(customer, key="delay:1"):
    return notify(
        key=key, template="generic", context={"body": "지연 안내"}, recipient=customer,
        channels=["sms", "email"], customer_facing=True,
    )


@pytest.mark.parametrize(
    ("moment", "state", "next_at"),
    [
        (kst(2026, 12, 1, 20, 59), "pending", kst(2026, 12, 1, 20, 59)),
        (kst(2026, 12, 1, 21, 0), "held", kst(2026, 12, 2, 8, 0)),
        (kst(2026, 12, 2, 7, 59), "held", kst(2026, 12, 2, 8, 0)),
        (kst(2026, 12, 2, 8, 0), "pending", kst(2026, 12, 2, 8, 0)),
    ],
)
def test_customer_sms_is_held_in_quiet_hours_but_email_is_not(customer, moment, state, next_at):
    with time_machine.travel(moment, tick=False):
        sms, email = _customer_sms(customer)
    assert (sms.state, sms.next_attempt_at) == (state, next_at)
    assert email.state == Notification.State.PENDING


def test_held_rows_are_not_queued_at_commit(customer, queued, django_capture_on_commit_callbacks):
    with time_machine.travel(kst(2026, 12, 1, 22, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            sms, email = _customer_sms(customer)
    assert queued == [email.pk]


def test_staff_sms_is_never_held(engineer):
    with time_machine.travel(kst(2026, 12, 1, 23, 0), tick=False):
        (sms,) = notify(key="warn", template="generic", context={}, recipient=engineer, channels=["sms"])
    assert sms.state == Notification.State.PENDING


def test_held_sms_goes_out_with_the_first_sweep_of_the_morning(customer, sms_outbox):
    with time_machine.travel(kst(2026, 12, 1, 22, 0), tick=False):
        sms, _email = _customer_sms(customer)
    with time_machine.travel(kst(2026, 12, 2, 7, 59, 59), tick=False):
        outbox_sweep()
        assert sms_outbox == []
    sms.refresh_from_db()
    assert sms.state == Notification.State.HELD
    with time_machine.travel(kst(2026, 12, 2, 8, 0), tick=False):
        outbox_sweep()
    sms.refresh_from_db()
    assert sms.state == Notification.State.SENT
    assert sms.sent_at == kst(2026, 12, 2, 8, 0)
    assert [m["text"] for m in sms_outbox] == ["지연 안내"]


def test_a_customer_sms_picked_up_after_21_00_is_held_again_without_counting_an_attempt(customer, sms_outbox):
    # Written at 20:59, but the worker only gets to it at 21:00.
    with time_machine.travel(kst(2026, 12, 1, 20, 59), tick=False):
        row = pending(customer_facing=True, key="late-pickup")
    with time_machine.travel(kst(2026, 12, 1, 21, 0), tick=False):
        assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert (row.state, row.next_attempt_at, row.attempts) == ("held", kst(2026, 12, 2, 8, 0), 0)
    assert sms_outbox == []


def test_a_retry_that_would_land_in_the_night_waits_for_the_morning(customer, settings):
    settings.SMS_BACKEND = "tests.notifications.test_deliver.BrokenSMSBackend"
    with time_machine.travel(kst(2026, 12, 1, 20, 59, 30), tick=False):
        row = pending(customer_facing=True, key="retry-at-night")
        notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    # 20:59:30 + 1 minute is inside the quiet hours.
    assert (row.state, row.next_attempt_at) == ("failed", kst(2026, 12, 2, 8, 0))


def test_retry_now_does_not_bypass_the_quiet_hours(customer, sms_outbox):
    from helpdesk.notifications.services import notification_retry_now

    with time_machine.travel(kst(2026, 12, 1, 22, 0), tick=False):
        sms, _email = _customer_sms(customer)
        notification_retry_now(notification_ids=[sms.pk])
        assert notification_deliver(notification_id=sms.pk) is False
    sms.refresh_from_db()
    assert sms.state == Notification.State.HELD
    assert sms_outbox == []
