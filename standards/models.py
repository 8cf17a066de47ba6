"""Service standards as data (P5): the numbers every deadline is computed from (MT1, BS1).

A `StandardVersion` carries every number the charter promises; its child rows
give the targets per kind/priority/category and the escalation ladder. Tickets
point at the version they were opened under, so editing the standard later never
rewrites what was promised to an earlier customer: copy the version, edit the
copy, activate it (admin actions), and new tickets follow the new one.

These models moved here from the `charter` app; their tables keep the names
they were created with (`Meta.db_table`, `HistoricalRecords(table_name=…)`),
so existing databases keep their rows and foreign keys untouched by the move
(migration `standards/0001` only moves them in Django's state).

Consistency rules live in `clean()` (single row) and in `standards.validation`
(the rules that need the whole version: targets plus ladder), which the admin's
inline formsets call.
"""
from __future__ import annotations

from datetime import time
from decimal import Decimal
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tickets.models import Kind, Priority

HOURS_FIELD = {"max_digits": 7, "decimal_places": 2}


def _percent_target(label: Any, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )


class StandardVersion(models.Model):
    """One published edition of the service performance standards (서비스 이행표준)."""

    number = models.PositiveIntegerField(_("version"), unique=True)
    label = models.CharField(_("label"), max_length=200)
    effective_from = models.DateTimeField(_("effective from"), default=timezone.now)
    is_active = models.BooleanField(
        _("active"),
        default=False,
        help_text=_("New tickets follow the active version. Use the 'activate' action to switch versions."),
    )

    # MT1: the share of the time after which the handler is warned.
    warning_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("warning point (% of the time used)"), default=75
    )
    # PH3: a callback memo is due this many minutes after it is taken.
    callback_due_minutes = models.PositiveIntegerField(_("callback due within (minutes)"), default=60)
    # SV1/SV4: arriving this late still counts as on time; the engineer is prompted before the start.
    visit_tolerance_minutes = models.PositiveIntegerField(_("visit lateness tolerance (minutes)"), default=10)
    visit_prompt_minutes = models.PositiveIntegerField(
        _("prompt the engineer this many minutes before a visit"), default=15
    )
    # BS4: completion reports are due this many business days after the work.
    report_due_business_days = models.PositiveSmallIntegerField(_("report due (business days)"), default=3)
    # Customers get no SMS in these hours; held messages go out when they end.
    # Defaults are callables: Django warns (fields.W161) about a fixed time within
    # ten seconds of now, which `check --deploy` runs into at 21:00:0x UTC.
    quiet_start = models.TimeField(_("customer quiet hours start"), default=partial(time, 21, 0))
    quiet_end = models.TimeField(_("customer quiet hours end"), default=partial(time, 8, 0))
    # MT5: the same fault on the same equipment this many times within the window.
    repeat_window_days = models.PositiveSmallIntegerField(_("repeat-fault window (days)"), default=90)
    repeat_threshold = models.PositiveSmallIntegerField(_("repeat-fault threshold"), default=3)

    # IM2/P4: the satisfaction survey after finished work, and what a low score sets off.
    survey_quiet_days = models.PositiveSmallIntegerField(
        _("no second survey for the same customer within (days)"), default=30
    )
    survey_reminder_hours = models.PositiveSmallIntegerField(_("survey reminder after (hours)"), default=48)
    survey_valid_days = models.PositiveSmallIntegerField(_("survey link valid for (days)"), default=14)
    low_score_threshold = models.PositiveSmallIntegerField(
        _("a score at or below this opens a follow-up"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    follow_up_due_business_days = models.PositiveSmallIntegerField(_("follow-up due (business days)"), default=2)
    # CP1/CC1: feedback is answered within this; CR3: a service training is done within this.
    feedback_due_business_days = models.PositiveSmallIntegerField(_("feedback answered within (business days)"), default=5)
    training_due_days = models.PositiveSmallIntegerField(_("service training due within (days)"), default=30)

    # IM1: the scoreboard's targets. A period is judged against the version in
    # force when it ended (`standards.selectors.standard_in_force`), so raising a
    # target never rewrites last year's verdict. Percentages are "at least";
    # counts and minutes are "at most"; the mean score is "at least".
    target_mt1_on_time = _percent_target(_("work finished within its deadline (%)"), 90)
    target_mt1_notice = _percent_target(_("delays announced before the deadline (%)"), 95)
    target_ph1_answered = _percent_target(_("calls answered before the third ring (%)"), 90)
    target_ph3_callbacks = _percent_target(_("callbacks made on time (%)"), 90)
    target_ov4_median = models.PositiveSmallIntegerField(_("walk-in wait, median (minutes, at most)"), default=5)
    target_ov4_p90 = models.PositiveSmallIntegerField(_("walk-in wait, 90th percentile (minutes, at most)"), default=15)
    target_sv1_on_time = _percent_target(_("visits started on time (%)"), 95)
    target_sv4_unannounced = models.PositiveSmallIntegerField(_("late arrivals without notice (at most)"), default=0)
    target_mt2_first_visit = _percent_target(_("resolved at the first visit (%)"), 80)
    target_mt4_consent = _percent_target(_("repairs started with consent (%)"), 100)
    target_mt5_stopped = _percent_target(_("repeat faults stopped before the threshold (%)"), 80)
    target_mt5_joint = _percent_target(_("escalated repeat faults fixed with a joint visit (%)"), 100)
    target_mt8_lead = _percent_target(_("VIP visits with a team lead (%)"), 100)
    target_bs1_on_time = _percent_target(_("support finished by the requested time (%)"), 90)
    target_bs2_approved = _percent_target(_("large-scale work done under an approved plan (%)"), 100)
    target_bs4_reports = _percent_target(_("completion reports on time (%)"), 95)
    target_cr3_trainings = _percent_target(_("service trainings completed on time (%)"), 100)
    target_im2_response = _percent_target(_("survey response rate (%)"), 30)
    target_im2_score = models.DecimalField(
        _("mean survey score (out of 5, at least)"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
    )
    target_cp1_answered = _percent_target(_("feedback answered on time (%)"), 95)
    # Set when another version is activated: with is_active, it says the
    # version was once in force (a draft copy never was).
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True, editable=False)

    day_start = models.TimeField(_("working day starts"), default=partial(time, 9, 0))
    day_end = models.TimeField(_("working day ends"), default=partial(time, 18, 0))
    lunch_start = models.TimeField(_("lunch starts"), default=partial(time, 12, 0))
    lunch_end = models.TimeField(_("lunch ends"), default=partial(time, 13, 0))

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Part of the cache key in standards.selectors: any save invalidates every process's copy.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(table_name="charter_historicalstandardversion")

    class Meta:
        db_table = "charter_standardversion"
        ordering = ["-number"]
        verbose_name = _("service standard version")
        verbose_name_plural = _("service standard versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="charter_one_active_standard"
            ),
            models.CheckConstraint(
                condition=Q(warning_percent__gte=1, warning_percent__lte=99), name="charter_warning_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"v{self.number} {self.label}"

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if self.warning_percent is not None and not 1 <= self.warning_percent <= 99:
            add("warning_percent", _("The warning point must be between 1% and 99% of the time: at 100% the deadline has already passed."))
        if self.quiet_start is not None and self.quiet_start == self.quiet_end:
            add("quiet_end", _("Quiet hours must start and end at different times."))
        if self.repeat_threshold is not None and self.repeat_threshold < 2:
            add("repeat_threshold", _("A repeat fault needs a threshold of at least 2 occurrences."))
        if self.repeat_window_days is not None and self.repeat_window_days < 1:
            add("repeat_window_days", _("The repeat-fault window must be at least one day."))
        if self.report_due_business_days is not None and self.report_due_business_days < 1:
            add("report_due_business_days", _("Reports need at least one business day."))
        if self.callback_due_minutes is not None and self.callback_due_minutes < 1:
            add("callback_due_minutes", _("A callback needs at least one minute."))
        times = (self.day_start, self.lunch_start, self.lunch_end, self.day_end)
        if all(t is not None for t in times) and not (
            self.day_start < self.lunch_start <= self.lunch_end < self.day_end
        ):
            add(
                "day_end",
                _("Working hours must read: day starts < lunch starts <= lunch ends < day ends (equal lunch times mean no lunch)."),
            )
        if self.is_active:
            others = StandardVersion.objects.filter(is_active=True).exclude(pk=self.pk)
            if others.exists():
                add("is_active", _("Another version is active. Save this one inactive and use the 'activate' action."))
        if errors:
            raise ValidationError(errors)


class ResolutionTarget(models.Model):
    """Respond within / resolve within, in business hours; the most specific row wins:
    category + priority, then category, then kind + priority, then kind alone."""

    standard = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="targets", verbose_name=_("standard")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, blank=True, help_text=_("Blank: any priority.")
    )
    category = models.ForeignKey(
        "tickets.FaultCategory",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fault category"),
        help_text=_("Blank: any category."),
    )
    respond_hours = models.DecimalField(_("respond within (business hours)"), **HOURS_FIELD)
    resolve_hours = models.DecimalField(
        _("resolve within (business hours)"),
        **HOURS_FIELD,
        help_text=_("For support requests the customer's requested completion time comes first; this is the default when none was given."),
    )

    history = HistoricalRecords(table_name="charter_historicalresolutiontarget")

    class Meta:
        db_table = "charter_resolutiontarget"
        ordering = ["standard", "kind", "category", "priority"]
        verbose_name = _("resolution target")
        verbose_name_plural = _("resolution targets")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "kind", "priority", "category"],
                condition=Q(category__isnull=False),
                name="charter_target_unique_with_category",
            ),
            models.UniqueConstraint(
                fields=["standard", "kind", "priority"],
                condition=Q(category__isnull=True),
                name="charter_target_unique_without_category",
            ),
            models.CheckConstraint(
                condition=Q(respond_hours__gt=0, resolve_hours__gt=0), name="charter_target_positive"
            ),
        ]

    def __str__(self) -> str:
        parts = [str(self.get_kind_display())]
        if self.category_id:
            parts.append(str(self.category))
        if self.priority:
            parts.append(str(self.get_priority_display()))
        return " / ".join(parts)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.respond_hours is not None and self.respond_hours <= 0:
            errors["respond_hours"] = _("A target must be more than zero hours.")
        if self.resolve_hours is not None and self.resolve_hours <= 0:
            errors["resolve_hours"] = _("A target must be more than zero hours.")
        if (
            not errors
            and self.respond_hours is not None
            and self.resolve_hours is not None
            and self.respond_hours > self.resolve_hours
        ):
            errors["respond_hours"] = _("The response target cannot be later than the resolution target.")
        if errors:
            raise ValidationError(errors)


class EscalationLevel(models.Model):
    """One rung of the ladder (MT1): when it fires and whom it tells."""

    class Trigger(models.TextChoices):
        WARNING_POINT = "warning_point", _("At the warning point")
        # xgettext:no-python-format
        PERCENT_USED = "percent_used", _("When this % of the time is used")
        AFTER_DEADLINE = "after_deadline", _("This many business hours after the deadline")

    standard = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="levels", verbose_name=_("standard")
    )
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    trigger = models.CharField(_("fires"), max_length=20, choices=Trigger.choices)
    value = models.DecimalField(
        _("value"),
        **HOURS_FIELD,
        default=Decimal("0"),
        # xgettext:no-python-format
        help_text=_("A percentage (1-99) for '% used'; business hours (0 = at the deadline) after the deadline; ignored at the warning point."),
    )
    notify_handler = models.BooleanField(_("tell the handler"), default=False)
    notify_team_lead = models.BooleanField(_("tell the team lead"), default=False)
    notify_section_chief = models.BooleanField(_("tell the section chief"), default=False)
    only_without_notice = models.BooleanField(
        _("only when no delay notice was filed"),
        default=False,
        help_text=_("Skip this level when the handler told the customer about the delay."),
    )

    history = HistoricalRecords(table_name="charter_historicalescalationlevel")

    class Meta:
        db_table = "charter_escalationlevel"
        ordering = ["standard", "level"]
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        constraints = [
            models.UniqueConstraint(fields=["standard", "level"], name="charter_level_unique"),
        ]

    def __str__(self) -> str:
        return _("Level %(level)s") % {"level": self.level}

    @property
    def recipient_roles(self) -> list[str]:
        roles = []
        if self.notify_handler:
            roles.append("handler")
        if self.notify_team_lead:
            roles.append("team_lead")
        if self.notify_section_chief:
            roles.append("section_chief")
        return roles

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.trigger == self.Trigger.PERCENT_USED and self.value is not None and not 1 <= self.value <= 99:
            errors["value"] = _("A percentage must be between 1 and 99; use 'after the deadline' for the deadline itself.")
        if self.trigger == self.Trigger.AFTER_DEADLINE and self.value is not None and self.value < 0:
            errors["value"] = _("Hours after the deadline cannot be negative.")
        if not (self.notify_handler or self.notify_team_lead or self.notify_section_chief):
            errors["notify_handler"] = _("Choose at least one person this level tells.")
        if errors:
            raise ValidationError(errors)


class ClosureDay(models.Model):
    """A day the desk is closed besides weekends and public holidays (company holiday, move)."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)

    history = HistoricalRecords(table_name="charter_historicalclosureday")

    class Meta:
        db_table = "charter_closureday"
        ordering = ["-date"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"

    def clean(self) -> None:
        if self.date and OpenDay.objects.filter(date=self.date).exists():
            raise ValidationError({"date": _("This date is an extra open day; remove that first.")})


class OpenDay(models.Model):
    """A weekend or holiday the desk works anyway (a substitute working day)."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)

    history = HistoricalRecords(table_name="charter_historicalopenday")

    class Meta:
        db_table = "charter_openday"
        ordering = ["-date"]
        verbose_name = _("extra open day")
        verbose_name_plural = _("extra open days")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.reason}"

    def clean(self) -> None:
        if self.date and ClosureDay.objects.filter(date=self.date).exists():
            raise ValidationError({"date": _("This date is a closure day; remove that first.")})
