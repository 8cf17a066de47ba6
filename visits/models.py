"""On-site visits: appointments, check-in/out, checklists, outcomes and sign-off.

A visit moves proposed → confirmed → checked_in → completed (or cancelled),
always through `visits.services`; every move writes a `VisitEvent`. Moments
the sweep must act on live in `next_check_at` (SV4), indexed only over the
confirmed visits that can still fire.
"""
from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tickets.models import AssetType


class VisitState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("On site")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class VisitOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    FOLLOW_UP = "follow_up", _("Follow-up needed")
    CUSTOMER_ABSENT = "customer_absent", _("Customer absent")


class ProposedBy(models.TextChoices):
    STAFF = "staff", _("Staff")
    CUSTOMER = "customer", _("Customer")


class ConfirmedVia(models.TextChoices):
    PORTAL = "portal", _("The customer confirmed online")
    PHONE = "phone", _("Agreed by phone")
    STAFF = "staff", _("Staff accepted the customer's time")


class ChecklistTemplate(models.Model):
    """A checklist for one asset type (MT6). Versioned: a template that a visit
    has used is never edited; a new version replaces it as the current one."""

    asset_type = models.CharField(_("asset type"), max_length=20, choices=AssetType.choices)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["asset_type", "-version"]
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        constraints = [
            models.UniqueConstraint(fields=["asset_type", "version"], name="checklist_type_version_uniq"),
            models.UniqueConstraint(
                fields=["asset_type"], condition=Q(is_current=True), name="checklist_one_current_per_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} v{self.version} ({self.get_asset_type_display()})"

    @property
    def label(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class ChecklistItem(models.Model):
    class NoteRule(models.TextChoices):
        NEVER = "never", _("Never")
        WHEN_FIXED = "when_fixed", _("When marked 'fixed'")
        WHEN_FIXED_OR_NA = "when_fixed_or_na", _("When marked 'fixed' or 'not applicable'")

    template = models.ForeignKey(
        ChecklistTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("template")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("item"), max_length=300)
    text_en = models.CharField(_("item in English"), max_length=300, blank=True)
    note_rule = models.CharField(
        _("note required"),
        max_length=20,
        choices=NoteRule.choices,
        default=NoteRule.WHEN_FIXED,
        help_text=_("When the engineer must write what was done or why the item does not apply."),
    )

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if get_language() == "en" and self.text_en:
            return self.text_en
        return self.text

    def needs_note(self, mark: str) -> bool:
        if mark == ChecklistMark.FIXED:
            return self.note_rule in (self.NoteRule.WHEN_FIXED, self.NoteRule.WHEN_FIXED_OR_NA)
        if mark == ChecklistMark.NOT_APPLICABLE:
            return self.note_rule == self.NoteRule.WHEN_FIXED_OR_NA
        return False


class ChecklistMark(models.TextChoices):
    OK = "ok", _("OK")
    FIXED = "fixed", _("Fixed")
    NOT_APPLICABLE = "na", _("Not applicable")


def signature_path(instance: Visit, filename: str) -> str:
    # The stored name never comes from the request.
    return f"visits/signatures/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.png"


def visit_file_path(instance: VisitAttachment, filename: str) -> str:
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"visits/files/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Visit(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="visits", verbose_name=_("ticket")
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visits", verbose_name=_("engineer")
    )
    companion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accompanied_visits",
        verbose_name=_("companion"),
        help_text=_("A team lead or section chief who goes along (required for VIP customers, MT8)."),
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    state = models.CharField(_("state"), max_length=20, choices=VisitState.choices, default=VisitState.PROPOSED)
    # Who proposed the window now on the table: the other side confirms it.
    proposed_by = models.CharField(
        _("proposed by"), max_length=10, choices=ProposedBy.choices, default=ProposedBy.STAFF
    )
    proposed_start = models.DateTimeField(_("proposed from"))
    proposed_end = models.DateTimeField(_("proposed until"))
    agreed_start = models.DateTimeField(_("agreed from"), null=True, blank=True)
    agreed_end = models.DateTimeField(_("agreed until"), null=True, blank=True)
    confirmed_via = models.CharField(_("confirmed"), max_length=10, choices=ConfirmedVia.choices, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    # Visits keep to working hours on business days; this records that the
    # customer asked for the time on the table anyway (a weekend, evening…), so
    # the time is not refused. Set with each new time, like the window itself.
    off_hours_requested = models.BooleanField(
        _("visit outside working hours at the customer's request"), default=False
    )
    # Each new window is a new version: notices are keyed by it, so a reschedule
    # notifies again while a repeated call of the same step does not.
    schedule_version = models.PositiveIntegerField(_("schedule version"), default=1)

    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    punctuality_minutes = models.IntegerField(
        _("minutes late"), null=True, blank=True, help_text=_("Against the agreed start; negative is early.")
    )
    late_notice_at = models.DateTimeField(_("late notice sent at"), null=True, blank=True)
    new_arrival = models.DateTimeField(_("new arrival time"), null=True, blank=True)
    late_reason = models.CharField(_("reason for the delay"), max_length=300, blank=True)
    late_without_notice = models.BooleanField(_("late without notice"), default=False)
    prompt_sent_at = models.DateTimeField(_("engineer prompted at"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)

    outcome = models.CharField(_("outcome"), max_length=20, choices=VisitOutcome.choices, blank=True)
    follow_up_reason = models.TextField(_("reason more work is needed"), blank=True)
    absence_note = models.TextField(_("note left for the customer"), blank=True)
    work_note = models.TextField(_("work done"), blank=True)
    signoff_name = models.CharField(_("signed by"), max_length=100, blank=True)
    signature = models.FileField(_("signature"), upload_to=signature_path, max_length=200, blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    checklist_template = models.ForeignKey(
        ChecklistTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("checklist"),
    )
    previous_visit = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_visits",
        verbose_name=_("previous visit"),
    )
    new_requests = models.ManyToManyField(
        "tickets.Ticket",
        blank=True,
        related_name="origin_visits",
        verbose_name=_("requests taken on site"),
        help_text=_("New requests the customer made during this visit."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("booked by")
    )
    created_at = models.DateTimeField(_("booked at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [
            # The visit sweep reads only confirmed visits with a moment still to come.
            models.Index(
                fields=["next_check_at"],
                name="visit_due_idx",
                condition=Q(state="confirmed", next_check_at__isnull=False),
            ),
            models.Index(fields=["engineer", "agreed_start"], name="visit_engineer_day_idx"),
            models.Index(fields=["companion", "agreed_start"], name="visit_companion_day_idx"),
            models.Index(fields=["ticket", "created_at"], name="visit_ticket_idx"),
            # IM1: the scoreboard counts visits on the day they started and ended.
            models.Index(fields=["checked_in_at"], name="visit_checked_in_idx", condition=Q(checked_in_at__isnull=False)),
            models.Index(fields=["checked_out_at"], name="visit_checked_out_idx", condition=Q(checked_out_at__isnull=False)),
            models.Index(fields=["agreed_start"], name="visit_unannounced_idx", condition=Q(late_without_notice=True)),
            # First-visit resolution (MT2) looks for each ticket's first completed visit.
            models.Index(
                fields=["ticket", "checked_out_at"], name="visit_completed_idx", condition=Q(state="completed")
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(proposed_end__gt=models.F("proposed_start")), name="visit_window_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(companion__isnull=True) | ~Q(companion=models.F("engineer")),
                name="visit_companion_not_engineer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}/{self.pk} {self.get_state_display()}"

    @property
    def start(self) -> datetime:
        """The time that counts: the agreed one once there is one."""
        return self.agreed_start or self.proposed_start

    @property
    def end(self) -> datetime:
        return self.agreed_end or self.proposed_end

    @property
    def is_open(self) -> bool:
        return self.state in (VisitState.PROPOSED, VisitState.CONFIRMED, VisitState.CHECKED_IN)

    def has_on_visit(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in (self.engineer_id, self.companion_id)


class VisitChecklistEntry(models.Model):
    """One item of the visit's checklist, of the template version the visit started with."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checklist_entries", verbose_name=_("visit"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item"))
    mark = models.CharField(_("result"), max_length=10, choices=ChecklistMark.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )

    class Meta:
        ordering = ["visit", "item__order", "item_id"]
        verbose_name = _("checklist entry")
        verbose_name_plural = _("checklist entries")
        constraints = [models.UniqueConstraint(fields=["visit", "item"], name="checklist_entry_uniq")]

    def __str__(self) -> str:
        return f"{self.item} = {self.mark or '-'}"


class VisitAttachment(models.Model):
    """A photo or file taken on site, checked like ticket attachments."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("visit"))
    file = models.FileField(_("file"), upload_to=visit_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("visit file")
        verbose_name_plural = _("visit files")

    def __str__(self) -> str:
        return self.original_name


class VisitEvent(models.Model):
    """The audit trail of a visit: one row per state change, with who and when.

    Text is rendered at display time from `kind` and `data` (as the ticket
    timeline does), so it reads in the reader's language."""

    class Kind(models.TextChoices):
        BOOKED = "booked", _("Visit booked")
        PROPOSED = "proposed", _("New time proposed")
        CONFIRMED = "confirmed", _("Visit confirmed")
        COMPANION_SET = "companion_set", _("Companion changed")
        CANCELLED = "cancelled", _("Visit cancelled")
        LATE_NOTICE = "late_notice", _("Late notice sent")
        PROMPTED = "prompted", _("Engineer reminded to check in")
        LATE_WITHOUT_NOTICE = "late_without_notice", _("Late without notice")
        CHECKED_IN = "checked_in", _("Checked in")
        CHECKLIST = "checklist", _("Checklist updated")
        FILE_ADDED = "file_added", _("File added")
        REQUEST_TAKEN = "request_taken", _("New request taken on site")
        RESOLVED = "resolved", _("Completed: resolved")
        FOLLOW_UP = "follow_up", _("Completed: follow-up needed")
        CUSTOMER_ABSENT = "customer_absent", _("Completed: customer absent")
        REBOOKED = "rebooked", _("Customer asked for a new visit")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="events", verbose_name=_("visit"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"))
    is_public = models.BooleanField(_("public"), default=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")
        indexes = [models.Index(fields=["visit", "created_at"], name="visit_event_idx")]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"
