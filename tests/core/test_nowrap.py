"""Dates never wrap mid-value on a phone, and the customer's card speaks one word: 처리기한."""
from __future__ import annotations

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from charter.services import delay_notice_file
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import open_ticket


def test_nowrap_filter_wraps_and_escapes():
    html = Template("{% load text_tags %}{{ v|nowrap }}|{{ empty|nowrap }}").render(
        Context({"v": "2026-03-04 <b>", "empty": ""})
    )
    assert html == '<span class="nowrap">2026-03-04 &lt;b&gt;</span>|'


def test_a_date_inside_a_translated_sentence_stays_whole():
    source = (
        '{% load i18n text_tags %}{% blocktranslate with when=t|date:"Y-m-d H:i"|nowrap %}'
        "Open until {{ when }}{% endblocktranslate %}"
    )
    with translation.override("ko"):
        html = Template(source).render(Context({"t": kst(2026, 3, 4, 15)}))
    assert html == '<span class="nowrap">2026-03-04 15:00</span>까지 응답 가능'


@pytest.mark.usefixtures("standard")
def test_customer_deadline_card_in_korean(org, engineer, customer, render_panel):
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=engineer)
    with time_machine.travel(kst(2026, 3, 4, 10), tick=False):
        delay_notice_file(ticket=ticket, actor=engineer, reason="부품 입고 지연", new_date=kst(2026, 3, 6, 18))
    ticket.refresh_from_db()
    with translation.override("ko"):
        html = render_panel("charter/_deadline_customer.html", ticket, customer)
    assert "처리기한" in html and "처리 예정일" not in html
    assert '<time class="nowrap" datetime=' in html
    assert (
        '<span class="nowrap">2026-03-04 10:00</span>에 새 처리기한을 안내해 드렸습니다: '
        '<span class="nowrap">2026-03-06 18:00</span>'
    ) in html
