"""CR1 figures for the scoreboard: corrections opened and closed, per period,
team or engineer, counted in SQL (two GROUP BY queries, never rows in Python).

`opened` counts corrections whose `opened_at` falls in the bucket, `closed`
those whose `closed_at` does; buckets are local (Seoul) days, ISO weeks
(starting Monday) or months.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek

from .models import Correction

PERIODS = {"day": TruncDate, "week": TruncWeek, "month": TruncMonth}
GROUPS = {"team": "team_id", "engineer": "engineer_id", "all": None}


@dataclass(frozen=True)
class CorrectionFigure:
    period: date
    key: int | None  # the team's or engineer's id (None: all, or not recorded)
    opened: int
    closed: int


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _counted(moment: str, start: datetime, end: datetime, period: str, group: str | None, scope: Q) -> dict:
    trunc = PERIODS[period]
    qs = Correction.objects.filter(scope, **{f"{moment}__gte": start, f"{moment}__lt": end})
    fields = ["bucket"] + ([group] if group else [])
    rows = qs.annotate(bucket=trunc(moment)).order_by().values(*fields).annotate(n=Count("pk"))
    return {(_as_date(r["bucket"]), r[group] if group else None): r["n"] for r in rows}


def correction_figures(
    start: datetime,
    end: datetime,
    *,
    period: str = "month",
    by: str = "all",
    team_ids: Iterable[int] | None = None,
) -> list[CorrectionFigure]:
    """Corrections opened and closed in [start, end), by `period` and `by`
    ("team", "engineer" or "all"), optionally within `team_ids`."""
    if period not in PERIODS or by not in GROUPS:
        raise ValueError(f"period {period!r} / by {by!r}")
    scope = Q(team_id__in=list(team_ids)) if team_ids is not None else Q()
    group = GROUPS[by]
    opened = _counted("opened_at", start, end, period, group, scope)
    closed = _counted("closed_at", start, end, period, group, scope)
    return [
        CorrectionFigure(period=bucket, key=key, opened=opened.get((bucket, key), 0), closed=closed.get((bucket, key), 0))
        for bucket, key in sorted(opened.keys() | closed.keys(), key=lambda k: (k[0], k[1] is None, k[1] or 0))
    ]
