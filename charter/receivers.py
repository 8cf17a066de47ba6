"""The charter's reactions to ticket changes, registered with tickets.hooks:
the deadline clock (MT1, BS1), VIP notice (MT8) and the repeat-fault count and
gate (MT5)."""
from __future__ import annotations

from tickets.hooks import Change, TicketChange, after_commit, guard, receiver

from .repeats import is_countable, repeat_fault_guard, vip_ticket_announce
from .services.deadlines import deadline_on_transition, deadline_recompute, deadline_responded, deadline_start
from .tasks import repeat_fault_check_enqueue


def _created(change: TicketChange) -> None:
    deadline_start(ticket=change.ticket, now=change.at)
    vip_ticket_announce(ticket=change.ticket, actor=change.actor)


def _created_committed(change: TicketChange) -> None:
    if is_countable(change.ticket):
        repeat_fault_check_enqueue(change.ticket.pk)


def _assigned(change: TicketChange) -> None:
    deadline_responded(ticket=change.ticket, at=change.at)


def _transitioned(change: TicketChange) -> None:
    deadline_on_transition(
        ticket=change.ticket, old_status=change.old_status, action=change.action, actor=change.actor, now=change.at
    )


def _priority_changed(change: TicketChange) -> None:
    deadline_recompute(ticket=change.ticket, actor=change.actor, now=change.at)


def _commented(change: TicketChange) -> None:
    # The first public word from staff is a response (MT1).
    if change.by_staff and change.comment is not None and change.comment.is_public:
        deadline_responded(ticket=change.ticket, at=change.at)


guard("MT5", repeat_fault_guard)
receiver(Change.CREATED, _created)
after_commit(Change.CREATED, _created_committed)
receiver(Change.ASSIGNED, _assigned)
receiver(Change.TRANSITIONED, _transitioned)
receiver(Change.PRIORITY_CHANGED, _priority_changed)
receiver(Change.COMMENTED, _commented)
