from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.imports.admin_flow import DirectoryImportMixin

from .fault_categories import name_key
from .models import Asset, Attachment, Comment, FaultCategory, SymptomQuestion, Ticket, TicketEvent


@admin.register(Asset)
class AssetAdmin(DirectoryImportMixin, admin.ModelAdmin):
    # CSV or Excel from the asset register (tickets.imports).
    import_kind_name = "assets"
    list_display = ["tag", "asset_type", "model_name", "owner", "department", "location"]
    list_filter = ["asset_type"]
    search_fields = ["tag", "serial", "model_name"]
    autocomplete_fields = ["owner"]
    list_select_related = ["owner", "department"]


class SymptomQuestionInline(admin.TabularInline):
    model = SymptomQuestion
    extra = 1
    fields = ["order", "text", "text_en", "answer_type", "choices", "required"]


class FaultCategoryForm(forms.ModelForm):
    class Meta:
        model = FaultCategory
        fields = ["asset_type", "name", "name_en", "code", "order", "active"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        asset_type, name = cleaned.get("asset_type"), cleaned.get("name")
        if cleaned.get("active") and asset_type and name:
            # One name per kind of equipment: customers pick from this list (the review's rule).
            others = FaultCategory.objects.filter(asset_type=asset_type, active=True).exclude(pk=self.instance.pk)
            same = next((c for c in others.only("name") if name_key(c.name) == name_key(name)), None)
            if same is not None:
                self.add_error(
                    "name",
                    _("%(name)s is already a fault category for this equipment; edit that one, or switch it off first.")
                    % {"name": same.name},
                )
        return cleaned


@admin.register(FaultCategory)
class FaultCategoryAdmin(admin.ModelAdmin):
    form = FaultCategoryForm
    list_display = ["name", "name_en", "asset_type", "code", "active", "order"]
    # `active` on the edit page only, where the duplicate check runs.
    list_editable = ["order"]
    list_filter = ["asset_type", "active"]
    search_fields = ["name", "name_en", "code"]
    ordering = ["asset_type", "order", "name"]
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
