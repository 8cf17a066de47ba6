"""The feedback panel on the customer's ticket page: commend the engineer who
handled it, or complain about it (CC3, CP1) — links, no query."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tickets.models import Ticket
from tickets.panels import Panel, panel_register


def _customer(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None or ticket.reporter_id != request.user.pk:
        return None
    return {"handler": ticket.assignee if ticket.assignee_id else None}


panel_register(Panel("customer_ticket", "main", 40, "feedback/_customer_panel.html", _customer))
