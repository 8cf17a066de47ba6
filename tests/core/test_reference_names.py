"""Teams, departments and categories named from each process's copy
(helpdesk/core/reference_names.py): no query when nothing changed, and a
rename, a new row or a row the copy lacks is seen at once."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helpdesk.accounts.models import Team
from helpdesk.core import reference_names
from helpdesk.core.reference_names import reference_name, reference_rows

pytestmark = pytest.mark.django_db
FIELDS = ("id", "name")


def count(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


def test_rows_are_read_once_then_held(org):
    reference_rows(Team, FIELDS)
    assert count(lambda: reference_rows(Team, FIELDS, needed={org.team.pk})) == 0


def test_a_rename_is_seen_at_once(org):
    assert reference_rows(Team, FIELDS)[org.team.pk].name == org.team.name
    org.team.name = "새 이름 팀"
    org.team.save()
    assert reference_rows(Team, FIELDS)[org.team.pk].name == "새 이름 팀"


def test_a_row_the_copy_lacks_is_loaded(org):
    reference_rows(Team, FIELDS)
    # Written behind the signals' back: the copy cannot know, but a row it lacks reloads it.
    Team.objects.bulk_create([Team(name="조용히 만든 팀", department=org.team.department)])
    quiet = Team.objects.get(name="조용히 만든 팀")
    assert reference_rows(Team, FIELDS, needed={quiet.pk})[quiet.pk].name == "조용히 만든 팀"


def test_a_copy_older_than_max_age_is_reloaded(org, monkeypatch):
    reference_rows(Team, FIELDS)
    Team.objects.filter(pk=org.team.pk).update(name="몰래 바꾼 이름")
    assert reference_rows(Team, FIELDS)[org.team.pk].name == org.team.name  # held, as designed
    monkeypatch.setattr(reference_names, "MAX_AGE", 0.0)
    assert reference_rows(Team, FIELDS)[org.team.pk].name == "몰래 바꾼 이름"


def test_rows_are_named_without_a_query(org):
    rows = [{"team_id": org.team.pk}, {"team_id": None}]
    reference_rows(Team, FIELDS)
    assert count(lambda: reference_name(rows, "team_id", "_team", Team, FIELDS)) == 0
    assert rows[0]["_team"].name == org.team.name
    assert rows[1]["_team"] is None
