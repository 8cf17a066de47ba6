"""What the survey services share: the timeline kinds, the ticket a survey
belongs to, and the standards' numbers with their defaults."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from standards.selectors import calendar_for, current_standard
from tickets.models import Ticket

from ..models import Survey


class SurveyEvent:
    """Ticket timeline kinds of a survey's life (read by surveys.presenters)."""

    SENT = "survey_sent"
    REMINDED = "survey_reminded"
    ANSWERED = "survey_answered"
    FOLLOW_UP_OPENED = "survey_follow_up_opened"
    FOLLOW_UP_ESCALATED = "survey_follow_up_escalated"
    FOLLOW_UP_DONE = "survey_follow_up_done"


@dataclass(frozen=True)
class SurveyRules:
    quiet_days: int = 30
    reminder_hours: int = 48
    valid_days: int = 14
    low_score_threshold: int = 2
    follow_up_due_business_days: int = 2


def survey_rules() -> SurveyRules:
    """The active service standard's survey numbers (the model's defaults without one)."""
    standard = current_standard()
    if standard is None:
        return SurveyRules()
    return SurveyRules(
        quiet_days=standard.survey_quiet_days,
        reminder_hours=standard.survey_reminder_hours,
        valid_days=standard.survey_valid_days,
        low_score_threshold=standard.low_score_threshold,
        follow_up_due_business_days=standard.follow_up_due_business_days,
    )


def follow_up_due(start: datetime, business_days: int) -> datetime:
    """`business_days` whole business days after `start`, on the standards' calendar
    (as large work counts its report's due time)."""
    cal = calendar_for(current_standard())
    return cal.add(start, cal.hours.day_length * business_days)


def ticket_of(survey: Survey) -> Ticket:
    """The ticket whose timeline carries the survey: its own, or its plan's."""
    return survey.ticket if survey.ticket_id else survey.work_plan.ticket


def follow_up_link(follow_up_id: int) -> str:
    return reverse("surveys:follow_up", args=[follow_up_id])
