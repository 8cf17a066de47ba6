"""Every beat task records its last run (helpdesk.core.task_runs), and /healthz
lists each beat entry with it, so an operator sees which sweep stopped."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from helpdesk.core.models import TaskRun
from helpdesk.core.task_runs import task_run_recorded, task_runs

pytestmark = pytest.mark.django_db


def test_a_run_records_its_start_end_outcome_and_result():
    start = timezone.now()

    @task_run_recorded("tests.counting")
    def counting() -> int:
        return 7

    with time_machine.travel(start, tick=False):
        assert counting() == 7
    run = task_runs()["tests.counting"]
    assert run.started_at == start and run.finished_at == start
    assert run.ok is True and run.result == 7 and run.error == ""


def test_a_failing_run_is_recorded_and_still_raises():
    @task_run_recorded("tests.failing")
    def failing() -> int:
        raise RuntimeError("broker gone")

    with pytest.raises(RuntimeError):
        failing()
    run = TaskRun.objects.get(task="tests.failing")
    assert run.ok is False and run.error == "RuntimeError: broker gone" and run.result is None


def test_every_beat_task_records_its_runs(settings, monkeypatch):
    """Each beat entry's task, run as beat runs it, leaves its TaskRun row."""
    from django.utils.module_loading import import_string

    monkeypatch.setattr("helpdesk.notifications.services._enqueue", lambda ids: None)
    for spec in settings.CELERY_BEAT_SCHEDULE.values():
        import_string(spec["task"]).apply()  # task names are their import paths
    assert set(task_runs()) == {spec["task"] for spec in settings.CELERY_BEAT_SCHEDULE.values()}
    assert all(run.ok for run in task_runs().values())


def test_healthz_lists_every_beat_entry_with_its_last_run(client, settings):
    now = timezone.now()
    TaskRun.objects.create(task="visits.tasks.visit_sweep", started_at=now, finished_at=now - timedelta(seconds=50), ok=True)
    TaskRun.objects.create(
        task="desk.tasks.callback_sweep", started_at=now, finished_at=now - timedelta(minutes=10), ok=True
    )
    TaskRun.objects.create(task="charter.tasks.dashboard_snapshots", started_at=now, finished_at=now, ok=False)
    with time_machine.travel(now, tick=False):
        tasks = client.get("/healthz").json()["tasks"]
    assert set(tasks) == set(settings.CELERY_BEAT_SCHEDULE)
    assert tasks["visit-sweep"]["age_seconds"] == 50 and tasks["visit-sweep"]["on_time"] is True
    assert tasks["callback-sweep"]["on_time"] is False  # ten minutes: three intervals missed
    assert tasks["dashboard-snapshots"]["succeeded"] is False and tasks["dashboard-snapshots"]["on_time"] is False
    assert tasks["repeat-fault-sweep"]["last"] is None and tasks["repeat-fault-sweep"]["on_time"] is False
