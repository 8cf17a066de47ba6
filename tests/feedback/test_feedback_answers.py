"""CP1, CC1: the handler reviews, replies (the customer is told) and records
whether the feedback was reflected in the service ("반영")."""
from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.models import FeedbackKind, FeedbackState
from feedback.services import feedback_answer, feedback_file, feedback_reflect, feedback_review
from helpdesk.core.errors import ActionRefused
from tests.helpers.outbox import outbox_keys

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion(org, standard, frozen):
    return feedback_file(actor=org.customer, kind=FeedbackKind.SUGGESTION, body="처리 결과를 문자로도 받고 싶습니다.")


def test_review_then_reply_tells_the_customer_and_records_the_reflection(org, suggestion):
    feedback_review(feedback=suggestion, actor=org.lead, note="문자 발송 비용 확인 중")
    suggestion.refresh_from_db()
    assert suggestion.state == FeedbackState.UNDER_REVIEW
    feedback_answer(feedback=suggestion, actor=org.lead, reply="다음 달부터 문자로도 알려 드립니다.", reflected=True, reflected_what="처리 결과 문자 발송")
    suggestion.refresh_from_db()
    assert suggestion.state == FeedbackState.ANSWERED and suggestion.answered_by == org.lead
    assert suggestion.reflected is True and suggestion.reflected_what == "처리 결과 문자 발송"
    assert f"feedback:answered:f{suggestion.pk}:in_app" in outbox_keys()
    with pytest.raises(ActionRefused):
        feedback_answer(feedback=suggestion, actor=org.lead, reply="again")


def test_a_reply_is_required_and_a_reflection_says_what(org, suggestion):
    with pytest.raises(ActionRefused) as refused:
        feedback_answer(feedback=suggestion, actor=org.lead, reply="")
    assert refused.value.field == "reply"
    with pytest.raises(ActionRefused) as refused:
        feedback_reflect(feedback=suggestion, actor=org.lead, reflected=True, reflected_what="")
    assert refused.value.field == "reflected_what"


def test_only_the_handler_or_the_teams_lead_may_answer(org, suggestion, net_lead):
    for outsider in (org.engineer, net_lead, org.customer):
        with pytest.raises(ActionRefused):
            feedback_answer(feedback=suggestion, actor=outsider, reply="답변")


def test_the_customer_reads_the_reply_on_their_page(org, suggestion, client_for):
    feedback_answer(feedback=suggestion, actor=org.lead, reply="반영하겠습니다.", reflected=True, reflected_what="문자 안내")
    html = client_for(org.customer).get(reverse("feedback:my_detail", args=[suggestion.pk])).content.decode()
    assert "반영하겠습니다." in html and "문자 안내" in html


def test_the_answer_form_keeps_the_reflection_when_the_reply_is_missing(org, suggestion, en_client_for):
    response = en_client_for(org.lead).post(
        reverse("feedback:staff_answer", args=[suggestion.pk]), {"reply": "", "reflected": "yes", "reflected_what": "문자 안내"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Write the reply to the customer." in html and "문자 안내" in html
