"""The one ticket lock: a write that checks a ticket's state first takes its row."""
from __future__ import annotations

from collections.abc import Sequence

from .models import Ticket


def ticket_lock(pk: int, *, no_key: bool = False, related: Sequence[str] = ()) -> Ticket | None:
    """The ticket's row, locked until the transaction ends (None if it is gone).

    Two people acting on one ticket at once must not both pass a state guard.
    `no_key=True` takes FOR NO KEY UPDATE, which does not block the key-share
    locks other transactions take when they insert rows pointing at the ticket.
    """
    rows = Ticket.objects.select_for_update(of=("self",) if related else (), no_key=no_key)
    if related:
        rows = rows.select_related(*related)
    return rows.filter(pk=pk).first()


def ticket_locked(ticket: Ticket) -> Ticket:
    """`ticket` read again under the lock; it must exist."""
    locked = ticket_lock(ticket.pk)
    if locked is None:
        raise Ticket.DoesNotExist(ticket.pk)
    return locked
