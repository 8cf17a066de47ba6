"""Celery entry points of the charter app: thin, one beat entry each, each
recording its run for /healthz (helpdesk.core.task_runs)."""
from __future__ import annotations

import logging

from celery import shared_task

from helpdesk.core.task_runs import task_run_recorded

from .dashboard.snapshots import snapshots_refresh
from .deadline_sweep import sweep_until_done
from .repeats import repeat_fault_check as repeat_fault_count
from .repeats import repeat_fault_sweep as repeat_fault_sweep_run
from .scoreboard.rollup import live_recompute, missing_recompute, recent_recompute
from .scoreboard.services import monthly_report_step

logger = logging.getLogger(__name__)


@shared_task(name="charter.tasks.deadline_sweep", ignore_result=True, acks_late=False)
@task_run_recorded("charter.tasks.deadline_sweep")
def deadline_sweep() -> int:
    """Beat runs this every minute. Overlapping runs are safe (rows are claimed),
    so it is not retried: the next minute's run picks up whatever is still due."""
    return sweep_until_done()


@shared_task(name="charter.tasks.repeat_fault_sweep", ignore_result=True, acks_late=False)
@task_run_recorded("charter.tasks.repeat_fault_sweep")
def repeat_fault_sweep() -> int:
    """MT5's safety net, every minute: counts any fault whose own check never ran."""
    return repeat_fault_sweep_run()


@shared_task(name="charter.tasks.dashboard_snapshots", ignore_result=True, acks_late=False)
@task_run_recorded("charter.tasks.dashboard_snapshots")
def dashboard_snapshots() -> int:
    """The dashboard's figures about open work, counted once a minute per team."""
    return snapshots_refresh()


@shared_task(name="charter.tasks.scoreboard_live", ignore_result=True, acks_late=False)
@task_run_recorded("charter.tasks.scoreboard_live")
def scoreboard_live() -> int:
    """IM1, every few minutes: yesterday and today counted again (today up to
    now, the scoreboard's live part), then up to a month of days never counted."""
    rows = live_recompute().rows
    filled = missing_recompute()
    return rows + (filled.rows if filled else 0)


@shared_task(name="charter.tasks.scoreboard_recent", ignore_result=True, acks_late=False)
@task_run_recorded("charter.tasks.scoreboard_recent")
def scoreboard_recent() -> int:
    """IM1, nightly: the last weeks counted again for data that arrived late."""
    return recent_recompute().rows


@shared_task(name="charter.tasks.monthly_report", ignore_result=True, acks_late=False)
@task_run_recorded("charter.tasks.monthly_report")
def monthly_report() -> int:
    """IM1, every 30 minutes: on the first business day of a month, last month's
    charter report is generated and sent to the section chiefs (once; the other
    runs find it done)."""
    return monthly_report_step()


@shared_task(
    name="charter.tasks.repeat_fault_check",
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    max_retries=3,
)
def repeat_fault_check(ticket_id: int) -> int | None:
    """MT5: count a new fault once it is committed (queued by charter.receivers).
    Idempotent; if every retry fails the minute sweep counts it."""
    result = repeat_fault_count(ticket_id=ticket_id)
    return result.occurrence if result is not None else None


def repeat_fault_check_enqueue(ticket_id: int) -> None:
    """Queue the check; if the broker is down the sweep finds the ticket within minutes."""
    try:
        repeat_fault_check.delay(ticket_id)
    except Exception:
        logger.warning(
            "charter: could not queue the repeat-fault check of ticket %s; the sweep will run it", ticket_id, exc_info=True
        )
