"""Delivery: claim once, send once, back off on failure, give up when retrying cannot help."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from helpdesk.notifications.models import Notification
from helpdesk.notifications.services import (
    MAX_ATTEMPTS,
    backoff_after,
    deliver,
    notification_claim,
    notification_deliver,
    notify,
)
from helpdesk.notifications.sms import BaseSMSBackend, SMSPermanentError
from tests.helpers.clock import kst
from tests.notifications.helpers import DEADLINE_CONTEXT, pending

pytestmark = pytest.mark.django_db

NOON = kst(2026, 12, 1, 12, 0)


class BrokenSMSBackend(BaseSMSBackend):
    calls = 0

    def send(self, to: str, text: str) -> str:
        type(self).calls += 1
        raise ConnectionError("provider timed out")


class RefusingSMSBackend(BaseSMSBackend):
    def send(self, to: str, text: str) -> str:
        raise SMSPermanentError("SOLAPI HTTP 400: ValidationError invalid recipient")


def test_deliver_twice_sends_once(sms_outbox):
    row = pending()
    assert deliver(row.pk) is True
    assert deliver(row.pk) is False
    assert len(sms_outbox) == 1
    row.refresh_from_db()
    assert row.state == Notification.State.SENT
    assert row.attempts == 1
    assert row.body == "본문"
    assert row.provider_id == sms_outbox[0]["id"]


def test_only_one_of_two_concurrent_claims_wins(sms_outbox):
    row = pending()
    # Two workers got the same task: both try the conditional update.
    first = notification_claim(notification_id=row.pk)
    second = notification_claim(notification_id=row.pk)
    assert (first, second) == (True, False)
    # The loser does not send; nor does a later deliver while the lease holds.
    assert notification_deliver(notification_id=row.pk) is False
    assert sms_outbox == []
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sending", 1)


def test_a_row_not_yet_due_is_not_claimed():
    row = pending(next_attempt_at=NOON)
    with time_machine.travel(NOON - timedelta(seconds=1), tick=False):
        assert notification_claim(notification_id=row.pk) is False
    with time_machine.travel(NOON, tick=False):
        assert notification_claim(notification_id=row.pk) is True


def test_backoff_schedule():
    assert [backoff_after(n) for n in range(1, 7)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=30),
        timedelta(hours=2),
        timedelta(hours=6),
        None,
    ]
    assert MAX_ATTEMPTS == 6


def test_failures_back_off_then_give_up_after_six_attempts(settings):
    settings.SMS_BACKEND = "tests.notifications.test_deliver.BrokenSMSBackend"
    BrokenSMSBackend.calls = 0
    waits = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2), timedelta(hours=6)]
    with time_machine.travel(NOON, tick=False) as clock:
        row = pending()
        failed_at = NOON
        for attempt, wait in enumerate(waits, start=1):
            assert notification_deliver(notification_id=row.pk) is False
            row.refresh_from_db()
            assert (row.state, row.attempts) == ("failed", attempt)
            assert row.next_attempt_at == failed_at + wait
            assert "ConnectionError: provider timed out" in row.last_error
            # Not due a second before its time: no hot loop.
            clock.move_to(row.next_attempt_at - timedelta(seconds=1))
            assert notification_deliver(notification_id=row.pk) is False
            failed_at = row.next_attempt_at
            clock.move_to(failed_at)
        assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert (row.state, row.attempts, row.next_attempt_at) == ("dead", 6, None)
    assert BrokenSMSBackend.calls == 6


def test_failure_schedules_from_the_moment_of_failure(settings):
    settings.SMS_BACKEND = "tests.notifications.test_deliver.BrokenSMSBackend"
    with time_machine.travel(NOON, tick=False):
        row = pending()
        notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.next_attempt_at == NOON + timedelta(minutes=1)


def test_an_sms_to_a_landline_goes_dead_with_the_reason_and_nothing_is_sent(sms_outbox):
    row = pending(to_phone="0522030656")
    assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.state == Notification.State.DEAD
    # Recorded in the language the row is delivered in (the recipient's).
    from django.utils import translation

    from helpdesk.notifications.services import sms_problem

    with translation.override(row.language):
        assert row.last_error == sms_problem("0522030656")
    assert "0522030656" in row.last_error
    assert row.sent_at is None
    assert sms_outbox == []


def test_a_provider_refusal_is_permanent(settings, sms_outbox):
    settings.SMS_BACKEND = "tests.notifications.test_deliver.RefusingSMSBackend"
    row = pending()
    notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("dead", 1)
    assert "invalid recipient" in row.last_error


def test_a_missing_template_goes_dead_at_once(sms_outbox, mailoutbox):
    sms = pending(template="no_such_template")
    email = pending(template="no_such_template", channel="email", to_email="a@example.co.kr", to_phone="")
    for row in (sms, email):
        notification_deliver(notification_id=row.pk)
        row.refresh_from_db()
        assert row.state == Notification.State.DEAD
        assert "no_such_template" in row.last_error
    assert sms_outbox == [] and mailoutbox == []


def test_email_is_sent_with_text_and_html_and_a_message_id_fixed_by_the_key(mailoutbox):
    row = pending(
        channel="email", to_email="park@example.co.kr", to_phone="", template="deadline_warning",
        context=DEADLINE_CONTEXT, key="deadline_warning:42:v1:email",
    )
    assert notification_deliver(notification_id=row.pk) is True
    (message,) = mailoutbox
    assert message.to == ["park@example.co.kr"]
    assert "#42" in message.subject and "PC가 켜지지 않습니다" in message.subject
    assert "http://127.0.0.1:8000/desk/tickets/42/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>" in html and "/desk/tickets/42/" in html
    from helpdesk.notifications.emails import message_id_for

    assert message.extra_headers["Message-ID"] == message_id_for("deadline_warning:42:v1:email")
    row.refresh_from_db()
    assert row.subject == message.subject


def test_email_is_rendered_in_the_recipients_language(customer, mailoutbox):
    """Translations come later; the language shows in the date style the template uses."""
    customer.language = "en"
    customer.save()
    notify(key="en", template="delay_notice", context=DEADLINE_CONTEXT, recipient=customer, channels=["email"])
    notify(key="ko", template="delay_notice", context=DEADLINE_CONTEXT, email="kim@example.co.kr", channels=["email"])
    for row in Notification.objects.order_by("pk"):
        assert notification_deliver(notification_id=row.pk) is True
    english, korean = mailoutbox
    assert "3 December 2026, 17:00" in english.body
    assert "2026년 12월 3일 17:00" in korean.body
    assert '<html lang="en">' in english.alternatives[0][0]
    assert '<html lang="ko">' in korean.alternatives[0][0]


def test_in_app_stores_the_rendered_subject(engineer):
    engineer.language = "en"  # the subject is rendered in the recipient's language
    engineer.save(update_fields=["language"])
    (row,) = notify(
        key="k", template="breach", context=DEADLINE_CONTEXT, recipient=engineer, channels=["in_app"]
    )
    assert notification_deliver(notification_id=row.pk) is True
    row.refresh_from_db()
    assert row.state == "sent"
    assert row.subject.startswith("Deadline passed: #42")
    assert row.read_at is None


def test_a_sent_row_is_not_sent_again_even_when_asked_directly(sms_outbox):
    row = pending()
    deliver(row.pk)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
    assert deliver(row.pk) is False
    assert len(sms_outbox) == 1


def test_mail_outbox_is_the_locmem_backend():
    # Guard for the tests above: pytest-django swaps in the locmem backend.
    assert hasattr(mail, "outbox")
