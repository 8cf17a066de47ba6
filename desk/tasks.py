"""Thin Celery entry points; the work is in desk.services.callback_sweep."""
from __future__ import annotations

from celery import shared_task

from helpdesk.core.task_runs import task_run_recorded

from .services.callback_sweep import callback_sweep_once


@shared_task(name="desk.tasks.callback_sweep", ignore_result=True, acks_late=False)
@task_run_recorded("desk.tasks.callback_sweep")
def callback_sweep() -> int:
    """Callback reminders and overdue notices (PH3). Overlapping runs are safe
    (memos are claimed), so a failed run is not retried: the next one catches up."""
    return callback_sweep_once()
