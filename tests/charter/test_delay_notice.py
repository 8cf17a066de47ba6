"""MT1: the advance delay notice — refused without a reason or a sensible date,
told to the customer at once, recorded as late after the deadline."""
from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from charter.models import DelayNotice
from charter.services import delay_notice_file
from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.models import Notification
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import move
from tickets.models import TicketEvent

pytestmark = pytest.mark.usefixtures("standard")


def file(ticket, actor, at, *, reason="부품 입고 지연", new_date=None):
    with time_machine.travel(at, tick=False):
        return delay_notice_file(ticket=ticket, actor=actor, reason=reason, new_date=new_date)


def test_mt1_notice_without_a_reason_is_refused(ticket, engineer) -> None:
    with pytest.raises(ActionRefused) as exc:
        file(ticket, engineer, kst(2026, 3, 4, 10), reason="   ", new_date=kst(2026, 3, 6, 18))
    assert exc.value.field == "reason"
    assert not DelayNotice.objects.exists()


def test_mt1_notice_with_a_date_in_the_past_is_refused(ticket, engineer) -> None:
    with pytest.raises(ActionRefused) as exc:
        file(ticket, engineer, kst(2026, 3, 4, 10), new_date=kst(2026, 3, 4, 9, 59))
    assert exc.value.field == "new_date"


def test_mt1_notice_not_after_the_current_deadline_is_refused(ticket, engineer) -> None:
    for bad in (kst(2026, 3, 4, 18), kst(2026, 3, 4, 17)):  # at, and before, the committed date
        with pytest.raises(ActionRefused) as exc:
            file(ticket, engineer, kst(2026, 3, 4, 10), new_date=bad)
        assert exc.value.field == "new_date"
        assert "2026-03-04 18:00" in exc.value.message


def test_mt1_notice_on_finished_work_is_refused(ticket, engineer) -> None:
    ticket = move(ticket, "diagnose", engineer, kst(2026, 3, 3, 10))
    ticket = move(ticket, "resolve", engineer, kst(2026, 3, 3, 11))
    with pytest.raises(ActionRefused):
        file(ticket, engineer, kst(2026, 3, 3, 12), new_date=kst(2026, 3, 6, 18))


def test_mt1_customer_cannot_file_a_notice(ticket, customer) -> None:
    with pytest.raises(ActionRefused):
        file(ticket, customer, kst(2026, 3, 4, 10), new_date=kst(2026, 3, 6, 18))


def test_mt1_notice_before_the_deadline_becomes_the_committed_date(ticket, engineer, customer) -> None:
    new_date = kst(2026, 3, 6, 18)
    notice = file(ticket, engineer, kst(2026, 3, 4, 10), new_date=new_date)
    ticket.refresh_from_db()
    assert notice.was_late is False
    assert notice.old_deadline == kst(2026, 3, 4, 18)
    assert ticket.resolve_by == new_date
    assert ticket.resolve_by_from_notice is True
    assert ticket.deadline_version == 2
    # The ladder re-arms from the new window: 75% of Wed 10:00 → Fri 18:00 (23h).
    assert ticket.warn_at == kst(2026, 3, 6, 11, 15)  # 17h15m: Wed 7h, Thu 8h, Fri 2h15m
    event = ticket.events.get(kind=TicketEvent.Kind.DELAY_NOTICE)
    assert event.is_public and event.data["note"] == "부품 입고 지연"
    rows = Notification.objects.filter(template="delay_notice", ticket_id=ticket.pk)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app", "sms"]
    assert {r.recipient_id for r in rows} == {customer.pk}
    assert all(r.customer_facing for r in rows)
    sms = rows.get(channel="sms")
    assert sms.state == Notification.State.PENDING  # 10:00 is outside quiet hours
    assert sms.context["reason"] == "부품 입고 지연"
    assert sms.context["new_date"] == new_date.isoformat()
    assert sms.context["handler_name"] == engineer.display_name


def test_mt1_notice_filed_in_the_evening_holds_the_sms_until_morning(ticket, engineer) -> None:
    file(ticket, engineer, kst(2026, 3, 3, 22), new_date=kst(2026, 3, 6, 18))
    sms = Notification.objects.get(template="delay_notice", channel="sms")
    assert sms.state == Notification.State.HELD
    assert Notification.objects.get(template="delay_notice", channel="email").state == Notification.State.PENDING


def test_mt1_notice_after_the_deadline_is_recorded_late(ticket, engineer) -> None:
    notice = file(ticket, engineer, kst(2026, 3, 5, 10), new_date=kst(2026, 3, 6, 18))
    ticket.refresh_from_db()
    assert notice.was_late is True
    # The missed date stays the committed one: a late notice cannot erase a breach.
    assert ticket.resolve_by == kst(2026, 3, 4, 18)
    assert ticket.deadline_version == 1
    assert Notification.objects.filter(template="delay_notice", channel="email").count() == 1
    event = ticket.events.get(kind=TicketEvent.Kind.DELAY_NOTICE)
    assert event.data["late"] is True


def test_mt1_second_notice_must_go_beyond_the_first(ticket, engineer) -> None:
    file(ticket, engineer, kst(2026, 3, 4, 10), new_date=kst(2026, 3, 6, 18))
    with pytest.raises(ActionRefused):
        file(ticket, engineer, kst(2026, 3, 4, 11), new_date=kst(2026, 3, 6, 18))
    second = file(ticket, engineer, kst(2026, 3, 4, 11), new_date=kst(2026, 3, 6, 18) + timedelta(days=3))
    assert second.old_deadline == kst(2026, 3, 6, 18)
    assert DelayNotice.objects.filter(ticket=ticket).count() == 2
    assert Notification.objects.filter(template="delay_notice", channel="email").count() == 2


def test_mt1_notice_while_paused_keeps_the_clock_paused(ticket, engineer) -> None:
    ticket = move(ticket, "diagnose", engineer, kst(2026, 3, 3, 10))
    ticket = move(ticket, "wait_parts", engineer, kst(2026, 3, 3, 11))
    file(ticket, engineer, kst(2026, 3, 4, 10), new_date=kst(2026, 3, 10, 18))
    ticket.refresh_from_db()
    assert ticket.paused_at == kst(2026, 3, 4, 10)
    assert ticket.next_check_at is None
    ticket = move(ticket, "resume", engineer, kst(2026, 3, 4, 11))
    assert ticket.resolve_by == kst(2026, 3, 11, 10)  # credited the hour paused after the notice
