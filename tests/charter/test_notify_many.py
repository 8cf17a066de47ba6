"""notify_many, the outbox's door for the deadline sweep's batches, writes the
same rows notify() would, once per key (MT1).

On PostgreSQL `_plain_rows` rebuilds what `_rows_for` makes for staff by e-mail
and in the app as plain values; these tests hold the two to each other field
by field, so a change in one fails here instead of drifting silently.
"""
from __future__ import annotations

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from charter import notify
from helpdesk.core.bulk_insert import rows_insert
from helpdesk.notifications import services
from helpdesk.notifications.doors import STAFF_CHANNELS
from helpdesk.notifications.models import Notification
from tests import factories as f

pytestmark = pytest.mark.usefixtures("standard")

COMPARED = [
    "key", "channel", "template", "context", "language", "customer_facing", "recipient_id", "to_email",
    "to_phone", "ticket_id", "state", "next_attempt_at",
]


def request_for(ticket, recipient, **extra):
    return {
        "key": notify.notice_key("warning", ticket.pk, 1, ticket.deadline_version, recipient.pk),
        "template": "deadline_warning",
        "context": notify.notice_context(ticket, deadline=ticket.resolve_by, level=1, for_customer=False),
        "recipient": recipient,
        "phone": "",
        "channels": STAFF_CHANNELS,
        "ticket": ticket,
        "customer_facing": False,
        **extra,
    }


def as_stored(row) -> dict:
    values = {name: (row[name] if isinstance(row, dict) else getattr(row, name)) for name in COMPARED}
    values["context"] = json.loads(json.dumps(values["context"], cls=DjangoJSONEncoder))
    values["state"] = str(values["state"])
    return values


def test_plain_rows_match_the_outbox_row_builder_field_by_field(ticket, org) -> None:
    now = timezone.now()
    org.engineer.language = "en"
    request = request_for(ticket, org.engineer)
    fast = services._plain_rows(now, request)
    slow = services._rows_for(now=now, **request)
    assert fast is not None and len(fast) == len(slow) == 2
    assert [as_stored(r) for r in fast] == [as_stored(r) for r in slow]


def test_a_person_without_e_mail_gets_the_in_app_row_only_as_the_outbox_would(ticket, org) -> None:
    now = timezone.now()
    nobody = f.UserFactory(username="noemail", email="", team=org.team, roles=["engineer"])
    request = request_for(ticket, nobody)
    fast = services._plain_rows(now, request)
    assert [as_stored(r) for r in fast] == [as_stored(r) for r in services._rows_for(now=now, **request)]
    assert [r["channel"] for r in fast] == ["in_app"]


def test_anything_but_staff_e_mail_and_in_app_takes_the_outbox_path(ticket, org) -> None:
    now = timezone.now()
    assert services._plain_rows(now, request_for(ticket, org.customer, customer_facing=True)) is None
    assert services._plain_rows(now, request_for(ticket, org.engineer, channels=("email", "sms"))) is None
    assert services._plain_rows(now, {**request_for(ticket, org.engineer), "recipient": None}) is None


def test_notify_many_writes_each_key_once_and_queues_only_new_rows(
    ticket, org, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    queued: list[list[int]] = []
    monkeypatch.setattr(services, "_enqueue", lambda ids: queued.append(list(ids)))
    requests = [request_for(ticket, org.engineer), request_for(ticket, org.lead)]
    with django_capture_on_commit_callbacks(execute=True):
        written = services.notify_many(requests)
    rows = Notification.objects.filter(ticket=ticket, template="deadline_warning")
    assert sorted(rows.values_list("recipient_id", "channel")) == sorted(
        (p.pk, c) for p in (org.engineer, org.lead) for c in ("email", "in_app")
    )
    assert sorted(pk for chunk in queued for pk in chunk) == sorted(rows.values_list("pk", flat=True)) == sorted(written)
    stored = rows.get(recipient=org.engineer, channel="email")
    assert stored.state == Notification.State.PENDING and stored.to_email == org.engineer.email
    assert stored.context["recipient_name"] == org.engineer.display_name
    assert stored.context["ticket_number"] == f"#{ticket.pk}" and stored.created_at is not None

    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = services.notify_many(requests)  # the same notices again: nothing new, nothing queued
    assert again == [] and rows.count() == 4
    assert [pk for chunk in queued for pk in chunk] == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the unnest() insert is PostgreSQL's")
def test_rows_insert_takes_dicts_with_defaults_and_skips_conflicting_keys(ticket, org) -> None:
    now = timezone.now()
    row = {"key": "fast:1", "channel": "in_app", "template": "generic", "context": {"a": "가"},
           "recipient_id": org.engineer.pk, "ticket_id": ticket.pk, "next_attempt_at": now}
    (inserted,) = rows_insert(Notification, [row], conflict_on="key", returning=("id", "state"))
    assert inserted[1] == "pending"  # the field's default
    again = rows_insert(Notification, [dict(row)], conflict_on="key", returning=("id",))
    assert again == []
    stored = Notification.objects.get(pk=inserted[0])
    assert stored.context == {"a": "가"} and stored.language == "ko" and stored.attempts == 0


def test_an_explicit_address_or_language_takes_the_outbox_path(ticket, org) -> None:
    now = timezone.now()
    assert services._plain_rows(now, request_for(ticket, org.engineer, email="other@example.com")) is None
    assert services._plain_rows(now, request_for(ticket, org.engineer, language="en")) is None


def test_notify_many_writes_a_batch_in_one_statement_on_postgresql(ticket, org, django_assert_num_queries) -> None:
    requests = [request_for(ticket, person) for person in (org.engineer, org.lead, org.other_engineer)]
    # The atomic block's savepoint and release, and one INSERT … ON CONFLICT … RETURNING.
    expected = 3 if connection.vendor == "postgresql" else 5
    with django_assert_num_queries(expected):
        written = services.notify_many(requests)
    assert len(written) == 6
    assert Notification.objects.filter(pk__in=written, template="deadline_warning").count() == 6
