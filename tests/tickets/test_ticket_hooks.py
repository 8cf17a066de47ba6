from __future__ import annotations

import pytest

from helpdesk.core.errors import ActionRefused
from tests.factories import TicketFactory
from tickets import hooks, services
from tickets.lifecycle import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def guard(monkeypatch):
    monkeypatch.setattr(hooks, "_guards", [])
    seen = []

    def refuse_start_work(*, ticket, transition, actor, note):
        seen.append((ticket.pk, transition.action, actor.pk, note))
        if transition.action == "start_work":
            raise ActionRefused("not yet")

    hooks.register_transition_guard(refuse_start_work)
    hooks.register_transition_guard(refuse_start_work)  # registering twice keeps one
    return seen


def test_a_guard_sees_every_transition_and_can_refuse_one(org, guard):
    ticket = TicketFactory(reporter=org.customer, team=org.team, status=Status.DIAGNOSING)
    with pytest.raises(ActionRefused):
        services.ticket_transition(ticket=ticket, action="start_work", actor=org.engineer)
    ticket.refresh_from_db()
    assert ticket.status == Status.DIAGNOSING and not ticket.events.exists()
    services.ticket_transition(ticket=ticket, action="ask_consent", actor=org.engineer, note="n")
    assert guard == [(ticket.pk, "start_work", org.engineer.pk, ""), (ticket.pk, "ask_consent", org.engineer.pk, "n")]


def test_guards_run_after_the_table_so_a_disallowed_move_never_reaches_them(org, guard):
    ticket = TicketFactory(reporter=org.customer, team=org.team, status=Status.RECEIVED)
    with pytest.raises(ActionRefused):
        services.ticket_transition(ticket=ticket, action="resolve", actor=org.engineer, note="x")
    assert guard == []


def test_ticket_opened_is_sent_with_the_new_ticket(org):
    received = []

    def receiver(sender, ticket, actor, **kwargs):
        received.append((ticket.pk, ticket.events.count(), actor))

    hooks.ticket_opened.connect(receiver)
    try:
        ticket = services.ticket_create(
            actor=org.customer, reporter=org.customer, reporter_name="김민수",
            reporter_department=org.customer_dept, title="t", asset=org.asset,
        )
    finally:
        hooks.ticket_opened.disconnect(receiver)
    assert received == [(ticket.pk, 1, org.customer)]
