"""Clause codes on staff screens: only ever a small link to the clause, never a label.

Staff read a screen by its words ("처리기한", "지연 안내"); the charter's clause
code (MT1, PH3…) is for whoever wants to check which promise a screen keeps, so
it sits beside the words as a quiet link to that clause on the charter page.
"""
from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def clause_ref(code: str) -> SafeString:
    """`{% clause_ref "MT1" %}` → a small muted link to #clause-MT1 on the charter page."""
    code = str(code)
    return format_html(
        '<a class="clause-ref small text-muted text-decoration-none" href="{}#clause-{}" title="{}">{}</a>',
        reverse("charter:charter"),
        code,
        _("Customer service charter, clause %(code)s") % {"code": code},
        code,
    )
