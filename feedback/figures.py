"""Figures for the scoreboard (issue 12, item 8), each computed in SQL: per
period, by team or by engineer (the employee named), or overall —
complaints, upheld complaints, commendations, feedback answered on time, and
service trainings completed on time.

Feedback counts by when it was received (`created_at` in [start, end));
trainings by when they were assigned. "On time" is answered (completed) at or
before the due time. Keys are team ids, employee ids, or None for "all"
(and for feedback naming nobody, by engineer).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, F, Q

from helpdesk.accounts.models import User

from .models import Feedback, FeedbackKind, TrainingAssignment

BY_TEAM = "team"
BY_ENGINEER = "engineer"
ALL = "all"
# Both tables hold the employee and the team under the same column names.
_KEYS = {BY_TEAM: "team_id", BY_ENGINEER: "employee_id"}


@dataclass
class FeedbackFigures:
    received: int = 0
    answered_on_time: int = 0
    complaints: int = 0
    upheld: int = 0
    commendations: int = 0
    trainings: int = 0
    trainings_on_time: int = 0
    employee: User | None = None


def feedback_figures(
    *, start: datetime, end: datetime, by: str = ALL, team_ids: Iterable[int] | None = None
) -> dict[int | None, FeedbackFigures]:
    """The figures of feedback received and trainings assigned in [start, end), grouped `by`."""
    feedback = Feedback.objects.filter(created_at__gte=start, created_at__lt=end)
    trainings = TrainingAssignment.objects.filter(assigned_at__gte=start, assigned_at__lt=end)
    if team_ids is not None:
        teams = list(team_ids)
        feedback, trainings = feedback.filter(team_id__in=teams), trainings.filter(team_id__in=teams)
    key = _KEYS.get(by)
    counts = {
        "n_received": Count("pk"),
        "n_on_time": Count("pk", filter=Q(answered_at__isnull=False, answered_at__lte=F("due_at"))),
        "n_complaints": Count("pk", filter=Q(kind=FeedbackKind.COMPLAINT)),
        "n_upheld": Count("pk", filter=Q(kind=FeedbackKind.COMPLAINT, upheld=True)),
        "n_commendations": Count("pk", filter=Q(kind=FeedbackKind.COMMENDATION)),
    }
    on_time = Q(completed_at__isnull=False, completed_at__lte=F("due_at"))
    t_counts = {"n": Count("pk"), "n_on_time": Count("pk", filter=on_time)}
    if key:
        f_rows = list(feedback.values(key).annotate(**counts).order_by())
        t_rows = list(trainings.values(key).annotate(**t_counts).order_by())
    else:
        f_rows, t_rows = [feedback.aggregate(**counts)], [trainings.aggregate(**t_counts)]
    rows: dict[int | None, FeedbackFigures] = {}
    for row in f_rows:
        figures = rows.setdefault(row.get(key) if key else None, FeedbackFigures())
        figures.received = row["n_received"]
        figures.answered_on_time = row["n_on_time"]
        figures.complaints = row["n_complaints"]
        figures.upheld = row["n_upheld"]
        figures.commendations = row["n_commendations"]
    for row in t_rows:
        figures = rows.setdefault(row.get(key) if key else None, FeedbackFigures())
        figures.trainings = row["n"]
        figures.trainings_on_time = row["n_on_time"]
    return rows


def by_engineer(*, start: datetime, end: datetime, team_ids: Iterable[int]) -> list[FeedbackFigures]:
    """The team page's table: one row per named employee of `team_ids`, names loaded in one query."""
    rows = feedback_figures(start=start, end=end, by=BY_ENGINEER, team_ids=team_ids)
    people = User.objects.in_bulk([k for k in rows if k is not None])
    out = []
    for key, figures in rows.items():
        if key is None:
            continue
        figures.employee = people.get(key)
        out.append(figures)
    return sorted(out, key=lambda f: (f.employee.display_name if f.employee else ""))
