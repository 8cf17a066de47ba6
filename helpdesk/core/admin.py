from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import BeatLease, BeatProcess, TaskRun


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    list_display = ("task", "started_at", "finished_at", "ok", "result", "duration_ms", "error")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows written by beat itself: shown to operators, changed by no one."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(BeatLease)
class BeatLeaseAdmin(ReadOnlyAdmin):
    list_display = ("name", "holder", "acquired_at", "expires_at")


@admin.register(BeatProcess)
class BeatProcessAdmin(ReadOnlyAdmin):
    list_display = ("ident", "host", "pid", "role", "started_at", "last_seen")
    list_filter = ("role",)
