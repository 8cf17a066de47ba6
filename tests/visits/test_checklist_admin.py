"""MT6: the seeded PC inspection checklist, and versions made in the admin."""
from __future__ import annotations

import importlib

import pytest
from django.urls import reverse

from visits.models import ChecklistItem, ChecklistTemplate

pytestmark = pytest.mark.django_db


def test_mt6_the_pc_checklist_is_seeded_in_korean_for_desktops_and_laptops():
    # What the data migration runs, with the historical models, on an empty table.
    from django.apps import apps

    migration = importlib.import_module("visits.migrations.0002_seed_pc_checklist")
    ChecklistTemplate.objects.all().delete()
    migration.seed(apps, None)
    migration.seed(apps, None)  # idempotent
    assert ChecklistTemplate.objects.count() == 2
    for asset_type in ("desktop", "laptop"):
        template = ChecklistTemplate.objects.get(asset_type=asset_type, is_current=True)
        assert template.name == "PC점검 체크리스트" and template.version == 1
        texts = list(template.items.order_by("order").values_list("text", flat=True))
        assert texts == [
            "전원/케이블 연결 상태", "부팅 및 POST 확인", "디스크 상태(SMART)", "메모리 점검", "바이러스 백신 업데이트",
            "윈도우 보안 업데이트", "네트워크 연결", "프린터 연결", "불필요 프로그램 정리", "사용자 데이터 백업 안내",
        ]
        assert all(template.items.values_list("text_en", flat=True))


def test_the_admin_makes_a_new_version_and_locks_a_used_one(checked_in, admin_user, client_for):
    client = client_for(admin_user)
    used = checked_in.checklist_template
    change = client.get(reverse("admin:visits_checklisttemplate_change", args=[used.pk]))
    assert change.status_code == 200
    # In use: the item rows are read-only (no inputs for their text).
    assert 'name="items-0-text"' not in change.content.decode()

    response = client.post(
        reverse("admin:visits_checklisttemplate_changelist"),
        {"action": "make_new_version", "_selected_action": [used.pk]},
    )
    assert response.status_code == 302
    new = ChecklistTemplate.objects.get(asset_type=used.asset_type, is_current=True)
    assert new.version == 2 and new.items.count() == 10
    editable = client.get(reverse("admin:visits_checklisttemplate_change", args=[new.pk]))
    assert 'name="items-0-text"' in editable.content.decode()


def test_an_added_template_becomes_the_current_version(admin_user, client_for):
    response = client_for(admin_user).post(
        reverse("admin:visits_checklisttemplate_add"),
        {
            "asset_type": "desktop", "name": "PC점검 체크리스트 (개정)", "name_en": "",
            "items-TOTAL_FORMS": "1", "items-INITIAL_FORMS": "0", "items-MIN_NUM_FORMS": "0", "items-MAX_NUM_FORMS": "1000",
            "items-0-order": "10", "items-0-text": "전원 점검", "items-0-text_en": "Power", "items-0-note_rule": "when_fixed",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    current = ChecklistTemplate.objects.get(asset_type="desktop", is_current=True)
    assert current.name == "PC점검 체크리스트 (개정)" and current.version == 2
    assert list(ChecklistItem.objects.filter(template=current).values_list("text", flat=True)) == ["전원 점검"]


def test_visits_are_read_only_in_the_admin(checked_in, admin_user, client_for):
    client = client_for(admin_user)
    assert client.get(reverse("admin:visits_visit_changelist")).status_code == 200
    page = client.get(reverse("admin:visits_visit_change", args=[checked_in.pk]))
    assert page.status_code == 200 and 'name="purpose"' not in page.content.decode()
