"""The survey on the ticket pages (registered with tickets.panels): staff see
the answer and its follow-up; the customer sees a button to a survey still open."""
from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from tickets.models import Kind, Ticket
from tickets.panels import Panel, panel_register

from .links import survey_link
from .selectors import open_surveys_for, surveys_of_ticket


def _staff(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None:
        return None
    surveys = surveys_of_ticket(ticket)
    if not surveys:
        return None
    return {"surveys": surveys, "can_follow_up": request.user.has_perm("tickets.lead_team")}


def _customer(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None or not request.user.is_authenticated:
        return None
    # Only large-scale work has a plan (largework.services.plan_create refuses other
    # kinds), so other tickets need not join the plans. The button needs only the id:
    # reading it alone spares building the survey, its ticket and its plan's ticket.
    of_ticket = Q(ticket=ticket) | Q(work_plan__ticket=ticket) if ticket.kind == Kind.LARGE_WORK else Q(ticket=ticket)
    survey_id = open_surveys_for(request.user).filter(of_ticket).values_list("pk", flat=True).first()
    if survey_id is None:
        return None
    return {"survey_link": survey_link(survey_id)}


panel_register(Panel("staff_ticket", "after_priority", 20, "surveys/_staff_panel.html", _staff))
panel_register(Panel("customer_ticket", "main", 5, "surveys/_customer_panel.html", _customer))
