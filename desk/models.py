"""What the desk records: phone calls and transfers (PH1, PH2), callback memos
(PH3), walk-ins (OV2–OV4), which teams handle which equipment (OV1), and the
fault gates: identity checks (MT3), diagnoses with their expected duration and
the customer's consent (MT4).

Each record is written by one service in ``desk.services``; nothing
here changes state on save.
"""
from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from helpdesk.core.times import local_text
from tickets.models import AssetType

# PH1: "answer before the third ring". A Korean ring cycle is one second of
# ringing and two of silence, so the third ring starts six seconds in.
MAX_RINGS = 2
SECONDS_BEFORE_THIRD_RING = 6


def answered_in_time(rings: int | None, seconds_to_answer: int | None) -> bool:
    """PH1 measure: rings when the phone system or the agent counted them, else seconds."""
    if rings is not None:
        return rings <= MAX_RINGS
    if seconds_to_answer is not None:
        return seconds_to_answer < SECONDS_BEFORE_THIRD_RING
    return False


class CallSource(models.TextChoices):
    DESK = "desk", _("Entered by the agent")
    PHONE_SYSTEM = "phone_system", _("Posted by the phone system")


class PhoneCall(models.Model):
    """One call the desk answered (PH1): how fast, who greeted, who called."""

    received_at = models.DateTimeField(_("answered at"), db_index=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="desk_calls", verbose_name=_("agent")
    )
    # The greeting names the agent's team (PH1); kept as it was, even if they move team.
    greeting_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("greeting team"),
    )
    rings = models.PositiveSmallIntegerField(_("rings before answering"), null=True, blank=True)
    seconds_to_answer = models.PositiveIntegerField(_("seconds to answer"), null=True, blank=True)
    answered_in_time = models.BooleanField(_("answered before the third ring"), default=False)
    source = models.CharField(_("recorded by"), max_length=20, choices=CallSource.choices, default=CallSource.DESK)
    external_id = models.CharField(
        _("phone system call id"), max_length=100, null=True, blank=True, unique=True,
        help_text=_("Sent by the phone system; the same id posted twice records one call."),
    )
    caller_number = PhoneNumberField(_("caller's number"), blank=True, region="KR")
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_calls_made",
        verbose_name=_("caller"),
    )
    caller_name = models.CharField(_("caller's name"), max_length=100, blank=True)
    caller_department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caller's department"),
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="phone_calls",
        verbose_name=_("ticket"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("phone call")
        verbose_name_plural = _("phone calls")
        indexes = [models.Index(fields=["agent", "-received_at"], name="desk_call_agent_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rings__isnull=False) | Q(seconds_to_answer__isnull=False),
                name="desk_call_answer_measured",
            ),
        ]

    def __str__(self) -> str:
        return f"{local_text(self.received_at)} {self.caller_name or self.caller_number}"


class CallTransfer(models.Model):
    """PH2: the call went on to a named handler, about a topic."""

    call = models.ForeignKey(PhoneCall, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("call"))
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="desk_transfers_in", verbose_name=_("to")
    )
    # OV5: set when the handler asked for was away and the backup took the call.
    asked_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler asked for"),
    )
    topic = models.CharField(_("topic"), max_length=200)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("call transfer")
        verbose_name_plural = _("call transfers")

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user}: {self.topic}"


class CallbackMemo(models.Model):
    """PH3: the handler was busy or away; we promised to call back.

    `remind_at` (the standard's warning point of the callback window) and
    `due_at` are computed once, in business time, when the memo is taken.
    `next_check_at` is the next of them still to act on, NULL once there is
    nothing left to do; the sweep reads only rows with a moment (partial index).
    """

    call = models.ForeignKey(
        PhoneCall, on_delete=models.SET_NULL, null=True, blank=True, related_name="memos", verbose_name=_("call")
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="callback_memos",
        verbose_name=_("ticket"),
    )
    caller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("caller's account"),
    )
    caller_name = models.CharField(_("caller's name"), max_length=100)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("caller's department")
    )
    phone = PhoneNumberField(_("number to call back"), region="KR")
    matter = models.TextField(_("matter"))
    for_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="desk_callbacks",
        verbose_name=_("calls back"),
    )
    asked_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler asked for"),
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("taken by")
    )
    taken_at = models.DateTimeField(_("taken at"))
    due_minutes = models.PositiveIntegerField(_("promised within (business minutes)"))
    remind_at = models.DateTimeField(_("remind the handler at"))
    due_at = models.DateTimeField(_("call back by"))
    reminded_at = models.DateTimeField(_("handler reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("team lead told at"), null=True, blank=True)
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    closed_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("called back by"),
    )
    callback_note = models.TextField(_("what was said on the callback"), blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("callback memo")
        verbose_name_plural = _("callback memos")
        indexes = [
            models.Index(
                fields=["next_check_at"], name="desk_memo_next_check_idx", condition=Q(next_check_at__isnull=False)
            ),
            models.Index(
                fields=["for_handler", "due_at"], name="desk_memo_open_handler_idx", condition=Q(closed_at__isnull=True)
            ),
            models.Index(fields=["due_at"], name="desk_memo_open_idx", condition=Q(closed_at__isnull=True)),
            models.Index(fields=["-taken_at"], name="desk_memo_taken_idx"),
            # IM1: the scoreboard counts every memo on the day it was due, open or closed.
            models.Index(fields=["due_at"], name="desk_memo_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.caller_name} → {self.for_handler}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def is_overdue(self, now: datetime | None = None) -> bool:
        if self.closed_at is not None:
            return self.closed_at > self.due_at
        return (now or timezone.now()) >= self.due_at


class WalkIn(models.Model):
    """OV2–OV4: a visitor at the office, met by whoever saw them first."""

    arrived_at = models.DateTimeField(_("arrived at"))
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("met by")
    )
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="desk_walk_ins",
        verbose_name=_("visitor's account"),
    )
    visitor_name = models.CharField(_("visitor's name"), max_length=100)
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("visitor's department")
    )
    matter = models.TextField(_("matter"))
    asked_for = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler asked for"),
    )
    routed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="desk_walk_ins_routed",
        verbose_name=_("routed to"),
    )
    via_backup = models.BooleanField(_("routed to the backup"), default=False)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="walk_ins",
        verbose_name=_("ticket"),
    )
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("served by"),
    )
    # OV4: arrival to being served, stored so averages are one SQL aggregate.
    wait_seconds = models.PositiveIntegerField(_("wait (seconds)"), null=True, blank=True)

    class Meta:
        ordering = ["-arrived_at", "-pk"]
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")
        indexes = [
            models.Index(
                fields=["routed_to", "arrived_at"], name="desk_walkin_waiting_idx", condition=Q(served_at__isnull=True)
            ),
            models.Index(fields=["-arrived_at"], name="desk_walkin_arrived_idx"),
            # IM1: the scoreboard counts waits on the day the visitor was served.
            models.Index(fields=["served_at"], name="desk_walkin_served_idx", condition=Q(served_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.visitor_name} → {self.routed_to}"


class TeamAssetType(models.Model):
    """OV1: a maintenance team handles these types of equipment (the directory's topics)."""

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="desk_asset_types", verbose_name=_("team")
    )
    asset_type = models.CharField(_("asset type"), max_length=20, choices=AssetType.choices)

    class Meta:
        ordering = ["team", "asset_type"]
        verbose_name = _("equipment a team handles")
        verbose_name_plural = _("equipment teams handle")
        constraints = [models.UniqueConstraint(fields=["team", "asset_type"], name="desk_team_asset_type_once")]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_asset_type_display()}"


# --- The fault gates (MT3, MT4) ----------------------------------------------------


class IdentityMethod(models.TextChoices):
    SIGNED_IN = "signed_in", _("Signed-in account")
    EMPLOYEE_NO_PHONE = "employee_no_phone", _("Employee number and phone match")
    CALLBACK = "callback", _("Callback to the registered number")
    # A visitor at the desk or the engineer on site shows their employee card.
    IN_PERSON = "in_person", _("In person, with the employee card")


class IdentityCheck(models.Model):
    """MT3: how and by whom the reporter was confirmed to be who they say."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="identity_checks", verbose_name=_("ticket")
    )
    method = models.CharField(_("method"), max_length=20, choices=IdentityMethod.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    at = models.DateTimeField(_("at"))
    # What was compared (employee number, the number called back), for audit.
    detail = models.CharField(_("details"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("identity check")
        verbose_name_plural = _("identity checks")
        indexes = [models.Index(fields=["ticket", "at"], name="desk_identity_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_method_display()}"


class Diagnosis(models.Model):
    """MT4: the first diagnosis and how long the main work is expected to take."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="diagnoses", verbose_name=_("ticket")
    )
    findings = models.TextField(_("findings"))
    expected_minutes = models.PositiveIntegerField(_("expected duration (minutes)"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("diagnosed by")
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("diagnosis")
        verbose_name_plural = _("diagnoses")
        indexes = [models.Index(fields=["ticket", "-at"], name="desk_diagnosis_ticket_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(expected_minutes__gt=0), name="desk_diagnosis_duration_positive")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.findings[:40]}"


class ConsentHow(models.TextChoices):
    PORTAL = "portal", _("In the portal")
    PHONE = "phone", _("By phone")
    IN_PERSON = "in_person", _("In person")


class Consent(models.Model):
    """MT4: the customer agreed to the diagnosis' work and duration (who, how, when)."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="consents", verbose_name=_("ticket")
    )
    diagnosis = models.ForeignKey(
        Diagnosis, on_delete=models.CASCADE, related_name="consents", verbose_name=_("diagnosis")
    )
    given_by = models.CharField(_("given by"), max_length=100)
    how = models.CharField(_("how"), max_length=20, choices=ConsentHow.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    at = models.DateTimeField(_("at"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            # A double tap on "I agree" records one consent, not two.
            models.UniqueConstraint(fields=["diagnosis"], name="desk_consent_once_per_diagnosis"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.given_by} ({self.get_how_display()})"
