"""The lifecycle table is enforced in one place: tickets.services.ticket_transition."""
from __future__ import annotations

import pytest

from helpdesk.core.errors import ActionRefused
from tests.factories import TicketFactory
from tests.helpers.gates import consented, diagnosed, identity_confirmed
from tickets import services
from tickets.lifecycle import CUSTOMER, STAFF, TRANSITIONS, Status, lifecycle_table_markdown, transitions_from
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def _ticket(org, status=Status.RECEIVED):
    return TicketFactory(reporter=org.customer, team=org.team, status=status)


def test_every_status_but_the_final_ones_has_a_way_out():
    finals = {Status.CANCELLED}
    for status in Status:
        if status in finals:
            continue
        assert transitions_from(status, STAFF) or status == Status.RECEIVED, status


def test_received_ticket_moves_only_by_assignment_or_cancel(org):
    actions = {t.action for t in transitions_from(Status.RECEIVED, STAFF)}
    assert actions == {"cancel_staff"}


def test_full_walk_through_the_lifecycle_records_every_step(org):
    ticket = _ticket(org)
    ticket = services.ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    assert ticket.status == Status.ASSIGNED
    identity_confirmed(ticket)  # MT3
    ticket = services.ticket_transition(ticket=ticket, action="diagnose", actor=org.engineer)
    diagnosed(ticket, org.engineer)  # MT4
    ticket = services.ticket_transition(ticket=ticket, action="ask_consent", actor=org.engineer)
    consented(ticket, org.engineer)  # the agreement starts the repair
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
    ticket = services.ticket_transition(ticket=ticket, action="wait_parts", actor=org.engineer, note="메모리 주문")
    assert ticket.status == Status.WAITING_PARTS
    ticket = services.ticket_transition(ticket=ticket, action="resume", actor=org.engineer)
    ticket = services.ticket_transition(ticket=ticket, action="resolve", actor=org.engineer, note="메모리 교체")
    assert ticket.status == Status.RESOLVED and ticket.resolved_at is not None
    ticket = services.ticket_transition(ticket=ticket, action="close", actor=org.customer)
    assert ticket.status == Status.CLOSED and ticket.closed_at is not None
    changes = list(ticket.events.filter(kind=TicketEvent.Kind.STATUS_CHANGED).values_list("data__to", flat=True))
    assert changes == [
        "diagnosing", "awaiting_consent", "in_progress", "waiting_parts", "in_progress", "resolved", "closed"
    ]
    assert ticket.events.filter(kind=TicketEvent.Kind.ASSIGNED, actor=org.lead).count() == 1


def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(org):
    ticket = _ticket(org)
    with pytest.raises(ActionRefused) as refused:
        services.ticket_transition(ticket=ticket, action="resolve", actor=org.engineer, note="x")
    assert "not allowed" in refused.value.message
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED
    assert not ticket.events.exists()


def test_unknown_action_is_refused(org):
    with pytest.raises(ActionRefused):
        services.ticket_transition(ticket=_ticket(org), action="teleport", actor=org.engineer)


def test_reason_required_where_the_table_says_so(org):
    ticket = _ticket(org, Status.IN_PROGRESS)
    with pytest.raises(ActionRefused) as refused:
        services.ticket_transition(ticket=ticket, action="resolve", actor=org.engineer, note="   ")
    assert refused.value.field == "note"


def test_customer_may_cancel_own_ticket_but_not_work_it(org):
    ticket = _ticket(org)
    with pytest.raises(ActionRefused):
        services.ticket_transition(ticket=ticket, action="diagnose", actor=org.customer)
    ticket = services.ticket_transition(ticket=ticket, action="cancel", actor=org.customer, note="자체 해결")
    assert ticket.status == Status.CANCELLED


def test_customer_cannot_cancel_work_in_progress(org):
    ticket = _ticket(org, Status.IN_PROGRESS)
    with pytest.raises(ActionRefused):
        services.ticket_transition(ticket=ticket, action="cancel", actor=org.customer, note="x")


def test_someone_elses_ticket_cannot_be_changed_by_a_customer(org):
    ticket = _ticket(org, Status.RESOLVED)
    with pytest.raises(ActionRefused):
        services.ticket_transition(ticket=ticket, action="close", actor=org.other_customer)


def test_reopen_clears_the_resolution(org):
    ticket = _ticket(org, Status.IN_PROGRESS)
    ticket = services.ticket_transition(ticket=ticket, action="resolve", actor=org.engineer, note="done")
    ticket = services.ticket_transition(ticket=ticket, action="reopen", actor=org.customer, note="다시 안 켜짐")
    assert ticket.status == Status.IN_PROGRESS and ticket.resolved_at is None


def test_table_in_markdown_lists_every_transition():
    table = lifecycle_table_markdown()
    for t in TRANSITIONS:
        assert f"`{t.action}`" in table
    assert CUSTOMER in table and STAFF in table
