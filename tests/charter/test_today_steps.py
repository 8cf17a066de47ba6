"""The next step of a ticket or a visit (charter.today.steps): one step per state,
chosen by what is known (identity, diagnosis, consent, an approved plan, the
checklist), never a move the lifecycle or a gate would refuse."""
from __future__ import annotations

import pytest
from django.urls import reverse

from charter.today.steps import WorkFacts, ticket_step, visit_step
from tickets.lifecycle import Status
from tickets.models import Kind, Ticket
from visits.models import Visit, VisitState

TICKET_PAGE = reverse("staff:ticket_detail", args=[7])
MOVE = reverse("staff:ticket_transition", args=[7])


def ticket(status: str, kind: str = Kind.FAULT) -> Ticket:
    return Ticket(pk=7, status=status, kind=kind)


@pytest.mark.parametrize(
    ("status", "kind", "facts", "key", "url", "action"),
    [
        (Status.RECEIVED, Kind.FAULT, WorkFacts(), "assign", f"{TICKET_PAGE}#section-handler", ""),
        # MT3: no diagnosis before the reporter's identity is confirmed.
        (Status.ASSIGNED, Kind.FAULT, WorkFacts(), "confirm_identity", f"{TICKET_PAGE}#desk-gates", ""),
        (Status.ASSIGNED, Kind.FAULT, WorkFacts(identity_confirmed=True), "diagnose", MOVE, "diagnose"),
        (Status.ASSIGNED, Kind.SUPPORT, WorkFacts(), "diagnose", MOVE, "diagnose"),
        # MT4: the diagnosis and the duration first, then the customer's consent, then the work.
        (Status.DIAGNOSING, Kind.FAULT, WorkFacts(identity_confirmed=True), "record_diagnosis", f"{TICKET_PAGE}#desk-gates", ""),
        (Status.DIAGNOSING, Kind.FAULT, WorkFacts(diagnosed=True), "ask_consent", MOVE, "ask_consent"),
        (Status.DIAGNOSING, Kind.FAULT, WorkFacts(diagnosed=True, consented=True), "start_work", MOVE, "start_work"),
        (Status.DIAGNOSING, Kind.SUPPORT, WorkFacts(), "start_work", MOVE, "start_work"),
        # BS2: large-scale work starts only with an approved plan.
        (Status.DIAGNOSING, Kind.LARGE_WORK, WorkFacts(), "work_plan", f"{TICKET_PAGE}#work-plan", ""),
        (Status.DIAGNOSING, Kind.LARGE_WORK, WorkFacts(plan_approved=True), "start_work", MOVE, "start_work"),
        (Status.AWAITING_CONSENT, Kind.FAULT, WorkFacts(diagnosed=True), "record_consent", f"{TICKET_PAGE}#desk-gates", ""),
        (Status.AWAITING_CONSENT, Kind.FAULT, WorkFacts(diagnosed=True, consented=True), "start_work", MOVE, "start_work"),
        # Resolving needs a note: a link to the status form, not a bare POST.
        (Status.IN_PROGRESS, Kind.FAULT, WorkFacts(), "resolve", f"{TICKET_PAGE}#section-status", ""),
        (Status.WAITING_PARTS, Kind.FAULT, WorkFacts(), "resume", MOVE, "resume"),
        (Status.WAITING_CUSTOMER, Kind.SUPPORT, WorkFacts(), "resume", MOVE, "resume"),
    ],
)
def test_one_step_per_state_chosen_by_what_is_known(status, kind, facts, key, url, action) -> None:
    step = ticket_step(ticket(status, kind), facts)
    assert step is not None
    assert (step.key, step.url, step.action) == (key, url, action)
    # A lifecycle move is posted; everything else is a link to the form it needs.
    assert step.posts == bool(action)
    assert step.label


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED, Status.CANCELLED])
def test_finished_work_has_no_next_step(status) -> None:
    assert ticket_step(ticket(status), WorkFacts(identity_confirmed=True, diagnosed=True, consented=True)) is None


def test_a_visit_goes_arrive_then_checklist_then_sign_off() -> None:
    card = reverse("visits:staff_visit", args=[3])
    confirmed = visit_step(Visit(pk=3, state=VisitState.CONFIRMED), open_items=10)
    assert confirmed is not None and confirmed.key == "check_in" and confirmed.posts and not confirmed.action
    assert confirmed.url == reverse("visits:check_in", args=[3]) and confirmed.next_url == f"{card}#checklist"

    checklist = visit_step(Visit(pk=3, state=VisitState.CHECKED_IN), open_items=1)
    assert checklist is not None and (checklist.key, checklist.url, checklist.posts) == ("checklist", f"{card}#checklist", False)

    sign_off = visit_step(Visit(pk=3, state=VisitState.CHECKED_IN), open_items=0)
    assert sign_off is not None and (sign_off.key, sign_off.url) == ("sign_off", f"{card}?open=resolve#resolve")


@pytest.mark.parametrize("state", [VisitState.PROPOSED, VisitState.COMPLETED, VisitState.CANCELLED])
def test_a_visit_not_agreed_or_over_has_no_step(state) -> None:
    assert visit_step(Visit(pk=3, state=state), open_items=0) is None
