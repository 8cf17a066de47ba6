"""The visit notices render in Korean and English and carry what the charter asks:
who comes (name, team, phone), why and when (SV1, SV3); the late notice (SV4); the
thanks (SV6); the reason for more work (MT2); the absence text with a rebook link (MT7)."""
from __future__ import annotations

import pytest
from django.utils import translation

from helpdesk.notifications.emails import email_build
from helpdesk.notifications.rendering import render_sms, render_subject, template_context
from tests.helpers.outbox import outbox
from tests.visits.helpers import START

pytestmark = pytest.mark.django_db

TEMPLATES = [
    "visit_proposed", "visit_confirmed", "visit_late_notice", "visit_thanks", "visit_follow_up", "visit_absent",
    "visit_cancelled", "visit_customer_proposed", "visit_customer_confirmed", "visit_prompt", "visit_late_no_notice",
]
SMS = {"visit_proposed", "visit_confirmed", "visit_late_notice", "visit_thanks", "visit_follow_up", "visit_absent",
       "visit_cancelled", "visit_prompt", "visit_late_no_notice"}
CONTEXT = {
    "ticket_number": "#42", "ticket_title": "PC가 켜지지 않습니다", "engineer_name": "박준호", "engineer_team": "업무지원팀",
    "engineer_phone": "010-1234-5678", "companion_name": "", "purpose": "PC 부팅 불량 점검",
    "start": START.isoformat(), "end": START.replace(hour=15).isoformat(), "customer_name": "김민수",
    "link": "/visits/7/", "new_arrival": START.replace(minute=30).isoformat(), "reason": "메인보드 부품 주문 필요",
    "note": "명함과 메모를 남겼습니다", "next_start": START.replace(day=12).isoformat(),
    "next_end": START.replace(day=12, hour=15).isoformat(), "visited_at": START.isoformat(),
}


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_visit_notice_renders_in_both_languages(name, language):
    with translation.override(language):
        ctx = template_context(CONTEXT, recipient_name="김민수")
        message = email_build(template=name, ctx=ctx, to="a@example.co.kr", key=f"{name}:x")
        subject = render_subject(name, ctx)
        sms = render_sms(name, ctx) if name in SMS else ""
    assert subject and "\n" not in subject and "#42" in subject
    assert "박준호" in message.body and "업무지원팀" in message.body
    assert "&quot;" not in message.body and "&#x27;" not in message.body
    assert f'lang="{language}"' in message.alternatives[0][0]
    if name in SMS:
        assert "#42" in sms and len(sms) < 400


def test_sv1_sv3_the_pre_visit_notice_says_who_why_and_when():
    with translation.override("ko"):
        ctx = template_context(CONTEXT)
        message = email_build(template="visit_confirmed", ctx=ctx, to="a@example.co.kr")
        sms = render_sms("visit_confirmed", ctx)
    for text in (message.body, message.alternatives[0][0], sms):
        assert "박준호" in text and "업무지원팀" in text and "010-1234-5678" in text
        assert "PC 부팅 불량 점검" in text
        assert "2026년 3월 10일 14:00" in text


def test_mt7_the_absence_text_has_the_engineers_phone_and_a_rebook_link(settings):
    settings.SITE_URL = "https://desk.example.co.kr"
    with translation.override("ko"):
        sms = render_sms("visit_absent", template_context(CONTEXT))
    assert "010-1234-5678" in sms and "https://desk.example.co.kr/visits/7/" in sms


def test_mt2_the_follow_up_tells_the_reason_and_the_next_time():
    with translation.override("ko"):
        ctx = template_context(CONTEXT)
        body = email_build(template="visit_follow_up", ctx=ctx, to="a@example.co.kr").body
        sms = render_sms("visit_follow_up", ctx)
    for text in (body, sms):
        assert "메인보드 부품 주문 필요" in text and "2026년 3월 12일 14:00" in text


def test_the_outbox_delivers_a_real_visit_notice(proposed, settings):
    from helpdesk.notifications.services import notification_deliver
    from helpdesk.notifications.sms import LocMemSMSBackend

    settings.SMS_BACKEND = "helpdesk.notifications.sms.LocMemSMSBackend"
    LocMemSMSBackend.outbox.clear()
    sms = outbox(template="visit_proposed", channel="sms").get()
    assert notification_deliver(notification_id=sms.pk)
    [sent] = LocMemSMSBackend.outbox
    assert sent["to"] == "01055551234" and "PC 부팅 불량 점검" in sent["text"] and f"/visits/{proposed.pk}/" in sent["text"]
    LocMemSMSBackend.outbox.clear()
