from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    CallbackMemo,
    CallTransfer,
    Consent,
    Diagnosis,
    IdentityCheck,
    PhoneCall,
    TeamAssetType,
    WalkIn,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the services write (each with its timeline event and notices):
    the admin shows them, and changing them by hand would bypass both."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CallTransferInline(admin.TabularInline):
    model = CallTransfer
    extra = 0
    fields = ["at", "from_user", "to_user", "asked_for", "topic"]
    readonly_fields = fields
    can_delete = False


@admin.register(PhoneCall)
class PhoneCallAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "agent", "rings", "seconds_to_answer", "answered_in_time", "caller_name", "source", "ticket"]
    list_filter = ["answered_in_time", "source"]
    search_fields = ["caller_name", "external_id", "=ticket__id"]
    list_select_related = ["agent", "ticket"]
    date_hierarchy = "received_at"
    inlines = [CallTransferInline]


@admin.register(CallbackMemo)
class CallbackMemoAdmin(ReadOnlyAdmin):
    list_display = ["taken_at", "caller_name", "department", "for_handler", "due_at", "reminded_at", "escalated_at", "closed_at"]
    list_filter = ["closed_at", "escalated_at"]
    search_fields = ["caller_name", "matter"]
    list_select_related = ["department", "for_handler"]
    date_hierarchy = "taken_at"


@admin.register(WalkIn)
class WalkInAdmin(ReadOnlyAdmin):
    list_display = ["arrived_at", "visitor_name", "department", "routed_to", "via_backup", "served_at", "wait_seconds"]
    list_filter = ["via_backup"]
    search_fields = ["visitor_name", "matter"]
    list_select_related = ["department", "routed_to"]
    date_hierarchy = "arrived_at"


@admin.register(IdentityCheck)
class IdentityCheckAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "method", "checked_by", "at", "detail"]
    list_filter = ["method"]
    search_fields = ["=ticket__id"]
    list_select_related = ["ticket", "checked_by"]


@admin.register(Diagnosis)
class DiagnosisAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "expected_minutes", "by", "at"]
    search_fields = ["=ticket__id", "findings"]
    list_select_related = ["ticket", "by"]


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "given_by", "how", "recorded_by", "at"]
    list_filter = ["how"]
    search_fields = ["=ticket__id", "given_by"]
    list_select_related = ["ticket", "recorded_by"]


@admin.register(TeamAssetType)
class TeamAssetTypeAdmin(admin.ModelAdmin):
    """OV1: which team handles which equipment (the directory's topics)."""

    list_display = ["team", "asset_type"]
    list_filter = ["asset_type", "team"]
    list_select_related = ["team"]
