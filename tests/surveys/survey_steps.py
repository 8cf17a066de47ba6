"""Surveys in tests: a ticket resolved through the real lifecycle (which sends
the survey), the survey's signed link, and answering it through the services."""
from __future__ import annotations

from typing import Any

from surveys.links import survey_link
from surveys.models import Survey
from surveys.services import survey_answer
from tests import factories as f
from tickets.lifecycle import Status
from tickets.models import Ticket
from tickets.services import ticket_transition


def resolved(org: f.Org, *, reporter: Any = "customer", handler: Any = None, team: Any = None) -> Ticket:
    """A ticket of `reporter` worked by `handler` (the engineer), resolved now."""
    who = org.customer if reporter == "customer" else reporter
    ticket = f.TicketFactory(
        reporter=who,
        reporter_department=org.customer_dept,
        team=team or org.team,
        assignee=handler or org.engineer,
        status=Status.IN_PROGRESS,
    )
    ticket_transition(ticket=ticket, action="resolve", actor=handler or org.engineer, note="메모리 교체 후 정상")
    ticket.refresh_from_db()
    return ticket


def survey_of(ticket: Ticket) -> Survey:
    return Survey.objects.get(ticket=ticket)


def link_of(survey: Survey) -> str:
    return survey_link(survey.pk)


def answered(survey: Survey, score: int) -> Survey:
    return survey_answer(survey_id=survey.pk, overall=score)
