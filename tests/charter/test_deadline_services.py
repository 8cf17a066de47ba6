"""Deadlines kept on tickets by the ticket services (MT1, BS1): start, pause,
resume, stop, reopen and recompute, with the clock frozen at the boundaries."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from standards.models import ClosureDay
from standards.selectors import standards_changed
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import move, open_ticket
from tickets.models import Kind, Priority, TicketEvent
from tickets.services import ticket_set_priority

pytestmark = pytest.mark.usefixtures("standard")


def test_mt1_ticket_gets_deadlines_from_the_standard_it_opened_under(org, standard) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 10))
    assert ticket.standard_version_id == standard.pk
    assert ticket.respond_by == kst(2026, 3, 3, 15)
    assert ticket.resolve_by == kst(2026, 3, 5, 10)
    assert ticket.warn_at == kst(2026, 3, 4, 15)
    assert ticket.next_check_at == kst(2026, 3, 3, 15)  # the response check comes first
    assert ticket.deadline_version == 1
    assert ticket.escalation_level == 0


def test_mt1_urgent_fault_filed_friday_1730_is_due_monday(org) -> None:
    ticket = open_ticket(org, kst(2026, 3, 6, 17, 30), priority=Priority.URGENT)
    assert ticket.respond_by == kst(2026, 3, 9, 9, 30)
    assert ticket.resolve_by == kst(2026, 3, 9, 13, 30)


def test_mt1_deadline_skips_chuseok(org) -> None:
    ticket = open_ticket(org, kst(2026, 9, 23, 16), priority=Priority.HIGH)
    assert ticket.resolve_by == kst(2026, 9, 28, 16)


def test_admin_closure_day_is_not_business_time(org) -> None:
    ClosureDay.objects.create(date=kst(2026, 3, 4).date(), reason="창립기념일")
    standards_changed()
    ticket = open_ticket(org, kst(2026, 3, 3, 10))
    assert ticket.resolve_by == kst(2026, 3, 6, 10)


def test_bs1_support_request_is_due_at_the_requested_time(org) -> None:
    wanted = kst(2026, 3, 5, 16)
    ticket = open_ticket(org, kst(2026, 3, 3, 10), kind=Kind.SUPPORT, requested_by=wanted)
    assert ticket.resolve_by == wanted


def test_bs1_support_request_without_a_time_gets_24_business_hours(org) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 10), kind=Kind.SUPPORT)
    assert ticket.resolve_by == kst(2026, 3, 6, 10)  # 7 + 8 + 8 + 1


def test_category_target_is_more_specific_than_kind(org, standard) -> None:
    standard.targets.create(kind=Kind.FAULT, priority=Priority.NORMAL, category=org.category, respond_hours=1, resolve_hours=2)
    standard.save()  # the admin always saves the version; that invalidates the cache
    ticket = open_ticket(org, kst(2026, 3, 3, 10), category=org.category)
    assert ticket.resolve_by == kst(2026, 3, 3, 12)  # 2h lands exactly on the start of lunch


def test_waiting_pauses_the_clock_and_resuming_credits_it(org) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=org.engineer)  # normal: due Wed 18:00
    assert ticket.resolve_by == kst(2026, 3, 4, 18)
    ticket = move(ticket, "diagnose", org.engineer, kst(2026, 3, 3, 10))
    ticket = move(ticket, "wait_parts", org.engineer, kst(2026, 3, 3, 11))
    assert ticket.paused_at == kst(2026, 3, 3, 11)
    assert ticket.next_check_at is None  # nothing fires while we wait
    ticket = move(ticket, "resume", org.engineer, kst(2026, 3, 4, 11))
    # Tue 11-12, 13-18 and Wed 9-11: 8 business hours credited back.
    assert ticket.paused_business_seconds == 8 * 3600
    assert ticket.resolve_by == kst(2026, 3, 5, 18)
    assert ticket.paused_at is None
    assert ticket.next_check_at == ticket.warn_at
    kinds = list(ticket.events.filter(kind__startswith="clock_").values_list("kind", flat=True))
    assert kinds == [TicketEvent.Kind.CLOCK_PAUSED, TicketEvent.Kind.CLOCK_RESUMED]
    resumed = ticket.events.get(kind=TicketEvent.Kind.CLOCK_RESUMED)
    assert resumed.data["paused_seconds"] == 8 * 3600


def test_two_pauses_add_up(org) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=org.engineer)
    ticket = move(ticket, "diagnose", org.engineer, kst(2026, 3, 3, 9, 30))
    ticket = move(ticket, "wait_customer", org.engineer, kst(2026, 3, 3, 10))
    ticket = move(ticket, "resume", org.engineer, kst(2026, 3, 3, 11))
    ticket = move(ticket, "wait_parts", org.engineer, kst(2026, 3, 3, 17))
    ticket = move(ticket, "resume", org.engineer, kst(2026, 3, 4, 10))
    assert ticket.paused_business_seconds == 3 * 3600
    assert ticket.resolve_by == kst(2026, 3, 5, 12)  # Wed 18:00 + 3h, up to lunch


def test_priority_change_keeps_the_time_already_used(org) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=org.engineer)
    with time_machine.travel(kst(2026, 3, 3, 13), tick=False):
        ticket = ticket_set_priority(ticket=ticket, priority=Priority.URGENT, actor=org.lead)
    ticket.refresh_from_db()
    # 3h used; urgent allows 4h: one hour left.
    assert ticket.resolve_by == kst(2026, 3, 3, 14)
    assert ticket.deadline_version == 2
    with time_machine.travel(kst(2026, 3, 3, 13, 30), tick=False):
        ticket = ticket_set_priority(ticket=ticket, priority=Priority.LOW, actor=org.lead)
    ticket.refresh_from_db()
    assert ticket.resolve_by == kst(2026, 3, 9, 18)  # 40h from Tue 09:00
    assert ticket.events.filter(kind=TicketEvent.Kind.DEADLINE_CHANGED).count() == 2


def test_priority_change_after_a_pause_keeps_the_credit(org) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=org.engineer)
    ticket = move(ticket, "diagnose", org.engineer, kst(2026, 3, 3, 9, 30))
    ticket = move(ticket, "wait_customer", org.engineer, kst(2026, 3, 3, 10))
    ticket = move(ticket, "resume", org.engineer, kst(2026, 3, 3, 11))
    with time_machine.travel(kst(2026, 3, 3, 11, 30), tick=False):
        ticket_set_priority(ticket=ticket, priority=Priority.URGENT, actor=org.lead)
    ticket.refresh_from_db()
    assert ticket.resolve_by == kst(2026, 3, 3, 15)  # 4h target + the 1h paused


def test_resolving_stops_the_clock_and_reopening_starts_a_new_window(org, customer) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=org.engineer)
    ticket = move(ticket, "diagnose", org.engineer, kst(2026, 3, 3, 9, 30))
    ticket = move(ticket, "resolve", org.engineer, kst(2026, 3, 3, 10))
    assert ticket.next_check_at is None
    ticket = move(ticket, "reopen", customer, kst(2026, 3, 10, 10))
    assert ticket.clock_started_at == kst(2026, 3, 10, 10)
    assert ticket.resolve_by == kst(2026, 3, 12, 10)
    assert ticket.deadline_version == 2
    assert ticket.next_check_at == ticket.warn_at


def test_cancelling_while_paused_clears_the_pause(org) -> None:
    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=org.engineer)
    ticket = move(ticket, "diagnose", org.engineer, kst(2026, 3, 3, 9, 30))
    ticket = move(ticket, "wait_parts", org.engineer, kst(2026, 3, 3, 10))
    ticket = move(ticket, "cancel_staff", org.engineer, kst(2026, 3, 3, 11))
    assert ticket.paused_at is None
    assert ticket.next_check_at is None


def test_no_active_standard_leaves_the_ticket_without_deadline(org, standard) -> None:
    type(standard).objects.filter(pk=standard.pk).update(is_active=False)
    ticket = open_ticket(org, kst(2026, 3, 3, 9))
    assert ticket.standard_version_id is None
    assert ticket.resolve_by is None and ticket.next_check_at is None


def test_the_ticket_keeps_its_version_when_a_new_one_is_activated(org, standard) -> None:
    from standards.services import standard_activate, standard_copy

    ticket = open_ticket(org, kst(2026, 3, 3, 9))
    draft = standard_copy(version=standard)
    draft.targets.filter(kind=Kind.FAULT, priority=Priority.NORMAL).update(resolve_hours=8)
    standard_activate(version=draft)
    standards_changed()
    newer = open_ticket(org, kst(2026, 3, 3, 9))
    ticket.refresh_from_db()
    assert ticket.standard_version_id == standard.pk
    assert ticket.resolve_by == kst(2026, 3, 4, 18)
    assert newer.standard_version_id == draft.pk
    assert newer.resolve_by == kst(2026, 3, 3, 18)
    # Recomputing the old ticket still uses the old version's numbers.
    with time_machine.travel(kst(2026, 3, 3, 10), tick=False):
        ticket_set_priority(ticket=ticket, priority=Priority.HIGH, actor=org.lead)
    ticket.refresh_from_db()
    assert ticket.resolve_by == kst(2026, 3, 3, 18)
    assert ticket.resolve_by - ticket.clock_started_at == timedelta(hours=9)


def test_bs1_priority_change_keeps_the_customers_requested_time_even_after_a_pause(org) -> None:
    wanted = kst(2026, 3, 5, 16)
    ticket = open_ticket(org, kst(2026, 3, 3, 9), kind=Kind.SUPPORT, requested_by=wanted, assign=org.engineer)
    ticket = move(ticket, "diagnose", org.engineer, kst(2026, 3, 3, 9, 30))
    ticket = move(ticket, "wait_customer", org.engineer, kst(2026, 3, 3, 10))
    ticket = move(ticket, "resume", org.engineer, kst(2026, 3, 3, 12))
    assert ticket.resolve_by == kst(2026, 3, 5, 18)  # the 2h we waited on the customer
    with time_machine.travel(kst(2026, 3, 3, 13), tick=False):
        ticket_set_priority(ticket=ticket, priority=Priority.URGENT, actor=org.lead)
    ticket.refresh_from_db()
    assert ticket.resolve_by == kst(2026, 3, 5, 18)


def test_delay_notice_date_survives_a_priority_change(org) -> None:
    from charter.services import delay_notice_file

    ticket = open_ticket(org, kst(2026, 3, 3, 9), assign=org.engineer)
    with time_machine.travel(kst(2026, 3, 4, 10), tick=False):
        delay_notice_file(ticket=ticket, actor=org.engineer, reason="부품", new_date=kst(2026, 3, 9, 18))
    with time_machine.travel(kst(2026, 3, 4, 11), tick=False):
        ticket_set_priority(ticket=ticket, priority=Priority.URGENT, actor=org.lead)
    ticket.refresh_from_db()
    assert ticket.resolve_by == kst(2026, 3, 9, 18)  # what the customer was promised stands
