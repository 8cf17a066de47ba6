"""The fault gates as the lifecycle's guards (registered in `desk.receivers`).

- MT3: a fault moves to diagnosis only once the reporter's identity is confirmed.
- MT4: consent is asked only for a recorded diagnosis, and the repair starts only
  once the customer agreed to the latest diagnosis and its expected duration.

Guards run inside `ticket_transition`'s transaction with the ticket locked and
refuse by raising ActionRefused. They guard faults only: support requests and
large-scale work pass through them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused
from tickets.models import Channel, Kind

from ..models import Consent, IdentityCheck, IdentityMethod
from .gates import identity_check_record, latest_diagnosis

if TYPE_CHECKING:
    from helpdesk.accounts.models import User
    from tickets.lifecycle import Transition
    from tickets.models import Ticket


def identity_guard(*, ticket: Ticket, transition: Transition, actor: User, note: str) -> None:
    """A fault is diagnosed only once the reporter's identity is confirmed."""
    if ticket.kind != Kind.FAULT or transition.action != "diagnose":
        return
    if not IdentityCheck.objects.filter(ticket_id=ticket.pk).exists():
        raise ActionRefused(
            _("Confirm the reporter's identity before the diagnosis: record how it was checked in the identity panel.")
        )


def consent_guard(*, ticket: Ticket, transition: Transition, actor: User, note: str) -> None:
    """Consent is asked for a recorded diagnosis; the repair starts only once the customer agreed."""
    if ticket.kind != Kind.FAULT or transition.action not in ("ask_consent", "start_work"):
        return
    diagnosis = latest_diagnosis(ticket)
    if diagnosis is None:
        if transition.action == "ask_consent":
            raise ActionRefused(
                _("Record the diagnosis and the expected duration first; the customer agrees to those.")
            )
        raise ActionRefused(
            _("The repair cannot start yet: record the diagnosis and the expected duration, and get the customer's consent.")
        )
    if transition.action == "start_work" and not Consent.objects.filter(diagnosis=diagnosis).exists():
        raise ActionRefused(
            _("The repair cannot start before the customer agrees to the diagnosis and its expected duration.")
        )


def identity_from_signed_in_filing(*, ticket: Ticket, actor: User | None) -> None:
    """A reporter who files from their own signed-in account is who they say (MT3)."""
    if (
        actor is not None
        and ticket.channel == Channel.WEB
        and ticket.reporter_id is not None
        and actor.pk == ticket.reporter_id
    ):
        identity_check_record(ticket=ticket, actor=actor, method=IdentityMethod.SIGNED_IN, now=ticket.created_at)
