"""Celery entry points of the charter app (thin: the work is in charter.deadline_sweep and charter.repeats)."""
from __future__ import annotations

import logging

from celery import shared_task

from .deadline_sweep import sweep_until_done

logger = logging.getLogger(__name__)


@shared_task(name="charter.tasks.deadline_sweep", ignore_result=True, acks_late=False)
def deadline_sweep() -> int:
    """Beat runs this every minute. Overlapping runs are safe (rows are claimed),
    so it is not retried: the next minute's run picks up whatever is still due.
    The repeat-fault safety net (MT5) and the dashboard snapshots ride along,
    so no beat entry is needed for them."""
    processed = sweep_until_done()
    # Deadlines must never stop because something after them failed.
    try:
        from .repeats import repeat_fault_sweep

        repeat_fault_sweep()
    except Exception:
        logger.exception("charter: repeat-fault sweep failed")
    try:
        from .dashboard.selectors import snapshots_refresh

        snapshots_refresh()
    except Exception:
        logger.exception("charter: dashboard snapshots failed")
    return processed


@shared_task(
    name="charter.tasks.repeat_fault_check",
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    max_retries=3,
)
def repeat_fault_check(ticket_id: int) -> int | None:
    """MT5: count a new fault once it is committed (queued by charter.repeats.on_ticket_opened).
    Idempotent; if every retry fails the minute sweep counts it."""
    from .repeats import repeat_fault_check as check

    result = check(ticket_id=ticket_id)
    return result.occurrence if result is not None else None
