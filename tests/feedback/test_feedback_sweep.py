"""The feedback sweep: overdue feedback and overdue trainings are told to the
lead once each; not a second before the due time; a second sweep tells nobody."""
from __future__ import annotations

from datetime import timedelta

import pytest

from feedback.models import Feedback, TrainingAssignment
from feedback.services import feedback_answer, feedback_sweep_once
from tests.helpers.outbox import outbox_keys

from .steps import complaint_about, upheld

pytestmark = pytest.mark.django_db


def test_overdue_feedback_tells_the_lead_once_and_not_a_second_before(org, handled_ticket, frozen):
    complaint = complaint_about(handled_ticket, org.customer)
    due = complaint.due_at
    assert feedback_sweep_once(now=due - timedelta(seconds=1)) == 0
    assert feedback_sweep_once(now=due) == 1
    assert f"feedback:overdue:f{complaint.pk}:u{org.lead.pk}:in_app" in outbox_keys()
    assert feedback_sweep_once(now=due + timedelta(minutes=1)) == 0
    assert Feedback.objects.get().overdue_told_at == due


def test_answered_feedback_is_never_reported(org, handled_ticket):
    complaint = complaint_about(handled_ticket, org.customer)
    feedback_answer(feedback=complaint, actor=org.lead, reply="죄송합니다. 교육하겠습니다.")
    assert feedback_sweep_once(now=complaint.due_at + timedelta(days=1)) == 0


def test_an_overdue_training_tells_the_lead_once_a_completed_one_never(org, handled_ticket):
    complaint = complaint_about(handled_ticket, org.customer)
    feedback_answer(feedback=complaint, actor=org.lead, reply="교육을 배정했습니다.")
    assignment = upheld(complaint, org.lead)
    assert feedback_sweep_once(now=assignment.due_at - timedelta(seconds=1)) == 0
    assert feedback_sweep_once(now=assignment.due_at) == 1
    assert f"feedback:training-overdue:t{assignment.pk}:u{org.lead.pk}:in_app" in outbox_keys()
    assert feedback_sweep_once(now=assignment.due_at + timedelta(hours=1)) == 0
    assert TrainingAssignment.objects.get().overdue_told_at == assignment.due_at


def test_the_beat_task_runs_the_sweep_and_records_its_run(org, handled_ticket, frozen):
    from feedback.tasks import feedback_sweep
    from helpdesk.core.models import TaskRun

    complaint_about(handled_ticket, org.customer)
    frozen.move_to(Feedback.objects.get().due_at + timedelta(seconds=1))
    assert feedback_sweep() == 1
    assert TaskRun.objects.filter(task="feedback.tasks.feedback_sweep").exists()
