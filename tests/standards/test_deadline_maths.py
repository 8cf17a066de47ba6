"""standards.deadline_maths: the pure maths behind MT1/BS1 deadlines, at the boundaries."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from standards import deadline_maths as m
from standards.business_calendar import default_calendar
from tests.helpers.clock import kst

H = timedelta(hours=1)
CAL = default_calendar()
LADDER = (
    m.Rung(1, m.WARNING_POINT, notify_handler=True),
    m.Rung(2, m.AFTER_DEADLINE, Decimal("0"), notify_team_lead=True, only_without_notice=True),
    m.Rung(3, m.AFTER_DEADLINE, Decimal("4"), notify_section_chief=True),
)


def test_hours_accepts_fractions() -> None:
    assert m.hours(Decimal("0.5")) == timedelta(minutes=30)
    assert m.hours("4") == 4 * H


def test_mt1_initial_deadlines_skip_lunch_and_night() -> None:
    # Tue 2026-03-03 10:00, normal fault: respond 4h, resolve 16h.
    respond_by, resolve_by = m.initial_deadlines(CAL, start=kst(2026, 3, 3, 10), respond=4 * H, resolve=16 * H)
    assert respond_by == kst(2026, 3, 3, 15)
    assert resolve_by == kst(2026, 3, 5, 10)


def test_mt1_friday_1730_runs_into_monday() -> None:
    respond_by, resolve_by = m.initial_deadlines(CAL, start=kst(2026, 3, 6, 17, 30), respond=1 * H, resolve=4 * H)
    assert respond_by == kst(2026, 3, 9, 9, 30)
    assert resolve_by == kst(2026, 3, 9, 13, 30)


def test_mt1_across_chuseok() -> None:
    # Wed 2026-09-23 16:00 + 8h: Chuseok Thu-Sat, so Wed 2h then Mon 6h.
    _, resolve_by = m.initial_deadlines(CAL, start=kst(2026, 9, 23, 16), respond=2 * H, resolve=8 * H)
    assert resolve_by == kst(2026, 9, 28, 16)


def test_bs1_requested_time_wins_when_in_the_future() -> None:
    wanted = kst(2026, 3, 4, 20)  # even outside business hours: the customer's time
    respond_by, resolve_by = m.initial_deadlines(
        CAL, start=kst(2026, 3, 3, 10), respond=4 * H, resolve=24 * H, requested_by=wanted
    )
    assert resolve_by == wanted
    assert respond_by == kst(2026, 3, 3, 15)


def test_bs1_requested_time_in_the_past_falls_back_to_the_target() -> None:
    _, resolve_by = m.initial_deadlines(
        CAL, start=kst(2026, 3, 3, 10), respond=4 * H, resolve=24 * H, requested_by=kst(2026, 3, 3, 9)
    )
    assert resolve_by == CAL.add(kst(2026, 3, 3, 10), 24 * H)


def test_response_never_due_after_resolution() -> None:
    respond_by, resolve_by = m.initial_deadlines(
        CAL, start=kst(2026, 3, 3, 10), respond=4 * H, resolve=24 * H, requested_by=kst(2026, 3, 3, 11)
    )
    assert respond_by == resolve_by == kst(2026, 3, 3, 11)


def test_percent_point_counts_business_time_only() -> None:
    clock = m.Clock(started_at=kst(2026, 3, 3, 10), resolve_by=kst(2026, 3, 5, 10))  # 16h budget
    assert m.percent_point(CAL, clock, 75) == kst(2026, 3, 4, 15)  # 12h: Tue 7h + Wed 3h + 2h after lunch
    assert m.percent_point(CAL, clock, 50) == kst(2026, 3, 4, 10)  # 8h: Tue 7h + Wed 1h


def test_percent_point_credits_pauses() -> None:
    # After a 2h pause the deadline moved 2h later; 75% of the same 16h budget moves by 2h too.
    clock = m.Clock(started_at=kst(2026, 3, 3, 10), resolve_by=kst(2026, 3, 5, 13), paused_seconds=7200)
    assert m.budget(CAL, clock) == 16 * H
    assert m.percent_point(CAL, clock, 75) == kst(2026, 3, 4, 17)


def test_schedule_orders_moments_and_keys() -> None:
    clock = m.Clock(
        started_at=kst(2026, 3, 3, 10),
        resolve_by=kst(2026, 3, 5, 10),
        respond_by=kst(2026, 3, 3, 14),
        responded=False,
    )
    moments = m.schedule(CAL, clock, LADDER, 75)
    assert [(x.kind, x.level) for x in moments] == [
        (m.RESPOND, 0),
        (m.WARNING, 1),
        (m.BREACH, 0),
        (m.ESCALATION, 2),
        (m.ESCALATION, 3),
    ]
    assert moments[2].at == moments[3].at == kst(2026, 3, 5, 10)
    assert moments[4].at == kst(2026, 3, 5, 15)  # 4 business hours after 10:00, over lunch


def test_due_and_next_check_at_the_boundary() -> None:
    clock = m.Clock(started_at=kst(2026, 3, 3, 10), resolve_by=kst(2026, 3, 5, 10))
    moments = m.schedule(CAL, clock, LADDER, 75)
    warn = kst(2026, 3, 4, 15)
    assert m.due(moments, set(), warn - timedelta(seconds=1)) == []
    assert [x.key for x in m.due(moments, set(), warn)] == [(m.WARNING, 1)]
    assert m.next_check(moments, set()) == warn
    assert m.next_check(moments, {(m.WARNING, 1)}) == kst(2026, 3, 5, 10)
    everything = {x.key for x in moments}
    assert m.next_check(moments, everything) is None


def test_resume_shift_credits_business_time() -> None:
    assert m.resume_shift(CAL, kst(2026, 3, 4, 17), 2 * H) == kst(2026, 3, 5, 10)
    assert m.resume_shift(CAL, kst(2026, 3, 4, 17), timedelta(0)) == kst(2026, 3, 4, 17)


def test_time_left_before_at_and_after_the_deadline() -> None:
    deadline = kst(2026, 3, 4, 10)
    assert m.time_left(CAL, resolve_by=deadline, now=kst(2026, 3, 3, 17)) == 2 * H
    assert m.time_left(CAL, resolve_by=deadline, now=deadline) == timedelta(0)
    assert m.time_left(CAL, resolve_by=deadline, now=kst(2026, 3, 4, 11)) == -1 * H
    # Frozen while paused.
    assert m.time_left(CAL, resolve_by=deadline, now=kst(2026, 3, 9, 11), paused_at=kst(2026, 3, 3, 17)) == 2 * H


def test_recompute_keeps_time_used() -> None:
    start = kst(2026, 3, 3, 9)
    # 3h used by 13:00; urgent's 4h leaves 1h: 14:00.
    assert m.recomputed_resolve_by(CAL, started_at=start, resolve=4 * H, paused_seconds=0) == kst(2026, 3, 3, 14)
    # With 1h paused earlier, the same target ends an hour later.
    assert m.recomputed_resolve_by(CAL, started_at=start, resolve=4 * H, paused_seconds=3600) == kst(2026, 3, 3, 15)
