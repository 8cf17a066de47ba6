"""Celery entry points of large-scale work (thin, one beat entry)."""
from __future__ import annotations

from celery import shared_task

from helpdesk.core.task_runs import task_run_recorded

from .services.sweeps import report_sweep, window_notices_send


@shared_task(name="largework.tasks.largework_sweep", ignore_result=True, acks_late=False)
@task_run_recorded("largework.tasks.largework_sweep")
def largework_sweep() -> int:
    """Every minute: window notices to the customers (BS3), report reminders and escalations (BS4)."""
    return window_notices_send() + report_sweep()
