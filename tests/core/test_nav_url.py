"""`{% nav_url %}` (helpdesk/core/templatetags/nav_tags.py) answers what `{% url %}` does,
for each language and script prefix, and reverses each name once."""
from __future__ import annotations

from unittest import mock

from django.template import engines
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from helpdesk.core.templatetags import nav_tags


def draw(text: str) -> str:
    return engines["django"].from_string("{% load nav_tags %}" + text).render({})


def test_it_answers_as_url_does():
    for name in ("staff:queue", "portal:ticket_list", "charter:dashboard:index", "login"):
        assert draw(f"{{% nav_url '{name}' %}}") == draw(f"{{% url '{name}' %}}") == reverse(name)


def test_a_script_prefix_is_part_of_the_answer():
    set_script_prefix("/helpdesk/")
    try:
        assert draw("{% nav_url 'staff:queue' %}").startswith("/helpdesk/")
    finally:
        clear_script_prefix()
    assert not draw("{% nav_url 'staff:queue' %}").startswith("/helpdesk/")


def test_each_name_is_reversed_once():
    nav_tags._found.clear()
    with mock.patch.object(nav_tags, "reverse", wraps=reverse) as reversing, translation.override("ko"):
        draw("{% nav_url 'staff:queue' %}{% nav_url 'staff:queue' %}")
        draw("{% nav_url 'staff:queue' %}")
    assert reversing.call_count == 1
