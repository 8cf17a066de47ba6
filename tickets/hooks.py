"""The one way an app above `tickets` reacts to a ticket change.

`tickets` imports no app above it. The desk, visits, standards and charter
apps act on a ticket's changes by registering here, each from its own
`receivers.py` (imported by its AppConfig.ready()):

- **Guards** (`guard`) run inside `ticket_transition`'s transaction, with the
  ticket locked, after the lifecycle table allowed the move and before
  anything changes; a guard refuses by raising ActionRefused. Each names the
  charter clause it keeps, so `guards_by_clause()` lists them all in one place
  (and `manage.py lifecycle_table` prints that list).
- **Receivers** (`receiver`) run after the change, in the same transaction:
  what they write commits or rolls back with the change itself.
- **After-commit work** (`after_commit`) runs once the change is committed
  (queueing a task, telling someone); never for a change that rolled back.

Every reaction gets one `TicketChange`: what happened, to which ticket, by
whom, when, and the details of that kind of change.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Protocol

from django.db import transaction

if TYPE_CHECKING:
    from helpdesk.accounts.models import User

    from .lifecycle import Transition
    from .models import Comment, Ticket


class Change(StrEnum):
    CREATED = "created"
    ASSIGNED = "assigned"
    TRANSITIONED = "transitioned"
    PRIORITY_CHANGED = "priority_changed"
    COMMENTED = "commented"
    TEAM_MOVED = "team_moved"


@dataclass(frozen=True)
class TicketChange:
    kind: Change
    ticket: Ticket
    actor: User | None
    at: datetime
    # TRANSITIONED: the action taken, the status left and the note given.
    action: str = ""
    old_status: str = ""
    note: str = ""
    # COMMENTED: the comment and whether staff wrote it.
    comment: Comment | None = None
    by_staff: bool = False
    # ASSIGNED and TEAM_MOVED: who had it and which team it was with before.
    old_assignee_id: int | None = None
    old_team_id: int | None = None


class TransitionGuard(Protocol):
    def __call__(self, *, ticket: Ticket, transition: Transition, actor: User, note: str) -> None: ...


Reaction = Callable[[TicketChange], None]


@dataclass(frozen=True)
class RegisteredGuard:
    clause: str
    check: TransitionGuard
    summary: str


_guards: list[RegisteredGuard] = []
_receivers: dict[Change, list[Reaction]] = {kind: [] for kind in Change}
_after_commit: dict[Change, list[Reaction]] = {kind: [] for kind in Change}


def guard(clause: str, check: TransitionGuard, *, summary: str = "") -> TransitionGuard:
    """Register a transition guard keeping `clause` (registering it again keeps one)."""
    if all(g.check is not check for g in _guards):
        _guards.append(RegisteredGuard(clause=clause, check=check, summary=summary or (check.__doc__ or "").strip()))
    return check


def receiver(kind: Change, reaction: Reaction) -> Reaction:
    """Run `reaction` after a change of `kind`, inside the same transaction."""
    if reaction not in _receivers[kind]:
        _receivers[kind].append(reaction)
    return reaction


def after_commit(kind: Change, reaction: Reaction) -> Reaction:
    """Run `reaction` once a change of `kind` is committed."""
    if reaction not in _after_commit[kind]:
        _after_commit[kind].append(reaction)
    return reaction


def guards_by_clause() -> list[RegisteredGuard]:
    """Every registered guard, ordered by the clause it keeps."""
    return sorted(_guards, key=lambda g: (g.clause, g.check.__module__, g.check.__qualname__))


def guards_check(*, ticket: Ticket, transition: Transition, actor: User, note: str) -> None:
    """Called by `ticket_transition` only."""
    for registered in _guards:
        registered.check(ticket=ticket, transition=transition, actor=actor, note=note)


def changed(change: TicketChange) -> None:
    """Called by the ticket services only, inside their transaction, once the change is written."""
    for reaction in _receivers[change.kind]:
        reaction(change)
    for reaction in _after_commit[change.kind]:
        transaction.on_commit(partial(reaction, change), robust=True)
