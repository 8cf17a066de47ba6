"""Natural Korean in templates: `{% load korean_tags %}`.

- `{{ word|josa:"이/가" }}` appends the particle the word takes ("요청 #25가",
  "PC가", "서버가"), only while Korean is active: an English sentence never
  gets one. Inside `{% blocktranslate with subject=number|josa:"이/가" %}`
  the placeholder carries its particle, and the Korean message reads
  "{{ subject }} 접수되었습니다" with no "이(가)".
- `{{ moment|time_ago }}`: "3초 전", "2일 19시간 전" ("3 seconds ago" in English).
- `{{ span|duration }}`: "2일 19시간" ("2 days, 19 hours" in English).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django import template

from helpdesk.core import korean

register = template.Library()


@register.filter(is_safe=True)
def josa(word: object, pair: str) -> str:
    if word is None or word == "":
        return ""
    return korean.josa_if_korean(word, pair)


@register.filter
def time_ago(moment: datetime | None) -> str:
    return korean.time_ago(moment) if isinstance(moment, datetime) else ""


@register.filter
def duration(span: timedelta | None) -> str:
    return korean.duration_text(span) if isinstance(span, timedelta) else ""
