"""Rendering a notification's text in the recipient's language.

Templates live in three folders: templates/emails/<name>-subject.txt,
<name>-body-text.txt and <name>-body-html.html (as in healthchecks);
templates/sms/<name>.txt; in-app notifications use the e-mail subject.
"""
from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import get_language

_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n{3,}")


def absolute_url(link: str) -> str:
    """E-mail and SMS have no request to build links from: prefix SITE_URL to a path."""
    if link.startswith("/"):
        return settings.SITE_URL.rstrip("/") + link
    return link


def template_context(context: dict[str, Any], *, recipient_name: str = "") -> dict[str, Any]:
    """The row's context plus what every template may use; call it inside translation.override."""
    ctx: dict[str, Any] = {
        "site_url": settings.SITE_URL.rstrip("/"),
        "recipient_name": recipient_name,
        # CT1: every message says whom to contact.
        "service_contact": {
            "name": getattr(settings, "SERVICE_CONTACT_NAME_EN", "")
            if get_language() == "en"
            else getattr(settings, "SERVICE_CONTACT_NAME", ""),
            "phone": getattr(settings, "SERVICE_CONTACT_PHONE", ""),
            "email": getattr(settings, "SERVICE_CONTACT_EMAIL", ""),
        },
    }
    ctx.update(context or {})
    if ctx.get("link"):
        ctx["link"] = absolute_url(str(ctx["link"]))
    return ctx


def render_subject(template: str, ctx: dict[str, Any]) -> str:
    # A subject is one line, whatever the template's line breaks.
    return _SPACES.sub(" ", render_to_string(f"emails/{template}-subject.txt", ctx)).strip()[:255]


def render_text(path: str, ctx: dict[str, Any]) -> str:
    text = render_to_string(path, ctx)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines))


def render_sms(template: str, ctx: dict[str, Any]) -> str:
    return render_text(f"sms/{template}.txt", ctx)
