"""`{% nav_url 'name' %}`: the address of a page without arguments, reversed once
per process (base.html's menus name 34 of them on every page: as `{% url %}`
they cost about a millisecond of every page's time)."""
from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

register = template.Library()

# (urlconf, script prefix, language, name) -> address; all four can change what reverse() answers.
_found: dict[tuple[object, str, str | None, str], str] = {}


@register.simple_tag
def nav_url(name: str) -> str:
    key = (get_urlconf(), get_script_prefix(), get_language(), name)
    url = _found.get(key)
    if url is None:
        url = _found[key] = reverse(name)
    return url
