"""The notification outbox as tests read it: rows, and their idempotency keys."""
from __future__ import annotations

from typing import Any


def outbox(**filters: Any):
    """Outbox rows (helpdesk.notifications.models.Notification) matching `filters`."""
    from helpdesk.notifications.models import Notification

    return Notification.objects.filter(**filters)


def outbox_keys(**filters: Any) -> set[str]:
    return set(outbox(**filters).values_list("key", flat=True))
