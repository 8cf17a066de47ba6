"""Folding the staff ticket page on a phone: each section opens on tap.

The panels other apps add (tickets.panels) arrive as finished HTML; to fold one
without changing it, its summary line takes the text of the panel's own first
heading, and the fold takes the panel's id (`fold-<id>`), so a link to the panel
(`#deadline-panel`) finds the fold it sits in. Plain string work, no query.
"""
from __future__ import annotations

import re

from django import template
from django.utils.html import strip_tags

register = template.Library()

_HEADING = re.compile(r"<h2\b[^>]*>(.*?)</h2>", re.DOTALL | re.IGNORECASE)
# A clause code is only ever a link (helpdesk.core clause_ref); a summary line cannot hold one.
_CLAUSE_LINK = re.compile(r"<a\b[^>]*\bclause-ref\b[^>]*>.*?</a>", re.DOTALL | re.IGNORECASE)
_ID = re.compile(r"""\bid=["']([^"']+)["']""")


@register.filter
def panel_title(html: object) -> str:
    """The text of the panel's first h2 ("" when it has none: it is then shown unfolded)."""
    match = _HEADING.search(str(html))
    return " ".join(strip_tags(_CLAUSE_LINK.sub("", match.group(1))).split()) if match else ""


@register.filter
def panel_id(html: object) -> str:
    """The id of the panel's outermost element that has one ("" when none does)."""
    match = _ID.search(str(html))
    return match.group(1) if match else ""
