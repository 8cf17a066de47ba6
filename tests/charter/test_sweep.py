"""The minute sweep (MT1): every moment acted on once, in order, and on time.

Seeded ladder: L1 at the warning point (75%) → handler; L2 at the deadline
without a delay notice → team lead; L3 four business hours later → section chief.
A normal fault opened Tue 2026-03-03 09:00 is due Wed 18:00: warning Wed 14:00,
L3 Thu 14:00.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from charter import deadline_sweep as sweep_module
from charter.deadline_sweep import RETRY_DELAY, sweep_once
from charter.models import Escalation, SweepRun
from charter.services import delay_notice_file
from helpdesk.notifications.models import Notification
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import move, open_ticket
from tickets.models import TicketEvent

pytestmark = pytest.mark.usefixtures("standard")

OPENED = kst(2026, 3, 3, 9)
WARN = kst(2026, 3, 4, 14)
DEADLINE = kst(2026, 3, 4, 18)
L3 = kst(2026, 3, 5, 14)


def kinds(ticket) -> list[tuple[str, int, int]]:
    return list(
        Escalation.objects.filter(ticket=ticket).order_by("pk").values_list("kind", "level", "deadline_version")
    )


def test_mt1_warning_fires_at_the_warning_point_not_a_second_before(ticket, engineer) -> None:
    assert ticket.warn_at == WARN
    sweep_once(now=WARN - timedelta(seconds=1))
    assert not Notification.objects.filter(template="deadline_warning").exists()
    assert sweep_once(now=WARN) == 1
    rows = Notification.objects.filter(template="deadline_warning")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app"]
    assert {r.recipient_id for r in rows} == {engineer.pk}
    ticket.refresh_from_db()
    assert ticket.escalation_level == 1
    assert ticket.next_check_at == DEADLINE
    assert ticket.responded_at == OPENED  # the assignment was the first response
    assert ticket.events.filter(kind=TicketEvent.Kind.DEADLINE_WARNING, is_public=False).count() == 1


def test_mt1_sweep_run_twice_sends_one_notice(ticket) -> None:
    sweep_once(now=WARN)
    sweep_once(now=WARN)
    sweep_once(now=WARN + timedelta(minutes=1))
    assert Notification.objects.filter(template="deadline_warning", channel="email").count() == 1
    assert kinds(ticket) == [("warning", 1, 1)]


def test_mt1_moment_already_acted_on_is_not_repeated_even_if_the_row_is_due_again(ticket) -> None:
    sweep_once(now=WARN)
    # Someone (a restore, a bug) sets the row due again: the unique key still holds.
    type(ticket).objects.filter(pk=ticket.pk).update(next_check_at=WARN)
    sweep_once(now=WARN + timedelta(minutes=1))
    assert Notification.objects.filter(template="deadline_warning", channel="email").count() == 1
    ticket.refresh_from_db()
    assert ticket.next_check_at == DEADLINE


def test_mt1_levels_fire_in_order_after_downtime(ticket, org, section_chief) -> None:
    # The sweep was down from before the warning until after L3: everything fires, in order.
    assert sweep_once(now=L3 + timedelta(hours=1)) == 1
    assert kinds(ticket) == [("warning", 1, 1), ("breach", 0, 1), ("escalation", 2, 1), ("escalation", 3, 1)]
    ticket.refresh_from_db()
    assert ticket.escalation_level == 3
    assert ticket.next_check_at is None  # the ladder is exhausted
    assert Notification.objects.get(template="breach", channel="email").recipient == org.engineer
    escalations = Notification.objects.filter(template="escalation", channel="email").order_by("pk")
    assert [n.recipient for n in escalations] == [org.lead, section_chief]
    assert [n.context["level"] for n in escalations] == [2, 3]


def test_mt1_each_level_at_its_own_moment(ticket, org, section_chief) -> None:
    sweep_once(now=WARN)
    sweep_once(now=DEADLINE - timedelta(seconds=1))
    assert kinds(ticket) == [("warning", 1, 1)]
    sweep_once(now=DEADLINE)
    assert kinds(ticket)[1:] == [("breach", 0, 1), ("escalation", 2, 1)]
    ticket.refresh_from_db()
    assert ticket.next_check_at == L3
    sweep_once(now=L3)
    assert kinds(ticket)[-1] == ("escalation", 3, 1)
    assert Notification.objects.filter(recipient=section_chief, template="escalation").count() == 2  # e-mail + in-app


def test_mt1_delay_notice_rearms_the_ladder(ticket, org) -> None:
    sweep_once(now=WARN)
    with time_machine.travel(WARN + timedelta(hours=1), tick=False):
        delay_notice_file(ticket=ticket, actor=org.engineer, reason="부품 대기", new_date=kst(2026, 3, 6, 18))
    ticket.refresh_from_db()
    assert ticket.deadline_version == 2 and ticket.escalation_level == 0
    new_warn = ticket.warn_at
    assert ticket.next_check_at == new_warn
    sweep_once(now=DEADLINE + timedelta(minutes=1))  # the old deadline no longer matters
    assert kinds(ticket) == [("warning", 1, 1)]
    sweep_once(now=new_warn)
    assert kinds(ticket) == [("warning", 1, 1), ("warning", 1, 2)]
    assert Notification.objects.filter(template="deadline_warning", channel="email").count() == 2


def test_mt1_late_notice_spares_the_team_lead_but_not_the_chief(ticket, org, section_chief) -> None:
    sweep_once(now=WARN)
    with time_machine.travel(DEADLINE + timedelta(seconds=30), tick=False):
        delay_notice_file(ticket=ticket, actor=org.engineer, reason="부품 대기", new_date=kst(2026, 3, 6, 18))
    sweep_once(now=DEADLINE + timedelta(minutes=1))
    level2 = Escalation.objects.get(ticket=ticket, kind="escalation", level=2)
    assert level2.skipped is True
    assert not Notification.objects.filter(recipient=org.lead).exists()
    ticket.refresh_from_db()
    assert ticket.escalation_level == 1
    sweep_once(now=L3)
    assert Notification.objects.filter(recipient=section_chief, template="escalation", channel="email").count() == 1


def test_mt1_unanswered_ticket_tells_the_team_lead_at_respond_by(org) -> None:
    ticket = open_ticket(org, OPENED)  # nobody assigned
    assert ticket.next_check_at == ticket.respond_by == kst(2026, 3, 3, 14)
    sweep_once(now=ticket.respond_by)
    row = Escalation.objects.get(ticket=ticket, kind="respond")
    assert row.recipients == [org.lead.pk]
    assert Notification.objects.filter(recipient=org.lead, template="escalation", channel="email").count() == 1
    event = ticket.events.get(kind=TicketEvent.Kind.ESCALATED)
    assert event.data["what"] == "respond"
    ticket.refresh_from_db()
    assert ticket.next_check_at == ticket.warn_at


def test_mt1_paused_ticket_is_not_swept(ticket, org) -> None:
    ticket = move(ticket, "diagnose", org.engineer, OPENED + timedelta(hours=1))
    ticket = move(ticket, "wait_customer", org.engineer, OPENED + timedelta(hours=2))
    assert sweep_once(now=L3) == 0
    assert not Escalation.objects.filter(ticket=ticket).exists()


def test_a_row_that_raises_is_pushed_forward_and_the_others_still_processed(org, monkeypatch, caplog) -> None:
    tickets = [open_ticket(org, OPENED, assign=org.engineer) for _ in range(3)]
    bad = tickets[1]
    real = sweep_module.plan_ticket

    def flaky(ticket, ctx):
        if ticket.pk == bad.pk:
            raise RuntimeError("boom")
        return real(ticket, ctx)

    monkeypatch.setattr(sweep_module, "plan_ticket", flaky)
    assert sweep_once(now=WARN) == 2
    bad.refresh_from_db()
    assert bad.next_check_at == WARN + RETRY_DELAY
    assert not Escalation.objects.filter(ticket=bad).exists()
    for good in (tickets[0], tickets[2]):
        assert Escalation.objects.filter(ticket=good, kind="warning").count() == 1
    assert f"failed on ticket {bad.pk}" in caplog.text
    assert SweepRun.objects.get(pk=1).errors == 1
    # Not a hot loop: a minute later the bad row is not even selected.
    assert sweep_once(now=WARN + timedelta(minutes=1)) == 0
    monkeypatch.setattr(sweep_module, "plan_ticket", real)
    assert sweep_once(now=WARN + RETRY_DELAY) == 1
    assert Escalation.objects.filter(ticket=bad, kind="warning").count() == 1


def test_a_failed_batch_write_falls_back_to_one_row_at_a_time(org, monkeypatch) -> None:
    tickets = [open_ticket(org, OPENED, assign=org.engineer) for _ in range(3)]
    real_write = sweep_module._write
    calls = {"n": 0}

    def write(plans, failed, now):
        calls["n"] += 1
        if len(plans) > 1 or any(p.ticket.pk == tickets[0].pk for p in plans):
            raise RuntimeError("database said no")
        return real_write(plans, failed, now)

    monkeypatch.setattr(sweep_module, "_write", write)
    assert sweep_once(now=WARN) == 2
    first = type(tickets[0]).objects.get(pk=tickets[0].pk)
    assert first.next_check_at == WARN + RETRY_DELAY
    assert Escalation.objects.filter(kind="warning").count() == 2


def test_heartbeat_is_recorded(ticket) -> None:
    with time_machine.travel(WARN, tick=False):
        sweep_once(now=WARN)
    beat = SweepRun.objects.get(pk=1)
    assert beat.finished_at == WARN
    assert beat.processed == 1 and beat.due == 1 and beat.errors == 0


def test_sweep_queries_do_not_grow_with_due_rows(org, monkeypatch) -> None:
    monkeypatch.setattr(sweep_module, "tell_staff_many", lambda notices: None)

    def queries_for(n: int) -> int:
        for _ in range(n):
            open_ticket(org, OPENED, assign=org.engineer)
        with CaptureQueriesContext(connection) as ctx:
            assert sweep_once(now=WARN) == n
        type(ticket_model).objects.all().update(next_check_at=None)
        return len(ctx.captured_queries)

    ticket_model = open_ticket(org, OPENED)
    type(ticket_model).objects.all().update(next_check_at=None)
    queries_for(1)  # warms the per-process standards cache
    assert queries_for(3) == queries_for(30)


def test_nothing_due_costs_a_handful_of_queries(ticket) -> None:
    sweep_once(now=OPENED)  # creates the heartbeat row
    with CaptureQueriesContext(connection) as ctx:
        assert sweep_once(now=OPENED) == 0
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    # heartbeat start, (SQLite: write lock), the due-row scan, heartbeat finish
    assert len(statements) <= 4, statements


def test_deadline_sweep_task_runs_the_sweep(ticket) -> None:
    from charter.tasks import deadline_sweep

    with time_machine.travel(WARN, tick=False):
        assert deadline_sweep.apply().get() == 1
    assert kinds(ticket) == [("warning", 1, 1)]


def test_mt1_unanswered_alert_is_not_repeated_when_the_deadline_changes(org) -> None:
    from tickets.services import ticket_set_priority

    ticket = open_ticket(org, OPENED)
    sweep_once(now=ticket.respond_by)
    with time_machine.travel(ticket.respond_by + timedelta(minutes=5), tick=False):
        ticket_set_priority(ticket=ticket, priority="low", actor=org.lead)
    ticket.refresh_from_db()
    assert ticket.deadline_version == 2
    assert ticket.respond_by == kst(2026, 3, 3, 18)  # low: 8 business hours from 09:00
    sweep_once(now=kst(2026, 3, 3, 18, 1))
    assert Escalation.objects.filter(ticket=ticket, kind="respond").count() == 1
