"""The one writer of a ticket's timeline: every app's events go through `event_record`."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from .models import Attachment, Comment, Ticket, TicketEvent

if TYPE_CHECKING:
    from helpdesk.accounts.models import User


def event_record(
    *,
    ticket: Ticket,
    kind: str,
    actor: User | None,
    at: datetime | None = None,
    is_public: bool = True,
    data: dict[str, Any] | None = None,
    comment: Comment | None = None,
    attachment: Attachment | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor=actor,
        created_at=at or timezone.now(),
        is_public=is_public,
        data=data or {},
        comment=comment,
        attachment=attachment,
    )
