from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import ChecklistItem, ChecklistTemplate, Visit, VisitAttachment, VisitChecklistEntry, VisitEvent
from .services import checklist_template_new_version, checklist_template_register


def _in_use(template: ChecklistTemplate | None) -> bool:
    return template is not None and template.pk is not None and template.visits.exists()


class ChecklistItemInline(admin.TabularInline):
    model = ChecklistItem
    extra = 1
    fields = ["order", "text", "text_en", "note_rule"]

    # A version a visit has used is history: its items are read-only (MT6).
    def has_change_permission(self, request: HttpRequest, obj: ChecklistTemplate | None = None) -> bool:
        return not _in_use(obj) and super().has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: ChecklistTemplate | None = None) -> bool:
        return not _in_use(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ChecklistTemplate | None = None) -> bool:
        return not _in_use(obj) and super().has_delete_permission(request, obj)


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    """Checklists per asset type. To change one that visits have used, make a new
    version (the action below): the copy becomes current and is editable, and
    visits already under way keep the version they started with."""

    list_display = ["name", "asset_type", "version", "is_current", "created_at"]
    list_filter = ["asset_type", "is_current"]
    inlines = [ChecklistItemInline]
    actions = ["make_new_version"]

    def get_readonly_fields(self, request: HttpRequest, obj: ChecklistTemplate | None = None) -> list[str]:
        if _in_use(obj):
            return ["asset_type", "name", "name_en", "version", "is_current"]
        # Which version is current is decided by the new-version action, not typed.
        return ["version", "is_current"]

    def save_model(self, request: HttpRequest, obj: ChecklistTemplate, form: object, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
        else:
            checklist_template_register(template=obj)

    def has_delete_permission(self, request: HttpRequest, obj: ChecklistTemplate | None = None) -> bool:
        return not _in_use(obj) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Make a new version to edit (visits keep theirs)"))
    def make_new_version(self, request: HttpRequest, queryset: QuerySet[ChecklistTemplate]) -> None:
        made = [checklist_template_new_version(template=t) for t in queryset]
        self.message_user(
            request,
            ngettext("%(n)d new version made.", "%(n)d new versions made.", len(made)) % {"n": len(made)},
            messages.SUCCESS,
        )


class VisitEventInline(admin.TabularInline):
    model = VisitEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "is_public", "data"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Visit | None = None) -> bool:
        return False


class VisitChecklistEntryInline(admin.TabularInline):
    model = VisitChecklistEntry
    extra = 0
    fields = ["item", "mark", "note", "marked_at", "marked_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Visit | None = None) -> bool:
        return False


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    # Visits change only through the services (each change is audited), so the
    # admin shows them read-only, like tickets.
    list_display = [
        "pk",
        "ticket",
        "engineer",
        "state",
        "outcome",
        "agreed_start",
        "punctuality_minutes",
        "late_without_notice",
    ]
    list_filter = ["state", "outcome", "late_without_notice"]
    search_fields = ["=id", "=ticket__id", "purpose"]
    list_select_related = ["ticket", "engineer"]
    show_full_result_count = False
    raw_id_fields = ["ticket", "engineer", "companion", "confirmed_by", "previous_visit", "created_by"]
    inlines = [VisitChecklistEntryInline, VisitEventInline]

    def has_change_permission(self, request: HttpRequest, obj: Visit | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(VisitAttachment)
class VisitAttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "visit", "size", "content_type", "created_at"]
    raw_id_fields = ["visit", "uploaded_by"]


@admin.register(VisitEvent)
class VisitEventAdmin(admin.ModelAdmin):
    list_display = ["visit", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["visit", "actor"]

    def has_change_permission(self, request: HttpRequest, obj: VisitEvent | None = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
