"""Assets, fault categories, tickets and what happens to them."""
from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from .lifecycle import OPEN, OPEN_VALUES, Status


class AssetType(models.TextChoices):
    DESKTOP = "desktop", _("Desktop PC")
    LAPTOP = "laptop", _("Laptop")
    MONITOR = "monitor", _("Monitor")
    PRINTER = "printer", _("Printer")
    NETWORK = "network", _("Network device")
    OTHER = "other", _("Other")


class BilingualName(models.Model):
    """Reference data typed by admins in Korean, with an optional English name."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Asset(models.Model):
    """A piece of equipment the department maintains."""

    tag = models.CharField(_("asset tag"), max_length=30, unique=True)
    asset_type = models.CharField(_("type"), max_length=20, choices=AssetType.choices)
    model_name = models.CharField(_("model"), max_length=100, blank=True)
    serial = models.CharField(_("serial number"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assets",
        verbose_name=_("owner"),
    )
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("department"),
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    installed_on = models.DateField(_("installed on"), null=True, blank=True)

    class Meta:
        ordering = ["tag"]
        verbose_name = _("asset")
        verbose_name_plural = _("assets")

    def __str__(self) -> str:
        return f"{self.tag} ({self.get_asset_type_display()} {self.model_name})".replace(" )", ")")


class FaultCategory(BilingualName):
    """A kind of fault for one asset type, with its symptom questions (MT3)."""

    asset_type = models.CharField(_("asset type"), max_length=20, choices=AssetType.choices)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["asset_type", "order", "name"]
        verbose_name = _("fault category")
        verbose_name_plural = _("fault categories")


class SymptomQuestion(models.Model):
    """A question asked about a fault of this category, from the registered details (MT3)."""

    class AnswerType(models.TextChoices):
        TEXT = "text", _("Free text")
        YES_NO = "yes_no", _("Yes / no")
        CHOICE = "choice", _("One of the choices")

    category = models.ForeignKey(
        FaultCategory, on_delete=models.CASCADE, related_name="questions", verbose_name=_("category")
    )
    text = models.CharField(_("question"), max_length=300)
    text_en = models.CharField(_("question in English"), max_length=300, blank=True)
    answer_type = models.CharField(
        _("answer type"), max_length=10, choices=AnswerType.choices, default=AnswerType.TEXT
    )
    choices = models.CharField(
        _("choices"), max_length=500, blank=True, help_text=_("For 'one of the choices': separated by |")
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category", "order", "pk"]
        verbose_name = _("symptom question")
        verbose_name_plural = _("symptom questions")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if get_language() == "en" and self.text_en:
            return self.text_en
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [c.strip() for c in self.choices.split("|") if c.strip()]


class Kind(models.TextChoices):
    FAULT = "fault", _("Fault")
    SUPPORT = "support", _("Support request")
    LARGE_WORK = "large_work", _("Large-scale work")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    EMAIL = "email", _("E-mail")
    WRITTEN = "written", _("Written")
    ON_SITE = "on_site", _("On site")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


# Sorted: a frozenset's order changes between runs and would churn migrations and SQL text.
OPEN_Q = Q(status__in=list(OPEN_VALUES))


class Ticket(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FAULT)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    # CC2: the reporter's department and name are always recorded, even for a
    # caller the desk could not match to an account.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_tickets",
        verbose_name=_("reporter"),
        db_index=False,  # ticket_reporter_idx leads with it (see Meta.indexes)
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=100)
    reporter_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("reporter's department"),
        db_index=False,  # ticket_dept_idx leads with it
    )
    reporter_is_vip = models.BooleanField(_("VIP"), default=False)
    contact_phone = PhoneNumberField(_("contact phone"), blank=True, region="KR")

    asset = models.ForeignKey(
        Asset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("asset"),
        db_index=False,  # ticket_asset_cat_idx leads with it
    )
    asset_other = models.CharField(_("other equipment"), max_length=200, blank=True)
    category = models.ForeignKey(
        FaultCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("fault category"),
    )
    symptom_answers = models.JSONField(_("symptom answers"), default=list, blank=True)
    requested_by = models.DateTimeField(
        _("requested completion"), null=True, blank=True, help_text=_("For support requests.")
    )

    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("team"),
        db_index=False,  # ticket_team_status_idx and ticket_team_created_idx lead with it
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("handler"),
        db_index=False,  # ticket_assignee_status_idx leads with it
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("received at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    # Deadlines (MT1, BS1), kept by charter.services.deadlines; every future
    # moment is a column so the minute sweep reads only the rows that are due.
    standard_version = models.ForeignKey(
        "standards.StandardVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("service standard"),
    )
    respond_by = models.DateTimeField(_("respond by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("committed date"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next deadline check"), null=True, blank=True)
    clock_started_at = models.DateTimeField(_("deadline window start"), null=True, blank=True)
    paused_at = models.DateTimeField(_("clock paused at"), null=True, blank=True)
    paused_business_seconds = models.PositiveIntegerField(_("paused business time (s)"), default=0)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    deadline_version = models.PositiveIntegerField(_("deadline version"), default=0)
    resolve_by_from_notice = models.BooleanField(_("date set by a delay notice"), default=False)
    # MT5 (charter.repeats): this ticket's place in the count of the same fault on
    # the same equipment within the standard's window. NULL until detection has
    # run; 0 when it does not count (no asset or category, not a fault).
    repeat_occurrence = models.PositiveSmallIntegerField(_("repeat-fault occurrence"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        permissions = [
            ("file_ticket", _("Can file tickets for oneself")),
            ("work_ticket", _("Can work tickets (staff)")),
            ("intake_ticket", _("Can open tickets for callers and walk-ins")),
            ("view_team_tickets", _("Can see the tickets of one's teams")),
            ("view_department_tickets", _("Can see the tickets of every team in one's department")),
            ("view_all_tickets", _("Can see all tickets")),
            ("lead_team", _("Can lead a team (assign, escalations)")),
        ]
        # One index per filter the UI offers; each ends in created_at because
        # every list is ordered by it (newest first) and paginated.
        indexes = [
            models.Index(fields=["reporter", "-created_at"], name="ticket_reporter_idx"),
            models.Index(fields=["team", "status", "-created_at"], name="ticket_team_status_idx"),
            models.Index(fields=["assignee", "status", "-created_at"], name="ticket_assignee_status_idx"),
            models.Index(fields=["status", "-created_at"], name="ticket_status_idx"),
            models.Index(fields=["kind", "-created_at"], name="ticket_kind_idx"),
            models.Index(fields=["priority", "-created_at"], name="ticket_priority_idx"),
            models.Index(fields=["reporter_department", "-created_at"], name="ticket_dept_idx"),
            models.Index(fields=["asset", "category", "-created_at"], name="ticket_asset_cat_idx"),
            models.Index(
                fields=["-created_at"], name="ticket_unassigned_idx", condition=Q(assignee__isnull=True)
            ),
            # The deadline sweep: only rows with a pending moment are in it, so its
            # cost follows the due rows, not the table (finished work has NULL).
            models.Index(
                fields=["next_check_at"], name="ticket_next_check_idx", condition=Q(next_check_at__isnull=False)
            ),
            # P3: open work by deadline, then arrival.
            models.Index(
                fields=["resolve_by", "created_at"],
                name="ticket_open_deadline_idx",
                condition=OPEN_Q,
            ),
            # Leads' escalated work, per team.
            models.Index(
                fields=["team", "-escalation_level", "resolve_by"],
                name="ticket_escalated_idx",
                condition=Q(escalation_level__gt=0),
            ),
            # The lead's dashboard (charter.dashboard): every figure about open work
            # is read from this index alone (an index-only scan of the team's open
            # rows), and its drill-down lists range over (team, resolve_by).
            models.Index(
                fields=["team", "resolve_by", "assignee", "warn_at", "escalation_level", "reporter_is_vip", "paused_at"],
                name="ticket_open_team_load_idx",
                condition=OPEN_Q,
            ),
            # Dashboard trends: opened and closed per day, per team, over a period.
            models.Index(fields=["team", "created_at"], name="ticket_team_created_idx"),
            models.Index(fields=["team", "closed_at"], name="ticket_team_closed_idx", condition=Q(status="closed")),
            # IM1: the scoreboard counts work on the day it was finished.
            models.Index(fields=["resolved_at"], name="ticket_resolved_idx", condition=Q(resolved_at__isnull=False)),
            # MT5 safety net: recent faults whose repeat check has not run yet.
            models.Index(
                fields=["created_at"],
                name="ticket_repeat_unchecked_idx",
                condition=Q(
                    repeat_occurrence__isnull=True, kind="fault", asset__isnull=False, category__isnull=False
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def number(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return Status(self.status) in OPEN


class TicketEvent(models.Model):
    """One line of a ticket's timeline. Text is rendered at display time in the
    reader's language from `kind` and `data`, never stored as a sentence."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Received")
        ASSIGNED = "assigned", _("Assigned")
        ROUTED_TO_BACKUP = "routed_to_backup", _("Routed to backup")
        TEAM_MOVED = "team_moved", _("Handed over to another team")
        STATUS_CHANGED = "status_changed", _("Status changed")
        PRIORITY_CHANGED = "priority_changed", _("Priority changed")
        COMMENTED = "commented", _("Comment")
        ATTACHED = "attached", _("File attached")
        # Deadlines (charter.services.deadlines)
        CLOCK_PAUSED = "clock_paused", _("Deadline clock paused")
        CLOCK_RESUMED = "clock_resumed", _("Deadline clock resumed")
        DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
        DELAY_NOTICE = "delay_notice", _("Delay notice")
        DEADLINE_WARNING = "deadline_warning", _("Deadline warning")
        ESCALATED = "escalated", _("Escalated")
        BREACHED = "breached", _("Deadline passed")
        # On-site visits (visits.services._timeline)
        VISIT_BOOKED = "visit_booked", _("Visit booked")
        VISIT_RESCHEDULED = "visit_rescheduled", _("Visit time changed")
        VISIT_CONFIRMED = "visit_confirmed", _("Visit confirmed")
        VISIT_CANCELLED = "visit_cancelled", _("Visit cancelled")
        VISIT_LATE_NOTICE = "visit_late_notice", _("Engineer running late")
        VISIT_LATE_WITHOUT_NOTICE = "visit_late_without_notice", _("Late for a visit without notice")
        VISIT_CHECKED_IN = "visit_checked_in", _("Engineer arrived")
        VISIT_COMPLETED = "visit_completed", _("Visit completed: resolved")
        VISIT_FOLLOW_UP = "visit_follow_up", _("Visit completed: more work needed")
        VISIT_CUSTOMER_ABSENT = "visit_customer_absent", _("Visit: customer absent")
        # Desk and fault gates (desk)
        IDENTITY_CHECKED = "identity_checked", _("Identity confirmed")
        SYMPTOMS_RECORDED = "symptoms_recorded", _("Symptom answers recorded")
        DIAGNOSIS_RECORDED = "diagnosis_recorded", _("Diagnosis recorded")
        CONSENT_GIVEN = "consent_given", _("Customer agreed to the repair")
        PHONE_CALL = "phone_call", _("Phone call")
        CALLBACK_REQUESTED = "callback_requested", _("Callback promised")
        CALLBACK_MADE = "callback_made", _("Called back")
        WALK_IN = "walk_in", _("Walk-in")
        # Repeat faults (MT5) and VIP work (MT8): charter.repeats
        REPEAT_AT_RISK = "repeat_at_risk", _("Repeat fault: equipment at risk")
        REPEAT_ESCALATED = "repeat_escalated", _("Repeat fault: escalated")
        ROOT_CAUSE_RECORDED = "root_cause_recorded", _("Root cause recorded")
        VIP_OPENED = "vip_opened", _("VIP customer: team lead told")

    # event_ticket_time_idx leads with the ticket: no index of its own.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket"), db_index=False
    )
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
    comment = models.ForeignKey(
        "Comment", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("comment")
    )
    attachment = models.ForeignKey(
        "Attachment", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("attachment")
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_time_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments", verbose_name=_("ticket"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("comment"))
    is_public = models.BooleanField(_("visible to the customer"), default=True)
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:50]


def attachment_path(instance: Attachment, filename: str) -> str:
    # Never trust the uploaded name for the stored path; keep only a safe suffix.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"attachments/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ticket")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    is_public = models.BooleanField(_("visible to the customer"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
