"""Natural Korean: particles chosen by the word before them, "3초 전", "2일 19시간"."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.template import Context, Template
from django.utils import translation

from helpdesk.core.korean import duration_text, josa, josa_if_korean, particle, time_ago
from tests.helpers.clock import NOW


@pytest.mark.parametrize(
    ("word", "subject", "object_", "topic", "with_", "towards"),
    [
        ("서버", "서버가", "서버를", "서버는", "서버와", "서버로"),  # no final consonant
        ("요청", "요청이", "요청을", "요청은", "요청과", "요청으로"),  # final ㅇ
        ("서울", "서울이", "서울을", "서울은", "서울과", "서울로"),  # final ㄹ: 로, not 으로
        ("요청 #25", "요청 #25가", "요청 #25를", "요청 #25는", "요청 #25와", "요청 #25로"),  # 이십오
        ("1", "1이", "1을", "1은", "1과", "1로"),  # 일: ㄹ
        ("3", "3이", "3을", "3은", "3과", "3으로"),  # 삼
        ("10", "10이", "10을", "10은", "10과", "10으로"),  # 십
        ("1,000", "1,000이", "1,000을", "1,000은", "1,000과", "1,000으로"),  # 천
        ("3.5", "3.5가", "3.5를", "3.5는", "3.5와", "3.5로"),  # 삼 점 오
        ("PC", "PC가", "PC를", "PC는", "PC와", "PC로"),  # 피씨
        ("노트북 LAN", "노트북 LAN이", "노트북 LAN을", "노트북 LAN은", "노트북 LAN과", "노트북 LAN으로"),  # 엔
        ("HTML", "HTML이", "HTML을", "HTML은", "HTML과", "HTML로"),  # 엘
        ("Outlook", "Outlook이", "Outlook을", "Outlook은", "Outlook과", "Outlook으로"),  # 아웃룩
        ("Windows", "Windows가", "Windows를", "Windows는", "Windows와", "Windows로"),  # 윈도우즈
        ('"모니터 깜빡임"', '"모니터 깜빡임"이', '"모니터 깜빡임"을', '"모니터 깜빡임"은',
         '"모니터 깜빡임"과', '"모니터 깜빡임"으로'),  # the quote is skipped
    ],
)
def test_particles_follow_how_the_word_is_read(word, subject, object_, topic, with_, towards):
    assert josa(word, "이/가") == subject
    assert josa(word, "을/를") == object_
    assert josa(word, "은/는") == topic
    assert josa(word, "와/과") == with_
    assert josa(word, "으로/로") == towards


def test_pairs_are_accepted_in_either_order():
    assert particle("요청", "가/이") == "이" and particle("서버", "로/으로") == "로"


def test_an_unreadable_word_keeps_the_hedged_form():
    assert josa("漢字", "이/가") == "漢字이(가)"
    assert josa("", "으로/로") == "(으)로"


def test_an_unknown_pair_is_a_programming_error():
    with pytest.raises(ValueError):
        particle("요청", "에게/께")


def test_the_particle_is_added_only_while_korean_is_active():
    with translation.override("ko"):
        assert josa_if_korean("요청 #25", "이/가") == "요청 #25가"
    with translation.override("en"):
        assert josa_if_korean("요청 #25", "이/가") == "요청 #25"


def render(source: str, language: str, **context: object) -> str:
    with translation.override(language):
        return Template("{% load korean_tags %}" + source).render(Context(context))


def test_josa_filter_in_a_template():
    assert render('{{ n|josa:"이/가" }} 접수되었습니다.', "ko", n="#25") == "#25가 접수되었습니다."
    assert render('{{ n|josa:"이/가" }}', "en", n="#25") == "#25"
    assert render('{{ n|josa:"을/를" }}', "ko", n="<b>") == "&lt;b&gt;를"  # still escaped


@pytest.mark.parametrize(
    ("ago", "korean", "english"),
    [
        (timedelta(0), "방금", "now"),
        (timedelta(seconds=3), "3초 전", "3\xa0seconds ago"),
        (timedelta(minutes=5, seconds=3), "5분 전", "5\xa0minutes ago"),
        (timedelta(hours=3, minutes=30), "3시간 전", "3\xa0hours ago"),
        (timedelta(days=2, hours=19, minutes=4), "2일 19시간 전", "2\xa0days, 19\xa0hours ago"),
        (-timedelta(minutes=5), "5분 후", "5\xa0minutes from now"),
    ],
)
def test_time_ago_in_korean_and_english(ago, korean, english):
    with time_machine.travel(NOW, tick=False):
        assert render("{{ t|time_ago }}", "ko", t=NOW - ago) == korean
        assert render("{{ t|time_ago }}", "en", t=NOW - ago) == english


def test_durations_in_korean_and_english():
    span = timedelta(days=2, hours=19, minutes=30)
    with translation.override("ko"):
        assert duration_text(span) == "2일 19시간"
        assert duration_text(timedelta(hours=3, minutes=20)) == "3시간 20분"
        assert duration_text(timedelta(days=1, minutes=20)) == "1일"  # only adjacent units
        assert duration_text(timedelta(seconds=42)) == "42초"
        assert duration_text(-span) == "2일 19시간"  # sign dropped
    with translation.override("en"):
        assert duration_text(span) == "2\xa0days, 19\xa0hours"
    assert render("{{ s|duration }}", "ko", s=span) == "2일 19시간"
    assert render("{{ s|duration }}", "ko", s=None) == ""


def test_time_ago_with_an_explicit_clock():
    with translation.override("ko"):
        assert time_ago(NOW - timedelta(seconds=59), now=NOW) == "59초 전"
        assert time_ago(NOW - timedelta(seconds=60), now=NOW) == "1분 전"
        assert time_ago(NOW - timedelta(hours=23, minutes=59), now=NOW) == "23시간 전"
        assert time_ago(NOW - timedelta(days=1), now=NOW) == "1일 전"
