"""The desk's reactions to ticket changes (MT3, MT4, MT8), registered with tickets.hooks."""
from __future__ import annotations

from tickets.hooks import Change, TicketChange, guard, receiver
from tickets.presenters import event_reader_register

from .presenters import desk_event_text
from .services.gate_guards import consent_guard, identity_from_signed_in_filing, identity_guard
from .services.notices import vip_received_tell


def _on_created(change: TicketChange) -> None:
    identity_from_signed_in_filing(ticket=change.ticket, actor=change.actor)
    vip_received_tell(ticket=change.ticket)


guard("MT3", identity_guard)
guard("MT4", consent_guard)
receiver(Change.CREATED, _on_created)
event_reader_register(desk_event_text)
