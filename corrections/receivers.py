"""CR1 on the ticket lifecycle: the reopened work resolved again (or cancelled
by staff) closes its correction, in the same transaction."""
from __future__ import annotations

from tickets.hooks import Change, TicketChange, receiver
from tickets.presenters import event_reader_register

from .presenters import correction_event_text
from .services import correction_close

ENDS_CORRECTION = {"resolve": False, "cancel_staff": True}


def correction_ended(change: TicketChange) -> None:
    if change.action in ENDS_CORRECTION:
        correction_close(
            ticket=change.ticket,
            actor=change.actor,
            result=change.note,
            at=change.at,
            cancelled=ENDS_CORRECTION[change.action],
        )


receiver(Change.TRANSITIONED, correction_ended)
event_reader_register(correction_event_text)
