"""tickets.hooks: guards, receivers in the change's transaction, and work after commit."""
from __future__ import annotations

import pytest
from django.db import transaction

from helpdesk.core.errors import ActionRefused
from tests.factories import TicketFactory
from tickets import hooks, services
from tickets.hooks import Change
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

    hooks.guard("T1", refuse_start_work)
    hooks.guard("T1", refuse_start_work)  # registering twice keeps one
    return seen


@pytest.fixture
def reactions(monkeypatch):
    """Only the reactions a test registers (the apps' own are set aside)."""
    monkeypatch.setattr(hooks, "_receivers", {kind: [] for kind in Change})
    monkeypatch.setattr(hooks, "_after_commit", {kind: [] for kind in Change})


def _file(org):
    return services.ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name="김민수",
        reporter_department=org.customer_dept, title="t", asset=org.asset,
    )


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


def test_the_apps_guards_are_listed_in_one_place_by_clause():
    listed = [(g.clause, g.check.__name__) for g in hooks.guards_by_clause()]
    assert listed == [
        ("BS2", "approved_plan_guard"),
        ("BS3", "completion_report_guard"),
        ("MT3", "identity_guard"),
        ("MT4", "consent_guard"),
        ("MT5", "repeat_fault_guard"),
    ]
    assert all(g.summary for g in hooks.guards_by_clause())


def test_a_receiver_runs_inside_the_change_with_the_new_ticket(org, reactions):
    received = []

    def on_created(change):
        received.append((change.ticket.pk, change.ticket.events.count(), change.actor, transaction.get_connection().in_atomic_block))

    hooks.receiver(Change.CREATED, on_created)
    ticket = _file(org)
    assert received == [(ticket.pk, 1, org.customer, True)]


def test_a_failing_receiver_rolls_the_change_back(org, reactions):
    ticket = TicketFactory(reporter=org.customer, team=org.team, status=Status.DIAGNOSING)

    def explode(change):
        raise RuntimeError("receiver failed")

    hooks.receiver(Change.TRANSITIONED, explode)
    with pytest.raises(RuntimeError):
        services.ticket_transition(ticket=ticket, action="wait_customer", actor=org.engineer, note="away")
    ticket.refresh_from_db()
    assert ticket.status == Status.DIAGNOSING and not ticket.events.exists()


def test_after_commit_work_waits_for_the_commit_and_never_runs_on_rollback(org, reactions, django_capture_on_commit_callbacks):
    ran = []
    hooks.after_commit(Change.COMMENTED, lambda change: ran.append((change.comment.body, change.by_staff)))
    ticket = TicketFactory(reporter=org.customer, team=org.team, status=Status.DIAGNOSING)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(ticket=ticket, author=org.engineer, body="checked the cable")
    assert ran == [("checked the cable", True)]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.comment_add(ticket=ticket, author=org.customer, body="thanks")
            raise RuntimeError("the outer work failed")
    assert callbacks == [] and ran == [("checked the cable", True)]


def test_every_change_reaches_its_receivers_with_its_details(org, reactions):
    seen = []
    for kind in Change:
        hooks.receiver(kind, lambda change: seen.append((change.kind, change.action, change.old_status)))
    ticket = _file(org)
    services.ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    services.ticket_set_priority(ticket=ticket, priority="high", actor=org.lead)
    services.comment_add(ticket=ticket, author=org.engineer, body="on my way")
    ticket.refresh_from_db()
    services.ticket_transition(ticket=ticket, action="cancel_staff", actor=org.engineer, note="duplicate")
    assert seen == [
        (Change.CREATED, "", ""),
        (Change.ASSIGNED, "", Status.RECEIVED),
        (Change.PRIORITY_CHANGED, "", Status.ASSIGNED),
        (Change.COMMENTED, "", ""),
        (Change.TRANSITIONED, "cancel_staff", Status.ASSIGNED),
    ]
