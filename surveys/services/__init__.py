"""Every write of surveys and follow-ups: one function per state change."""
from __future__ import annotations

from .answers import SurveyUnavailable, score_check, survey_answer, survey_details_add
from .follow_ups import follow_up_open, follow_up_record
from .sending import survey_for_plan, survey_for_ticket
from .sweeps import follow_ups_escalate, survey_reminders_send, survey_sweep

__all__ = [
    "SurveyUnavailable",
    "follow_up_open",
    "follow_up_record",
    "follow_ups_escalate",
    "score_check",
    "survey_answer",
    "survey_details_add",
    "survey_for_plan",
    "survey_for_ticket",
    "survey_reminders_send",
    "survey_sweep",
]
