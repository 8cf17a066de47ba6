"""MT4: the customer's agreement is the go-ahead. Recorded by staff (by phone, in
person) or given in the portal, it moves the fault to 'in progress' through the
lifecycle, in the same transaction, and takes back the "please agree" notice the
customer has not read (or has not been sent yet)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from desk.models import Consent, ConsentHow
from desk.services import consent_give, consent_record, diagnosis_record
from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.models import Notification
from helpdesk.notifications.selectors import unread_count
from tests.helpers.gates import identity_confirmed
from tests.helpers.outbox import outbox
from tickets import hooks
from tickets.hooks import Change
from tickets.lifecycle import Status
from tickets.models import Ticket, TicketEvent
from tickets.services import ticket_transition

pytestmark = pytest.mark.django_db

State = Notification.State


@pytest.fixture
def awaiting(org, phone_fault) -> tuple[Ticket, int]:
    """Diagnosed and asked: the customer has a "please agree" notice in every channel.
    (The engineer reads English, so the notices they get can be read here.)"""
    org.engineer.language = "en"
    org.engineer.save(update_fields=["language"])
    identity_confirmed(phone_fault, by=org.desk_agent)
    ticket = ticket_transition(ticket=phone_fault, action="diagnose", actor=org.engineer)
    diagnosis = diagnosis_record(
        ticket=ticket, actor=org.engineer, findings="메모리 모듈 불량", expected_minutes=60, ask_consent=True
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_CONSENT
    return ticket, diagnosis.pk


def _asks(diagnosis_pk: int) -> dict[str, Notification]:
    return {n.channel: n for n in outbox(key__startswith=f"desk:consent-ask:d{diagnosis_pk}:")}


def _status_events(ticket: Ticket) -> list[TicketEvent]:
    return list(ticket.events.filter(kind=TicketEvent.Kind.STATUS_CHANGED).order_by("created_at", "pk"))


@pytest.mark.parametrize("how", [ConsentHow.PHONE, ConsentHow.IN_PERSON])
def test_consent_taken_by_staff_starts_the_repair_without_another_click(org, awaiting, how):
    ticket, diagnosis_pk = awaiting
    consent = consent_record(ticket=ticket, actor=org.desk_agent, given_by="김민수", how=how)

    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    started = _status_events(ticket)[-1]
    assert started.data["action"] == "start_work" and started.data["from"] == Status.AWAITING_CONSENT
    assert started.actor == org.desk_agent
    # The agreement comes first on the timeline, so MT4's figure counts it as given before the start.
    agreed = ticket.events.get(kind="consent_given")
    assert (agreed.created_at, agreed.pk) <= (started.created_at, started.pk)
    assert consent.at <= started.created_at
    # Every "please agree" not sent yet is withdrawn (the in-app one was never delivered).
    assert {n.state for n in _asks(diagnosis_pk).values()} == {State.WITHDRAWN}
    # The handler hears that the work is under way, not that it may start.
    told = outbox(key=f"desk:consent:{consent.pk}:u{org.engineer.pk}:in_app").get()
    assert "now in progress" in told.context["subject"]


def test_consent_in_the_portal_starts_the_handlers_work_and_clears_the_customers_bell(org, awaiting):
    ticket, diagnosis_pk = awaiting
    asks = _asks(diagnosis_pk)
    # The in-app ask was delivered and is unread; e-mail went out; SMS waits out the night.
    Notification.objects.filter(pk__in=[asks["in_app"].pk, asks["email"].pk]).update(state=State.SENT, next_attempt_at=None)
    Notification.objects.filter(pk=asks["sms"].pk).update(state=State.HELD)
    assert unread_count(org.customer) == 1

    consent_give(ticket=ticket, actor=org.customer)

    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    # Only staff start work: the handler's work starts; the line before names the customer.
    assert _status_events(ticket)[-1].actor == org.engineer
    assert ticket.events.get(kind="consent_given").actor == org.customer
    assert unread_count(org.customer) == 0
    after = _asks(diagnosis_pk)
    assert after["in_app"].state == State.SENT and after["in_app"].read_at is not None
    assert after["email"].state == State.SENT  # already out: recorded as it was
    assert after["sms"].state == State.WITHDRAWN


def test_consent_while_diagnosing_starts_the_repair_too(org, phone_fault):
    identity_confirmed(phone_fault, by=org.desk_agent)
    ticket = ticket_transition(ticket=phone_fault, action="diagnose", actor=org.engineer)
    diagnosis_record(ticket=ticket, actor=org.engineer, findings="랜 카드 불량", expected_minutes=30)
    consent_record(ticket=ticket, actor=org.engineer, given_by="김민수", how=ConsentHow.IN_PERSON)
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    assert [e.data["to"] for e in _status_events(ticket)] == [Status.DIAGNOSING, Status.IN_PROGRESS]


def test_the_asks_of_earlier_diagnoses_are_withdrawn_as_well(org, awaiting):
    ticket, first_pk = awaiting
    # A second look replaces the estimate; the customer was asked about both.
    ticket = Ticket.objects.get(pk=ticket.pk)
    second = diagnosis_record(ticket=ticket, actor=org.engineer, findings="메인보드 불량", expected_minutes=120)
    assert _asks(second.pk)  # asked again, under the new diagnosis's key

    consent_give(ticket=ticket, actor=org.customer)

    assert Consent.objects.get().diagnosis == second
    assert {n.state for n in [*_asks(first_pk).values(), *_asks(second.pk).values()]} == {State.WITHDRAWN}


def test_another_gate_that_holds_the_work_back_keeps_the_consent_and_the_status(org, awaiting, monkeypatch):
    ticket, diagnosis_pk = awaiting
    monkeypatch.setattr(hooks, "_guards", list(hooks._guards))

    def parts_not_approved(*, ticket, transition, actor, note):
        if transition.action == "start_work":
            raise ActionRefused("Parts purchase is not approved yet.")

    hooks.guard("T9", parts_not_approved)

    consent = consent_record(ticket=ticket, actor=org.desk_agent, given_by="김민수", how=ConsentHow.PHONE)

    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_CONSENT
    assert Consent.objects.filter(pk=consent.pk).exists()
    assert ticket.events.filter(kind="consent_given").count() == 1
    # The customer agreed all the same: the ask is no longer true.
    assert {n.state for n in _asks(diagnosis_pk).values()} == {State.WITHDRAWN}
    told = outbox(key=f"desk:consent:{consent.pk}:u{org.engineer.pk}:in_app").get()
    assert "you can start the repair" in told.context["subject"]


def test_a_failure_while_starting_rolls_back_the_consent_and_the_withdrawal(org, awaiting, monkeypatch):
    ticket, diagnosis_pk = awaiting
    monkeypatch.setattr(hooks, "_receivers", {kind: list(hooks._receivers[kind]) for kind in Change})

    def explode(change):
        raise RuntimeError("the deadline engine fell over")

    hooks.receiver(Change.TRANSITIONED, explode)
    with pytest.raises(RuntimeError):
        consent_record(ticket=ticket, actor=org.desk_agent, given_by="김민수", how=ConsentHow.PHONE)

    ticket.refresh_from_db()
    assert ticket.status == Status.AWAITING_CONSENT
    assert not Consent.objects.exists() and not ticket.events.filter(kind="consent_given").exists()
    assert {n.state for n in _asks(diagnosis_pk).values()} == {State.PENDING}


def test_the_staff_form_says_the_repair_is_under_way(org, awaiting, en_client_for):
    ticket, _diagnosis_pk = awaiting
    response = en_client_for(org.engineer).post(
        reverse("desk:consent_record", args=[ticket.pk]), {"given_by": "김민수", "how": "phone"}, follow=True
    )
    assert response.status_code == 200
    assert any("now in progress" in str(m) for m in response.context["messages"])
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS


def test_a_second_agreement_after_the_start_says_it_was_already_given(org, awaiting):
    ticket, _diagnosis_pk = awaiting
    consent_give(ticket=ticket, actor=org.customer)
    with pytest.raises(ActionRefused) as refused:
        consent_record(ticket=Ticket.objects.get(pk=ticket.pk), actor=org.engineer, given_by="김민수", how=ConsentHow.PHONE)
    assert "already agreed" in refused.value.message
    assert Ticket.objects.get(pk=ticket.pk).status == Status.IN_PROGRESS
