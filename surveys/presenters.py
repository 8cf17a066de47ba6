"""How the survey's timeline events read on the ticket (registered with tickets.presenters)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from tickets.presenters import EventFacts

from .models import FollowUpOutcome
from .services.common import SurveyEvent


def survey_event_text(event: EventFacts) -> str | None:
    d = event.data or {}
    if event.kind == SurveyEvent.SENT:
        return _("Satisfaction survey sent")
    if event.kind == SurveyEvent.REMINDED:
        return _("Satisfaction survey reminder sent")
    if event.kind == SurveyEvent.ANSWERED:
        return _("Satisfaction survey answered: %(score)s of 5") % {"score": d.get("overall", "-")}
    if event.kind == SurveyEvent.FOLLOW_UP_OPENED:
        return _("Low score: follow-up by the team lead opened")
    if event.kind == SurveyEvent.FOLLOW_UP_ESCALATED:
        return _("Low-score follow-up overdue: section chief told")
    if event.kind == SurveyEvent.FOLLOW_UP_DONE:
        try:
            how = str(FollowUpOutcome(d.get("outcome", "")).label)
        except ValueError:
            how = d.get("outcome", "")
        return _("Low-score follow-up done (%(how)s); customer told") % {"how": how}
    return None
