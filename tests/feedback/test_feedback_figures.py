"""feedback.figures, computed in SQL, agree with the same figures counted by
hand from the raw rows, by team, by engineer and overall."""
from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import pytest
import time_machine

from feedback import figures
from feedback.models import Feedback, FeedbackKind, TrainingAssignment
from feedback.services import feedback_answer, feedback_file, training_complete
from tests import factories as f
from tests.helpers.clock import NOW

from .steps import complaint_about, upheld

pytestmark = pytest.mark.django_db


def _by_hand(key: str | None, start, end) -> dict:
    rows: dict = defaultdict(lambda: defaultdict(int))
    for fb in Feedback.objects.all():
        if not start <= fb.created_at < end:
            continue
        k = getattr(fb, key) if key else None
        rows[k]["received"] += 1
        rows[k]["answered_on_time"] += int(fb.answered_at is not None and fb.answered_at <= fb.due_at)
        rows[k]["complaints"] += int(fb.kind == FeedbackKind.COMPLAINT)
        rows[k]["upheld"] += int(fb.kind == FeedbackKind.COMPLAINT and fb.upheld is True)
        rows[k]["commendations"] += int(fb.kind == FeedbackKind.COMMENDATION)
    for t in TrainingAssignment.objects.all():
        if not start <= t.assigned_at < end:
            continue
        k = getattr(t, key) if key else None
        rows[k]["trainings"] += 1
        rows[k]["trainings_on_time"] += int(t.completed_at is not None and t.completed_at <= t.due_at)
    return {k: {n: c for n, c in v.items() if c} for k, v in rows.items()}


def _as_dict(rows) -> dict:
    names = ("received", "answered_on_time", "complaints", "upheld", "commendations", "trainings", "trainings_on_time")
    return {k: {n: getattr(v, n) for n in names if getattr(v, n)} for k, v in rows.items()}


def test_figures_match_the_raw_rows(org, standard, net_lead):
    ticket = f.TicketFactory(reporter=org.customer, team=org.team, assignee=org.engineer, title="PC")
    net_ticket = f.TicketFactory(reporter=org.other_customer, team=org.other_team, assignee=org.other_engineer, title="망")
    with time_machine.travel(NOW, tick=False):
        c1 = complaint_about(ticket, org.customer)
        c2 = complaint_about(net_ticket, org.other_customer)
        t1 = upheld(c1, org.lead)
        feedback_file(actor=org.customer, kind=FeedbackKind.COMMENDATION, body="친절", employee=org.engineer)
        feedback_file(actor=org.customer, kind=FeedbackKind.COMMENDATION, body="신속", employee=org.other_engineer)
        s = feedback_file(actor=org.customer, kind=FeedbackKind.SUGGESTION, body="의견")
        feedback_answer(feedback=c1, actor=org.lead, reply="조치")
    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        training_complete(assignment=t1, actor=org.engineer, note="이수")
    with time_machine.travel(s.due_at + timedelta(hours=1), tick=False):
        feedback_answer(feedback=s, actor=org.lead, reply="늦은 답변")  # late
    with time_machine.travel(NOW + timedelta(days=40), tick=False):  # outside the period
        upheld(c2, net_lead)
        feedback_file(actor=org.customer, kind=FeedbackKind.COMMENDATION, body="나중", employee=org.engineer)
    start, end = NOW - timedelta(days=1), NOW + timedelta(days=30)
    assert _as_dict(figures.feedback_figures(start=start, end=end, by=figures.BY_TEAM)) == _by_hand("team_id", start, end)
    assert _as_dict(figures.feedback_figures(start=start, end=end, by=figures.BY_ENGINEER)) == _by_hand("employee_id", start, end)
    overall = figures.feedback_figures(start=start, end=end)[None]
    assert (overall.received, overall.complaints, overall.upheld, overall.commendations) == (5, 2, 2, 2)  # c2 was received in the period, upheld later
    assert (overall.answered_on_time, overall.trainings, overall.trainings_on_time) == (1, 1, 1)
