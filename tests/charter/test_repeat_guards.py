"""MT5 gates: a ticket at the repeat-fault threshold is resolved only after a joint
visit of a team lead and the engineer, and closed only with a root-cause record.
Refusals carry a message that says what is missing; nothing changes."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from charter.models import RepeatFault, RootCause
from charter.repeats import repeat_status, root_cause_record
from helpdesk.core.errors import ActionRefused
from tests import factories as f
from tests.charter.repeat_helpers import DAY1, LATER, check, fault, faults, in_progress, visit
from tickets.lifecycle import Status
from tickets.models import Ticket, TicketEvent
from tickets.services import ticket_transition
from visits.models import VisitOutcome, VisitState

pytestmark = pytest.mark.usefixtures("standard")


def resolve(ticket: Ticket, actor: Any) -> Ticket:
    with time_machine.travel(LATER + timedelta(hours=1), tick=False):
        return ticket_transition(ticket=ticket, action="resolve", actor=actor, note="원인 부품 교체")


def close(ticket: Ticket, actor: Any) -> Ticket:
    with time_machine.travel(LATER + timedelta(hours=2), tick=False):
        return ticket_transition(ticket=ticket, action="close", actor=actor)


def record(ticket: Ticket, actor: Any, **overrides: str) -> RootCause:
    values = {"cause": "전원부 콘덴서 열화", "action_taken": "파워서플라이 교체", "prevention": "분기별 전원부 점검"}
    values.update(overrides)
    return root_cause_record(ticket=ticket, actor=actor, **values)


def test_mt5_resolving_the_third_fault_without_a_joint_visit_is_refused(third, org) -> None:
    with pytest.raises(ActionRefused) as refused:
        resolve(third, org.engineer)
    assert "fault number 3" in refused.value.message
    assert "team lead and the engineer have visited together" in refused.value.message
    third.refresh_from_db()
    assert third.status == Status.IN_PROGRESS
    assert not third.events.filter(kind=TicketEvent.Kind.STATUS_CHANGED, data__to="resolved").exists()


def test_mt5_a_visit_without_a_lead_or_where_nobody_was_met_is_no_joint_visit(third, org) -> None:
    visit(third, org, engineer=org.engineer, companion=org.other_engineer)
    visit(third, org, engineer=org.engineer, companion=org.lead, outcome=VisitOutcome.CUSTOMER_ABSENT)
    visit(third, org, engineer=org.lead, companion=None)  # a lead alone is not a joint visit
    visit(third, org, engineer=org.engineer, companion=org.lead, state=VisitState.CONFIRMED)  # not done yet
    with pytest.raises(ActionRefused):
        resolve(third, org.engineer)


def test_mt5_joint_visits_tells_done_from_planned_in_two_queries(third, org, django_assert_num_queries) -> None:
    from charter.repeats import joint_visits

    visit(third, org, engineer=org.engineer, companion=org.other_engineer)  # no lead on it
    visit(third, org, engineer=org.engineer, companion=org.lead, state=VisitState.CONFIRMED)
    with django_assert_num_queries(2):
        assert joint_visits(third) == (False, True)
    visit(third, org, engineer=org.lead, companion=org.engineer)
    with django_assert_num_queries(2):
        assert joint_visits(third) == (True, True)


def test_mt5_after_a_joint_visit_it_resolves_but_closes_only_with_the_root_cause(third, org) -> None:
    visit(third, org, engineer=org.engineer, companion=org.lead)
    resolve(third, org.engineer)
    third.refresh_from_db()
    assert third.status == Status.RESOLVED
    # The customer may close resolved work, but not this one until the cause is recorded.
    with pytest.raises(ActionRefused) as refused:
        close(third, org.customer)
    assert "record the root cause (cause, action taken, prevention) before closing" in refused.value.message
    third.refresh_from_db()
    assert third.status == Status.RESOLVED

    record(third, org.lead)
    close(third, org.customer)
    third.refresh_from_db()
    assert third.status == Status.CLOSED
    assert RepeatFault.objects.get().state == RepeatFault.State.RESOLVED


def test_mt5_closing_without_either_names_both(third, org) -> None:
    # Reopen path: resolved before the escalation was known, then closing is asked.
    Ticket.objects.filter(pk=third.pk).update(status=Status.RESOLVED)
    third.refresh_from_db()
    with pytest.raises(ActionRefused) as refused:
        close(third, org.engineer)
    message = refused.value.message
    assert "joint visit by a team lead and the engineer" in message and "root cause" in message


def test_mt5_the_gate_holds_even_before_the_detection_task_ran(org) -> None:
    tickets = [fault(org, DAY1 + timedelta(days=i)) for i in range(3)]
    third = in_progress(tickets[2], org)
    assert third.repeat_occurrence is None  # no worker has counted it
    with pytest.raises(ActionRefused):
        resolve(third, org.engineer)


def test_mt5_first_and_second_faults_resolve_and_close_freely(org) -> None:
    first, second = faults(org, 2)
    for t in (first, second):
        t = in_progress(t, org)
        resolve(t, org.engineer)
        close(t, org.customer)
        t.refresh_from_db()
        assert t.status == Status.CLOSED


def test_a_threshold_ticket_can_still_be_cancelled(third, org) -> None:
    with time_machine.travel(LATER, tick=False):
        ticket_transition(ticket=third, action="cancel_staff", actor=org.lead, note="중복 접수")
    third.refresh_from_db()
    assert third.status == Status.CANCELLED


def test_root_cause_needs_every_part_and_names_the_field(third, org) -> None:
    for field in ("cause", "action_taken", "prevention"):
        with pytest.raises(ActionRefused) as refused:
            record(third, org.engineer, **{field: "  "})
        assert refused.value.field == field
    assert not RootCause.objects.exists()


def test_root_cause_is_for_repeat_faults_and_staff_only(org, third) -> None:
    (single,) = faults(org, 1, start=DAY1 - timedelta(days=200))
    other = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag="PC-000555")
    lone = fault(org, DAY1, asset=other)
    check(lone)
    lone.refresh_from_db()
    with pytest.raises(ActionRefused):
        record(lone, org.engineer)
    with pytest.raises(ActionRefused):
        record(third, org.customer)


def test_recording_twice_corrects_the_record_with_one_line_each(third, org) -> None:
    record(third, org.engineer)
    record(third, org.lead, cause="메인보드 전원 회로 불량")
    rc = RootCause.objects.get()
    assert rc.cause == "메인보드 전원 회로 불량" and rc.recorded_by == org.lead
    events = list(third.events.filter(kind=TicketEvent.Kind.ROOT_CAUSE_RECORDED).values_list("data__updated", flat=True))
    assert events == [False, True]


def test_repeat_status_reads_what_the_ticket_page_shows(third, org) -> None:
    status = repeat_status(third)
    assert status is not None and status.escalated and status.occurrence == 3
    assert not status.joint_visit and not status.joint_visit_planned and status.root_cause is None
    visit(third, org, engineer=org.engineer, companion=org.lead, state=VisitState.CONFIRMED)
    assert repeat_status(third).joint_visit_planned
    first = Ticket.objects.filter(repeat_occurrence=1).get()
    assert repeat_status(first) is None
