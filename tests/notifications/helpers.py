from __future__ import annotations

from typing import Any

from helpdesk.notifications.models import Notification

DEADLINE_CONTEXT: dict[str, Any] = {
    "ticket_id": 42,
    "ticket_number": "#42",
    "ticket_title": "PC가 켜지지 않습니다",
    "deadline": "2026-12-01T14:00:00+09:00",
    "reason": "부품 입고 지연",
    "new_date": "2026-12-03T17:00:00+09:00",
    "handler_name": "박준호",
    "handler_team": "업무지원팀",
    "handler_phone": "01012345678",
    "level": 2,
    "link": "/desk/tickets/42/",
}


def pending(**kwargs: Any) -> Notification:
    """An outbox row written directly, for delivery tests that do not test notify()."""
    from django.utils import timezone

    defaults: dict[str, Any] = {
        "channel": Notification.Channel.SMS,
        "template": "generic",
        "context": {"subject": "제목", "body": "본문"},
        "to_phone": "01012345678",
        "next_attempt_at": timezone.now(),
    }
    defaults.update(kwargs)
    defaults.setdefault("key", f"test:{Notification.objects.count()}:{defaults['channel']}")
    return Notification.objects.create(**defaults)
