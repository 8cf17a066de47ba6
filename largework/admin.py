from __future__ import annotations

from django.contrib import admin

from .models import (
    CompletionReport,
    PlanDecision,
    PlanMessage,
    PlanVersion,
    PlanWindow,
    ReportAttachment,
    WorkPlan,
)


class VersionInline(admin.TabularInline):
    model = PlanVersion
    extra = 0
    fields = ("number", "state", "title", "seats", "submitted_at")
    readonly_fields = fields
    show_change_link = True


@admin.register(WorkPlan)
class WorkPlanAdmin(admin.ModelAdmin):
    list_display = ("ticket", "state", "owner", "contact", "supervising_department", "report_due_at")
    list_filter = ("state", "supervising_department")
    list_select_related = ("ticket", "owner", "contact", "supervising_department")
    raw_id_fields = ("ticket", "owner", "contact", "current")
    inlines = [VersionInline]


class WindowInline(admin.TabularInline):
    model = PlanWindow
    extra = 0


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "state", "title", "submitted_at")
    list_filter = ("state",)
    raw_id_fields = ("plan", "created_by")
    inlines = [WindowInline]


@admin.register(PlanDecision)
class PlanDecisionAdmin(admin.ModelAdmin):
    list_display = ("version", "decision", "decided_by", "decided_at")
    list_filter = ("decision",)
    raw_id_fields = ("version", "decided_by")

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        # A decision is a record of who decided what, and when.
        return False


@admin.register(PlanMessage)
class PlanMessageAdmin(admin.ModelAdmin):
    list_display = ("plan", "author", "created_at")
    raw_id_fields = ("plan", "author")


class AttachmentInline(admin.TabularInline):
    model = ReportAttachment
    extra = 0


@admin.register(CompletionReport)
class CompletionReportAdmin(admin.ModelAdmin):
    list_display = ("plan", "submitted_by", "submitted_at", "due_at")
    raw_id_fields = ("plan", "submitted_by")
    inlines = [AttachmentInline]
