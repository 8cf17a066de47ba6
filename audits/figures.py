"""CR2 figures: misconduct reports received and cases closed per period
(substantiated or not), counted in SQL. They say how many, never about whom:
anyone who may read the scoreboard may read these counts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek

from .models import AuditCase, Decision, MisconductReport

PERIODS = {"day": TruncDate, "week": TruncWeek, "month": TruncMonth}


@dataclass(frozen=True)
class AuditFigure:
    period: date
    reported: int
    closed: int
    substantiated: int


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def audit_figures(start: datetime, end: datetime, *, period: str = "month") -> list[AuditFigure]:
    """Reports received and cases closed in [start, end), by `period`."""
    trunc = PERIODS[period]
    reported = {
        _as_date(r["bucket"]): r["n"]
        for r in MisconductReport.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(bucket=trunc("created_at"))
        .order_by()
        .values("bucket")
        .annotate(n=Count("pk"))
    }
    closed = {
        _as_date(r["bucket"]): (r["n"], r["substantiated"])
        for r in AuditCase.objects.filter(closed_at__gte=start, closed_at__lt=end)
        .annotate(bucket=trunc("closed_at"))
        .order_by()
        .values("bucket")
        .annotate(n=Count("pk"), substantiated=Count("pk", filter=Q(decision=Decision.SUBSTANTIATED)))
    }
    return [
        AuditFigure(
            period=bucket,
            reported=reported.get(bucket, 0),
            closed=closed.get(bucket, (0, 0))[0],
            substantiated=closed.get(bucket, (0, 0))[1],
        )
        for bucket in sorted(reported.keys() | closed.keys())
    ]
