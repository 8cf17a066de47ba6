"""IM2: the customer's answer through the signed link — the overall score in
one tap, then, in the same visit only, the optional scores and a comment. A
score at or below the standard's threshold opens a follow-up (P4)."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused
from tickets.timeline import event_record

from ..models import SCORE_MAX, SCORE_MIN, Survey
from .common import SurveyEvent, survey_rules, ticket_of
from .follow_ups import follow_up_open

COMMENT_MAX = 2000


class SurveyUnavailable(Exception):
    """The link cannot be used (any more): `reason` is "answered" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def score_check(value: object, *, field: str, required: bool) -> int | None:
    """A score 1–5 (None allowed when not required), else a refusal beside `field`."""
    if value in (None, "") and not required:
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or not SCORE_MIN <= value <= SCORE_MAX:
        raise ActionRefused(_("Choose a score from 1 to 5."), field=field)
    return value


def _locked(survey_id: int) -> Survey:
    return Survey.objects.select_for_update(of=("self",)).select_related("ticket", "work_plan__ticket").get(pk=survey_id)


@transaction.atomic
def survey_answer(*, survey_id: int, overall: object, at: datetime | None = None) -> Survey:
    """Record the overall score once; refuses a used or expired link (SurveyUnavailable)
    and an out-of-range score (ActionRefused), recording nothing."""
    now = at or timezone.now()
    survey = _locked(survey_id)
    if survey.answered_at is not None:
        raise SurveyUnavailable("answered")
    if survey.expires_at <= now:
        raise SurveyUnavailable("expired")
    score = score_check(overall, field="overall", required=True)
    survey.overall = score
    survey.answered_at = now
    survey.save(update_fields=["overall", "answered_at"])
    ticket = ticket_of(survey)
    event_record(
        ticket=ticket, kind=SurveyEvent.ANSWERED, actor=survey.customer, at=now, is_public=True,
        data={"survey": survey.pk, "overall": score},
    )
    if score is not None and score <= survey_rules().low_score_threshold:
        follow_up_open(survey=survey, ticket=ticket, now=now)
    return survey


@transaction.atomic
def survey_details_add(
    *,
    survey_id: int,
    speed: object = None,
    kindness: object = None,
    result: object = None,
    comment: str = "",
    at: datetime | None = None,
) -> Survey:
    """Add the optional scores and comment to an answered survey, once. The
    caller proves it is the answering visit (surveys.links.details_token)."""
    now = at or timezone.now()
    survey = _locked(survey_id)
    if survey.answered_at is None:
        raise SurveyUnavailable("expired")
    if survey.details_at is not None:
        raise SurveyUnavailable("answered")
    scores = {
        name: score_check(value, field=name, required=False)
        for name, value in (("speed", speed), ("kindness", kindness), ("result", result))
    }
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ActionRefused(_("Keep the comment under %(n)s characters.") % {"n": COMMENT_MAX}, field="comment")
    for name, value in scores.items():
        setattr(survey, name, value)
    survey.comment = comment
    survey.details_at = now
    survey.save(update_fields=["speed", "kindness", "result", "comment", "details_at"])
    return survey
