"""What the ground floor keeps for every app: the last run of each beat task, and
which beat process may send them (the beat lease and every beat's heartbeat)."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskRun(models.Model):
    """The last run of one periodic task (one row per task), for /healthz and the admin.

    Every beat entry records itself here (`helpdesk.core.task_runs`), so an
    operator sees at a glance which of the sweeps stopped, not only the deadline sweep."""

    task = models.CharField(_("task"), max_length=200, unique=True)
    started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    ok = models.BooleanField(_("last run succeeded"), null=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)
    result = models.BigIntegerField(_("last result"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        ordering = ["task"]
        verbose_name = _("periodic task run")
        verbose_name_plural = _("periodic task runs")

    def __str__(self) -> str:
        return self.task


class BeatLease(models.Model):
    """Who may send beat's periodic tasks: one row per lease (`name`), held by one
    beat process until `expires_at` and renewed by it long before then.

    A beat claims it with a conditional UPDATE (`helpdesk.core.beat_lease`), so a
    second beat started by mistake, or a standby on another machine, sends
    nothing while the holder is alive, and takes over once its lease runs out."""

    name = models.CharField(_("lease"), max_length=50, unique=True)
    holder = models.CharField(_("held by"), max_length=200, blank=True)
    acquired_at = models.DateTimeField(_("held since"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("beat lease")
        verbose_name_plural = _("beat leases")

    def __str__(self) -> str:
        return f"{self.name}: {self.holder or '-'}"


class BeatRole(models.TextChoices):
    HOLDER = "holder", _("Sends the periodic tasks")
    STANDBY = "standby", _("Standby")


class BeatProcess(models.Model):
    """One running (or lately running) beat process and its heartbeat, so /healthz
    can say how many beats are alive and which of them sends."""

    Role = BeatRole

    ident = models.CharField(_("process"), max_length=200, unique=True)
    host = models.CharField(_("host"), max_length=150)
    pid = models.PositiveIntegerField(_("process id"))
    role = models.CharField(_("role"), max_length=10, choices=BeatRole.choices)
    started_at = models.DateTimeField(_("started at"))
    # /healthz counts the rows seen lately: an index keeps that a range scan.
    last_seen = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = _("beat process")
        verbose_name_plural = _("beat processes")

    def __str__(self) -> str:
        return self.ident
