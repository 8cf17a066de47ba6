"""Corrections (CR1): finished work reopened by staff on their own initiative."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_REASON = 500
MAX_WRONG = 2000
MAX_RESULT = 2000


class CorrectionState(models.TextChoices):
    OPEN = "open", _("Being corrected")
    CLOSED = "closed", _("Corrected")


class Correction(models.Model):
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="corrections", verbose_name=_("ticket"), db_index=False
    )
    # Copied from the ticket when opened: the team and engineer whose work is
    # corrected, so the figures and the leads' list need no join to tickets.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("engineer"),
    )
    reason = models.CharField(_("reason"), max_length=MAX_REASON)
    what_was_wrong = models.TextField(_("what was wrong"), max_length=MAX_WRONG)
    state = models.CharField(_("state"), max_length=10, choices=CorrectionState.choices, default=CorrectionState.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by")
    )
    opened_at = models.DateTimeField(_("opened at"))
    result = models.TextField(_("result"), max_length=MAX_RESULT, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            # One correction at a time per ticket: a second would have no work of its own.
            models.UniqueConstraint(
                fields=["ticket"], condition=models.Q(state="open"), name="correction_one_open_per_ticket"
            ),
        ]
        indexes = [
            models.Index(fields=["ticket", "-opened_at"], name="correction_ticket_idx"),
            # The leads' list (their teams, by state, newest first) and the team figures.
            models.Index(fields=["team", "state", "-opened_at"], name="correction_team_idx"),
            models.Index(fields=["team", "-opened_at"], name="correction_team_time_idx"),
            # The engineer figures and the period figures.
            models.Index(fields=["engineer", "opened_at"], name="correction_engineer_idx"),
            models.Index(fields=["opened_at"], name="correction_opened_idx"),
            models.Index(fields=["closed_at"], name="correction_closed_idx", condition=models.Q(closed_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.state == CorrectionState.OPEN
