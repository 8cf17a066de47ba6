"""Meeting the desk's fault gates (MT3, MT4) in tests and journeys about other things.

Tests of tickets, visits and the browser journeys that walk a fault through
diagnosis and repair call these, through the desk's own services, so the gates
stay on everywhere. (Was tests/desk/gates.py; the desk's own tests of the gates
are tests/desk/test_identity_check.py and test_diagnosis_consent.py.)"""
from __future__ import annotations

from desk.models import ConsentHow, IdentityMethod
from desk.services import consent_record, diagnosis_record, identity_check_record
from tickets.models import Ticket


def identity_confirmed(ticket: Ticket, by=None):
    """MT3: the reporter's own signed-in report, or the employee card seen by `by`."""
    if by is None and ticket.reporter is not None:
        return identity_check_record(ticket=ticket, actor=ticket.reporter, method=IdentityMethod.SIGNED_IN)
    return identity_check_record(ticket=ticket, actor=by, method=IdentityMethod.IN_PERSON)


def diagnosed(ticket: Ticket, by, *, minutes: int = 60, findings: str = "메모리 불량", ask_consent: bool = False):
    """MT4: the engineer's diagnosis and expected duration (the ticket must be diagnosing)."""
    return diagnosis_record(
        ticket=ticket, actor=by, findings=findings, expected_minutes=minutes, ask_consent=ask_consent
    )


def consented(ticket: Ticket, by, *, given_by: str = "", how: str = ConsentHow.PHONE):
    """MT4: the customer agreed by phone, recorded by `by`."""
    return consent_record(ticket=ticket, actor=by, given_by=given_by or ticket.reporter_name, how=how)


def diagnosed_and_consented(ticket: Ticket, by, *, minutes: int = 60):
    diagnosed(ticket, by, minutes=minutes)
    return consented(ticket, by)
