"""Admin for the charter's records: delay notices, escalations and sweep runs are
read, never edited (what the customer was told and when stays as it was)."""
from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DelayNotice, Escalation, SweepRun


@admin.register(DelayNotice)
class DelayNoticeAdmin(admin.ModelAdmin):
    list_display = ("ticket", "filed_at", "filed_by", "old_deadline", "new_deadline", "was_late")
    list_filter = ("was_late",)
    list_select_related = ("ticket", "filed_by")
    raw_id_fields = ("ticket", "filed_by")
    date_hierarchy = "filed_at"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # What the customer was told is a record; it is not edited afterwards.
        return False


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("ticket", "kind", "level", "deadline_version", "due_at", "fired_at", "skipped")
    list_filter = ("kind", "skipped")
    list_select_related = ("ticket",)
    raw_id_fields = ("ticket",)
    date_hierarchy = "fired_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "finished_at", "due", "processed", "errors", "duration_ms")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
