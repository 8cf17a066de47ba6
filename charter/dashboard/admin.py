"""Admin for the repeat-fault records (MT5). Imported by CharterConfig.ready so
charter/admin.py needs no change; read-mostly, since the services write them."""
from __future__ import annotations

from django.contrib import admin

from ..models import RepeatFault, RepeatFaultTicket, RootCause


class RepeatFaultTicketInline(admin.TabularInline):
    model = RepeatFaultTicket
    extra = 0
    raw_id_fields = ["ticket"]
    readonly_fields = ["occurrence", "added_at"]


@admin.register(RepeatFault)
class RepeatFaultAdmin(admin.ModelAdmin):
    list_display = ["asset", "category", "team", "occurrence_count", "state", "last_occurrence_at", "escalated_at"]
    list_filter = ["state", "team"]
    search_fields = ["asset__tag"]
    list_select_related = ["asset", "category", "team"]
    raw_id_fields = ["asset"]
    date_hierarchy = "last_occurrence_at"
    inlines = [RepeatFaultTicketInline]


@admin.register(RootCause)
class RootCauseAdmin(admin.ModelAdmin):
    list_display = ["ticket", "recorded_by", "recorded_at"]
    search_fields = ["cause", "action_taken", "prevention"]
    raw_id_fields = ["ticket", "repeat_fault"]
    list_select_related = ["ticket", "recorded_by"]
