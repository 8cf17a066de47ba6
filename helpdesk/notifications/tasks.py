"""Celery entry points: take ids, call a service."""
from __future__ import annotations

from celery import shared_task

from helpdesk.core.task_runs import task_run_recorded

from . import digest, services


@shared_task(name="helpdesk.notifications.tasks.deliver_notification", ignore_result=True)
def deliver_notification(notification_id: int) -> bool:
    # No Celery retry here: a failed row gets its next attempt from the outbox's
    # own backoff, which survives worker restarts and is visible to admins.
    return services.notification_deliver(notification_id=notification_id)


@shared_task(name="helpdesk.notifications.tasks.deliver_notifications", ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> int:
    # A sweep can write thousands of rows at once; one message per chunk keeps
    # the broker round trips out of the sweep's own time.
    return sum(services.notification_deliver(notification_id=pk) for pk in notification_ids)


@shared_task(name="helpdesk.notifications.tasks.outbox_retry_sweep", ignore_result=True)
@task_run_recorded("helpdesk.notifications.tasks.outbox_retry_sweep")
def outbox_retry_sweep() -> int:
    return services.outbox_sweep()


@shared_task(name="helpdesk.notifications.tasks.notice_digest", ignore_result=True, acks_late=False)
@task_run_recorded("helpdesk.notifications.tasks.notice_digest")
def notice_digest() -> int:
    """Every five minutes: the staff's daily digests, once their moment has come
    (a no-op on every other run)."""
    return digest.digest_send_due()
