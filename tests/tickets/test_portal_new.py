"""The customer portal's "Report a fault" (장애 신고) form: CC2, MT3 and the upload checks."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import factories as f
from tests.helpers.clients import english
from tickets.lifecycle import Status
from tickets.models import AssetType, Attachment, Channel, Kind, SymptomQuestion, Ticket, TicketEvent

NEW = reverse("portal:ticket_new")
FIELDS = reverse("portal:ticket_new_fields")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def errors(response, field: str) -> list[str]:
    """A field's errors read in English (lazy messages would otherwise read in the default Korean)."""
    form = response.context["form"]
    with translation.override("en"):
        found = form.non_field_errors() if field == "__all__" else form.errors.get(field, [])
        return [str(e) for e in found]


def report(org, **changes) -> dict[str, str]:
    question = org.category.questions.get()
    data = {
        "title": "PC 전원이 들어오지 않습니다",
        "description": "아침에 출근해서 켜 보니 전원 버튼을 눌러도 반응이 없습니다.",
        "asset": str(org.asset.pk),
        "asset_other": "",
        "category": str(org.category.pk),
        "questions_for": str(org.category.pk),
        f"q_{question.pk}": "no",
        "contact_phone": "010-2345-6789",
    }
    data.update(changes)
    return data


def test_cc2_mt3_filing_a_fault_in_korean_creates_the_ticket_with_answers_event_and_team(org, client_for):
    client = client_for(org.customer)
    question = org.category.questions.get()
    photo = SimpleUploadedFile("전원램프.png", PNG, content_type="image/png")

    response = client.post(NEW, {**report(org), "attachments": [photo]})

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:ticket_detail", args=[ticket.pk])
    assert ticket.title == "PC 전원이 들어오지 않습니다"
    assert ticket.kind == Kind.FAULT and ticket.channel == Channel.WEB
    assert ticket.status == Status.RECEIVED
    # CC2: name and department come from the account, not from the form.
    assert ticket.reporter == org.customer
    assert ticket.reporter_name == "김민수"
    assert ticket.reporter_department == org.customer_dept
    assert ticket.asset == org.asset and ticket.category == org.category
    assert ticket.symptom_answers == [
        {"question_id": question.pk, "question": "전원 램프가 켜집니까?", "answer": "no"}
    ]
    assert ticket.contact_phone.as_e164 == "+821023456789"
    assert ticket.team == org.team  # the team that serves the customer's department
    assert list(ticket.events.values_list("kind", flat=True)) == [
        TicketEvent.Kind.CREATED,
        TicketEvent.Kind.ATTACHED,
    ]
    attachment = Attachment.objects.get()
    assert attachment.original_name == "전원램프.png" and attachment.is_public

    page = client.get(response.url)
    assert "PC 전원이 들어오지 않습니다" in page.content.decode()
    assert any(ticket.number in str(m) for m in page.context["messages"])


def test_the_form_offers_only_own_assets_and_prefills_the_phone(org):
    foreign = f.AssetFactory(owner=org.other_customer, tag="PC-999999")
    response = english(org.customer).get(NEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert "PC-000001" in html and foreign.tag not in html
    assert f'name="contact_phone" value="{org.customer.phone.as_national}"' in html
    # The only asset is chosen already, so the fault kinds are those of a desktop.
    assert f'<option value="{org.asset.pk}" selected>' in html


def test_someone_elses_asset_is_refused(org):
    foreign = f.AssetFactory(owner=org.other_customer, tag="PC-999999")
    response = english(org.customer).post(NEW, report(org, asset=str(foreign.pk)))
    assert response.status_code == 200
    assert response.context["form"].errors["asset"]
    assert not Ticket.objects.exists()


def test_other_equipment_needs_a_description_and_then_files_without_an_asset(org):
    client = english(org.customer)
    response = client.post(NEW, report(org, asset="other", asset_other="", category="", questions_for=""))
    assert "asset_other" in response.context["form"].errors
    assert not Ticket.objects.exists()

    response = client.post(
        NEW, report(org, asset="other", asset_other="회의실 빔프로젝터 (3층)", category="", questions_for="")
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.asset is None and ticket.asset_other == "회의실 빔프로젝터 (3층)"
    assert ticket.category is None and ticket.symptom_answers == []


def test_mt3_missing_required_answer_rerenders_with_the_message_and_keeps_the_title(org):
    question = org.category.questions.get()
    data = report(org)
    del data[f"q_{question.pk}"]
    response = english(org.customer).post(NEW, data)
    assert response.status_code == 200
    assert errors(response, f"q_{question.pk}") == ["This field is required."]
    html = response.content.decode()
    assert 'value="PC 전원이 들어오지 않습니다"' in html
    assert not Ticket.objects.exists()


def test_mt3_without_javascript_a_newly_chosen_category_shows_its_questions_first(org):
    """The category changed on submit and its questions were never on the page."""
    question = org.category.questions.get()
    data = report(org, questions_for="")
    del data[f"q_{question.pk}"]
    response = english(org.customer).post(NEW, data)
    form = response.context["form"]
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert "Please answer them" in " ".join(errors(response, "__all__"))
    # Shown, but not scolded for being empty: the customer has not seen them yet.
    assert f"q_{question.pk}" not in form.errors
    html = response.content.decode()
    assert "Does the power lamp light up?" in html
    assert f'name="questions_for" value="{org.category.pk}"' in html
    assert 'value="PC 전원이 들어오지 않습니다"' in html


def test_optional_questions_do_not_block_a_report_when_not_shown(org):
    category = f.FaultCategoryFactory()  # (a code of its own: the reviewed set holds pc-noise)
    f.SymptomQuestionFactory(category=category, required=False, answer_type=SymptomQuestion.AnswerType.TEXT)
    data = report(org, category=str(category.pk), questions_for="")
    response = english(org.customer).post(NEW, data)
    assert response.status_code == 302
    assert Ticket.objects.get().symptom_answers == []


def test_choice_and_text_answers_are_stored_in_order(org):
    category = f.FaultCategoryFactory(code="pc-screen")
    text_q = f.SymptomQuestionFactory(
        category=category, text="화면에 보이는 메시지는?", answer_type=SymptomQuestion.AnswerType.TEXT, order=2
    )
    choice_q = f.SymptomQuestionFactory(
        category=category,
        text="언제부터입니까?",
        answer_type=SymptomQuestion.AnswerType.CHOICE,
        choices="오늘|어제|일주일 이상",
        order=1,
    )
    data = report(org, category=str(category.pk), questions_for=str(category.pk))
    data.update({f"q_{choice_q.pk}": "어제", f"q_{text_q.pk}": "No bootable device"})
    assert english(org.customer).post(NEW, data).status_code == 302
    assert Ticket.objects.get().symptom_answers == [
        {"question_id": choice_q.pk, "question": "언제부터입니까?", "answer": "어제"},
        {"question_id": text_q.pk, "question": "화면에 보이는 메시지는?", "answer": "No bootable device"},
    ]


def test_a_choice_outside_the_list_is_refused(org):
    category = f.FaultCategoryFactory(code="pc-screen")
    choice_q = f.SymptomQuestionFactory(
        category=category, answer_type=SymptomQuestion.AnswerType.CHOICE, choices="오늘|어제"
    )
    data = report(org, category=str(category.pk), questions_for=str(category.pk))
    data[f"q_{choice_q.pk}"] = "작년"
    response = english(org.customer).post(NEW, data)
    assert f"q_{choice_q.pk}" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_bad_phone_number_rerenders_with_a_clear_message_and_keeps_the_title(org):
    response = english(org.customer).post(NEW, report(org, contact_phone="전화 없음 12"))
    assert response.status_code == 200
    assert errors(response, "contact_phone") == [
        "Enter a phone number we can call, such as 010-1234-5678."
    ]
    assert 'value="PC 전원이 들어오지 않습니다"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_too_large_file_is_refused_and_everything_typed_is_kept(org, settings):
    settings.ATTACHMENT_MAX_BYTES = 50
    big = SimpleUploadedFile("screen.png", PNG + b"\x00" * 100, content_type="image/png")
    response = english(org.customer).post(NEW, {**report(org), "attachments": [big]})
    assert response.status_code == 200
    assert "screen.png is too large" in errors(response, "attachments")[0]
    html = response.content.decode()
    assert 'value="PC 전원이 들어오지 않습니다"' in html
    assert "아침에 출근해서 켜 보니" in html
    assert "010-2345-6789" in html
    assert not Ticket.objects.exists() and not Attachment.objects.exists()


def test_disallowed_file_type_is_refused_and_the_title_kept(org):
    script = SimpleUploadedFile("fix.exe", b"MZ\x90\x00" * 10, content_type="application/octet-stream")
    response = english(org.customer).post(NEW, {**report(org), "attachments": [script]})
    assert response.status_code == 200
    assert "Files of type .exe cannot be attached" in errors(response, "attachments")[0]
    assert 'value="PC 전원이 들어오지 않습니다"' in response.content.decode()
    assert not Ticket.objects.exists()


def test_category_for_another_asset_type_is_refused(org):
    printer_category = f.FaultCategoryFactory(asset_type=AssetType.PRINTER, code="printer-jam", name="용지 걸림")
    # Its required question must not hide the real problem behind "this field is required".
    f.SymptomQuestionFactory(category=printer_category, text="용지가 어디에 걸렸습니까?")
    response = english(org.customer).post(
        NEW, report(org, category=str(printer_category.pk), questions_for=str(printer_category.pk))
    )
    assert response.status_code == 200
    assert "is not for a Desktop PC" in errors(response, "category")[0]
    assert list(response.context["form"].errors) == ["category"]
    assert "용지가 어디에 걸렸습니까?" not in response.content.decode()
    assert not Ticket.objects.exists()


def test_someone_without_the_filing_permission_is_forbidden(org):
    outsider = f.UserFactory(department=org.customer_dept)  # no role at all
    assert english(outsider).get(NEW).status_code == 403


def test_inactive_categories_are_neither_offered_nor_accepted(org):
    retired = f.FaultCategoryFactory(code="pc-retired", name="폐기된 분류", active=False)
    client = english(org.customer)
    assert f'value="{retired.pk}"' not in client.get(NEW).content.decode()
    response = client.post(NEW, report(org, category=str(retired.pk), questions_for=str(retired.pk)))
    assert "category" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_cc2_a_user_without_department_is_told_and_cannot_file(org, client_for):
    org.customer.department = None
    org.customer.save()
    client = english(org.customer)
    page = client.get(NEW)
    assert 'id="no-department"' in page.content.decode()
    assert "form" not in page.context or page.context.get("form") is None
    client.post(NEW, report(org))
    assert not Ticket.objects.exists()


def test_htmx_fields_follow_the_chosen_asset_and_category(org):
    laptop = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag="NB-000001", asset_type=AssetType.LAPTOP)
    laptop_category = f.FaultCategoryFactory(asset_type=AssetType.LAPTOP, name="배터리 불량")
    client = english(org.customer)

    desktop = client.get(FIELDS, {"asset": org.asset.pk, "category": org.category.pk}, HTTP_HX_REQUEST="true")
    html = desktop.content.decode()
    assert f'<option value="{org.category.pk}" selected>No power</option>' in html
    assert f'value="{laptop_category.pk}"' not in html
    assert "Does the power lamp light up?" in html
    assert f'name="questions_for" value="{org.category.pk}"' in html

    # The desktop category no longer fits the laptop: it is dropped with its questions.
    switched = client.get(FIELDS, {"asset": laptop.pk, "category": org.category.pk}, HTTP_HX_REQUEST="true")
    html = switched.content.decode()
    assert f'value="{laptop_category.pk}"' in html and f'value="{org.category.pk}"' not in html
    assert "Does the power lamp light up?" not in html
    assert 'name="questions_for" value=""' in html


def test_no_js_refresh_reloads_the_lists_without_filing(org):
    f.AssetFactory(owner=org.customer, department=org.customer_dept, tag="NB-000001", asset_type=AssetType.LAPTOP)
    response = english(org.customer).post(NEW, {**report(org), "_refresh": "1"})
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert not response.context["form"].is_bound
    assert 'value="PC 전원이 들어오지 않습니다"' in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_log_in(db, method):
    response = getattr(Client(), method)(NEW)
    assert response.status_code == 302 and reverse("login") in response.url
