"""Large-scale work (BS2–BS4): a plan approved before the work starts, carried
out in windows agreed with the customer, and closed by a written report.

A `WorkPlan` belongs to one large-work ticket. Its content lives in numbered
`PlanVersion`s: the lead drafts a version, submits it, and an approver of the
supervising department approves it or returns it with a reason (`PlanDecision`,
who, when, which version). Changing a plan after approval means a new version,
which needs approval again; the work may start only while the current version
is approved (the BS2 guard in `largework.services.guards`). The approved
version's `PlanWindow`s are done or postponed one by one, the customer told
before each; a `CompletionReport` with attachments closes the work (BS3), due a
number of business days after the last window (BS4, `report_due_at`, swept by
`largework.services.report_sweep`).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Department


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")


class WorkPlan(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="work_plan", verbose_name=_("request")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("customer contact"),
        help_text=_("The customer's contact person, who follows the plan and receives the report."),
    )
    supervising_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="supervised_plans",
        verbose_name=_("supervising department"),
    )
    # The version the work follows: the latest one (draft, submitted, returned or approved).
    # `state` and `submitted_at` repeat the current version's, so the approver's
    # queue is one indexed read (plan_waiting_idx); they are written together.
    current = models.ForeignKey(
        "PlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("current version")
    )
    state = models.CharField(_("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # BS4: the report is due this many business days after the last window.
    report_due_at = models.DateTimeField(_("report due"), null=True, blank=True)
    report_reminded_at = models.DateTimeField(_("owner reminded at"), null=True, blank=True)
    report_escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # The report sweep's next moment (reminder before the due time, escalation after).
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        permissions = [("approve_plan", "Can approve large-scale work plans of the departments they supervise")]
        indexes = [
            # The approver's queue: plans waiting, by supervising department, oldest first.
            models.Index(
                fields=["supervising_department", "submitted_at"],
                name="plan_waiting_idx",
                condition=Q(state="submitted"),
            ),
            models.Index(fields=["next_check_at"], name="plan_next_check_idx", condition=Q(next_check_at__isnull=False)),
            models.Index(fields=["report_due_at"], name="plan_report_due_idx", condition=Q(report_due_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.current.title if self.current else ''}".strip()


class PlanVersion(models.Model):
    """One edition of the plan: what is done where, when, by whom, and what if it goes wrong."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="versions", verbose_name=_("plan"))
    number = models.PositiveIntegerField(_("version"))
    state = models.CharField(_("state"), max_length=20, choices=PlanState.choices, default=PlanState.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    departments = models.ManyToManyField(Department, related_name="+", verbose_name=_("customer departments"))
    scope = models.TextField(_("scope"), help_text=_("What is done, for whom."))
    seats = models.PositiveIntegerField(_("seats or assets"), default=0)
    staffing = models.TextField(_("staffing"), help_text=_("Who does the work, and how many people."))
    risks = models.TextField(_("risks and rollback"), help_text=_("What could go wrong, and how the work is undone."))
    customer_notice = models.TextField(
        _("notice to the customer"), help_text=_("What the customer departments are told before each window.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("created at"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.number})"


class PlanAsset(models.Model):
    """One asset in the plan's scope (entered or imported from a CSV/Excel list)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="assets", verbose_name=_("version"))
    asset = models.ForeignKey("tickets.Asset", on_delete=models.PROTECT, related_name="+", verbose_name=_("asset"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["version", "asset__tag"]
        verbose_name = _("asset in scope")
        verbose_name_plural = _("assets in scope")
        constraints = [models.UniqueConstraint(fields=["version", "asset"], name="plan_asset_unique")]


class WindowState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")


class PlanWindow(models.Model):
    """A time agreed with the customer when seats are out for the work (BS3)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="windows", verbose_name=_("version"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    what = models.CharField(_("what happens"), max_length=300)
    seats_out_minutes = models.PositiveIntegerField(_("minutes each seat is out"), default=0)
    off_hours_requested = models.BooleanField(
        _("outside working hours at the customer's request"),
        default=False,
        help_text=_("Only when the customer asked for it: work outside working hours is refused otherwise."),
    )
    state = models.CharField(_("state"), max_length=20, choices=WindowState.choices, default=WindowState.PLANNED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    notice_sent_at = models.DateTimeField(_("customer told at"), null=True, blank=True)
    # BS3: where staff go to the customers' desks, the window is a visit of the
    # request (engineer, agreed time, check-in, checklist) booked from the plan.
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("visit")
    )

    class Meta:
        ordering = ["version", "starts_at", "pk"]
        verbose_name = _("work window")
        verbose_name_plural = _("work windows")
        indexes = [
            models.Index(fields=["version", "starts_at"], name="plan_window_start_idx"),
            # The notice sweep: windows whose customers have not been told yet.
            models.Index(fields=["starts_at"], name="plan_window_notice_idx", condition=Q(notice_sent_at__isnull=True)),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="plan_window_ends_after_start")
        ]


class Decision(models.TextChoices):
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class PlanDecision(models.Model):
    """BS2: who decided on which version, when, and why."""

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("version"))
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("decided by")
    )
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("plan decision")
        verbose_name_plural = _("plan decisions")


class PlanMessage(models.Model):
    """The plan's thread: the approver's questions and the lead's answers."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="messages", verbose_name=_("plan"))
    version_number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("plan message")
        verbose_name_plural = _("plan messages")


class CompletionReport(models.Model):
    """BS3: the written report that closes the work; BS4: on time or not."""

    plan = models.OneToOneField(WorkPlan, on_delete=models.CASCADE, related_name="report", verbose_name=_("plan"))
    summary = models.TextField(_("what was done"))
    by_department = models.TextField(_("per department or asset"))
    exceptions = models.TextField(_("exceptions"), blank=True)
    follow_ups = models.TextField(_("follow-ups"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    due_at = models.DateTimeField(_("was due"), null=True, blank=True)

    class Meta:
        verbose_name = _("completion report")
        verbose_name_plural = _("completion reports")
        indexes = [models.Index(fields=["submitted_at"], name="report_submitted_idx")]

    @property
    def on_time(self) -> bool:
        return self.due_at is None or self.submitted_at <= self.due_at


def report_file_path(instance: ReportAttachment, filename: str) -> str:
    return f"largework/{instance.report.plan_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        CompletionReport, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("report")
    )
    file = models.FileField(_("file"), upload_to=report_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("report attachment")
        verbose_name_plural = _("report attachments")

    def __str__(self) -> str:
        return self.original_name
