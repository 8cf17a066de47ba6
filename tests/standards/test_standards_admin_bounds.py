"""Issue 16's bounds in the standards' admin: closure and open days, and a
standard's start, within five years back and two ahead; targets and ladder
hours at most MAX_TARGET_HOURS (the business calendar walks a few years, no
more); each refused beside its field with what was typed kept."""
from __future__ import annotations

import pytest
from django.urls import reverse

from standards.admin import MAX_TARGET_HOURS
from standards.models import ClosureDay, StandardVersion
from tests.helpers.standards_admin import admin_post

pytestmark = pytest.mark.usefixtures("standard")

RANGE = "Enter a date between 2021-01-01 and 2028-12-31."


@pytest.mark.parametrize(
    ("typed", "error"),
    [("2026-02-30", "Enter a valid date."), ("9999-12-31", RANGE), ("0001-01-01", RANGE), ("2020-12-31", RANGE),
     ("2029-01-01", RANGE)],
)
def test_a_closure_day_out_of_range_is_refused_beside_it(frozen, admin_client, typed, error):
    response = admin_client.post(reverse("admin:standards_closureday_add"), {"date": typed, "reason": "창립기념일"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [error]
    assert f'value="{typed}"' in response.content.decode() and not ClosureDay.objects.exists()


@pytest.mark.parametrize("typed", ["2021-01-01", "2028-12-31"])
def test_the_first_and_last_closure_day_allowed(frozen, admin_client, typed):
    response = admin_client.post(reverse("admin:standards_closureday_add"), {"date": typed, "reason": "창립기념일"})
    assert response.status_code == 302 and ClosureDay.objects.get().date.isoformat() == typed


@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"effective_from_0": "9999-12-31"}, "effective_from", RANGE),
        ({"callback_due_minutes": "99999999"}, "callback_due_minutes", "Ensure this value is less than or equal to 10080."),
        ({"repeat_window_days": "30000"}, "repeat_window_days", "Ensure this value is less than or equal to 1830."),
    ],
)
def test_a_standards_date_or_number_out_of_range_is_refused_beside_it(frozen, admin_client, standard, change, field, error):
    url = reverse("admin:standards_standardversion_change", args=[standard.pk])
    response = admin_client.post(url, admin_post(standard, **change))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [error]
    assert StandardVersion.objects.get(pk=standard.pk).updated_at == standard.updated_at


def test_a_target_beyond_the_calendars_reach_is_refused_beside_it(frozen, admin_client, standard):
    url = reverse("admin:standards_standardversion_change", args=[standard.pk])
    response = admin_client.post(url, admin_post(standard, targets__0__resolve_hours="99999.99"))
    assert response.status_code == 200
    assert f"Ensure this value is less than or equal to {MAX_TARGET_HOURS}." in response.content.decode()
    ok = admin_client.post(url, admin_post(standard, targets__0__resolve_hours=str(MAX_TARGET_HOURS)))
    assert ok.status_code == 302
