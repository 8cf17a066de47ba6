"""The desk's filters, and its panels on the desk's own pages (other apps'
pages get them through tickets.panels, see desk.panels)."""
from __future__ import annotations

from typing import Any

from django import template
from django.template.context import Context
from django.utils import timezone

from ..panels import customer_panel_context, staff_panel_context
from ..presenters import duration_text, wait_text

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    return duration_text(minutes)


@register.filter
def wait(seconds: int | float | None) -> str:
    return wait_text(seconds)


@register.filter
def waited_since(moment: Any) -> str:
    if not moment:
        return ""
    return wait_text((timezone.now() - moment).total_seconds())


@register.inclusion_tag("desk/_staff_panel.html", takes_context=True)
def desk_staff_panel(context: Context, ticket: Any, bound: dict[str, Any] | None = None) -> dict[str, Any]:
    """The gates panel on the desk's own gates page, with a failed form kept (`bound`)."""
    request = context["request"]
    return {"ticket": ticket, **staff_panel_context(request, ticket, bound), "csrf_token": context.get("csrf_token"), "request": request}


@register.inclusion_tag("desk/_customer_panel.html", takes_context=True)
def desk_customer_panel(context: Context, ticket: Any) -> dict[str, Any]:
    """The estimate and "I agree" on the desk's own consent page."""
    request = context["request"]
    panel = customer_panel_context(request, ticket)
    if panel is None:
        return {"show": False}
    return {"ticket": ticket, **panel, "csrf_token": context.get("csrf_token"), "request": request}
