"""The reviewed fault categories (tickets.fault_categories, migration tickets 0009):
one name per kind of equipment, what a laptop and a printer need, one to three
questions each; the review is safe on a database that already has categories,
in use or not, and changes nothing the second time; admins edit them."""
from __future__ import annotations

import importlib
import re
from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests import factories as f
from tickets.fault_categories import CATALOGUE, fault_categories_review, name_key
from tickets.models import AssetType, FaultCategory, SymptomQuestion, Ticket

pytestmark = pytest.mark.django_db

MIGRATION = "0009_fault_categories_reviewed"


@pytest.fixture
def reviewed() -> dict[str, FaultCategory]:
    """The reviewed set on an empty table (a transactional test may have flushed the migration's rows)."""
    FaultCategory.objects.all().delete()
    return fault_categories_review()


def _names(asset_type: str) -> list[str]:
    return list(FaultCategory.objects.filter(asset_type=asset_type, active=True).values_list("name", flat=True))


def _snapshot() -> list[tuple]:
    categories = FaultCategory.objects.order_by("pk").values_list("pk", "code", "asset_type", "name", "name_en", "active", "order")
    questions = SymptomQuestion.objects.order_by("pk").values_list("pk", "category_id", "text", "answer_type", "choices")
    return [*categories, *questions]


def _migrate_with_historical_models() -> None:
    """Run the migration's own function with the models as they were at that migration."""
    state = MigrationExecutor(connection).loader.project_state(("tickets", MIGRATION), at_end=False)
    importlib.import_module(f"tickets.migrations.{MIGRATION}").review(state.apps, None)


def test_no_two_active_categories_of_one_equipment_share_a_name(reviewed):
    keys = Counter((c.asset_type, name_key(c.name)) for c in FaultCategory.objects.filter(active=True))
    assert keys and max(keys.values()) == 1
    english = Counter((c.asset_type, c.name_en.casefold()) for c in FaultCategory.objects.filter(active=True))
    assert max(english.values()) == 1
    assert all(c.name_en for c in reviewed.values())


def test_a_laptop_has_screen_boot_slowness_and_blue_screen_like_a_desktop(reviewed):
    for asset_type in (AssetType.LAPTOP, AssetType.DESKTOP):
        names = _names(asset_type)
        assert {"화면 이상", "부팅 불가", "속도 저하", "블루스크린", "소음/발열", "바이러스 의심", "소프트웨어 설치"} <= set(names)
    assert {"키보드·마우스"} <= set(_names(AssetType.DESKTOP))
    assert {"배터리 충전 불가", "무선랜 연결 불가", "키보드·터치패드"} <= set(_names(AssetType.LAPTOP))


def test_printers_network_and_other_equipment_have_their_own(reviewed):
    assert {"용지 걸림", "토너/잉크", "인쇄 품질 불량", "인쇄 안 됨", "스캔 불가"} <= set(_names(AssetType.PRINTER))
    assert {"네트워크 끊김", "네트워크 속도 저하", "무선랜 불량"} <= set(_names(AssetType.NETWORK))
    assert "계정/비밀번호" in _names(AssetType.OTHER)
    # "Other equipment" repeats nothing a listed kind of equipment already has.
    elsewhere = {name_key(c.name) for c in FaultCategory.objects.exclude(asset_type=AssetType.OTHER)}
    assert not {name_key(n) for n in _names(AssetType.OTHER)} & elsewhere


def test_every_category_asks_one_to_three_questions_that_can_be_answered(reviewed):
    for category in FaultCategory.objects.prefetch_related("questions"):
        questions = list(category.questions.all())
        assert 1 <= len(questions) <= 3, category.code
        for q in questions:
            assert q.text.strip() and q.text_en.strip(), category.code
            if q.answer_type == SymptomQuestion.AnswerType.CHOICE:
                assert len(q.choice_list) >= 2, (category.code, q.text)
    # Codes are unique in the catalogue itself (the database would refuse otherwise, mid-migration).
    assert len({c.code for c in CATALOGUE}) == len(CATALOGUE)


def test_the_migration_on_a_demo_database_renames_merges_and_keeps_what_tickets_use(org):
    """As the demo and admins left it: old names and codes, duplicates, one in use."""
    FaultCategory.objects.exclude(pk=org.category.pk).delete()
    slow = f.FaultCategoryFactory(code="pc-slow", name="느려짐", name_en="Slow")
    noise = f.FaultCategoryFactory(code="pc-noise", name="소음 발생", name_en="Noise")
    f.SymptomQuestionFactory(category=noise, text="어떤 소리가 납니까?")
    keyboard = f.FaultCategoryFactory(code="nb-keyboard", asset_type=AssetType.LAPTOP, name="키보드 불량", name_en="Keyboard")
    network = f.FaultCategoryFactory(code="nw-no-link", asset_type=AssetType.NETWORK, name="네트워크 연결 불가")
    blue = f.FaultCategoryFactory(code="pc-blue-screen", name="블루스크린", name_en="Blue screen")
    typed_twice = f.FaultCategoryFactory(code="bsod", name="블루 스크린", name_en="BSOD")  # an admin's, unused
    in_use_twice = f.FaultCategoryFactory(code="slow-2", name="속도저하", name_en="Slowness")  # an admin's, in use
    mine = f.FaultCategoryFactory(code="nb-cracked", asset_type=AssetType.LAPTOP, name="화면 깨짐", name_en="Cracked screen")
    old_ticket = f.TicketFactory(reporter=org.customer, team=org.team, asset=org.asset, category=in_use_twice)
    noisy_ticket = f.TicketFactory(reporter=org.customer, team=org.team, asset=org.asset, category=noise)

    _migrate_with_historical_models()

    # Renamed in place: same rows, tickets keep them, an admin's questions stay.
    noise.refresh_from_db()
    assert (noise.name, noise.name_en, noise.active) == ("소음/발열", "Noise or overheating", True)
    assert list(noise.questions.values_list("text", flat=True)) == ["어떤 소리가 납니까?"]
    assert Ticket.objects.get(pk=noisy_ticket.pk).category_id == noise.pk
    assert FaultCategory.objects.get(pk=slow.pk).name == "속도 저하"
    assert FaultCategory.objects.get(pk=keyboard.pk).name == "키보드·터치패드"
    assert FaultCategory.objects.get(pk=network.pk).name == "네트워크 끊김"
    # Duplicates: the unused one is gone, the one a ticket points at only switched off.
    assert not FaultCategory.objects.filter(pk=typed_twice.pk).exists()
    assert FaultCategory.objects.get(code="pc-blue-screen").pk == blue.pk
    in_use_twice.refresh_from_db()
    assert not in_use_twice.active and Ticket.objects.get(pk=old_ticket.pk).category_id == in_use_twice.pk
    # An admin's own category that repeats nothing stays. The organisation's "전원 불량" is the
    # reviewed desktop "No power" under another code: that row becomes it, rather than a second one.
    assert FaultCategory.objects.get(pk=mine.pk).active
    assert FaultCategory.objects.get(code="pc-no-power").pk == org.category.pk
    assert _names(AssetType.DESKTOP).count("전원 불량") == 1
    keys = Counter((c.asset_type, name_key(c.name)) for c in FaultCategory.objects.filter(active=True))
    assert max(keys.values()) == 1
    assert {"화면 이상", "부팅 불가", "속도 저하", "블루스크린"} <= set(_names(AssetType.LAPTOP))

    # Run again (the demo's seed_demo does, and so would a second migration): nothing changes.
    before = _snapshot()
    _migrate_with_historical_models()
    fault_categories_review()
    assert _snapshot() == before


def test_the_review_is_idempotent_on_its_own_result(reviewed):
    before = _snapshot()
    again = fault_categories_review()
    assert _snapshot() == before
    assert {code: c.pk for code, c in again.items()} == {code: c.pk for code, c in reviewed.items()}


def test_a_category_an_admin_switched_off_stays_off(reviewed):
    FaultCategory.objects.filter(code="nb-virus").update(active=False)
    fault_categories_review()
    assert not FaultCategory.objects.get(code="nb-virus").active
    assert FaultCategory.objects.filter(asset_type=AssetType.LAPTOP, name="바이러스 의심").count() == 1


# --- Admin ------------------------------------------------------------------------------


def test_admins_list_filter_and_edit_categories(org, reviewed, client_for):
    client = client_for(org.admin)
    listing = client.get(reverse("admin:tickets_faultcategory_changelist"), {"asset_type__exact": "laptop"})
    html = listing.content.decode()
    assert listing.status_code == 200 and "블루스크린" in html and "용지 걸림" not in html
    category = reviewed["nb-display"]
    page = client.get(reverse("admin:tickets_faultcategory_change", args=[category.pk]))
    assert page.status_code == 200 and "외부 모니터" in page.content.decode()


def _post_category(client, url: str, category_pk: int | None = None, **fields) -> object:
    data = {"asset_type": "laptop", "name": "", "name_en": "", "code": "", "order": "0", "active": "on",
            "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0", **fields}
    if category_pk is not None:
        existing = list(SymptomQuestion.objects.filter(category_id=category_pk).order_by("pk"))
        data["questions-TOTAL_FORMS"] = data["questions-INITIAL_FORMS"] = str(len(existing))
        for i, q in enumerate(existing):
            data.update({f"questions-{i}-id": str(q.pk), f"questions-{i}-category": str(category_pk),
                         f"questions-{i}-order": str(q.order), f"questions-{i}-text": q.text, f"questions-{i}-text_en": q.text_en,
                         f"questions-{i}-answer_type": q.answer_type, f"questions-{i}-choices": q.choices,
                         f"questions-{i}-required": "on" if q.required else ""})
    return client.post(url, data)


def test_the_admin_refuses_a_second_category_of_the_same_name_for_that_equipment(org, reviewed, client_for):
    client = client_for(org.admin)
    add = reverse("admin:tickets_faultcategory_add")
    refused = _post_category(client, add, name="블루 스크린", name_en="BSOD", code="nb-bsod")
    assert refused.status_code == 200 and "장애 분류가 있습니다" in refused.content.decode()  # the admin answers in Korean
    assert not FaultCategory.objects.filter(code="nb-bsod").exists()
    # The same name for other equipment, or a new name, is fine.
    assert _post_category(client, add, asset_type="other", name="블루스크린", name_en="Blue screen", code="etc-bsod").status_code == 302
    assert _post_category(client, add, name="화면 깨짐", name_en="Cracked screen", code="nb-cracked").status_code == 302
    # Editing a category keeps its own name.
    own = reviewed["nb-slow"]
    edit = reverse("admin:tickets_faultcategory_change", args=[own.pk])
    assert _post_category(client, edit, own.pk, name="속도 저하", name_en="Slow", code="nb-slow", order="13").status_code == 302


# --- The customer's list ------------------------------------------------------------------


def test_other_equipment_lists_every_kind_of_fault_once_each_naming_its_equipment(org, reviewed, client_for):
    html = client_for(org.customer).get(
        reverse("portal:ticket_new_fields"), {"asset": "other"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    select = html[html.index('name="category"') : html.index("</select>", html.index('name="category"'))]
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select)
    assert len(labels) == FaultCategory.objects.filter(active=True).count()
    assert len(set(labels)) == len(labels)
    assert "부팅 불가 (노트북)" in labels and "부팅 불가 (데스크톱 PC)" in labels
    # One's own PC chosen: its kinds of fault only, by name alone.
    own = client_for(org.customer).get(
        reverse("portal:ticket_new_fields"), {"asset": org.asset.pk}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert f'<option value="{reviewed["pc-no-boot"].pk}">부팅 불가</option>' in own
    assert "(노트북)" not in own
