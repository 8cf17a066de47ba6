"""The one way a moment is written for people and for stored data.

People read moments in the site's zone (Seoul), as "2026-03-03 14:00" (or
"14:00" where the day is plain from the page); a timeline event or a
notification's context stores them as ISO 8601 strings, "" when there is none.
"""
from __future__ import annotations

from datetime import datetime

from django.utils import timezone

LOCAL_TEXT = "%Y-%m-%d %H:%M"
LOCAL_HM = "%H:%M"
LOCAL_SHORT = "%m-%d %H:%M"


def local_text(moment: datetime | None) -> str:
    """"YYYY-MM-DD HH:MM" in the local zone; "" when there is no moment."""
    return timezone.localtime(moment).strftime(LOCAL_TEXT) if moment else ""


def local_hm(moment: datetime | None) -> str:
    """"HH:MM" in the local zone; "" when there is no moment."""
    return timezone.localtime(moment).strftime(LOCAL_HM) if moment else ""


def local_short(moment: datetime | None) -> str:
    """"MM-DD HH:MM" in the local zone, where the year is plain (a phone's work list)."""
    return timezone.localtime(moment).strftime(LOCAL_SHORT) if moment else ""


def iso_or_empty(moment: datetime | None) -> str:
    """The moment as ISO 8601 for JSON data (events, notices); "" when there is none."""
    return moment.isoformat() if moment else ""
