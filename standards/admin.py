"""Admin for the service standards (P5): edited here, with history, and checked.

Single-row rules are in the models' `clean()`; rules across rows (the ladder
climbs in order, every ticket finds a target) are checked by the inline
formsets below on what the admin typed, so nothing inconsistent is saved.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from helpdesk.core.errors import ActionRefused
from helpdesk.core.input_bounds import MAX_ID, STANDARDS, date_validator, number_at_most

from .models import ClosureDay, EscalationLevel, OpenDay, ResolutionTarget, StandardVersion
from .selectors import standards_changed
from .services import standard_activate, standard_copy
from .validation import LevelData, TargetData, ladder_problems, target_problems

# Every number a standard holds, bounded above (helpdesk.core.input_bounds):
# the deadlines are walked on the business calendar, which refuses to walk more
# than a few years, so a target of 99,999 hours must be a message here, not a
# ticket that cannot be opened. The lower bounds are the models' (clean() says
# them in the charter's words; positive fields refuse negatives).
MAX_TARGET_HOURS = Decimal(2000)  # about a year of business days
NUMBER_MAXIMA: dict[str, int | Decimal] = {
    "number": MAX_ID,
    "callback_due_minutes": 7 * 24 * 60,
    "visit_tolerance_minutes": 240,
    "visit_prompt_minutes": 24 * 60,
    "report_due_business_days": 60,
    "repeat_window_days": 5 * 366,
    "repeat_threshold": 100,
    "survey_quiet_days": 366,
    "survey_reminder_hours": 30 * 24,
    "survey_valid_days": 366,
    "low_score_threshold": 4,
    "follow_up_due_business_days": 60,
    "feedback_due_business_days": 60,
    "training_due_days": 366,
    "target_ov4_median": 24 * 60,
    "target_ov4_p90": 24 * 60,
    "target_sv4_unannounced": 10_000,
    "respond_hours": MAX_TARGET_HOURS,
    "resolve_hours": MAX_TARGET_HOURS,
    "value": MAX_TARGET_HOURS,
}
DATE_FIELDS = ("effective_from", "date")


class BoundedAdminForm(forms.ModelForm):
    """The admin's form of a standard, a target, a level, a closure or an open
    day, with every date and number bounded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in NUMBER_MAXIMA:
                number_at_most(field, NUMBER_MAXIMA[name])
            elif name in DATE_FIELDS:
                field.validators.append(date_validator(STANDARDS))


def _kept_forms(formset: BaseInlineFormSet) -> list[Any]:
    return [
        f
        for f in formset.forms
        if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE", False)
    ]


def _warning_percent(formset: BaseInlineFormSet) -> int | None:
    # The parent form has been cleaned before the inlines: use what was typed there.
    value = getattr(formset.instance, "warning_percent", None)
    return int(value) if value is not None else None


class TargetFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rows = [
            TargetData(
                f.cleaned_data["kind"],
                f.cleaned_data.get("priority") or "",
                f.cleaned_data["category"].pk if f.cleaned_data.get("category") else None,
            )
            for f in _kept_forms(self)
        ]
        problems = target_problems(rows)
        if problems:
            raise ValidationError(problems)


class LevelFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rows = [
            LevelData(f.cleaned_data["level"], f.cleaned_data["trigger"], f.cleaned_data.get("value") or Decimal("0"))
            for f in _kept_forms(self)
        ]
        problems = ladder_problems(rows, _warning_percent(self))
        if not rows:
            problems.append(str(_("A standard needs at least one escalation level.")))
        if problems:
            raise ValidationError(problems)


class TargetInline(admin.TabularInline):
    model = ResolutionTarget
    form = BoundedAdminForm
    formset = TargetFormSet
    extra = 0
    autocomplete_fields = ()
    fields = ("kind", "priority", "category", "respond_hours", "resolve_hours")


class LevelInline(admin.TabularInline):
    model = EscalationLevel
    form = BoundedAdminForm
    formset = LevelFormSet
    extra = 0
    fields = (
        "level",
        "trigger",
        "value",
        "notify_handler",
        "notify_team_lead",
        "notify_section_chief",
        "only_without_notice",
    )


@admin.register(StandardVersion)
class StandardVersionAdmin(SimpleHistoryAdmin):
    form = BoundedAdminForm
    list_display = ("number", "label", "is_active", "effective_from", "warning_percent", "updated_at")
    list_display_links = ("number", "label")
    readonly_fields = ("is_active", "created_at", "updated_at", "retired_at")
    inlines = [TargetInline, LevelInline]
    actions = ["activate", "copy"]
    fieldsets = (
        (None, {"fields": ("number", "label", "effective_from", "is_active")}),
        (_("Deadlines"), {"fields": ("warning_percent",)}),
        (_("Working hours"), {"fields": ("day_start", "day_end", "lunch_start", "lunch_end")}),
        (
            _("Other promises"),
            {
                "fields": (
                    "callback_due_minutes",
                    "visit_tolerance_minutes",
                    "visit_prompt_minutes",
                    "report_due_business_days",
                    "quiet_start",
                    "quiet_end",
                    "repeat_window_days",
                    "repeat_threshold",
                )
            },
        ),
        (
            _("The customer's voice"),
            {
                "fields": (
                    "survey_quiet_days",
                    "survey_reminder_hours",
                    "survey_valid_days",
                    "low_score_threshold",
                    "follow_up_due_business_days",
                    "feedback_due_business_days",
                    "training_due_days",
                )
            },
        ),
        (
            _("Scoreboard targets"),
            {
                "fields": (
                    "target_mt1_on_time",
                    "target_mt1_notice",
                    "target_ph1_answered",
                    "target_ph3_callbacks",
                    "target_ov4_median",
                    "target_ov4_p90",
                    "target_sv1_on_time",
                    "target_sv4_unannounced",
                    "target_mt2_first_visit",
                    "target_mt4_consent",
                    "target_mt5_stopped",
                    "target_mt5_joint",
                    "target_mt8_lead",
                    "target_bs1_on_time",
                    "target_bs2_approved",
                    "target_bs4_reports",
                    "target_cr3_trainings",
                    "target_im2_response",
                    "target_im2_score",
                    "target_cp1_answered",
                )
            },
        ),
        (None, {"fields": ("created_at", "updated_at", "retired_at")}),
    )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        standards_changed()

    @admin.action(description=_("Activate the selected version for new tickets"))
    def activate(self, request: HttpRequest, queryset: QuerySet[StandardVersion]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one version to activate."), messages.ERROR)
            return
        try:
            version = standard_activate(version=queryset.get())
        except ActionRefused as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, _("%(version)s is now active.") % {"version": version}, messages.SUCCESS)

    @admin.action(description=_("Copy the selected version as a new draft"))
    def copy(self, request: HttpRequest, queryset: QuerySet[StandardVersion]) -> None:
        for version in queryset:
            copy = standard_copy(version=version)
            self.message_user(request, _("Created draft %(version)s.") % {"version": copy}, messages.SUCCESS)


class _ChangesCalendar(SimpleHistoryAdmin):
    form = BoundedAdminForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        standards_changed()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        standards_changed()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        standards_changed()


@admin.register(ClosureDay)
class ClosureDayAdmin(_ChangesCalendar):
    list_display = ("date", "reason")
    date_hierarchy = "date"
    search_fields = ("reason",)


@admin.register(OpenDay)
class OpenDayAdmin(_ChangesCalendar):
    list_display = ("date", "reason")
    date_hierarchy = "date"
    search_fields = ("reason",)
