"""The correction panel on the staff ticket page (registered with tickets.panels)."""
from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket
from tickets.panels import OnDemand, Panel, panel_register
from tickets.permissions import is_staff

from .forms import CorrectionForm
from .selectors import corrections_of_ticket, ticket_was_corrected
from .services import CORRECTABLE


def correction_panel_context(request: HttpRequest, ticket: Ticket, form: CorrectionForm | None = None) -> dict[str, Any]:
    corrections = list(corrections_of_ticket(ticket.pk))
    under_way = any(c.is_open for c in corrections)
    return {
        "corrections": corrections,
        "can_open": is_staff(request.user) and ticket.status in CORRECTABLE and not under_way,
        "form": form or CorrectionForm(),
        "failed": form is not None and form.is_bound,
    }


def _staff(request: HttpRequest, ticket: Ticket | None) -> dict[str, Any] | None:
    if ticket is None:
        return None
    if ticket.status not in CORRECTABLE and not ticket_was_corrected(ticket.pk):
        return None  # open work never corrected: nothing to show, without reading the list
    context = correction_panel_context(request, ticket)
    # Nothing to show on open work that was never corrected.
    if not context["corrections"] and not context["can_open"]:
        return None
    return context


def _may_show(ticket: Ticket) -> bool:
    # Finished work (it may be corrected), or work that was: the same rule as _staff's, without the list.
    return ticket.status in CORRECTABLE or ticket_was_corrected(ticket.pk)


# On demand: correcting finished work is rare, and the history with its form cost
# a query and a form on every view of a finished ticket.
panel_register(
    Panel(
        "staff_ticket", "after_priority", 40, "corrections/_panel.html", _staff,
        OnDemand("corrections", "correction-panel", _("Corrections"), _may_show),
    )
)
