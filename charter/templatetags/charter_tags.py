"""Deadline panels for the ticket pages, so those views need no changes:

    {% load charter_tags %}
    {% deadline_panel ticket user %}     staff ticket page (includes the delay-notice form)
    {% deadline_customer ticket %}       customer's ticket page
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import template
from django.utils.translation import gettext as _

from ..forms import DelayNoticeForm
from ..selectors import deadline_view

register = template.Library()


@register.filter
def business_duration(value: timedelta | None) -> str:
    """A span of business time as people say it: '3 h 20 min' (sign dropped)."""
    if value is None:
        return ""
    seconds = abs(int(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        return _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)s h") % {"hours": hours}
    return _("%(minutes)s min") % {"minutes": minutes}


@register.inclusion_tag("charter/_deadline_panel.html", takes_context=True)
def deadline_panel(context: template.Context, ticket: Any, user: Any, form: DelayNoticeForm | None = None) -> dict[str, Any]:
    form = form or context.get("delay_notice_form") or DelayNoticeForm()
    return {
        "view": deadline_view(ticket),
        "ticket": ticket,
        "form": form,
        "can_file": ticket.is_open and user.has_perm("tickets.work_ticket"),
        "failed": form.is_bound,
        "request": context.get("request"),
    }


@register.inclusion_tag("charter/_deadline_customer.html")
def deadline_customer(ticket: Any) -> dict[str, Any]:
    return {"view": deadline_view(ticket), "ticket": ticket}
