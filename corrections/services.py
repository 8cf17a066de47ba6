"""Every write of corrections (CR1): one function per state change.

A correction sends finished work back to work through the ticket's own
lifecycle (`reopen`, with its timeline event), and is closed by the receiver
of the next `resolve` (or a staff cancellation), which tells the customer the
result at once.
"""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.doors import tell_customer
from tickets.lifecycle import Status
from tickets.links import ticket_link
from tickets.locks import ticket_locked
from tickets.permissions import require_staff
from tickets.services import ticket_transition
from tickets.timeline import event_record

from .models import MAX_REASON, MAX_RESULT, MAX_WRONG, Correction, CorrectionState

if TYPE_CHECKING:
    from helpdesk.accounts.models import User
    from tickets.models import Ticket


class CorrectionEvent:
    """Timeline kinds written by this app (read by corrections.presenters)."""

    OPENED = "correction_opened"
    CLOSED = "correction_closed"


CORRECTABLE = frozenset({Status.RESOLVED, Status.CLOSED})


def _text(value: str, *, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused(message, field=field)
    if len(value) > limit:
        raise ActionRefused(
            _("Please keep this to %(limit)s characters (it has %(n)s).") % {"limit": limit, "n": len(value)},
            field=field,
        )
    return value


@transaction.atomic
def correction_open(*, ticket: Ticket, actor: User, reason: str, what_was_wrong: str) -> Correction:
    """Staff reopen finished work to correct it (CR1). The caller has scoped
    the ticket to the actor (tickets.selectors.ticket_for_staff)."""
    require_staff(actor)
    reason = _text(reason, field="reason", message=_("Please give the reason for the correction."), limit=MAX_REASON)
    what_was_wrong = _text(
        what_was_wrong, field="what_was_wrong", message=_("Please say what was wrong with the work."), limit=MAX_WRONG
    )
    ticket = ticket_locked(ticket)
    if ticket.status not in CORRECTABLE:
        raise ActionRefused(_("Only finished work (resolved or closed) can be reopened as a correction."))
    if Correction.objects.filter(ticket=ticket, state=CorrectionState.OPEN).exists():
        raise ActionRefused(_("This ticket already has a correction under way."))
    now = timezone.now()
    correction = Correction.objects.create(
        ticket=ticket,
        team_id=ticket.team_id,
        engineer_id=ticket.assignee_id,
        reason=reason,
        what_was_wrong=what_was_wrong,
        opened_by=actor,
        opened_at=now,
    )
    # Back to work through the lifecycle: its own (public) status event says why.
    ticket_transition(ticket=ticket, action="reopen", actor=actor, note=reason)
    # What was wrong stays between staff.
    event_record(
        ticket=ticket,
        kind=CorrectionEvent.OPENED,
        actor=actor,
        at=now,
        is_public=False,
        data={"correction": correction.pk, "reason": reason, "wrong": what_was_wrong},
    )
    return correction


def correction_close(*, ticket: Ticket, actor: User | None, result: str, at: datetime, cancelled: bool = False) -> Correction | None:
    """Record the result of the ticket's open correction and tell the customer
    at once. Called inside ticket_transition's transaction (the ticket locked)
    when the reopened work is resolved again, or cancelled by staff; None when
    the ticket has no correction under way."""
    correction = Correction.objects.select_for_update().filter(ticket=ticket, state=CorrectionState.OPEN).first()
    if correction is None:
        return None
    correction.state = CorrectionState.CLOSED
    correction.result = (result or "").strip()[:MAX_RESULT]
    correction.closed_by = actor
    correction.closed_at = at
    correction.save(update_fields=["state", "result", "closed_by", "closed_at"])
    event_record(
        ticket=ticket,
        kind=CorrectionEvent.CLOSED,
        actor=actor,
        at=at,
        is_public=True,
        data={"correction": correction.pk, "result": correction.result, "cancelled": cancelled},
    )
    number, result_text = ticket.number, correction.result
    tell_customer(
        key=f"corrections:closed:c{correction.pk}",
        recipient=ticket.reporter,
        template="generic",
        context=lambda: {
            "subject": _("Your request %(number)s was re-examined and corrected") % {"number": number},
            "body": (
                _("We re-examined the work on %(number)s on our own initiative. It was cancelled: %(result)s")
                if cancelled
                else _("We re-examined the work on %(number)s on our own initiative and corrected it: %(result)s")
            )
            % {"number": number, "result": result_text},
        },
        ticket=ticket,
        link=ticket_link(ticket.pk, customer=True),
    )
    return correction
