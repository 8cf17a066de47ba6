"""/readyz for load balancers, /healthz for monitoring.

They answer different questions, so a load balancer and an alerting system do
not act on each other's answer. /readyz: can this web process serve pages? (the
database answers). /healthz: are the charter's deadlines being kept? A broker
outage stops the sweeps and makes /healthz 503, so monitoring alerts; pages
still work, so /readyz stays 200 and no web machine leaves the rotation.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health_checks as checks

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers a trivial query, else 503. Nothing else: a
    web process serves pages without the broker or the sweeps."""
    database = checks.database_check()
    return JsonResponse({"ok": database["ok"], "database": database}, status=200 if database["ok"] else 503)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Whether deadlines are being kept, with what is behind the answer.

    503 (`failing` says why) when the database or the broker is down, the
    deadline sweep has not finished within three minutes (or never ran), or
    outbox rows due over ten minutes ago are still unsent. `warnings` name what
    an operator should look at without deadlines being at risk yet: more than
    one beat alive (the lease keeps the sends single), no beat seen, deliveries
    that failed in the last 24 hours, a beat task that missed three turns."""
    now = timezone.now()
    database = checks.database_check()
    broker = checks.broker_check()
    body: dict[str, Any] = {"database": database, "broker": broker}
    if database["ok"]:
        body["sweep"] = _answer(checks.sweep_check, now, {"last": None, "age_seconds": None, "ok": False})
        body["outbox"] = _answer(checks.outbox_check, now, {"ok": False})
        body["beats"] = _answer(checks.beats_check, now, {"alive": None, "holder": None})
        body["tasks"] = _answer(checks.tasks_check, now, {})
    else:
        body.update(sweep={"last": None, "age_seconds": None, "ok": False}, outbox={"ok": False}, beats={}, tasks={})

    failing = [
        name
        for name, ok in (
            ("database", database["ok"]),
            ("broker", broker["ok"]),
            ("sweep", body["sweep"]["ok"]),
            ("outbox", body["outbox"]["ok"]),
        )
        if not ok
    ]
    beats = body["beats"]
    warnings = []
    if (beats.get("alive") or 0) > 1:
        warnings.append("several_beats")
    if beats.get("alive") == 0:
        warnings.append("no_beat")
    if body["outbox"].get("failed_24h"):
        warnings.append("failed_deliveries")
    if any(not task["on_time"] for task in body["tasks"].values() if isinstance(task, dict)):
        warnings.append("tasks_late")
    return JsonResponse(
        {"ok": not failing, "failing": failing, "warnings": warnings, **body},
        status=200 if not failing else 503,
    )


def _answer(check: Callable[[Any], dict[str, Any]], now: Any, fallback: dict[str, Any]) -> dict[str, Any]:
    try:
        return check(now)
    except Exception as exc:  # a health probe answers, whatever it finds
        logger.warning("healthz: %s failed: %s", check.__name__, type(exc).__name__)
        return {**fallback, "error": type(exc).__name__}
