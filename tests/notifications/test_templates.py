"""The real template sets: they render in both languages, say what the charter asks, and survive missing keys."""
from __future__ import annotations

import pytest
import time_machine
from django.utils import translation

from helpdesk.notifications.emails import email_build
from helpdesk.notifications.rendering import render_sms, render_subject, template_context
from helpdesk.notifications.templatetags.notification_tags import notice_datetime, overdue_by
from tests.helpers.clock import kst
from tests.notifications.helpers import DEADLINE_CONTEXT

TEMPLATES = ["generic", "deadline_warning", "delay_notice", "escalation", "breach"]


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("language", ["ko", "en"])
def test_every_template_renders_all_three_parts_and_sms(name, language):
    context = {**DEADLINE_CONTEXT, "subject": "제목", "body": "본문"}
    with translation.override(language):
        ctx = template_context(context, recipient_name="김민수")
        message = email_build(template=name, ctx=ctx, to="a@example.co.kr", key=f"{name}:x")
        sms = render_sms(name, ctx)
    assert message.subject and "\n" not in message.subject
    assert message.body.strip()
    assert f'lang="{language}"' in message.alternatives[0][0]
    assert sms.strip()
    # Plain text is not HTML-escaped; HTML is.
    assert "&quot;" not in message.body and "&#x27;" not in message.body


@pytest.mark.parametrize("name", TEMPLATES)
def test_templates_survive_a_context_with_missing_keys(name):
    with translation.override("ko"):
        ctx = template_context({})
        email_build(template=name, ctx=ctx, to="a@example.co.kr")
        render_sms(name, ctx)


def test_links_are_absolute_with_site_url(settings):
    settings.SITE_URL = "https://desk.example.co.kr/"
    ctx = template_context({"link": "/my/tickets/7/"})
    assert ctx["link"] == "https://desk.example.co.kr/my/tickets/7/"
    assert template_context({"link": "https://elsewhere.example/x"})["link"] == "https://elsewhere.example/x"


def test_delay_notice_tells_the_customer_the_reason_the_new_date_and_the_handler_sv3():
    with translation.override("ko"):
        ctx = template_context(DEADLINE_CONTEXT)
        message = email_build(template="delay_notice", ctx=ctx, to="a@example.co.kr")
        sms = render_sms("delay_notice", ctx)
    for text in (message.body, message.alternatives[0][0], sms):
        assert "부품 입고 지연" in text  # the reason (MT1)
        assert "2026년 12월 3일 17:00" in text  # the new expected date, Seoul time, Korean style
        assert "박준호" in text and "010-1234-5678" in text  # the handler and their phone (SV3)
    assert "업무지원팀" in message.body
    assert "Dear customer" in message.body or "고객" in message.body


def test_dates_are_shown_in_seoul_time_in_each_languages_style():
    utc_value = "2026-12-01T05:00:00Z"  # 14:00 in Seoul
    with translation.override("ko"):
        assert notice_datetime(utc_value) == "2026년 12월 1일 14:00"
        assert notice_datetime("2026-12-01") == "2026년 12월 1일"
    with translation.override("en"):
        assert notice_datetime(utc_value) == "1 December 2026, 14:00"
    assert notice_datetime("not a date") == "not a date"
    assert notice_datetime("") == ""


def test_escalation_says_how_late_the_work_is():
    with time_machine.travel(kst(2026, 12, 1, 17, 30), tick=False):
        with translation.override("en"):
            assert overdue_by("2026-12-01T14:00:00+09:00") == "3\xa0hours, 30\xa0minutes"
        with translation.override("ko"):
            assert overdue_by("2026-12-01T14:00:00+09:00") == "3시간 30분"
        assert overdue_by("2026-12-01T18:00:00+09:00") == ""
        with translation.override("en"):
            ctx = template_context({**DEADLINE_CONTEXT, "level": 2})
            message = email_build(template="escalation", ctx=ctx, to="lead@example.co.kr")
    assert message.subject.startswith("Escalation level 2: #42")
    assert "passed 3\xa0hours, 30\xa0minutes ago" in message.body


def test_in_app_text_is_the_subject_on_one_line():
    with translation.override("en"):
        subject = render_subject("deadline_warning", template_context(DEADLINE_CONTEXT))
    assert subject == "Deadline approaching: #42 PC가 켜지지 않습니다"
