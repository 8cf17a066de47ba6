"""The minute sweep of surveys: one reminder for an unanswered, unexpired survey
after the standard's hours (IM2), and an overdue follow-up escalated once to
the section chief(s) (P4). Each row is claimed with a conditional update, so a
second sweep (or a second worker) does nothing twice; a row whose telling
fails rolls back its claim, is logged, and does not stop the rest."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.accounts.selectors import lead_book
from helpdesk.core.times import local_text
from helpdesk.notifications.doors import tell_customer, tell_staff
from tickets.timeline import event_record

from ..links import survey_link
from ..models import FollowUp, FollowUpState, Survey
from .common import SurveyEvent, follow_up_link, survey_rules, ticket_of

logger = logging.getLogger(__name__)

BATCH = 200


def _remind(survey: Survey, now: datetime) -> None:
    ticket = ticket_of(survey)
    title = ticket.title
    expires = survey.expires_at
    tell_customer(
        key=f"surveys:reminder:s{survey.pk}",
        recipient=survey.customer,
        template="generic",
        context=lambda: {
            "subject": _("A reminder: how did we do? %(title)s") % {"title": title},
            "body": _("One tap rates our service (1 to 5). The link works until %(when)s.") % {"when": local_text(expires)},
        },
        ticket=ticket,
        link=survey_link(survey.pk),
        phone=None if survey.ticket_id else (str(survey.customer.phone) if survey.customer.phone else ""),
    )
    event_record(ticket=ticket, kind=SurveyEvent.REMINDED, actor=None, at=now, is_public=True, data={"survey": survey.pk})


def survey_reminders_send(*, now: datetime | None = None) -> int:
    """One reminder per unanswered survey, `survey_reminder_hours` after it was
    sent, while its link still works; returns the surveys reminded."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=survey_rules().reminder_hours)
    due = list(
        Survey.objects.filter(answered_at__isnull=True, reminded_at__isnull=True, sent_at__lte=cutoff, expires_at__gt=now)
        .select_related("customer", "ticket", "work_plan__ticket")
        .order_by("sent_at")[:BATCH]
    )
    reminded = 0
    for survey in due:
        try:
            with transaction.atomic():
                claimed = Survey.objects.filter(pk=survey.pk, reminded_at__isnull=True, answered_at__isnull=True).update(
                    reminded_at=now
                )
                if claimed != 1:
                    continue  # answered meanwhile, or another sweep reminded
                _remind(survey, now)
        except Exception:
            logger.exception("surveys: reminder of survey %s failed; retried next sweep", survey.pk)
            continue
        reminded += 1
    return reminded


def _escalate(follow_up: FollowUp, people: list, now: datetime) -> None:
    ticket = ticket_of(follow_up.survey)
    if not people:
        logger.warning("surveys: nobody above the lead to tell that follow-up %s is late", follow_up.pk)
    number, title, due_at = ticket.number, ticket.title, follow_up.due_at
    lead_name = follow_up.lead.display_name if follow_up.lead else "-"
    tell_staff(
        key=f"surveys:follow-up-late:f{follow_up.pk}",
        recipients=[follow_up.lead, *people],
        template="generic",
        context=lambda: {
            "subject": _("Low-score follow-up overdue: %(number)s %(title)s") % {"number": number, "title": title},
            "body": _("The follow-up by %(lead)s was due %(when)s and is not recorded.")
            % {"lead": lead_name, "when": local_text(due_at)},
        },
        ticket=ticket,
        link=follow_up_link(follow_up.pk),
    )
    event_record(
        ticket=ticket, kind=SurveyEvent.FOLLOW_UP_ESCALATED, actor=None, at=now, is_public=False,
        data={"follow_up": follow_up.pk, "to": [p.display_name for p in people]},
    )


def follow_ups_escalate(*, now: datetime | None = None) -> int:
    """Tell the section chief(s) of every follow-up past its due time, once; returns those escalated."""
    now = now or timezone.now()
    due = list(
        FollowUp.objects.filter(state=FollowUpState.OPEN, escalated_at__isnull=True, due_at__lte=now)
        .select_related("lead", "team", "team__lead", "survey", "survey__ticket", "survey__work_plan__ticket")
        .order_by("due_at")[:BATCH]
    )
    book = lead_book(f.team for f in due)
    escalated = 0
    for follow_up in due:
        chiefs = [c for c in book.chiefs_for(follow_up.team) if c.pk != follow_up.lead_id]
        people = chiefs or book.leads_for(follow_up.team, about=follow_up.lead)
        try:
            with transaction.atomic():
                claimed = FollowUp.objects.filter(
                    pk=follow_up.pk, state=FollowUpState.OPEN, escalated_at__isnull=True
                ).update(escalated_at=now)
                if claimed != 1:
                    continue
                _escalate(follow_up, people, now)
        except Exception:
            logger.exception("surveys: escalation of follow-up %s failed; retried next sweep", follow_up.pk)
            continue
        escalated += 1
    return escalated


def survey_sweep(*, now: datetime | None = None) -> int:
    """One pass: reminders, then escalations; returns the rows acted on."""
    now = now or timezone.now()
    return survey_reminders_send(now=now) + follow_ups_escalate(now=now)
