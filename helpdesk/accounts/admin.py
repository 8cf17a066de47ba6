from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .imports.admin_flow import DirectoryImportMixin
from .models import Absence, Department, Division, Position, Team, User


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Department)
class DepartmentAdmin(DirectoryImportMixin, admin.ModelAdmin):
    import_kind_name = "departments"
    list_display = ["name", "code", "division"]
    list_filter = ["division"]
    search_fields = ["name", "code"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "department", "lead", "handles_tickets"]
    list_filter = ["handles_tickets", "department"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["lead"]
    filter_horizontal = ["served_departments"]


@admin.register(Position)
class PositionAdmin(DirectoryImportMixin, admin.ModelAdmin):
    import_kind_name = "positions"
    list_display = ["name", "name_en", "rank", "is_vip"]

    @admin.display(boolean=True, description=_("VIP"))
    def is_vip(self, obj: Position) -> bool:
        return obj.is_vip


@admin.register(User)
class UserAdmin(DirectoryImportMixin, BaseUserAdmin):
    import_kind_name = "people"
    list_display = ["username", "display_name", "employee_no", "department", "team", "position", "is_active"]
    list_filter = ["groups", "department__division", "is_active"]
    search_fields = ["username", "employee_no", "last_name", "first_name", "email", "phone", "office_phone"]
    list_select_related = ["department", "team", "position"]
    fieldsets = BaseUserAdmin.fieldsets + (
        (
            _("Organisation"),
            {"fields": ("employee_no", "department", "team", "position", "phone", "office_phone", "language")},
        ),
    )


@admin.register(Absence)
class AbsenceAdmin(admin.ModelAdmin):
    list_display = ["user", "backup", "starts_at", "ends_at", "reason"]
    autocomplete_fields = ["user", "backup"]
    date_hierarchy = "starts_at"
