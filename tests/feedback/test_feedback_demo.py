"""The demo's feedback (demo.feedback_demo.feedback_demo_ensure) on top of
seed_demo, made through the services, and safe to repeat."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from demo.feedback_demo import feedback_demo_ensure
from feedback.models import Feedback, FeedbackKind, FeedbackState, TrainingAssignment
from helpdesk.accounts.models import User
from tests.helpers.clock import NOW

pytestmark = pytest.mark.django_db


def test_the_feedback_demo_is_made_once_and_shows_each_feature(frozen):
    frozen.move_to(NOW.replace(hour=15))
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    people = {u.username: u for u in User.objects.all()}
    feedback_demo_ensure(people)
    feedback_demo_ensure(people)
    assert Feedback.objects.count() == 4
    training = TrainingAssignment.objects.get()
    assert training.employee == people["engineer"] and training.completed_at is None
    assert training.complaint.upheld is True
    assert Feedback.objects.filter(kind=FeedbackKind.COMMENDATION).count() == 2
    suggestion = Feedback.objects.get(kind=FeedbackKind.SUGGESTION)
    assert suggestion.state == FeedbackState.ANSWERED and suggestion.reflected is True
    assert suggestion.channel == "phone" and suggestion.created_by == people["desk"]
