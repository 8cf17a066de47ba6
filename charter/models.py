"""What the charter's upper floor records: delay notices (MT1), the moments of
the deadline engine acted on (escalations), sweep heartbeats, repeat faults
and their root causes (MT5), and the dashboard's stored figures.

The service standards these are measured against live one floor down, in
`standards`.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

HOURS_FIELD = {"max_digits": 7, "decimal_places": 2}


class DelayNotice(models.Model):
    """MT1: the reason and the new expected date, told to the customer in advance.

    `was_late` is set when it was filed after the deadline had passed; such a
    notice is still sent to the customer but counts against compliance and does
    not move the committed date."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="delay_notices", verbose_name=_("ticket")
    )
    reason = models.TextField(_("reason for the delay"))
    old_deadline = models.DateTimeField(_("previous deadline"), null=True, blank=True)
    new_deadline = models.DateTimeField(_("new expected date"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed at"))
    was_late = models.BooleanField(_("filed after the deadline"), default=False)
    # The ticket's deadline_version the notice was filed against: a level that
    # fires "only without a notice" looks for a notice on the current version.
    deadline_version = models.PositiveIntegerField(_("deadline version"), default=0)

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = _("delay notice")
        verbose_name_plural = _("delay notices")
        indexes = [
            models.Index(fields=["ticket", "deadline_version"], name="delaynotice_ticket_ver_idx"),
            models.Index(fields=["filed_at"], name="delaynotice_filed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} → {self.new_deadline:%Y-%m-%d %H:%M}"


class Escalation(models.Model):
    """One moment of the deadline engine that has been acted on. The unique key
    (ticket, kind, level, deadline version) is what makes the sweep idempotent."""

    class Kind(models.TextChoices):
        RESPOND = "respond", _("No response in time")
        WARNING = "warning", _("Deadline warning")
        BREACH = "breach", _("Deadline passed")
        ESCALATION = "escalation", _("Escalation")

    # charter_escalation_once leads with the ticket: no index of its own.
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="escalations",
        verbose_name=_("ticket"),
        db_index=False,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    level = models.PositiveSmallIntegerField(_("level"), default=0)
    deadline_version = models.PositiveIntegerField(_("deadline version"))
    deadline = models.DateTimeField(_("deadline at the time"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    fired_at = models.DateTimeField(_("acted at"))
    skipped = models.BooleanField(
        _("skipped"), default=False, help_text=_("Not sent: a delay notice had been filed, or nobody to tell.")
    )
    recipients = models.JSONField(_("people told"), default=list, blank=True)

    class Meta:
        ordering = ["-fired_at", "-pk"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind", "level", "deadline_version"], name="charter_escalation_once"
            ),
        ]
        indexes = [models.Index(fields=["kind", "fired_at"], name="escalation_kind_time_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} L{self.level} v{self.deadline_version}"


class SweepRun(models.Model):
    """The sweep's heartbeat: a single row (pk=1) that /healthz reads."""

    started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    due = models.PositiveIntegerField(_("due rows seen"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.PositiveIntegerField(_("rows that failed"), default=0)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("deadline sweep heartbeat")
        verbose_name_plural = _("deadline sweep heartbeat")

    def __str__(self) -> str:
        return f"sweep {self.finished_at:%Y-%m-%d %H:%M:%S}" if self.finished_at else "sweep (never)"


# --- Repeat faults (MT5) ----------------------------------------------------------------


class RepeatFault(models.Model):
    """One episode of the same fault recurring on the same equipment (MT5).

    Opened at the second occurrence within the standard's window (the asset is
    *at risk* and the team lead is told); *escalated* at the threshold (the
    third by default), when a joint visit of a lead and the engineer and a
    root-cause record become required; *resolved* once the root cause is
    recorded. An at-risk episode whose window passes without another fault
    *lapses*. At most one episode per asset and category is open at a time
    (the partial unique constraint), which together with the ticket's
    `repeat_occurrence` makes detection idempotent."""

    class State(models.TextChoices):
        AT_RISK = "at_risk", _("At risk")
        ESCALATED = "escalated", _("Escalated")
        RESOLVED = "resolved", _("Root cause fixed")
        LAPSED = "lapsed", _("Window passed")

    OPEN_STATES = ("at_risk", "escalated")

    asset = models.ForeignKey(
        "tickets.Asset", on_delete=models.CASCADE, related_name="repeat_faults", verbose_name=_("asset")
    )
    category = models.ForeignKey(
        "tickets.FaultCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("fault category")
    )
    # The team of the latest occurrence: what the dashboard scopes by.
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeat_faults",
        verbose_name=_("team"),
    )
    window_days = models.PositiveSmallIntegerField(_("window (days)"))
    threshold = models.PositiveSmallIntegerField(_("threshold"))
    window_start = models.DateTimeField(_("window start"), help_text=_("The earliest occurrence counted."))
    at_risk_until = models.DateTimeField(
        _("at risk until"), help_text=_("Another fault before this moment reaches the threshold.")
    )
    occurrence_count = models.PositiveSmallIntegerField(_("occurrences"), default=0)
    last_occurrence_at = models.DateTimeField(_("last occurrence"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.AT_RISK)
    tickets = models.ManyToManyField(
        "tickets.Ticket",
        through="RepeatFaultTicket",
        related_name="repeat_faults",
        verbose_name=_("tickets"),
    )
    lead_notified_at = models.DateTimeField(_("team lead told at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["-last_occurrence_at", "-pk"]
        verbose_name = _("repeat fault")
        verbose_name_plural = _("repeat faults")
        constraints = [
            models.UniqueConstraint(
                fields=["asset", "category"],
                condition=Q(state__in=["at_risk", "escalated"]),
                name="repeatfault_one_open_per_asset_category",
            ),
        ]
        indexes = [
            # The dashboard: open episodes per team.
            models.Index(
                fields=["team", "state", "-last_occurrence_at"],
                name="repeatfault_team_open_idx",
                condition=Q(state__in=["at_risk", "escalated"]),
            ),
            # The sweep lapses at-risk episodes whose window has passed.
            models.Index(fields=["at_risk_until"], name="repeatfault_lapse_idx", condition=Q(state="at_risk")),
        ]

    def __str__(self) -> str:
        return f"{self.asset_id}/{self.category_id} ×{self.occurrence_count} {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES


class RepeatFaultTicket(models.Model):
    """A ticket counted in an episode, with its place in the count (1st, 2nd, 3rd…)."""

    repeat_fault = models.ForeignKey(
        RepeatFault, on_delete=models.CASCADE, related_name="links", verbose_name=_("repeat fault")
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="repeat_links", verbose_name=_("ticket")
    )
    occurrence = models.PositiveSmallIntegerField(_("occurrence"))
    added_at = models.DateTimeField(_("added at"))

    class Meta:
        ordering = ["repeat_fault", "occurrence", "ticket"]
        verbose_name = _("repeat-fault ticket")
        verbose_name_plural = _("repeat-fault tickets")
        constraints = [
            models.UniqueConstraint(fields=["repeat_fault", "ticket"], name="repeatfaultticket_once"),
        ]
        indexes = [models.Index(fields=["ticket"], name="repeatfaultticket_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.repeat_fault_id}: {self.ticket_id} (#{self.occurrence})"


class RootCause(models.Model):
    """MT5: what really caused a repeat fault, what was done, and how it is kept
    from coming back. Required to close a ticket at the repeat-fault threshold."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="root_cause", verbose_name=_("ticket")
    )
    repeat_fault = models.ForeignKey(
        RepeatFault,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="root_causes",
        verbose_name=_("repeat fault"),
    )
    cause = models.TextField(_("root cause"))
    action_taken = models.TextField(_("action taken"))
    prevention = models.TextField(_("prevention"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("root-cause record")
        verbose_name_plural = _("root-cause records")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.cause[:50]}"


# --- The team lead's dashboard (issue 6) -------------------------------------------------


class DashboardSnapshot(models.Model):
    """The open-work figures of one team, as of `computed_at`.

    Counting a large team's open work (overdue, due soon, warnings, each
    escalation level, VIP, each engineer's load) is an aggregate over every
    open row of the team: cheap for a normal backlog, a few hundred
    milliseconds for a team with a six-figure backlog. The minute task
    computes it once per team (charter.dashboard.snapshots.snapshots_refresh)
    and every lead's dashboard reads the result, so a page view costs the same
    whatever the backlog and however many leads look; a snapshot older than
    the refresh interval is recomputed on the spot, so the figures are never
    staler than that even if the worker stops."""

    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="dashboard_snapshot", verbose_name=_("team")
    )
    computed_at = models.DateTimeField(_("computed at"))
    duration_ms = models.PositiveIntegerField(_("computation time (ms)"), default=0)
    data = models.JSONField(_("figures"), default=dict)

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self) -> str:
        return f"{self.team_id} @ {self.computed_at:%Y-%m-%d %H:%M:%S}"


class DailyTeamStat(models.Model):
    """A finished day's trend figures for one team: tickets opened, closed and
    deadlines passed (IM1). Written once the day is two days old, when nothing
    about it can still change in the normal course of work; the last two days
    are counted live with the snapshot."""

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="daily_stats", verbose_name=_("team")
    )
    day = models.DateField(_("day"))
    opened = models.PositiveIntegerField(_("opened"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    breached = models.PositiveIntegerField(_("deadlines passed"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["team", "day"]
        verbose_name = _("daily team figures")
        verbose_name_plural = _("daily team figures")
        constraints = [models.UniqueConstraint(fields=["team", "day"], name="dailyteamstat_once")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.day}: +{self.opened} -{self.closed} !{self.breached}"


# The scoreboard's tables (IM1) live beside its code; importing them here makes them the charter app's.
from .scoreboard.models import MonthlyReport, ScoreDay  # noqa: E402, F401
