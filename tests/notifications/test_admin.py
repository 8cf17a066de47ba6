"""Admins see failures and can retry them."""
from __future__ import annotations

import pytest
from django.urls import reverse

from helpdesk.notifications.models import Notification
from tests.notifications.helpers import pending

pytestmark = pytest.mark.django_db


def test_the_changelist_shows_failures_with_their_error(admin_user, client_for):
    pending(state="dead", attempts=6, last_error="ConnectionError: provider timed out", key="dead-one")
    client = client_for(admin_user)
    response = client.get(reverse("admin:notifications_notification_changelist") + "?state__exact=dead&channel__exact=sms")
    assert response.status_code == 200
    assert "ConnectionError: provider timed out" in response.content.decode()
    response = client.get(reverse("admin:notifications_notification_changelist") + "?q=dead-one")
    assert response.status_code == 200 and "dead-one" in response.content.decode()


def test_the_change_page_opens(admin_user, client_for):
    row = pending(state="failed", last_error="boom")
    response = client_for(admin_user).get(reverse("admin:notifications_notification_change", args=[row.pk]))
    assert response.status_code == 200


def test_retry_now_gives_a_dead_row_a_fresh_start_and_queues_it(admin_user, client_for, queued, django_capture_on_commit_callbacks):
    dead = pending(state="dead", attempts=6, next_attempt_at=None, last_error="boom", key="d")
    sent = pending(state="sent", next_attempt_at=None, key="s")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin_user).post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "retry_now", "_selected_action": [dead.pk, sent.pk]},
        )
    assert response.status_code == 302
    dead.refresh_from_db()
    sent.refresh_from_db()
    assert (dead.state, dead.attempts) == ("pending", 0)
    assert dead.next_attempt_at is not None
    assert sent.state == "sent"
    assert queued == [dead.pk]
    assert Notification.objects.filter(state="pending").count() == 1
