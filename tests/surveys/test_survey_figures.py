"""The survey figures (surveys.figures), computed in SQL, re-derived here from the raw rows."""
from __future__ import annotations

from datetime import timedelta

import pytest

from surveys.figures import follow_ups_on_time, survey_figures
from surveys.models import FollowUp, Survey
from surveys.services import follow_up_record
from tests import factories as f
from tests.helpers.clock import NOW
from tests.surveys.survey_steps import answered, resolved, survey_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(org, standard, frozen):
    people = [f.UserFactory(username=f"fig{n}", department=org.customer_dept) for n in range(5)]
    for who, score, handler in zip(people[:4], (5, 4, 2, 1), (org.engineer, org.engineer, org.lead, org.engineer), strict=True):
        answered(survey_of(resolved(org, reporter=who, handler=handler)), score)
    resolved(org, reporter=people[4], team=org.other_team, handler=org.other_engineer)  # sent, never answered
    return people


def test_response_rate_and_average_by_team_and_engineer_match_the_raw_rows(answers, org):
    start, end = NOW - timedelta(days=1), NOW + timedelta(days=1)
    rows = list(Survey.objects.filter(sent_at__gte=start, sent_at__lt=end))
    (total,) = survey_figures(start, end)
    scores = [s.overall for s in rows if s.answered_at]
    assert (total.sent, total.answered) == (len(rows), len(scores)) == (5, 4)
    assert total.average == pytest.approx(sum(scores) / len(scores))
    assert total.response_rate == pytest.approx(0.8)
    by_team = {r.key: r for r in survey_figures(start, end, by="team")}
    assert (by_team[org.team.pk].sent, by_team[org.team.pk].average) == (4, pytest.approx(3.0))
    assert (by_team[org.other_team.pk].answered, by_team[org.other_team.pk].average) == (0, None)
    by_engineer = {r.key: r for r in survey_figures(start, end, by="handler")}
    mine = [s.overall for s in rows if s.handler_id == org.engineer.pk]
    assert by_engineer[org.engineer.pk].average == pytest.approx(sum(mine) / len(mine))
    # Outside the period: nothing.
    assert survey_figures(end, end + timedelta(days=1))[0].sent == 0
    assert survey_figures(end, end + timedelta(days=1))[0].response_rate is None


def test_follow_ups_closed_on_time_match_the_raw_rows(answers, org, section_chief, frozen):
    on_time, late = FollowUp.objects.order_by("pk")
    follow_up_record(follow_up=on_time, actor=org.lead, outcome="call", action="사과")
    frozen.move_to(late.due_at + timedelta(seconds=1))
    follow_up_record(follow_up=late, actor=section_chief, outcome="visit", action="방문")
    start, end = NOW - timedelta(days=1), NOW + timedelta(days=30)
    (total,) = follow_ups_on_time(start, end)
    raw = list(FollowUp.objects.all())
    assert (total.opened, total.done) == (len(raw), 2)
    assert total.on_time == sum(1 for x in raw if x.done_at and x.done_at <= x.due_at) == 1
    assert follow_ups_on_time(start, end, by_team=True)[0].on_time_rate == pytest.approx(0.5)
