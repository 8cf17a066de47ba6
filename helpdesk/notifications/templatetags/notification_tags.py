"""Filters for notification templates and the navbar bell."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language

from helpdesk.accounts.phones import phone_format

from ..selectors import unread_count

register = template.Library()

# Dates in messages read the way each language writes them: Korean
# "2026년 12월 1일 14:00", English "1 December 2026, 14:00".
_DATETIME_FORMATS = {"ko": "Y년 n월 j일 H:i", "en": "j F Y, H:i"}
_DATE_FORMATS = {"ko": "Y년 n월 j일", "en": "j F Y"}


@register.filter
def as_datetime(value: object) -> datetime | date | None:
    """An ISO string from a notification's context as an aware datetime (or a date)."""
    if isinstance(value, datetime | date):
        return value
    if not value:
        return None
    text = str(value).strip()
    if len(text) == 10:  # a bare date: parse_datetime would read it as midnight
        return parse_date(text)
    parsed = parse_datetime(text)
    if parsed is not None:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed, ZoneInfo(settings.TIME_ZONE))
        return parsed
    return parse_date(text)


@register.filter
def notice_datetime(value: object) -> str:
    """Seoul time in the active language's style; a bare date shows as a date."""
    moment = as_datetime(value)
    if moment is None:
        return str(value or "")
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    if isinstance(moment, datetime):
        local = timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))
        return date_format(local, _DATETIME_FORMATS.get(language, _DATETIME_FORMATS["en"]))
    return date_format(moment, _DATE_FORMATS.get(language, _DATE_FORMATS["en"]))


@register.filter
def phone(value: object) -> str:
    return phone_format(str(value)) if value else ""


@register.simple_tag(takes_context=True)
def unread_notifications_count(context: template.Context) -> int:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    return unread_count(user) if user is not None else 0


@register.inclusion_tag("notifications/_bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, object]:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    return {"unread": unread_count(user) if user is not None else 0, "user": user}


@register.filter
def overdue_by(value: object) -> str:
    """How long ago a deadline passed ("3시간 30분", "3 hours, 30 minutes"), or "" while it has not."""
    from helpdesk.core.korean import duration_text

    moment = as_datetime(value)
    if not isinstance(moment, datetime):
        return ""
    now = timezone.now()
    if now <= moment:
        return ""
    return duration_text(now - moment)
