"""The lifecycle notices (conversations.notices), registered on tickets.hooks.

They run in the change's own transaction, so a change that rolls back tells
nobody and a committed one is never left untold (the outbox sends after
commit). `conversations` is listed after `surveys` in INSTALLED_APPS, so on a
resolution the survey already exists when the resolved notice is written."""
from __future__ import annotations

from tickets.hooks import Change, TicketChange, receiver

from .notices import (
    assigned_tell,
    cancelled_tell,
    commented_tell,
    reopened_tell,
    resolved_tell,
    team_moved_tell,
)


def _transitioned(change: TicketChange) -> None:
    if change.action == "resolve":
        resolved_tell(change)
    elif change.action == "reopen":
        reopened_tell(change)
    elif change.action in ("cancel", "cancel_staff"):
        cancelled_tell(change)


receiver(Change.ASSIGNED, assigned_tell)
receiver(Change.COMMENTED, commented_tell)
receiver(Change.TRANSITIONED, _transitioned)
receiver(Change.TEAM_MOVED, team_moved_tell)
