"""Each beat task records its last run, so /healthz can say which sweep stopped."""
from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.utils import timezone

from .models import TaskRun

P = ParamSpec("P")
R = TypeVar("R")


def task_run_recorded(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record the start, the end, the outcome and an integer result of each run of `name`."""

    def decorate(body: Callable[P, R]) -> Callable[P, R]:
        @wraps(body)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            started = time.monotonic()
            TaskRun.objects.update_or_create(task=name, defaults={"started_at": timezone.now()})
            try:
                value = body(*args, **kwargs)
            except Exception as exc:
                _finish(name, started, ok=False, error=f"{type(exc).__name__}: {exc}"[:500], result=None)
                raise
            _finish(name, started, ok=True, error="", result=value if isinstance(value, int) else None)
            return value

        return run

    return decorate


def _finish(name: str, started: float, *, ok: bool, error: str, result: int | None) -> None:
    TaskRun.objects.filter(task=name).update(
        finished_at=timezone.now(),
        ok=ok,
        error=error,
        result=result,
        duration_ms=int((time.monotonic() - started) * 1000),
    )


def task_runs() -> dict[str, TaskRun]:
    """Every recorded task's last run, by task name (one query)."""
    return {run.task: run for run in TaskRun.objects.all()}
