"""`{% clause_ref %}`: a clause code on a staff screen is a small link to the clause, never a label."""
from __future__ import annotations

from django.template import Context, Template
from django.urls import reverse


def render(source: str, **context: object) -> str:
    return Template("{% load clause_tags %}" + source).render(Context(context))


def test_clause_ref_links_to_the_clause_on_the_charter_page():
    html = render('{% clause_ref "MT1" %}')
    assert html == (
        '<a class="clause-ref small text-muted text-decoration-none" '
        f'href="{reverse("charter:charter")}#clause-MT1" '
        'title="Customer service charter, clause MT1">MT1</a>'
    )


def test_clause_ref_takes_a_variable_and_escapes_it():
    html = render("{% clause_ref code %}", code='PH3"><script>')
    assert "<script>" not in html
    assert 'href="/charter/#clause-PH3&quot;&gt;&lt;script&gt;"' in html
