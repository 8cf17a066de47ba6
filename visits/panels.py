"""The visits' panels on the ticket pages (registered with tickets.panels)."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket
from tickets.panels import OnDemand, Panel, panel_register

from .forms import BookForm
from .selectors import open_visit_for_ticket, visits_for_ticket


def _staff(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    """The ticket's visits for staff, with the form to book one (one query for the
    visits, one for the people in the form's lists)."""
    if ticket is None:
        return None
    user = request.user
    visits = visits_for_ticket(ticket)
    can_book = user.has_perm("tickets.work_ticket") and ticket.is_open and open_visit_for_ticket(visits) is None
    form = None
    if can_book:
        form = BookForm(user=user, initial={"engineer": ticket.assignee_id or user.pk, "purpose": ticket.title})
    return {"visits": visits, "form": form}


def _customer(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    """The customer's visits on their ticket page: who comes and when (SV3), and
    what needs their answer."""
    if ticket is None:
        return None
    visits = visits_for_ticket(ticket) if ticket.reporter_id == request.user.pk else []
    return {"visits": visits}


# On demand: most visits to a ticket page do not open the visits.
panel_register(
    Panel("staff_ticket", "after_priority", 30, "visits/_panel.html", _staff, OnDemand("visits", "visits", _("Visits")))
)
panel_register(Panel("customer_ticket", "main", 30, "visits/_customer_panel.html", _customer))
