from __future__ import annotations

from django.contrib import admin

from .models import Asset, Attachment, Comment, FaultCategory, SymptomQuestion, Ticket, TicketEvent


@admin.register(Asset)
class AssetAdmin(admin.ModelAdmin):
    list_display = ["tag", "asset_type", "model_name", "owner", "department", "location"]
    list_filter = ["asset_type"]
    search_fields = ["tag", "serial", "model_name"]
    autocomplete_fields = ["owner"]
    list_select_related = ["owner", "department"]


class SymptomQuestionInline(admin.TabularInline):
    model = SymptomQuestion
    extra = 1


@admin.register(FaultCategory)
class FaultCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "asset_type", "code", "active", "order"]
    list_filter = ["asset_type", "active"]
    inlines = [SymptomQuestionInline]


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "is_public", "data"]
    readonly_fields = fields
    can_delete = False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    # Tickets change only through the services (each change writes its timeline
    # event), so the admin shows them read-only.
    list_display = ["pk", "title", "kind", "status", "priority", "reporter_name", "team", "assignee", "created_at"]
    list_filter = ["status", "kind", "priority", "channel"]
    search_fields = ["=id", "title", "reporter_name"]
    list_select_related = ["team", "assignee"]
    show_full_result_count = False
    raw_id_fields = ["reporter", "asset", "assignee", "created_by"]
    inlines = [TicketEventInline]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["ticket", "author", "is_public", "created_at"]
    raw_id_fields = ["ticket", "author"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "ticket", "size", "content_type", "is_public", "created_at"]
    raw_id_fields = ["ticket", "uploaded_by"]
