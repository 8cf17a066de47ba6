"""The survey sweep: one reminder after the standard's hours for an unanswered,
unexpired survey, never twice; an overdue follow-up escalated once to the
section chief(s)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk.core.models import TaskRun
from surveys.models import FollowUp
from surveys.services import follow_ups_escalate, survey_reminders_send
from surveys.tasks import survey_sweep
from tests.helpers.outbox import outbox
from tests.surveys.survey_steps import answered, resolved, survey_of

pytestmark = pytest.mark.django_db


def test_one_reminder_exactly_at_the_standards_hours_and_never_again(survey, standard, frozen):
    due = survey.sent_at + timedelta(hours=standard.survey_reminder_hours)
    frozen.move_to(due - timedelta(seconds=1))
    assert survey_reminders_send() == 0
    frozen.move_to(due)
    assert survey_reminders_send() == 1
    survey.refresh_from_db()
    assert survey.reminded_at == due
    rows = outbox(key__startswith=f"surveys:reminder:s{survey.pk}:")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app", "sms"]
    frozen.shift(timedelta(days=3))
    assert survey_reminders_send() == 0
    assert rows.count() == 3


def test_no_reminder_for_an_answered_or_expired_survey(org, standard, frozen):
    done = survey_of(resolved(org))
    answered(done, 5)
    late = survey_of(resolved(org, reporter=org.other_customer))
    frozen.move_to(late.expires_at)
    assert survey_reminders_send() == 0
    assert not outbox(key__startswith="surveys:reminder").exists()


def test_an_overdue_follow_up_is_escalated_once_to_the_section_chief(org, standard, section_chief, frozen):
    answered(survey_of(resolved(org)), 1)
    follow_up = FollowUp.objects.get()
    frozen.move_to(follow_up.due_at - timedelta(seconds=1))
    assert follow_ups_escalate() == 0
    frozen.move_to(follow_up.due_at)
    assert follow_ups_escalate() == 1
    assert follow_ups_escalate() == 0
    follow_up.refresh_from_db()
    assert follow_up.escalated_at == follow_up.due_at
    assert outbox(recipient=section_chief, key__startswith=f"surveys:follow-up-late:f{follow_up.pk}:").count() == 2


def test_the_beat_task_runs_the_sweep_and_records_its_run(survey, standard, frozen):
    frozen.shift(timedelta(hours=standard.survey_reminder_hours))
    survey_sweep()
    assert TaskRun.objects.get(task="surveys.tasks.survey_sweep").result == 1
