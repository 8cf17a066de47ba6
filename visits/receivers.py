"""The visits' reactions to ticket changes, registered with tickets.hooks."""
from __future__ import annotations

from tickets.hooks import Change, TicketChange, receiver
from tickets.lifecycle import FINAL_STATUSES

from .services import visits_cancel_for_ticket


def _on_transitioned(change: TicketChange) -> None:
    # No engineer is sent, prompted or counted late for work that no longer exists.
    if change.ticket.status in FINAL_STATUSES:
        visits_cancel_for_ticket(ticket=change.ticket, actor=change.actor, reason=change.note)


receiver(Change.TRANSITIONED, _on_transitioned)
