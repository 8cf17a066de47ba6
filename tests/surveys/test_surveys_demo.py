"""The demo's surveys (demo.surveys_demo.surveys_demo_ensure) on top of `seed_demo`: answered
surveys, one low score with its open follow-up for `lead`'s team; safe to repeat."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.surveys_demo import surveys_demo_ensure
from helpdesk.accounts.models import User
from surveys.models import FollowUp, FollowUpState, Survey

pytestmark = pytest.mark.django_db


def test_the_demo_answers_surveys_and_leaves_one_low_score_open_for_the_lead(frozen, client_for):
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    people = {u.username: u for u in User.objects.all()}
    assert Survey.objects.exists()  # the stories' resolved tickets sent them through the hooks
    surveys_demo_ensure(people)
    answered = Survey.objects.filter(answered_at__isnull=False).count()
    follow_up = FollowUp.objects.get()
    assert answered >= 2 and follow_up.state == FollowUpState.OPEN
    assert follow_up.team.lead == people["lead"]
    assert Survey.objects.filter(overall__gte=4).exists()
    surveys_demo_ensure(people)
    assert (Survey.objects.filter(answered_at__isnull=False).count(), FollowUp.objects.count()) == (answered, 1)
    page = client_for(people["lead"]).get(reverse("surveys:follow_ups"))
    assert f'data-follow-up="{follow_up.pk}"' in page.content.decode()
