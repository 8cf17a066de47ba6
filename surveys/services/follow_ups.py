"""P4: a low score opens a follow-up for the team lead, due in business days;
the lead records the call or visit and what was done, and the customer is told."""
from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.models import User
from helpdesk.accounts.selectors import leads_for
from helpdesk.core.errors import ActionRefused
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_customer, tell_staff
from tickets.models import Ticket
from tickets.timeline import event_record

from ..models import FollowUp, FollowUpOutcome, FollowUpState, Survey
from .common import SurveyEvent, follow_up_due, follow_up_link, survey_rules, ticket_of

logger = logging.getLogger(__name__)

ACTION_MAX = 2000


def follow_up_open(*, survey: Survey, ticket: Ticket, now: datetime) -> FollowUp:
    """Called by survey_answer inside its transaction. The lead is the team's
    (its section chief when the lead did the work themselves: nobody follows up
    on their own score)."""
    people = leads_for(survey.team, about=survey.handler)
    if not people:
        logger.warning("surveys: nobody to follow up the low score of survey %s", survey.pk)
    due = follow_up_due(now, survey_rules().follow_up_due_business_days)
    follow_up = FollowUp.objects.create(
        survey=survey, team=survey.team, lead=people[0] if people else None, created_at=now, due_at=due
    )
    event_record(
        ticket=ticket, kind=SurveyEvent.FOLLOW_UP_OPENED, actor=None, at=now, is_public=False,
        data={"follow_up": follow_up.pk, "overall": survey.overall, "due_at": due.isoformat()},
    )
    score = survey.overall
    number, title = ticket.number, ticket.title
    tell_staff(
        key=f"surveys:follow-up:f{follow_up.pk}",
        recipients=people,
        template="generic",
        context=lambda: {
            "subject": _("Low satisfaction score (%(score)s/5): %(number)s %(title)s")
            % {"score": score, "number": number, "title": title},
            "body": _("Call or visit the customer and record what was done by %(when)s.") % {"when": local_text(due)},
        },
        ticket=ticket,
        link=follow_up_link(follow_up.pk),
    )
    return follow_up


@transaction.atomic
def follow_up_record(*, follow_up: FollowUp, actor: User, outcome: str, action: str) -> FollowUp:
    """The lead's call or visit and what was done; the customer is told the result.
    The caller has scoped `follow_up` to the actor (surveys.selectors.follow_up_for)."""
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("survey", "survey__customer", "survey__ticket", "survey__work_plan__ticket")
        .get(pk=follow_up.pk)
    )
    if not actor.has_perm("tickets.lead_team"):
        raise ActionRefused(_("Only a team lead or section chief records a follow-up."))
    if follow_up.state != FollowUpState.OPEN:
        raise ActionRefused(_("This follow-up is already recorded."))
    if outcome not in FollowUpOutcome.values:
        raise ActionRefused(_("Choose whether you called or visited the customer."), field="outcome")
    action = (action or "").strip()
    if not action:
        raise ActionRefused(_("Say what was done for the customer."), field="action")
    if len(action) > ACTION_MAX:
        raise ActionRefused(_("Keep it under %(n)s characters.") % {"n": ACTION_MAX}, field="action")
    now = timezone.now()
    follow_up.state = FollowUpState.DONE
    follow_up.outcome = outcome
    follow_up.action = action
    follow_up.done_at = now
    follow_up.done_by = actor
    follow_up.customer_told_at = now
    follow_up.save(update_fields=["state", "outcome", "action", "done_at", "done_by", "customer_told_at"])
    survey = follow_up.survey
    ticket = ticket_of(survey)
    event_record(
        ticket=ticket, kind=SurveyEvent.FOLLOW_UP_DONE, actor=actor, at=now, is_public=True,
        data={"follow_up": follow_up.pk, "outcome": outcome, "on_time": now <= follow_up.due_at},
    )
    title, name = ticket.title, actor.display_name
    tell_customer(
        key=f"surveys:follow-up-done:f{follow_up.pk}",
        recipient=survey.customer,
        template="generic",
        context=lambda: {
            "subject": _("About your survey answer: %(title)s") % {"title": title},
            "body": _("Thank you for telling us. %(name)s followed up: %(action)s") % {"name": name, "action": action},
        },
        ticket=ticket,
        phone=None if survey.ticket_id else (str(survey.customer.phone) if survey.customer.phone else ""),
        link=(
            reverse("portal:ticket_detail", args=[ticket.pk])
            if survey.ticket_id
            else reverse("largework:customer_plan", args=[survey.work_plan_id])
        ),
    )
    return follow_up
