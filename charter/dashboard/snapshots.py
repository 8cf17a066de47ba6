"""The dashboard's stored figures: the one writer of `DashboardSnapshot` and
`DailyTeamStat`, run once a minute by its own beat task (charter.tasks.dashboard_snapshots).
The page's selectors only read them."""
from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from helpdesk.accounts.models import Team

from ..models import DailyTeamStat, DashboardSnapshot
from .selectors import MAX_PERIOD, daily_stats_missing, moments_at, snapshots_compute


def _store(data: dict[int, dict[str, Any]], at: datetime, duration_ms: int) -> None:
    # An upsert: a run that overlaps the previous one (a slow minute) still succeeds.
    DashboardSnapshot.objects.bulk_create(
        [DashboardSnapshot(team_id=t, computed_at=at, duration_ms=duration_ms, data=d) for t, d in data.items()],
        update_conflicts=True,
        unique_fields=["team"],
        update_fields=["computed_at", "duration_ms", "data"],
    )


def snapshots_refresh(*, now: datetime | None = None, team_ids: list[int] | None = None) -> int:
    """Recount every maintenance team's snapshot, and store any finished day of
    the trend history still missing. Returns how many teams."""
    m = moments_at(now)
    ids = (
        team_ids
        if team_ids is not None
        else list(Team.objects.filter(handles_tickets=True).order_by("pk").values_list("pk", flat=True))
    )
    if not ids:
        return 0
    started = time.monotonic()
    data = snapshots_compute(ids, m)
    _store(data, m.now, int((time.monotonic() - started) * 1000))
    # Another run may have written the same days meanwhile: theirs and ours agree.
    DailyTeamStat.objects.bulk_create(daily_stats_missing(ids, MAX_PERIOD, m), ignore_conflicts=True)
    return len(ids)
