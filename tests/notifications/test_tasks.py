"""The Celery entry points have the names beat and other apps use, and call the services."""
from __future__ import annotations

import pytest
from django.conf import settings

from helpdesk.celery import app
from helpdesk.notifications import tasks
from tests.notifications.helpers import pending

pytestmark = pytest.mark.django_db


def test_task_names_match_the_beat_schedule():
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE["outbox-retry"]["task"] == tasks.outbox_retry_sweep.name
    assert tasks.outbox_retry_sweep.name in app.tasks
    assert "helpdesk.notifications.tasks.deliver_notification" in app.tasks


def test_the_tasks_deliver(sms_outbox):
    first = pending(key="t1")
    assert tasks.deliver_notification(first.pk) is True
    pending(key="t2")
    assert tasks.outbox_retry_sweep() == 1
    assert len(sms_outbox) == 2


@pytest.mark.django_db(transaction=True)
def test_many_new_rows_are_queued_in_chunks_not_one_message_each(customer, monkeypatch):
    from helpdesk.notifications import services, tasks

    singles: list[int] = []
    chunks: list[list[int]] = []
    monkeypatch.setattr(tasks.deliver_notification, "delay", lambda pk: singles.append(pk))
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda pks: chunks.append(list(pks)))
    requests = [
        dict(key=f"bulk:{i}", template="generic", context={"subject": "s", "body": "b"}, recipient=customer,
             channels=("in_app",))
        for i in range(services.ENQUEUE_CHUNK + 5)
    ]
    written = services.notify_many(requests)
    assert len(written) == services.ENQUEUE_CHUNK + 5
    assert singles == []
    assert [len(c) for c in chunks] == [services.ENQUEUE_CHUNK, 5]
    assert sorted(pk for c in chunks for pk in c) == sorted(written)
