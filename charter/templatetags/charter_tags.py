"""The charter's template filters (the ticket pages' panels are in charter.panels)."""
from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

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
