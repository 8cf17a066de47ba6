"""Thin Celery entry points; the work is in visits.services.visit_sweep."""
from __future__ import annotations

from celery import shared_task

from helpdesk.core.task_runs import task_run_recorded

from .services.visit_sweep import visit_sweep_once


@shared_task(name="visits.tasks.visit_sweep", ignore_result=True)
@task_run_recorded("visits.tasks.visit_sweep")
def visit_sweep() -> int:
    """Every minute from beat (CELERY_BEAT_SCHEDULE['visit-sweep']): reminders and late records (SV4)."""
    return visit_sweep_once()
