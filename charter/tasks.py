"""Celery entry points of the charter app (thin: the work is in charter.sweep)."""
from __future__ import annotations

from celery import shared_task

from .sweep import sweep_until_done


@shared_task(name="charter.tasks.deadline_sweep", ignore_result=True, acks_late=False)
def deadline_sweep() -> int:
    """Beat runs this every minute. Overlapping runs are safe (rows are claimed),
    so it is not retried: the next minute's run picks up whatever is still due."""
    return sweep_until_done()
