"""Thin Celery entry points; the work is in conversations.mail_in.poller."""
from __future__ import annotations

from celery import shared_task

from helpdesk.core.task_runs import task_run_recorded

from .mail_in.poller import mail_in_poll_once


@shared_task(name="conversations.tasks.mail_in_poll", ignore_result=True, acks_late=False)
@task_run_recorded("conversations.tasks.mail_in_poll")
def mail_in_poll() -> int:
    """Every minute from beat (CELERY_BEAT_SCHEDULE['mail-in-poll']): read the
    mailboxes. A run that overlaps another leaves the leased mailboxes alone,
    and one that fails is not retried: the next minute's run reads what is left."""
    return mail_in_poll_once()
