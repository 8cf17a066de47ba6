"""P5: standards are data, edited in the admin (standards.admin), with history —
and an inconsistent standard is refused with a clear message (standards.validation)."""
from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from helpdesk.core.errors import ActionRefused
from standards.models import ClosureDay, EscalationLevel, OpenDay, ResolutionTarget, StandardVersion
from standards.selectors import current_quiet_hours, current_standard
from standards.services import standard_activate, standard_copy
from tests.helpers.standards_admin import admin_post

pytestmark = pytest.mark.usefixtures("standard")


def change_url(version: StandardVersion) -> str:
    return reverse("admin:standards_standardversion_change", args=[version.pk])


def test_p5_admin_saves_a_consistent_standard_with_history(admin_client, standard) -> None:
    response = admin_client.post(change_url(standard), admin_post(standard, warning_percent=80, targets__0__resolve_hours="5"))
    assert response.status_code == 302, response.content.decode()[:2000]
    standard.refresh_from_db()
    assert standard.warning_percent == 80
    assert standard.history.count() >= 1
    assert ResolutionTarget.objects.get(pk=standard.targets.order_by("pk")[0].pk).resolve_hours == Decimal("5")
    assert current_standard().warning_percent == 80  # the save reached the cache


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"warning_percent": 100}, "between 1% and 99%"),
        ({"warning_percent": 0}, "between 1% and 99%"),
        ({"quiet_end": "21:00:00"}, "Quiet hours must start and end at different times"),
        ({"targets__0__respond_hours": "-1"}, "more than zero"),
        ({"targets__0__resolve_hours": "0"}, "more than zero"),
        ({"targets__0__respond_hours": "9"}, "cannot be later than the resolution target"),
        ({"levels__1__trigger": "percent_used", "levels__1__value": "50"}, "must fire later than level 1"),
        ({"levels__2__value": "0"}, "must fire later than level 2"),
        ({"levels__0__notify_handler": False}, "at least one person"),
        ({"lunch_start": "19:00:00"}, "Working hours must read"),
    ],
)
def test_p5_admin_refuses_an_inconsistent_standard(admin_client, standard, changes, message) -> None:
    before = (standard.warning_percent, standard.quiet_end)
    response = admin_client.post(change_url(standard), admin_post(standard, **changes))
    assert response.status_code == 200  # re-rendered with the errors
    assert message in response.content.decode()
    standard.refresh_from_db()
    assert (standard.warning_percent, standard.quiet_end) == before


def test_p5_admin_refuses_a_standard_that_leaves_a_priority_without_target(admin_client, standard) -> None:
    fault_any = standard.targets.order_by("pk").values_list("pk", flat=True)
    index = next(i for i, pk in enumerate(fault_any) if ResolutionTarget.objects.get(pk=pk).kind == "large_work")
    response = admin_client.post(change_url(standard), admin_post(standard, **{f"targets__{index}__DELETE": "on"}))
    assert response.status_code == 200
    assert "No target covers" in response.content.decode()
    assert standard.targets.filter(kind="large_work").exists()


def test_p5_model_clean_refuses_bad_rows(standard) -> None:
    with pytest.raises(ValidationError) as exc:
        StandardVersion(number=9, label="x", warning_percent=120, quiet_start=standard.quiet_start, quiet_end=standard.quiet_start).full_clean()
    assert {"warning_percent", "quiet_end"} <= set(exc.value.message_dict)
    with pytest.raises(ValidationError):
        ResolutionTarget(standard=standard, kind="fault", respond_hours=-1, resolve_hours=4).full_clean()
    with pytest.raises(ValidationError):
        EscalationLevel(standard=standard, level=5, trigger="percent_used", value=150, notify_handler=True).full_clean()


def test_only_one_version_is_active_and_activation_switches(standard) -> None:
    draft = standard_copy(version=standard)
    assert draft.is_active is False and draft.targets.count() == standard.targets.count()
    with pytest.raises(ValidationError):
        draft.is_active = True
        draft.full_clean()
    draft.is_active = False
    standard_activate(version=draft)
    standard.refresh_from_db()
    assert standard.is_active is False
    assert StandardVersion.objects.get(pk=draft.pk).is_active


def test_an_inconsistent_draft_cannot_be_activated(standard) -> None:
    draft = standard_copy(version=standard)
    draft.levels.filter(level=3).update(value=0)  # L3 no longer after L2
    with pytest.raises(ActionRefused):
        standard_activate(version=draft)
    standard.refresh_from_db()
    assert standard.is_active


def test_admin_activate_action(admin_client, standard) -> None:
    draft = standard_copy(version=standard)
    url = reverse("admin:standards_standardversion_changelist")
    response = admin_client.post(url, {"action": "activate", "_selected_action": [draft.pk]}, follow=True)
    assert response.status_code == 200
    assert StandardVersion.objects.get(is_active=True).pk == draft.pk


def test_closure_and_open_day_cannot_share_a_date(admin_client) -> None:
    OpenDay.objects.create(date="2026-03-07", reason="대체 근무")
    response = admin_client.post(reverse("admin:standards_closureday_add"), {"date": "2026-03-07", "reason": "휴무"})
    assert response.status_code == 200
    assert "extra open day" in response.content.decode()
    assert not ClosureDay.objects.exists()


def test_quiet_hours_come_from_the_active_standard(standard) -> None:
    from datetime import time

    assert current_quiet_hours() == (time(21, 0), time(8, 0))
    standard.quiet_start = time(22, 0)
    standard.save()
    assert current_quiet_hours() == (time(22, 0), time(8, 0))


def test_every_standards_model_is_in_the_admin(admin_client) -> None:
    # The charter's own models: tests/charter/test_charter_admin.py.
    for app, name in (
        ("standards", "standardversion"),
        ("standards", "closureday"),
        ("standards", "openday"),
    ):
        assert admin_client.get(reverse(f"admin:{app}_{name}_changelist")).status_code == 200


def test_admin_pages_for_a_version_render(admin_client, standard) -> None:
    assert admin_client.get(change_url(standard)).status_code == 200
    assert admin_client.get(reverse("admin:standards_standardversion_add")).status_code == 200
    assert admin_client.get(reverse("admin:standards_standardversion_history", args=[standard.pk])).status_code == 200
