"""Celery entry points of the feedback app (thin, one beat entry)."""
from __future__ import annotations

from celery import shared_task

from helpdesk.core.task_runs import task_run_recorded

from .services.sweeps import feedback_sweep_once


@shared_task(name="feedback.tasks.feedback_sweep", ignore_result=True, acks_late=False)
@task_run_recorded("feedback.tasks.feedback_sweep")
def feedback_sweep() -> int:
    """Every minute: overdue feedback and overdue service trainings told to the lead (CP1, CR3)."""
    return feedback_sweep_once()
