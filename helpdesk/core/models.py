"""What the ground floor keeps for every app: the last run of each beat task."""
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
