"""MT5: the same fault on the same equipment is counted within the standard's
window; the second makes the asset 'at risk' and tells the team lead, the third
(the standard's threshold) escalates at once. Detection runs after commit in a
Celery task with the minute sweep as a safety net, and is idempotent."""
from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection, connections

from charter import repeats
from charter.models import RepeatFault, RepeatFaultTicket
from charter.repeats import repeat_fault_check, repeat_fault_sweep
from helpdesk.accounts.roles import Role
from helpdesk.notifications.models import Notification
from standards.selectors import standards_changed
from tests import factories as f
from tests.charter.repeat_helpers import DAY1, check, fault, faults
from tickets.models import Kind, Ticket, TicketEvent
from tickets.services import ticket_create, ticket_transition

pytestmark = pytest.mark.usefixtures("standard")


def lead_notices(org: f.Org, ticket: Ticket, kind: str) -> set[tuple[int, str]]:
    rows = Notification.objects.filter(key__startswith=f"charter:{kind}:t{ticket.pk}:")
    return set(rows.values_list("recipient_id", "channel"))


def test_mt5_a_first_fault_is_counted_once_and_is_no_repeat(org) -> None:
    (first,) = faults(org, 1)
    assert first.repeat_occurrence == 1
    assert not RepeatFault.objects.exists()
    # Counted already: the task running again (a retry, the sweep) changes nothing.
    assert check(first) is None


def test_mt5_second_fault_marks_the_asset_at_risk_and_tells_the_lead(org) -> None:
    first, second = faults(org, 2)
    episode = RepeatFault.objects.get()
    assert (episode.asset, episode.category, episode.state) == (org.asset, org.category, RepeatFault.State.AT_RISK)
    assert episode.occurrence_count == 2 and episode.team == org.team
    assert episode.window_start == first.created_at
    assert episode.at_risk_until == first.created_at + timedelta(days=90)
    assert episode.lead_notified_at is not None and episode.escalated_at is None
    assert list(episode.links.values_list("ticket_id", "occurrence")) == [(first.pk, 1), (second.pk, 2)]
    assert second.repeat_occurrence == 2
    # The team lead hears in-app and by e-mail; nobody else.
    assert lead_notices(org, second, "repeat_at_risk") == {(org.lead.pk, "email"), (org.lead.pk, "in_app")}
    event = second.events.get(kind=TicketEvent.Kind.REPEAT_AT_RISK)
    assert not event.is_public and event.data["occurrence"] == 2 and event.data["to"] == [org.lead.display_name]


def test_mt5_third_fault_is_escalated_at_once_to_the_lead_and_the_handler(org) -> None:
    first, second, third = faults(org, 3)
    ticket_third = Ticket.objects.get(pk=third.pk)
    episode = RepeatFault.objects.get()
    assert episode.state == RepeatFault.State.ESCALATED and episode.escalated_at is not None
    assert episode.occurrence_count == 3
    assert RepeatFaultTicket.objects.filter(repeat_fault=episode).count() == 3
    assert ticket_third.repeat_occurrence == 3
    assert ticket_third.events.filter(kind=TicketEvent.Kind.REPEAT_ESCALATED).count() == 1
    assert lead_notices(org, third, "repeat_escalated") == {(org.lead.pk, "email"), (org.lead.pk, "in_app")}


def test_mt5_the_handler_of_the_third_fault_is_told_too(org) -> None:
    first, second = faults(org, 2)
    third = fault(org, DAY1 + timedelta(days=14))
    third.assignee = org.engineer
    third.save(update_fields=["assignee"])
    check(third)
    people = {r for r, _c in lead_notices(org, third, "repeat_escalated")}
    assert people == {org.lead.pk, org.engineer.pk}


def test_mt5_window_comes_from_the_standard_and_is_exclusive_at_its_edge(org, standard) -> None:
    standard.repeat_window_days = 30
    standard.save()
    standards_changed()
    first = fault(org, DAY1)
    check(first)
    # Exactly 30 days later the first has left the window; a second earlier it has not.
    on_edge = fault(org, DAY1 + timedelta(days=30), asset=org.asset)
    check(on_edge)
    on_edge.refresh_from_db()
    assert on_edge.repeat_occurrence == 1
    other = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag="PC-000777")
    a = fault(org, DAY1, asset=other)
    b = fault(org, DAY1 + timedelta(days=30) - timedelta(seconds=1), asset=other)
    check(a)
    check(b)
    b.refresh_from_db()
    assert b.repeat_occurrence == 2


def test_mt5_threshold_comes_from_the_standard(org, standard) -> None:
    standard.repeat_threshold = 4
    standard.save()
    standards_changed()
    *_, third = faults(org, 3)
    assert RepeatFault.objects.get().state == RepeatFault.State.AT_RISK
    assert third.events.filter(kind=TicketEvent.Kind.REPEAT_AT_RISK).exists()
    fourth = faults(org, 1, start=DAY1 + timedelta(days=21))[0]
    assert fourth.repeat_occurrence == 4
    assert RepeatFault.objects.get().state == RepeatFault.State.ESCALATED


def test_mt5_other_equipment_other_categories_and_cancelled_faults_do_not_count(org) -> None:
    other_category = f.FaultCategoryFactory(name="화면 깨짐", code="pc-screen")
    other_asset = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag="PC-000002")
    first = fault(org, DAY1)
    cancelled = fault(org, DAY1 + timedelta(days=1))
    ticket_transition(ticket=cancelled, action="cancel", actor=org.customer, note="중복 접수")
    fault(org, DAY1 + timedelta(days=2), category=other_category)
    fault(org, DAY1 + timedelta(days=3), asset=other_asset)
    later = fault(org, DAY1 + timedelta(days=4))
    for t in Ticket.objects.order_by("pk"):
        check(t, at=DAY1 + timedelta(days=5))
    later.refresh_from_db()
    cancelled.refresh_from_db()
    assert later.repeat_occurrence == 2  # first + later only
    assert cancelled.repeat_occurrence == 0
    assert RepeatFault.objects.get().links.count() == 2
    assert first.pk in RepeatFault.objects.get().links.values_list("ticket_id", flat=True)


def test_mt5_support_requests_and_unknown_equipment_are_marked_not_counted(org) -> None:
    with time_machine.travel(DAY1, tick=False):
        support = ticket_create(
            actor=org.customer, reporter=org.customer, reporter_name="김민수", reporter_department=org.customer_dept,
            title="프로그램 설치", kind=Kind.SUPPORT,
        )
        other = ticket_create(
            actor=org.customer, reporter=org.customer, reporter_name="김민수", reporter_department=org.customer_dept,
            title="복합기 고장", asset_other="3층 복합기",
        )
    for t in (support, other):
        assert check(t) == repeats.CheckResult(0, None, False)
        t.refresh_from_db()
        assert t.repeat_occurrence == 0


def test_mt5_checks_in_any_order_give_the_same_counts_and_never_step_back(org) -> None:
    # The third's task ran before the second's (a slow worker): it escalates on its own count.
    tickets = [fault(org, DAY1 + timedelta(days=i)) for i in range(3)]
    check(tickets[0])
    check(tickets[2])
    check(tickets[1])
    assert [Ticket.objects.get(pk=t.pk).repeat_occurrence for t in tickets] == [1, 2, 3]
    episode = RepeatFault.objects.get()
    assert episode.state == RepeatFault.State.ESCALATED
    assert sorted(episode.links.values_list("occurrence", flat=True)) == [1, 2, 3]


def test_mt5_a_fourth_fault_in_the_window_is_escalated_too(org) -> None:
    *_, fourth = faults(org, 4)
    assert fourth.repeat_occurrence == 4
    assert fourth.events.filter(kind=TicketEvent.Kind.REPEAT_ESCALATED).exists()
    assert RepeatFault.objects.count() == 1


def test_mt5_an_at_risk_episode_lapses_when_its_window_passes(org) -> None:
    faults(org, 2)
    episode = RepeatFault.objects.get()
    repeat_fault_sweep(now=episode.at_risk_until - timedelta(seconds=1))
    episode.refresh_from_db()
    assert episode.state == RepeatFault.State.AT_RISK
    repeat_fault_sweep(now=episode.at_risk_until)
    episode.refresh_from_db()
    assert episode.state == RepeatFault.State.LAPSED
    # Two new faults long after start a new episode.
    faults(org, 2, start=DAY1 + timedelta(days=200))
    assert RepeatFault.objects.filter(state=RepeatFault.State.AT_RISK).count() == 1
    assert RepeatFault.objects.count() == 2


def test_ticket_opened_queues_the_check_only_after_commit(org, monkeypatch, django_capture_on_commit_callbacks) -> None:
    from charter import tasks

    queued: list[int] = []
    monkeypatch.setattr(tasks.repeat_fault_check, "delay", lambda pk: queued.append(pk))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ticket = fault(org, DAY1)
    assert queued == []  # nothing before commit
    for callback in callbacks:
        callback()
    assert queued == [ticket.pk]


def test_the_task_counts_the_fault(org) -> None:
    from charter import tasks

    ticket = fault(org, DAY1)
    assert tasks.repeat_fault_check.run(ticket.pk) == 1
    assert tasks.repeat_fault_check.run(ticket.pk) is None


def test_a_broker_that_is_down_leaves_the_fault_to_the_sweep(org, monkeypatch, django_capture_on_commit_callbacks, caplog) -> None:
    from charter import tasks

    def down(pk: int) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.repeat_fault_check, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        first = fault(org, DAY1)
    with django_capture_on_commit_callbacks(execute=True):
        second = fault(org, DAY1 + timedelta(days=1))
    assert "could not queue" in caplog.text
    assert Ticket.objects.filter(repeat_occurrence__isnull=True).count() == 2
    # Within the grace minute the sweep leaves the newest fault to its task.
    assert repeat_fault_sweep(now=second.created_at + timedelta(seconds=30)) == 1
    assert repeat_fault_sweep(now=second.created_at + timedelta(minutes=2)) == 1
    assert repeat_fault_sweep(now=second.created_at + timedelta(minutes=3)) == 0
    second.refresh_from_db()
    assert second.repeat_occurrence == 2 and RepeatFault.objects.get().state == RepeatFault.State.AT_RISK
    assert first.pk in RepeatFault.objects.get().links.values_list("ticket_id", flat=True)


def test_the_sweep_ignores_faults_older_than_its_lookback(org) -> None:
    old = fault(org, DAY1)
    assert repeat_fault_sweep(now=DAY1 + repeats.SWEEP_LOOKBACK + timedelta(minutes=1)) == 0
    old.refresh_from_db()
    assert old.repeat_occurrence is None


def test_running_the_task_and_the_sweep_twice_changes_nothing_the_second_time(org) -> None:
    tickets = [fault(org, DAY1 + timedelta(days=i)) for i in range(3)]
    later = DAY1 + timedelta(days=3)
    assert repeat_fault_sweep(now=later) == 3
    snapshot = (
        RepeatFault.objects.count(),
        RepeatFaultTicket.objects.count(),
        TicketEvent.objects.filter(kind__startswith="repeat_").count(),
        Notification.objects.count(),
    )
    assert repeat_fault_sweep(now=later) == 0
    for t in tickets:
        assert check(t, at=later) is None
    assert snapshot == (
        RepeatFault.objects.count(),
        RepeatFaultTicket.objects.count(),
        TicketEvent.objects.filter(kind__startswith="repeat_").count(),
        Notification.objects.count(),
    )
    assert snapshot[2] == 2  # one at-risk line, one escalation line


def test_without_a_team_lead_the_section_chief_is_told(org) -> None:
    chief = f.UserFactory(
        username="chief", last_name="오", first_name="과장", department=org.maintenance_dept,
        team=org.other_team, roles=[Role.SECTION_CHIEF],
    )
    org.team.lead = None
    org.team.save()
    _first, second = faults(org, 2)
    assert {r for r, _c in lead_notices(org, second, "repeat_at_risk")} == {chief.pk}


def test_the_check_is_cheap_and_does_not_grow_with_history(org, django_assert_max_num_queries) -> None:
    for i in range(30):
        f.TicketFactory(
            reporter=org.customer, team=org.team, asset=f.AssetFactory(owner=org.customer, department=org.customer_dept, tag=f"PC-9{i:05d}"),
            category=org.category, created_at=DAY1 - timedelta(days=i), repeat_occurrence=1,
        )
    faults(org, 1)
    second = fault(org, DAY1 + timedelta(days=1))
    with django_assert_max_num_queries(17):
        check(second)


ON_POSTGRES = connection.vendor == "postgresql"


def _at_once(*jobs: Any) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = []
    errors: list[BaseException] = []

    def run(job: Any) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(job())
        except BaseException as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    return results


@pytest.mark.skipif(not ON_POSTGRES, reason="threads need row locks: PostgreSQL only (CI)")
@pytest.mark.django_db(transaction=True)
def test_mt5_a_task_and_the_sweep_at_once_count_the_fault_once(org) -> None:
    from standards.services import default_standard_seed

    default_standard_seed()
    standards_changed()
    first, second = (fault(org, DAY1 + timedelta(days=i)) for i in range(2))
    check(first)
    later = DAY1 + timedelta(days=1, minutes=5)
    results = _at_once(
        lambda: repeat_fault_check(ticket_id=second.pk, now=later),
        lambda: repeat_fault_check(ticket_id=second.pk, now=later),
    )
    assert sorted(r is None for r in results) == [False, True]  # one counted it, the other found it done
    assert second.events.filter(kind=TicketEvent.Kind.REPEAT_AT_RISK).count() == 1
    assert Notification.objects.filter(key__startswith=f"charter:repeat_at_risk:t{second.pk}:").count() == 2


@pytest.mark.skipif(not ON_POSTGRES, reason="threads need row locks: PostgreSQL only (CI)")
@pytest.mark.django_db(transaction=True)
def test_mt5_two_faults_on_one_asset_counted_at_once_make_one_episode(org) -> None:
    from standards.services import default_standard_seed

    default_standard_seed()
    standards_changed()
    tickets = [fault(org, DAY1 + timedelta(days=i)) for i in range(3)]
    check(tickets[0])
    later = DAY1 + timedelta(days=3)
    _at_once(*(lambda pk=t.pk: repeat_fault_check(ticket_id=pk, now=later) for t in tickets[1:]))
    assert [Ticket.objects.get(pk=t.pk).repeat_occurrence for t in tickets] == [1, 2, 3]
    episode = RepeatFault.objects.get()
    assert episode.state == RepeatFault.State.ESCALATED and episode.links.count() == 3
