"""Text that must hold together on a narrow screen: `{% load text_tags %}`.

`{{ value|nowrap }}` wraps a value in `<span class="nowrap">` (charterdesk.css)
so a date or time never breaks mid-value ("12-/01 09:07" on a phone). Inside
`{% blocktranslate with when=moment|date:DATETIME|nowrap %}` the sentence
may wrap around the date, never through it.
"""
from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def nowrap(value: object) -> SafeString | str:
    if value is None or value == "":
        return ""
    return format_html('<span class="nowrap">{}</span>', value)
