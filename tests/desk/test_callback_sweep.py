"""PH3 automated: the sweep reminds the handler while the promise can still be kept
(the standard's warning point) and tells the team lead once the callback is
overdue — each exactly once, however often or concurrently it runs."""
from __future__ import annotations

from datetime import timedelta

import pytest

from desk.models import CallbackMemo
from desk.services import callback_memo_close, callback_memo_create
from desk.services import callback_sweep as sweep
from desk.services.callback_sweep import callback_sweep_once
from desk.tasks import callback_sweep
from tests.helpers.clock import NOW
from tests.helpers.outbox import outbox, outbox_keys

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)
REMIND = NOW + timedelta(minutes=45)
DUE = NOW + timedelta(minutes=60)


@pytest.fixture
def memo(org, frozen) -> CallbackMemo:
    return callback_memo_create(
        actor=org.desk_agent, handler=org.engineer, caller_name="김민수", department=org.customer_dept,
        phone="010-2345-6789", matter="프린터 문의",
    )


def reminders(memo):
    return outbox_keys(key__startswith=f"desk:callback:{memo.pk}:remind:")


def overdue(memo):
    return outbox_keys(key__startswith=f"desk:callback:{memo.pk}:overdue:")


def test_nothing_happens_before_the_warning_point(memo):
    assert callback_sweep_once(now=REMIND - SECOND) == 0
    memo.refresh_from_db()
    assert memo.reminded_at is None and memo.next_check_at == REMIND and not reminders(memo)


def test_the_handler_is_reminded_exactly_at_the_warning_point_once(org, memo):
    assert callback_sweep_once(now=REMIND) == 1
    memo.refresh_from_db()
    assert memo.reminded_at == REMIND and memo.next_check_at == DUE
    assert reminders(memo) == {f"desk:callback:{memo.pk}:remind:u{org.engineer.pk}:{c}" for c in ("email", "in_app")}
    assert callback_sweep_once(now=REMIND + SECOND) == 0
    assert outbox(key__contains=":remind:").count() == 2


def test_the_lead_is_told_once_when_the_callback_is_overdue(org, memo):
    callback_sweep_once(now=REMIND)
    assert callback_sweep_once(now=DUE - SECOND) == 0 and not overdue(memo)
    assert callback_sweep_once(now=DUE) == 1
    memo.refresh_from_db()
    assert memo.escalated_at == DUE and memo.next_check_at is None
    assert overdue(memo) == {f"desk:callback:{memo.pk}:overdue:u{org.lead.pk}:{c}" for c in ("email", "in_app")}
    lead_mail = outbox(recipient=org.lead, channel="email").get()
    assert org.engineer.display_name in lead_mail.context["subject"] and "김민수" in lead_mail.context["subject"]
    assert callback_sweep_once(now=DUE + timedelta(hours=5)) == 0
    assert outbox(key__contains=":overdue:").count() == 2


def test_a_sweep_that_was_down_catches_up_with_both_at_once(org, memo):
    assert callback_sweep_once(now=DUE + timedelta(hours=2)) == 1
    assert reminders(memo) and overdue(memo)
    memo.refresh_from_db()
    assert memo.reminded_at == memo.escalated_at and memo.next_check_at is None


def test_a_closed_memo_is_never_reminded(org, memo):
    callback_memo_close(memo=memo, actor=org.engineer, note="바로 통화함")
    assert callback_sweep_once(now=DUE + timedelta(hours=1)) == 0
    assert not reminders(memo) and not overdue(memo)


def test_a_handler_who_leads_the_team_has_nobody_to_escalate_to_here(org, frozen, caplog):
    own = callback_memo_create(
        actor=org.desk_agent, handler=org.lead, caller_name="이영희", department=org.customer_dept,
        phone="010-1111-2222", matter="문의",
    )
    assert callback_sweep_once(now=DUE) == 1
    assert reminders(own) and not overdue(own)
    assert "no team lead" in caplog.text


def test_two_workers_never_act_on_the_same_moment(org, memo, monkeypatch):
    """The second worker read the memo before the first one moved it on: its
    conditional claim changes nothing and it sends nothing."""
    stale = CallbackMemo.objects.get(pk=memo.pk)
    assert sweep._process(memo.pk, REMIND) is True
    real_filter = CallbackMemo.objects.select_related

    def replay_stale(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        qs.first = lambda: stale  # what the slower worker had read
        qs.filter = lambda *a, **k: qs
        return qs

    monkeypatch.setattr(CallbackMemo.objects, "select_related", replay_stale)
    assert sweep._process(memo.pk, REMIND) is False
    assert outbox(key__contains=":remind:").count() == 2


def test_a_memo_that_fails_is_pushed_forward_and_the_others_go_on(org, frozen, monkeypatch, caplog):
    memos = [
        callback_memo_create(actor=org.desk_agent, handler=org.engineer, caller_name=f"고객{i}",
                             department=org.customer_dept, phone="010-1111-2222", matter="문의")
        for i in range(2)
    ]
    real_remind = sweep._remind

    def broken(m):
        if m.pk == memos[0].pk:
            raise RuntimeError("boom")
        real_remind(m)

    monkeypatch.setattr(sweep, "_remind", broken)
    assert callback_sweep_once(now=REMIND) == 1
    first, second = (CallbackMemo.objects.get(pk=m.pk) for m in memos)
    assert first.reminded_at is None and first.next_check_at == REMIND + sweep.RETRY_DELAY
    assert second.reminded_at == REMIND
    assert "boom" in caplog.text or "callback sweep failed" in caplog.text


@pytest.mark.parametrize("not_due", [0, 40])
def test_the_sweep_reads_only_due_memos(org, frozen, not_due, django_assert_max_num_queries):
    for i in range(not_due):
        frozen.shift(timedelta(minutes=1))
        callback_memo_create(actor=org.desk_agent, handler=org.engineer, caller_name=f"나중{i}",
                             department=org.customer_dept, phone="010-1111-2222", matter="문의")
    with django_assert_max_num_queries(1):
        assert callback_sweep_once(now=NOW + timedelta(minutes=44)) == 0


def test_the_task_runs_the_sweep(memo, frozen):
    frozen.move_to(REMIND)
    assert callback_sweep() == 1
