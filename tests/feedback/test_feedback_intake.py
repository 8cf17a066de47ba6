"""CP1, CC1, CC3: feedback received from the portal and by the desk, each with
a handler and a due time from the service standards; the customer follows their
own, and nobody else's."""
from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feedback.models import Feedback, FeedbackChannel, FeedbackEvent, FeedbackKind, FeedbackState
from feedback.services import feedback_file
from helpdesk.core.errors import ActionRefused
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.outbox import outbox_keys

from .steps import COMPLAINT, complaint_about

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_complaint_about_a_request_names_its_handler_goes_to_his_lead_and_is_due_in_business_days(org, handled_ticket):
    feedback = complaint_about(handled_ticket, org.customer)
    assert feedback.employee == org.engineer
    assert feedback.handler == org.lead and feedback.team == org.team
    assert feedback.channel == FeedbackChannel.PORTAL and feedback.state == FeedbackState.RECEIVED
    # Five business days (the standard's default) from Tuesday 10:00: next Tuesday 10:00.
    assert feedback.due_at == kst(2026, 3, 17, 10)
    assert f"feedback:filed:f{feedback.pk}:u{org.lead.pk}:in_app" in outbox_keys()
    assert FeedbackEvent.objects.filter(feedback=feedback, kind="filed", actor=org.customer).exists()


def test_a_suggestion_naming_nobody_goes_to_the_desk_teams_lead(org, standard, frozen):
    feedback = feedback_file(actor=org.customer, kind=FeedbackKind.SUGGESTION, body="접수 화면에 자산번호 검색이 있으면 좋겠습니다.")
    assert feedback.employee is None and feedback.team.code == "DESK" and feedback.handler == org.lead


def test_a_customer_cannot_attach_someone_elses_request(org, handled_ticket):
    with pytest.raises(ActionRefused) as refused:
        feedback_file(actor=org.other_customer, kind=FeedbackKind.COMPLAINT, body=COMPLAINT, ticket=handled_ticket)
    assert refused.value.field == "ticket"


def test_a_commendation_needs_an_employee_and_a_customer_is_no_employee(org, standard, frozen):
    with pytest.raises(ActionRefused) as refused:
        feedback_file(actor=org.customer, kind=FeedbackKind.COMMENDATION, body="친절했습니다")
    assert refused.value.field == "employee"
    with pytest.raises(ActionRefused):
        feedback_file(actor=org.customer, kind=FeedbackKind.COMMENDATION, body="친절했습니다", employee=org.other_customer)


def test_a_commendation_tells_the_employee_and_the_lead(org, standard, frozen):
    feedback = feedback_file(actor=org.customer, kind=FeedbackKind.COMMENDATION, body="친절했습니다", employee=org.engineer)
    keys = outbox_keys()
    assert f"feedback:commended:f{feedback.pk}:u{org.engineer.pk}:in_app" in keys
    assert f"feedback:commended:f{feedback.pk}:u{org.lead.pk}:in_app" in keys


def test_the_desk_takes_a_letter_with_its_scan_for_a_customer_by_name(org, standard, frozen):
    scan = SimpleUploadedFile("편지.pdf", PDF, content_type="application/pdf")
    feedback = feedback_file(
        actor=org.desk_agent, kind=FeedbackKind.SUGGESTION, channel=FeedbackChannel.LETTER, body="주차장 안내 개선",
        customer_name="홍길동", customer_department=org.customer_dept, attachment=scan,
    )
    assert feedback.customer is None and feedback.customer_name == "홍길동" and feedback.channel == FeedbackChannel.LETTER
    assert feedback.attachment_name == "편지.pdf" and feedback.attachment.read().startswith(b"%PDF")
    assert feedback.created_by == org.desk_agent


def test_the_desk_must_say_how_the_customer_reached_it(org, standard, frozen):
    with pytest.raises(ActionRefused) as refused:
        feedback_file(actor=org.desk_agent, kind=FeedbackKind.SUGGESTION, body="x", customer=org.customer)
    assert refused.value.field == "channel"


def test_the_portal_form_files_a_commendation_from_the_ticket_for_its_handler(org, handled_ticket, client_for):
    client = client_for(org.customer)
    page = client.get(reverse("feedback:my_new"), {"kind": "commendation", "ticket": handled_ticket.pk})
    assert org.engineer.display_name in page.content.decode()
    response = client.post(
        reverse("feedback:my_new"),
        {"kind": "commendation", "body": "빠르게 고쳐 주셨습니다", "ticket": handled_ticket.pk, "employee": org.engineer.pk},
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response.url == reverse("feedback:my_detail", args=[feedback.pk])
    assert feedback.kind == FeedbackKind.COMMENDATION and feedback.employee == org.engineer


def test_an_empty_complaint_is_refused_keeping_the_choices(org, handled_ticket, en_client_for):
    # English: the Korean catalogue receives this msgid when the lead runs `make messages`.
    response = en_client_for(org.customer).post(
        reverse("feedback:my_new"), {"kind": "complaint", "body": "  ", "ticket": handled_ticket.pk}
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Feedback.objects.exists()
    assert "Write what you would like to tell us." in html
    assert f'value="{handled_ticket.pk}" selected' in html
    assert re.search(r'value="complaint"[^>]*checked', html)


def test_an_attachment_of_the_wrong_kind_is_refused_keeping_what_was_typed(org, handled_ticket, client_for):
    fake = SimpleUploadedFile("영수증.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_for(org.customer).post(
        reverse("feedback:my_new"), {"kind": "complaint", "body": "불친절했습니다", "attachment": fake}
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Feedback.objects.exists()
    assert "영수증.pdf" in html and "불친절했습니다" in html
    exe = SimpleUploadedFile("tool.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for(org.customer).post(reverse("feedback:my_new"), {"kind": "complaint", "body": "불친절", "attachment": exe})
    assert ".exe" in response.content.decode() and not Feedback.objects.exists()


def test_a_customer_sees_only_their_own_feedback(org, handled_ticket, client_for):
    mine = complaint_about(handled_ticket, org.customer)
    theirs = feedback_file(actor=org.other_customer, kind=FeedbackKind.SUGGESTION, body="다른 고객의 의견")
    client = client_for(org.customer)
    listing = client.get(reverse("feedback:my_list")).content.decode()
    assert COMPLAINT in listing and "다른 고객의 의견" not in listing
    assert client.get(reverse("feedback:my_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("feedback:my_detail", args=[theirs.pk])).status_code == 404
    # Nor through the staff pages, nor the attachment.
    assert client.get(reverse("feedback:staff_detail", args=[theirs.pk])).status_code in (403, 404)
    assert client.get(reverse("feedback:attachment", args=[theirs.pk])).status_code == 404


def test_the_directory_picker_lists_matching_staff_only_and_a_short_list(org, standard, frozen, client_for):
    for n in range(30):
        f.UserFactory(last_name="박", first_name=f"엔지{n}", department=org.maintenance_dept, team=org.team, roles=["engineer"])
    page = client_for(org.customer).get(reverse("feedback:my_new"), {"kind": "commendation", "q": "박"})
    html = page.content.decode()
    assert html.count('name="employee"') <= 21  # "no one" plus at most 20 matches
    assert org.customer.display_name not in html.split('id="feedback-form"')[1]


def test_the_desk_form_refuses_an_unknown_employee_number_keeping_the_text(org, standard, frozen, client_for):
    response = client_for(org.desk_agent).post(
        reverse("feedback:desk_new"),
        {"kind": "complaint", "channel": "phone", "customer_name": "홍길동", "employee_no": "X999", "body": "전화 응대 불친절"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "전화 응대 불친절" in html and not Feedback.objects.exists()
