"""Celery entry point of surveys (thin, one beat entry)."""
from __future__ import annotations

from celery import shared_task

from helpdesk.core.task_runs import task_run_recorded

from .services.sweeps import survey_sweep as sweep_once


@shared_task(name="surveys.tasks.survey_sweep", ignore_result=True, acks_late=False)
@task_run_recorded("surveys.tasks.survey_sweep")
def survey_sweep() -> int:
    """Every minute: one survey reminder (IM2), overdue low-score follow-ups escalated (P4)."""
    return sweep_once()
