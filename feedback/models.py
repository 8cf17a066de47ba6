"""Customer feedback (CP1, CC1): suggestions, complaints and commendations from
the portal or taken by the desk for a call, an e-mail or a letter; each with a
handler, a due time from the service standards, a review, a reply to the
customer and whether it was reflected in the service ("반영").

A complaint that names an employee can be upheld by that employee's lead; an
upheld complaint assigns a `TrainingAssignment` (CR3), tracked to completion
and confirmed by the lead. Commendations (CC3) are feedback of the kind
"commendation" naming the employee. Every state change writes a `FeedbackEvent`
with the acting user (the audit trail).
"""
from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FeedbackKind(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion")
    COMPLAINT = "complaint", _("Complaint")
    COMMENDATION = "commendation", _("Commendation")


class FeedbackChannel(models.TextChoices):
    PORTAL = "portal", _("Website")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")


class FeedbackState(models.TextChoices):
    RECEIVED = "received", _("Received")
    UNDER_REVIEW = "under_review", _("Under review")
    ANSWERED = "answered", _("Answered")


def feedback_file_path(instance: Feedback, filename: str) -> str:
    # A random name: what the customer called the file is kept in attachment_name.
    return f"feedback/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Feedback(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=FeedbackChannel.choices, default=FeedbackChannel.PORTAL)
    # The customer with an account, or (taken by the desk) a name and department.
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("customer")
    )
    customer_name = models.CharField(_("customer's name"), max_length=100)
    customer_department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("request")
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("employee named")
    )
    body = models.TextField(_("what the customer says"))
    attachment = models.FileField(_("scanned attachment"), upload_to=feedback_file_path, max_length=200, blank=True)
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    # The team that answers for it (the named employee's, else the desk's): scopes the leads' queue.
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team"))
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handler")
    )
    due_at = models.DateTimeField(_("answer due"))
    state = models.CharField(_("state"), max_length=20, choices=FeedbackState.choices, default=FeedbackState.RECEIVED)
    review_note = models.TextField(_("review note"), blank=True)
    reply = models.TextField(_("reply to the customer"), blank=True)
    reflected = models.BooleanField(_("reflected in the service"), null=True, blank=True)
    reflected_what = models.CharField(_("what was reflected"), max_length=300, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("answered by")
    )
    # CR3: a complaint naming an employee is upheld or not by their lead.
    upheld = models.BooleanField(_("upheld"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    overdue_told_at = models.DateTimeField(_("lead told it is overdue"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("received at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [
            models.Index(fields=["customer", "-created_at"], name="feedback_customer_idx"),
            # The leads' queue: their teams' open feedback, earliest due first.
            models.Index(fields=["team", "state", "due_at"], name="feedback_team_queue_idx"),
            models.Index(fields=["handler", "state", "due_at"], name="feedback_handler_idx"),
            models.Index(fields=["employee", "kind", "-created_at"], name="feedback_employee_idx"),
            models.Index(fields=["created_at"], name="feedback_created_idx"),
            # IM1: the scoreboard counts feedback on the day its answer was due.
            models.Index(fields=["due_at"], name="feedback_due_idx"),
            # The sweep reads only open feedback not yet reported overdue.
            models.Index(
                fields=["due_at"],
                name="feedback_overdue_idx",
                condition=Q(answered_at__isnull=True, overdue_told_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state != FeedbackState.ANSWERED

    @property
    def can_be_upheld(self) -> bool:
        return self.kind == FeedbackKind.COMPLAINT and self.employee_id is not None and self.upheld is None


class TrainingAssignment(models.Model):
    """CR3: a service training assigned to an employee because a complaint about them was upheld."""

    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("employee")
    )
    complaint = models.OneToOneField(Feedback, on_delete=models.PROTECT, related_name="training", verbose_name=_("complaint"))
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team"))
    training = models.CharField(_("training"), max_length=300)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"))
    due_at = models.DateTimeField(_("due"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    done_note = models.TextField(_("what was done"), blank=True)
    confirmed_at = models.DateTimeField(_("improvement confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )
    confirm_note = models.TextField(_("confirmation note"), blank=True)
    overdue_told_at = models.DateTimeField(_("lead told it is overdue"), null=True, blank=True)

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        verbose_name = _("service training")
        verbose_name_plural = _("service trainings")
        indexes = [
            models.Index(fields=["employee", "-assigned_at"], name="training_employee_idx"),
            models.Index(fields=["team", "-assigned_at"], name="training_team_idx"),
            models.Index(fields=["assigned_at"], name="training_assigned_idx"),
            # IM1: and trainings on the day they were due.
            models.Index(fields=["due_at"], name="training_due_idx"),
            models.Index(
                fields=["due_at"],
                name="training_overdue_idx",
                condition=Q(completed_at__isnull=True, overdue_told_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.training

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None


class FeedbackEventKind(models.TextChoices):
    FILED = "filed", _("Received")
    REVIEWED = "reviewed", _("Review started")
    ANSWERED = "answered", _("Answered")
    REFLECTED = "reflected", _("Reflection recorded")
    UPHELD = "upheld", _("Complaint upheld")
    NOT_UPHELD = "not_upheld", _("Complaint not upheld")
    TRAINING_DONE = "training_done", _("Training completed")
    TRAINING_CONFIRMED = "training_confirmed", _("Improvement confirmed")


class FeedbackEvent(models.Model):
    """The audit trail: who did what to a piece of feedback (and its training), when."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="events", verbose_name=_("feedback"))
    kind = models.CharField(_("kind"), max_length=30, choices=FeedbackEventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("feedback event")
        verbose_name_plural = _("feedback events")
        indexes = [models.Index(fields=["feedback", "at"], name="feedback_event_idx")]
