"""The cards of the "오늘" page, built from what the selectors read (no query here:
the facts, the visits' open items and the standards come loaded)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from helpdesk.accounts.phones import phone_format
from standards.models import StandardVersion
from tickets.models import Ticket
from visits.models import Visit

from ..selectors import business_time_left
from .selectors import step_facts
from .steps import NextStep, ticket_step, visit_step


@dataclass(frozen=True)
class VisitCard:
    visit: Visit
    step: NextStep | None
    customer_phone: str
    place: str

    @property
    def ticket(self) -> Ticket:
        return self.visit.ticket


@dataclass(frozen=True)
class WorkCard:
    ticket: Ticket
    step: NextStep | None
    time_left: timedelta | None
    overdue: bool
    at_risk: bool
    visit_at: datetime | None  # a visit of today on this ticket, shown on the card


def visit_card(visit: Visit) -> VisitCard:
    ticket = visit.ticket
    reporter_phone = ticket.reporter.phone if ticket.reporter_id else ""
    asset = ticket.asset
    # Where to go: the equipment's location when it is known, else the customer's department.
    place = asset.location if asset is not None and asset.location else ticket.reporter_department.name
    return VisitCard(
        visit=visit,
        step=visit_step(visit, open_items=getattr(visit, "open_items", 0)),
        customer_phone=phone_format(ticket.contact_phone) or phone_format(reporter_phone),
        place=place,
    )


def work_card(
    ticket: Ticket, *, now: datetime, standards: dict[int, StandardVersion], visit_at: datetime | None = None
) -> WorkCard:
    at = ticket.paused_at or now
    left = None
    if ticket.resolve_by is not None and ticket.standard_version_id in standards:
        left = business_time_left(ticket, now=now, standard=standards[ticket.standard_version_id])
    return WorkCard(
        ticket=ticket,
        step=ticket_step(ticket, step_facts(ticket)),
        time_left=left,
        overdue=ticket.resolve_by is not None and at > ticket.resolve_by,
        at_risk=ticket.warn_at is not None and at >= ticket.warn_at,
        visit_at=visit_at,
    )
