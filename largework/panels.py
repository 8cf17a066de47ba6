"""The plan on the ticket pages of large-scale work (registered with tickets.panels)."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tickets.models import Kind, Ticket
from tickets.panels import Panel, panel_register

from .models import PlanState
from .selectors import plan_of_ticket, plans_for_customer, windows_progress
from .services.common import can_edit_plan


def _staff(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None or ticket.kind != Kind.LARGE_WORK:
        return None
    plan = plan_of_ticket(ticket.pk)
    can_edit = plan is not None and ticket.is_open and can_edit_plan(request.user, plan)
    return {
        "plan": plan,
        "progress": windows_progress(plan) if plan else {},
        "can_open": plan is None and request.user.has_perm("tickets.lead_team") and ticket.is_open,
        "can_edit": can_edit,
        "can_submit": can_edit and plan.current is not None and plan.current.state == PlanState.DRAFT,
    }


def _customer(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None or ticket.kind != Kind.LARGE_WORK:
        return None
    plan = plans_for_customer(request.user).filter(ticket_id=ticket.pk).first()
    if plan is None:
        return None
    return {"plan": plan, "progress": windows_progress(plan)}


panel_register(Panel("staff_ticket", "after_priority", 5, "largework/_staff_panel.html", _staff))
panel_register(Panel("customer_ticket", "main", 15, "largework/_customer_panel.html", _customer))
