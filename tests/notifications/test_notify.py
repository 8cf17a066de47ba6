"""notify(): outbox rows in the caller's transaction, once per key and channel."""
from __future__ import annotations

import pytest
import time_machine
from django.db import transaction

from helpdesk.notifications.models import Notification
from helpdesk.notifications.services import notify
from tests import factories as f
from tests.helpers.clock import kst
from tests.notifications.helpers import DEADLINE_CONTEXT

pytestmark = pytest.mark.django_db

NOON = kst(2026, 12, 1, 12, 0)


@time_machine.travel(NOON, tick=False)
def test_notify_writes_one_row_per_channel_with_the_recipients_addresses(engineer):
    rows = notify(key="deadline_warning:42:v1", template="deadline_warning", context=DEADLINE_CONTEXT, recipient=engineer)

    assert [r.channel for r in rows] == ["email", "sms", "in_app"]
    by_channel = {r.channel: r for r in rows}
    assert by_channel["email"].to_email == engineer.email
    assert by_channel["sms"].to_phone == f"0{engineer.phone.national_number}"
    assert {r.key for r in rows} == {f"deadline_warning:42:v1:{c}" for c in ("email", "sms", "in_app")}
    assert all(r.state == Notification.State.PENDING and r.next_attempt_at == NOON for r in rows)
    assert all(r.recipient_id == engineer.pk for r in rows)


def test_notify_twice_with_the_same_key_creates_nothing_the_second_time(engineer, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(key="k", template="generic", context={"subject": "s"}, recipient=engineer)
    with django_capture_on_commit_callbacks(execute=True):
        second = notify(key="k", template="generic", context={"subject": "other"}, recipient=engineer)

    assert Notification.objects.count() == 3
    assert [r.pk for r in second] == [r.pk for r in first]
    assert second[0].context["subject"] == "s"
    # Only the first call queued deliveries.
    assert sorted(queued) == sorted(r.pk for r in first)


def test_notify_queues_delivery_only_after_the_transaction_commits(engineer, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            rows = notify(key="k", template="generic", context={}, recipient=engineer, channels=["email"])
            assert queued == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert queued == [rows[0].pk]


def test_a_rolled_back_change_leaves_no_notification(engineer, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notify(key="k", template="generic", context={}, recipient=engineer)
                raise RuntimeError("the caller's change failed")
    assert Notification.objects.count() == 0
    assert queued == []


def test_channels_without_an_address_are_skipped(customer):
    customer.phone = ""
    customer.email = ""
    customer.save()
    rows = notify(key="k", template="generic", context={}, recipient=customer)
    assert [r.channel for r in rows] == ["in_app"]


def test_a_caller_without_an_account_gets_email_and_sms_but_no_in_app():
    rows = notify(key="k", template="generic", context={}, email="walkin@example.co.kr", phone="010-2222-3333")
    assert {r.channel: r.address for r in rows} == {"email": "walkin@example.co.kr", "sms": "01022223333"}
    assert all(r.recipient_id is None for r in rows)


def test_an_explicit_address_wins_over_the_profile(customer):
    rows = notify(
        key="k", template="generic", context={}, recipient=customer,
        email="desk-given@example.co.kr", phone="010-9999-8888", channels=["email", "sms"],
    )
    assert rows[0].to_email == "desk-given@example.co.kr"
    assert rows[1].to_phone == "01099998888"


def test_language_is_the_recipients_preference_unless_given(customer):
    customer.language = "en"
    customer.save()
    assert notify(key="a", template="generic", context={}, recipient=customer, channels=["in_app"])[0].language == "en"
    assert notify(key="b", template="generic", context={}, recipient=customer, channels=["in_app"], language="ko")[0].language == "ko"
    assert notify(key="c", template="generic", context={}, email="x@example.co.kr", channels=["email"])[0].language == "ko"
    # An unsupported language falls back to the site's.
    assert notify(key="d", template="generic", context={}, email="x@example.co.kr", channels=["email"], language="fr")[0].language == "ko"


def test_context_must_be_plain_data(engineer, customer):
    with pytest.raises(TypeError, match="JSON-serialisable"):
        notify(key="k", template="generic", context={"who": customer}, recipient=engineer)
    assert Notification.objects.count() == 0


def test_datetimes_in_the_context_are_stored_as_iso_strings(engineer):
    row = notify(key="k", template="generic", context={"deadline": NOON}, recipient=engineer, channels=["email"])[0]
    row.refresh_from_db()
    assert row.context["deadline"].startswith("2026-12-01T12:00:00")


def test_ticket_fields_are_filled_in_for_the_templates(engineer, customer):
    ticket = f.TicketFactory(reporter=customer, title="프린터 용지 걸림")
    row = notify(key="k", template="generic", context={}, recipient=engineer, ticket=ticket, channels=["in_app"])[0]
    assert row.ticket_id == ticket.pk
    assert row.context == {
        "ticket_id": ticket.pk,
        "ticket_number": f"#{ticket.pk}",
        "ticket_title": "프린터 용지 걸림",
        "recipient_name": engineer.display_name,
    }


def test_an_sms_to_a_number_that_is_not_a_korean_mobile_is_recorded_dead_and_never_queued(
    queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(key="k", template="generic", context={}, phone="052-203-0656", channels=["sms"])
    row = rows[0]
    assert row.state == Notification.State.DEAD
    assert "052" in row.last_error and "mobile" in row.last_error
    assert row.next_attempt_at is None
    assert queued == []


def test_unknown_channels_and_empty_keys_are_programming_errors(engineer):
    with pytest.raises(ValueError):
        notify(key="k", template="generic", context={}, recipient=engineer, channels=["fax"])
    with pytest.raises(ValueError):
        notify(key="", template="generic", context={}, recipient=engineer)


def test_notify_costs_the_same_queries_for_one_channel_or_three(engineer, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        notify(key="a", template="generic", context={}, recipient=engineer)
    with django_assert_max_num_queries(5):
        notify(key="b", template="generic", context={}, recipient=engineer, channels=["email"])
