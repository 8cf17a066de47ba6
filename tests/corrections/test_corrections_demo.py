"""The demo's correction, made on top of seed_demo and safe to repeat."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from corrections.models import Correction
from demo.corrections_demo import corrections_demo_ensure
from helpdesk.accounts.models import User
from tests.helpers.clock import NOW

pytestmark = pytest.mark.django_db


def test_cr1_the_demo_has_one_correction_made_once(frozen):
    frozen.move_to(NOW.replace(hour=15))
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    people = {u.username: u for u in User.objects.all()}
    corrections_demo_ensure(people)
    corrections_demo_ensure(people)
    correction = Correction.objects.get()
    assert correction.engineer == people["engineer"] and correction.opened_by == people["lead"]
