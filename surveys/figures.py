"""Survey figures for the scoreboard (IM2, P4), each one aggregate query in SQL.

A period is [start, end): surveys count in the period they were *sent*, so a
response rate never changes its denominator when late answers come in;
follow-ups count in the period they were *opened*. Rates are None when nothing
was sent (no division by zero, and no 0 % that means "nobody was asked")."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db.models import Avg, Count, F, Q

from .models import FollowUp, FollowUpState, Survey

GroupBy = Literal["team", "handler"] | None


@dataclass(frozen=True)
class SurveyFigure:
    key: int | None  # the team's or the engineer's pk; None for the total or "none recorded"
    sent: int
    answered: int
    average: float | None  # of the overall score, answered surveys only

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None


@dataclass(frozen=True)
class FollowUpFigure:
    key: int | None
    opened: int
    done: int
    on_time: int  # done by its due time

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.opened if self.opened else None


def _scoped(qs, start: datetime, end: datetime, moment: str, team_ids: Iterable[int] | None):  # noqa: ANN001, ANN202
    qs = qs.filter(**{f"{moment}__gte": start, f"{moment}__lt": end})
    if team_ids is not None:
        qs = qs.filter(team_id__in=list(team_ids))
    return qs


def survey_figures(
    start: datetime, end: datetime, *, by: GroupBy = None, team_ids: Iterable[int] | None = None
) -> list[SurveyFigure]:
    """Surveys sent, answered and the average overall score in the period, in
    total (one row) or per team / per engineer (`by`)."""
    qs = _scoped(Survey.objects.all(), start, end, "sent_at", team_ids)
    aggregates = {
        "sent": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "average": Avg("overall", filter=Q(answered_at__isnull=False)),
    }
    if by is None:
        row = qs.aggregate(**aggregates)
        return [SurveyFigure(None, row["sent"], row["answered"], row["average"])]
    column = f"{by}_id"
    rows = qs.order_by().values(column).annotate(**aggregates).order_by(column)
    return [SurveyFigure(r[column], r["sent"], r["answered"], r["average"]) for r in rows]


def follow_ups_on_time(
    start: datetime, end: datetime, *, by_team: bool = False, team_ids: Iterable[int] | None = None
) -> list[FollowUpFigure]:
    """Low-score follow-ups opened in the period, done, and done by their due time."""
    qs = _scoped(FollowUp.objects.all(), start, end, "created_at", team_ids)
    aggregates = {
        "opened": Count("pk"),
        "done": Count("pk", filter=Q(state=FollowUpState.DONE)),
        "on_time": Count("pk", filter=Q(state=FollowUpState.DONE, done_at__lte=F("due_at"))),
    }
    if not by_team:
        row = qs.aggregate(**aggregates)
        return [FollowUpFigure(None, row["opened"], row["done"], row["on_time"])]
    rows = qs.order_by().values("team_id").annotate(**aggregates).order_by("team_id")
    return [FollowUpFigure(r["team_id"], r["opened"], r["done"], r["on_time"]) for r in rows]
