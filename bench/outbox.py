"""`outbox_per_s`: notifications delivered per second through the outbox.

Creates n pending rows (half SMS, half e-mail, the "generic" templates) and
delivers each one the way a Celery worker does (`notification_deliver`: the
conditional claim, rendering in the row's language, sending, marking sent),
with FileSMSBackend and Django's locmem e-mail backend, so the figure is the
outbox's own cost (database round trips and rendering), not a provider's.
Only the delivery loop is timed. The rows are removed afterwards.

Needs a configured Django with a migrated database (bench/__main__ sets that up).
"""
from __future__ import annotations

import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core import mail
from django.test.utils import override_settings
from django.utils import timezone

from helpdesk.notifications.models import Notification
from helpdesk.notifications.services import notification_deliver


def _rows(prefix: str, n: int) -> list[Notification]:
    due = timezone.now() - timedelta(seconds=1)
    rows = []
    for i in range(n):
        sms = i % 2 == 0
        rows.append(
            Notification(
                key=f"{prefix}:{i}:{'sms' if sms else 'email'}",
                channel=Notification.Channel.SMS if sms else Notification.Channel.EMAIL,
                template="generic",
                context={
                    "subject": f"[서비스데스크] 처리 지연 안내 #{i}",
                    "body": "요청하신 작업이 부품 입고 지연으로 늦어집니다. 새 완료 예정일은 12월 3일입니다.",
                    "link": f"/my/tickets/{i}/",
                },
                language="ko" if i % 3 else "en",
                to_phone=f"0102{i % 10_000_000:07d}" if sms else "",
                to_email="" if sms else f"bench{i}@example.co.kr",
                state=Notification.State.PENDING,
                next_attempt_at=due,
            )
        )
    return rows


def outbox_per_s(n: int = 2000) -> dict[str, Any]:
    prefix = f"bench-outbox-{uuid.uuid4().hex[:12]}"
    had_outbox = hasattr(mail, "outbox")
    with tempfile.TemporaryDirectory() as tmp, override_settings(
        SMS_BACKEND="helpdesk.notifications.sms.FileSMSBackend",
        SMS_FILE_PATH=str(Path(tmp) / "sms.jsonl"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    ):
        try:
            mail.outbox = []
            Notification.objects.bulk_create(_rows(prefix, n), batch_size=1000)
            ids = list(Notification.objects.filter(key__startswith=prefix).values_list("pk", flat=True))
            started = time.perf_counter()
            sent = sum(1 for pk in ids if notification_deliver(notification_id=pk))
            elapsed = time.perf_counter() - started
            sms_lines = sum(1 for _line in (Path(tmp) / "sms.jsonl").open(encoding="utf-8")) if sent else 0
            emails = len(mail.outbox)
        finally:
            Notification.objects.filter(key__startswith=prefix).delete()
            if had_outbox:
                mail.outbox = []
            else:
                del mail.outbox
    return {
        "item": "outbox_per_s",
        "value": round(sent / elapsed, 1) if elapsed > 0 else 0.0,
        "n": n,
        "sent": sent,
        "sms": sms_lines,
        "emails": emails,
        "seconds": round(elapsed, 3),
    }
