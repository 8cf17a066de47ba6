"""The demo's misconduct case: one, made once, that only `auditor` sees."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from audits.models import AuditCase
from demo.audits_demo import audits_demo_ensure
from helpdesk.accounts.models import User
from tests.helpers.clients import logged_in
from tests.helpers.clock import NOW

pytestmark = pytest.mark.django_db


def test_cr2_the_demo_case_is_seen_by_auditor_only(frozen):
    frozen.move_to(NOW.replace(hour=15))
    call_command("seed_demo", stdout=StringIO(), stderr=StringIO())
    people = {u.username: u for u in User.objects.all()}
    audits_demo_ensure(people)
    audits_demo_ensure(people)
    case = AuditCase.objects.get()
    url = reverse("audits:case", args=[case.pk])
    assert logged_in(people["auditor"]).get(url).status_code == 200
    for name in ("admin", "lead", "chief", "engineer", "customer", "desk"):
        assert logged_in(people[name]).get(url).status_code == 404, name
