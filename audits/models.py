"""Misconduct reports (CR2) and the audit cases they become.

Nothing here touches the ticket's timeline or notifies the accused: a report
about an employee must stay out of every page that employee, their lead or a
section chief reads. Who may read it is decided in one place,
`audits.selectors.may_handle_cases`.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_STATEMENT = 4000
MAX_NAME = 100
MAX_FINDINGS = 8000
MAX_ACTION = 2000


class ReportChannel(models.TextChoices):
    PORTAL = "portal", _("Customer portal")
    STAFF = "staff", _("Staff")


class CaseState(models.TextChoices):
    RECEIVED = "received", _("Received")
    INVESTIGATING = "investigating", _("Under investigation")
    CLOSED = "closed", _("Closed")


class Decision(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")


class MisconductReport(models.Model):
    """What the reporter said, as they said it (never edited afterwards)."""

    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=ReportChannel.choices)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporter")
    )
    accused_name = models.CharField(_("employee named"), max_length=MAX_NAME)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("ticket")
    )
    happened_on = models.DateField(_("date it happened"), null=True, blank=True)
    statement = models.TextField(_("what happened"), max_length=MAX_STATEMENT)
    created_at = models.DateTimeField(_("received at"), db_index=True)

    class Meta:
        verbose_name = _("misconduct report")
        verbose_name_plural = _("misconduct reports")

    def __str__(self) -> str:
        return self.reference


class AuditCase(models.Model):
    """The auditors' work on one report: findings, decision, action taken."""

    report = models.OneToOneField(
        MisconductReport, on_delete=models.PROTECT, related_name="case", verbose_name=_("report")
    )
    # The employee the report is about, when known (the ticket's handler): kept
    # so that the case is hidden from that person even if they hold the role.
    accused = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employee"),
    )
    state = models.CharField(_("state"), max_length=15, choices=CaseState.choices, default=CaseState.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auditor in charge"),
    )
    findings = models.TextField(_("findings"), max_length=MAX_FINDINGS, blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    action_taken = models.TextField(_("action taken against the employee"), max_length=MAX_ACTION, blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("audit case")
        verbose_name_plural = _("audit cases")
        # Checked by audits.selectors.may_handle_cases through the role or a
        # direct grant only: a superuser does not hold it by being one.
        permissions = [("handle_case", "Can read and decide misconduct audit cases")]
        indexes = [
            # The auditors' list: by state, newest first.
            models.Index(fields=["state", "-opened_at"], name="audit_case_state_idx"),
            models.Index(fields=["-opened_at"], name="audit_case_opened_idx"),
            # Figures: cases closed per period.
            models.Index(fields=["closed_at"], name="audit_case_closed_idx", condition=models.Q(closed_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.report.reference

    @property
    def is_closed(self) -> bool:
        return self.state == CaseState.CLOSED


class CaseEvent(models.Model):
    """One state change of a case, with who made it (the case's own history)."""

    class Kind(models.TextChoices):
        REPORTED = "reported", _("Report received")
        TAKEN = "taken", _("Investigation started")
        FINDINGS = "findings", _("Findings recorded")
        DECIDED = "decided", _("Decided and closed")

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["case", "at"], name="audit_event_case_idx")]


class CaseView(models.Model):
    """Every time someone opened a case's page: who, when, which page."""

    case = models.ForeignKey(AuditCase, on_delete=models.CASCADE, related_name="views", db_index=False)
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("viewer"))
    viewed_at = models.DateTimeField(_("viewed at"))
    page = models.CharField(_("page"), max_length=200)

    class Meta:
        ordering = ["-viewed_at", "-pk"]
        indexes = [models.Index(fields=["case", "-viewed_at"], name="audit_view_case_idx")]
