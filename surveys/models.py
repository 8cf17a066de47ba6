"""Satisfaction surveys (IM2, P1) and the follow-ups a low score opens (P4).

Each moment a sweep or a list filters on is a column with an index: the
reminder sweep reads unanswered, unreminded surveys by `sent_at`; the quiet
period reads a customer's surveys by `sent_at`; the figures read by team or
handler and `sent_at`; the follow-up queue reads open follow-ups by team and
`due_at`; the escalation sweep reads open, unescalated ones by `due_at`.
"""
from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

SCORE_MIN = 1
SCORE_MAX = 5
SCORE_VALIDATORS = [MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]


class SurveyKind(models.TextChoices):
    TICKET = "ticket", _("Request")
    LARGE_WORK = "large_work", _("Large-scale work")


def _score_field(label: str, *, required: bool = False) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, null=True, blank=not required, validators=SCORE_VALIDATORS)


def _score_in_range(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": SCORE_MIN, f"{name}__lte": SCORE_MAX}),
        name=f"survey_{name}_1_to_5",
    )


class Survey(models.Model):
    """One short survey of one customer about one finished piece of work."""

    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices, default=SurveyKind.TICKET)
    # A ticket's survey, or (XOR) the survey of a large-work plan's customer contact.
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, null=True, blank=True, related_name="surveys", verbose_name=_("request")
    )
    work_plan = models.ForeignKey(
        "largework.WorkPlan", on_delete=models.CASCADE, null=True, blank=True, related_name="surveys", verbose_name=_("work plan")
    )
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("customer"), db_index=False
    )
    # Who did the work and their team at the time, so the figures do not move when people do.
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("team"), db_index=False
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("handler"), db_index=False,
    )
    sent_at = models.DateTimeField(_("sent at"))
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # When the optional scores and comment were added (once, in the answering visit).
    details_at = models.DateTimeField(_("details added at"), null=True, blank=True)
    overall = _score_field(_("overall score"))
    speed = _score_field(_("speed"))
    kindness = _score_field(_("kindness"))
    result = _score_field(_("result"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        constraints = [
            models.CheckConstraint(
                condition=(Q(ticket__isnull=False) & Q(work_plan__isnull=True))
                | (Q(ticket__isnull=True) & Q(work_plan__isnull=False)),
                name="survey_ticket_xor_plan",
            ),
            # One survey per large-work plan, whichever way it was asked for.
            models.UniqueConstraint(fields=["work_plan"], name="survey_one_per_plan", condition=Q(work_plan__isnull=False)),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(overall__isnull=False), name="survey_answer_has_score"
            ),
            _score_in_range("overall"),
            _score_in_range("speed"),
            _score_in_range("kindness"),
            _score_in_range("result"),
        ]
        indexes = [
            # The quiet period: this customer's latest survey.
            models.Index(fields=["customer", "-sent_at"], name="survey_customer_sent_idx"),
            # The reminder sweep: unanswered and not yet reminded, oldest first.
            models.Index(
                fields=["sent_at"], name="survey_remind_due_idx", condition=Q(answered_at__isnull=True, reminded_at__isnull=True)
            ),
            # The figures by period, per team and per engineer.
            models.Index(fields=["team", "sent_at"], name="survey_team_sent_idx"),
            models.Index(fields=["handler", "sent_at"], name="survey_handler_sent_idx"),
            models.Index(fields=["sent_at"], name="survey_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"survey {self.pk} ({self.customer_id})"


class FollowUpState(models.TextChoices):
    OPEN = "open", _("To follow up")
    DONE = "done", _("Done")


class FollowUpOutcome(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")


class FollowUp(models.Model):
    """P4: a low score is followed up by the team lead, by a call or a visit, by a deadline."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="follow_up", verbose_name=_("survey"))
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team"), db_index=False
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("team lead"),
    )
    created_at = models.DateTimeField(_("opened at"))
    due_at = models.DateTimeField(_("due"))
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=FollowUpState.choices, default=FollowUpState.OPEN)
    outcome = models.CharField(_("how"), max_length=10, choices=FollowUpOutcome.choices, blank=True)
    action = models.TextField(_("what was done"), blank=True, max_length=2000)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("done by"),
    )
    customer_told_at = models.DateTimeField(_("customer told at"), null=True, blank=True)

    class Meta:
        verbose_name = _("low-score follow-up")
        verbose_name_plural = _("low-score follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open") | (Q(done_at__isnull=False) & ~Q(outcome="")), name="followup_done_has_outcome"
            ),
        ]
        indexes = [
            # The queue: a team's follow-ups, open first, by due time.
            models.Index(fields=["team", "state", "due_at"], name="followup_queue_idx"),
            # The escalation sweep: open, not yet escalated, by due time.
            models.Index(
                fields=["due_at"], name="followup_escalate_idx", condition=Q(state="open", escalated_at__isnull=True)
            ),
            # The on-time figure by period.
            models.Index(fields=["team", "created_at"], name="followup_team_created_idx"),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.pk} (survey {self.survey_id})"
