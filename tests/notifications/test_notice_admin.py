"""The admins' side: the limits on people's choices, the AlimTalk templates
(checked against their text), people's choices with their history, and the
outbox's KakaoTalk and digest rows."""
from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from helpdesk.notifications.models import KakaoTemplate, NoticeRule
from helpdesk.notifications.preferences import notice_preferences_save
from tests.notifications.helpers import pending

pytestmark = pytest.mark.django_db


def test_a_rule_is_added_in_the_admin_for_kinds_people_may_turn_off_only(admin_user, en_client_for):
    client = en_client_for(admin_user)
    add = reverse("admin:notifications_noticerule_add")
    page = client.get(add).content.decode()
    assert 'value="customer.surveys"' in page and 'value="customer.delay"' not in page
    response = client.post(add, {"kind": "customer.surveys", "email": "on", "reason": "설문은 꼭 받아 주세요."})
    assert response.status_code == 302
    rule = NoticeRule.objects.get()
    assert (rule.kind, rule.email, rule.sms, rule.kakao, rule.may_turn_off) == ("customer.surveys", True, False, False, False)
    assert rule.history.get().history_user == admin_user
    refused = client.post(add, {"kind": "customer.delay", "email": "on", "may_turn_off": "on"})
    assert refused.status_code == 200 and NoticeRule.objects.count() == 1
    assert "Select a valid choice" in refused.content.decode()
    assert client.get(reverse("admin:notifications_noticerule_changelist")).status_code == 200


def test_a_rule_for_a_kind_that_cannot_be_turned_off_is_invalid():
    with pytest.raises(ValidationError, match="always sent"):
        NoticeRule(kind="staff.deadlines").full_clean()
    with pytest.raises(ValidationError, match="Choose a kind"):
        NoticeRule(kind="nonsense").full_clean()


def template(**kwargs) -> KakaoTemplate:
    values = {"name": "진행", "kind": "customer.progress", "template_id": "KA01TP1",
              "content": "#{이름}님 요청 #{번호}", "variables": {"이름": "recipient_name", "번호": "ticket_number"}}
    return KakaoTemplate(**{**values, **kwargs})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"variables": {"이름": "recipient_name"}}, "have no value: 번호"),
        ({"variables": {"이름": "recipient_name", "번호": "ticket_number", "날짜": "deadline"}}, "not in the text: 날짜"),
        ({"variables": {"이름": "Recipient Name", "번호": "ticket_number"}}, "context key"),
        ({"variables": ["recipient_name"]}, "context key"),
        ({"kind": "staff.assigned"}, "customers only"),
        ({"kind": "", "template": ""}, "Choose the kind of notice or our template"),
    ],
)
def test_an_alimtalk_template_must_match_its_text(changes, message):
    with pytest.raises(ValidationError, match=message):
        template(**changes).full_clean()


def test_one_active_template_a_kind_or_template(admin_user):
    template().save()
    template(template="delay_notice", kind="").full_clean()  # another key: fine
    with pytest.raises(ValidationError, match="already carries this kind"):
        template(name="둘째").full_clean()
    template(name="둘째", active=False).full_clean()  # an inactive draft may wait


def test_the_template_admin_checks_the_text_and_keeps_history(admin_user, en_client_for):
    client = en_client_for(admin_user)
    add = reverse("admin:notifications_kakaotemplate_add")
    data = {"name": "지연", "kind": "customer.delay", "template": "", "template_id": "KA01TP-DELAY", "pf_id": "",
            "content": "#{번호} 처리기한 변경", "variables": '{"번호": "ticket_number"}', "active": "on"}
    bad = client.post(add, {**data, "variables": '{"기한": "deadline"}'})
    assert bad.status_code == 200 and "have no value: 번호" in bad.content.decode()
    assert client.post(add, data).status_code == 302
    assert KakaoTemplate.objects.get().history.get().history_user == admin_user


def test_peoples_choices_are_shown_read_only_with_their_history(org, admin_user, en_client_for):
    notice_preferences_save(user=org.customer, actor=org.customer, chosen={("customer.visits", "sms"): False})
    client = en_client_for(admin_user)
    listing = client.get(reverse("admin:notifications_noticepreference_changelist"))
    assert listing.status_code == 200 and "customer.visits" in listing.content.decode()
    assert client.get(reverse("admin:notifications_noticepreference_add")).status_code == 403


def test_the_outbox_lists_kakaotalk_and_digest_rows(admin_user, client_for):
    pending(channel="kakao", state="sent", sent_via="sms", last_error="KakaoTalk not sent", key="k1")
    pending(channel="email", state="digest", to_email="a@example.co.kr", next_attempt_at=None, key="d1")
    client = client_for(admin_user)
    changelist = reverse("admin:notifications_notification_changelist")
    kakao = client.get(changelist + "?channel__exact=kakao&sent_via__exact=sms")
    assert [r.key for r in kakao.context["cl"].result_list] == ["k1"]
    assert "01012345678" in kakao.content.decode() and "KakaoTalk not sent" in kakao.content.decode()
    digest = client.get(changelist + "?state__exact=digest")
    assert [r.key for r in digest.context["cl"].result_list] == ["d1"]
