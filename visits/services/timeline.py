"""The visit's history: the one writer of `VisitEvent`s, and the ticket timeline
kinds each visit step also appears as."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone

from helpdesk.accounts.models import User
from tickets.models import TicketEvent
from tickets.timeline import event_record

from ..models import Visit, VisitEvent

# The ticket timeline kinds each visit step appears as (requested from the lead:
# TicketEvent.Kind values of these names). Until a kind exists there, only the
# VisitEvent is written; once it does, the ticket's timeline shows the step too.
TICKET_EVENT_KINDS: dict[str, str] = {
    VisitEvent.Kind.BOOKED: "visit_booked",
    VisitEvent.Kind.PROPOSED: "visit_rescheduled",
    VisitEvent.Kind.CONFIRMED: "visit_confirmed",
    VisitEvent.Kind.CANCELLED: "visit_cancelled",
    VisitEvent.Kind.LATE_NOTICE: "visit_late_notice",
    VisitEvent.Kind.LATE_WITHOUT_NOTICE: "visit_late_without_notice",
    VisitEvent.Kind.CHECKED_IN: "visit_checked_in",
    VisitEvent.Kind.RESOLVED: "visit_completed",
    VisitEvent.Kind.FOLLOW_UP: "visit_follow_up",
    VisitEvent.Kind.CUSTOMER_ABSENT: "visit_customer_absent",
}
# What the ticket timeline prints as "Reason" (its template shows data.note).
_NOTE_FROM = ("reason", "note")


def visit_event_record(
    *,
    visit: Visit,
    kind: str,
    actor: User | None,
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
    is_public: bool = True,
) -> VisitEvent:
    """The one place a visit's history is written: a VisitEvent always, and the
    matching ticket timeline entry once tickets knows the kind."""
    at = at or timezone.now()
    data = data or {}
    event = VisitEvent.objects.create(
        visit=visit, kind=kind, actor=actor, created_at=at, is_public=is_public, data=data
    )
    ticket_kind = TICKET_EVENT_KINDS.get(kind)
    if ticket_kind is not None and ticket_kind in TicketEvent.Kind.values:
        note = next((str(data[k]) for k in _NOTE_FROM if data.get(k)), "")
        event_record(
            ticket=visit.ticket,
            kind=ticket_kind,
            actor=actor,
            at=at,
            is_public=is_public,
            data={**data, "visit_id": visit.pk, **({"note": note} if note else {})},
        )
    return event
