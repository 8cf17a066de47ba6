"""When a survey is sent (IM2): a ticket resolved (tickets.hooks), large work's
completion report submitted (largework's report receivers); and how the
survey's timeline events read."""
from __future__ import annotations

from largework.models import CompletionReport, WorkPlan
from largework.services.reports import report_submitted_receiver
from tickets.hooks import Change, TicketChange, receiver
from tickets.lifecycle import Status
from tickets.models import Kind
from tickets.presenters import event_reader_register

from .presenters import survey_event_text
from .services import survey_for_plan, survey_for_ticket


def survey_on_resolve(change: TicketChange) -> None:
    """A resolved ticket's reporter is asked; large work asks its plan's customer
    contact (normally already asked when the report came in)."""
    ticket = change.ticket
    if change.action != "resolve" or ticket.status != Status.RESOLVED:
        return
    if ticket.kind == Kind.LARGE_WORK:
        plan = WorkPlan.objects.filter(ticket=ticket).select_related("contact", "owner", "ticket__team").first()
        if plan is not None:
            survey_for_plan(plan=plan, at=change.at)
            return
    survey_for_ticket(ticket=ticket, at=change.at)


def survey_on_report(report: CompletionReport) -> None:
    survey_for_plan(plan=report.plan, at=report.submitted_at)


receiver(Change.TRANSITIONED, survey_on_resolve)
report_submitted_receiver(survey_on_report)
event_reader_register(survey_event_text)
