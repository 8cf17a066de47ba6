"""Where other apps hook into the ticket lifecycle without editing tickets.services.

- Transition guards: the charter's gates (identity before diagnosis (MT3),
  consent before repair (MT4), a joint visit and a root cause before a third
  repeat fault is resolved (MT5), approval before large work starts (BS2)) are
  rules owned by other apps. Each registers a guard in its AppConfig.ready();
  `ticket_transition` calls them all inside its transaction, before it changes
  anything, and a guard refuses by raising ActionRefused.
- Signals: `ticket_opened` is sent inside ticket_create's transaction once the
  ticket and its first event exist; receivers that start work elsewhere must
  use transaction.on_commit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.dispatch import Signal

if TYPE_CHECKING:
    from helpdesk.accounts.models import User

    from .lifecycle import Transition
    from .models import Ticket


class TransitionGuard(Protocol):
    def __call__(self, *, ticket: Ticket, transition: Transition, actor: User, note: str) -> None: ...


_guards: list[TransitionGuard] = []

# sender=Ticket, ticket=<Ticket>, actor=<User>
ticket_opened = Signal()


def register_transition_guard(guard: TransitionGuard) -> TransitionGuard:
    if guard not in _guards:
        _guards.append(guard)
    return guard


def transition_guards_check(*, ticket: Ticket, transition: Transition, actor: User, note: str) -> None:
    for guard in _guards:
        guard(ticket=ticket, transition=transition, actor=actor, note=note)
