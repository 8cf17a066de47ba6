"""SV4: the visit sweep prompts the engineer before the start and records a late arrival
without notice after it — each once, at the exact boundaries, however often it runs."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.helpers.outbox import outbox
from tests.visits.helpers import START
from visits import services, tasks
from visits.models import Visit, VisitEvent
from visits.services import visit_sweep as sweep

pytestmark = pytest.mark.django_db

PROMPT_AT = START - timedelta(minutes=15)
LATE_AFTER = START + timedelta(minutes=10)
SECOND = timedelta(seconds=1)


def run(frozen, moment) -> int:
    frozen.move_to(moment)
    return sweep.visit_sweep_once()


def test_nothing_happens_a_second_before_the_prompt(confirmed, frozen):
    assert run(frozen, PROMPT_AT - SECOND) == 0
    confirmed.refresh_from_db()
    assert confirmed.prompt_sent_at is None
    assert not outbox(template="visit_prompt").exists()


def test_sv4_the_engineer_is_prompted_exactly_n_minutes_before_the_start_once(confirmed, org, frozen):
    assert run(frozen, PROMPT_AT) == 1
    confirmed.refresh_from_db()
    assert confirmed.prompt_sent_at == PROMPT_AT
    assert confirmed.next_check_at == LATE_AFTER
    prompt = outbox(template="visit_prompt")
    assert {n.channel for n in prompt} == {"in_app", "sms"}
    assert {n.recipient for n in prompt} == {org.engineer}
    assert all(not n.customer_facing for n in prompt)

    # Again at once, and a minute later: nothing new.
    assert run(frozen, PROMPT_AT) == 0
    assert run(frozen, PROMPT_AT + timedelta(minutes=1)) == 0
    assert outbox(template="visit_prompt").count() == 2
    assert VisitEvent.objects.filter(kind=VisitEvent.Kind.PROMPTED).count() == 1


def test_exactly_at_the_end_of_the_tolerance_the_visit_is_not_yet_late(confirmed, frozen):
    run(frozen, PROMPT_AT)
    assert run(frozen, LATE_AFTER) == 0
    confirmed.refresh_from_db()
    assert not confirmed.late_without_notice


def test_sv4_a_second_after_the_tolerance_it_is_late_without_notice_and_the_lead_is_told_once(confirmed, org, frozen):
    run(frozen, PROMPT_AT)
    assert run(frozen, LATE_AFTER + SECOND) == 1
    confirmed.refresh_from_db()
    assert confirmed.late_without_notice and confirmed.next_check_at is None
    told = outbox(template="visit_late_no_notice")
    assert {n.recipient for n in told} == {org.lead}
    assert {n.channel for n in told} == {"in_app", "email"}

    assert run(frozen, LATE_AFTER + timedelta(minutes=5)) == 0
    assert outbox(template="visit_late_no_notice").count() == 2
    assert VisitEvent.objects.filter(kind=VisitEvent.Kind.LATE_WITHOUT_NOTICE).count() == 1


def test_a_sweep_that_was_down_records_lateness_without_a_useless_prompt(confirmed, frozen):
    assert run(frozen, LATE_AFTER + timedelta(minutes=30)) == 1
    confirmed.refresh_from_db()
    assert confirmed.late_without_notice and confirmed.prompt_sent_at is None
    assert not outbox(template="visit_prompt").exists()


def test_checking_in_in_time_stops_both(confirmed, org, frozen):
    frozen.move_to(START - timedelta(minutes=20))
    services.visit_check_in(visit=confirmed, actor=org.engineer)
    assert run(frozen, PROMPT_AT) == 0
    assert run(frozen, LATE_AFTER + timedelta(hours=1)) == 0
    confirmed.refresh_from_db()
    assert not confirmed.late_without_notice


def test_a_late_notice_after_the_prompt_means_never_late_without_notice(confirmed, org, frozen):
    run(frozen, PROMPT_AT)
    frozen.move_to(START - timedelta(minutes=5))
    services.visit_late_notice_send(visit=confirmed, actor=org.engineer, new_arrival=START + timedelta(minutes=40))
    assert run(frozen, LATE_AFTER + timedelta(minutes=1)) == 0
    confirmed.refresh_from_db()
    assert not confirmed.late_without_notice


def test_checking_in_late_is_still_allowed_and_counted(confirmed, org, frozen):
    run(frozen, LATE_AFTER + SECOND)
    frozen.move_to(START + timedelta(minutes=25))
    visit = services.visit_check_in(visit=confirmed, actor=org.engineer)
    assert visit.punctuality_minutes == 25 and visit.late_without_notice


def test_rescheduling_starts_the_checks_again_for_the_new_time(confirmed, org, frozen):
    run(frozen, PROMPT_AT)
    later = START + timedelta(days=1)
    frozen.move_to(START - timedelta(minutes=10))
    visit = services.visit_propose(visit=confirmed, actor=org.desk_agent, start=later, end=later + timedelta(hours=1))
    visit = services.visit_confirm(visit=visit, actor=org.customer)
    assert visit.prompt_sent_at is None and visit.next_check_at == later - timedelta(minutes=15)
    assert run(frozen, later - timedelta(minutes=15)) == 1
    assert outbox(template="visit_prompt", key__contains=":v2:").count() == 2


def test_two_sweeps_reading_the_same_row_act_once(confirmed, frozen):
    frozen.move_to(PROMPT_AT)
    seen = confirmed.next_check_at
    assert sweep._step(confirmed.pk, seen, PROMPT_AT) is True
    # The second worker read the same next_check_at before the first one moved it.
    assert sweep._step(confirmed.pk, seen, PROMPT_AT) is False
    assert VisitEvent.objects.filter(kind=VisitEvent.Kind.PROMPTED).count() == 1


def test_a_visit_that_raises_is_pushed_forward_and_the_others_still_run(confirmed, org, frozen, monkeypatch):
    other_ticket = type(confirmed.ticket).objects.create(
        title="두 번째", reporter=org.other_customer, reporter_name="이영희", reporter_department=org.customer_dept,
        team=org.team, asset=org.asset, assignee=org.engineer, status="assigned", created_at=confirmed.created_at,
    )
    second = services.visit_book(
        ticket=other_ticket, engineer=org.engineer, actor=org.desk_agent, start=START, end=START + timedelta(hours=1),
        purpose="점검", agreed_by_phone=True,
    )
    real_step = sweep._step

    def flaky(pk, seen, now, **kwargs):
        if pk == confirmed.pk:
            raise RuntimeError("boom")
        return real_step(pk, seen, now, **kwargs)

    monkeypatch.setattr(sweep, "_step", flaky)
    assert run(frozen, PROMPT_AT) == 1
    confirmed.refresh_from_db()
    second.refresh_from_db()
    assert confirmed.next_check_at == PROMPT_AT + sweep.RETRY_AFTER
    assert second.prompt_sent_at == PROMPT_AT


def test_the_sweep_reads_only_due_rows(confirmed, frozen, django_assert_max_num_queries):
    frozen.move_to(PROMPT_AT - timedelta(minutes=1))
    with django_assert_max_num_queries(1):
        assert sweep.visit_sweep_once() == 0


def test_the_standards_set_the_minutes(confirmed, frozen):
    from standards import selectors as standards
    from standards.models import StandardVersion

    StandardVersion.objects.filter(is_active=True).update(visit_prompt_minutes=30, visit_tolerance_minutes=5)
    standards.standards_changed()
    visit = Visit.objects.get(pk=confirmed.pk)
    assert standards.prompt_before() == timedelta(minutes=30)
    assert standards.lateness_tolerance() == timedelta(minutes=5)
    frozen.move_to(START + timedelta(minutes=5, seconds=1))
    assert sweep.visit_sweep_once() == 1
    visit.refresh_from_db()
    assert visit.late_without_notice


def test_the_celery_task_runs_one_sweep(confirmed, frozen):
    frozen.move_to(PROMPT_AT)
    assert tasks.visit_sweep.name == "visits.tasks.visit_sweep"
    assert tasks.visit_sweep.run() == 1


def test_no_reminder_or_late_record_for_a_ticket_finished_meanwhile(confirmed, frozen):
    type(confirmed.ticket).objects.filter(pk=confirmed.ticket_id).update(status="cancelled")
    assert run(frozen, PROMPT_AT) == 0
    assert run(frozen, LATE_AFTER + timedelta(hours=1)) == 0
    confirmed.refresh_from_db()
    assert confirmed.next_check_at is None and not confirmed.late_without_notice
    assert not outbox(template="visit_prompt").exists()


def test_closing_a_ticket_cancels_its_planned_visits_and_tells_the_customer(confirmed, org):
    assert services.visits_cancel_for_ticket(ticket=confirmed.ticket, actor=org.desk_agent, reason="전화로 해결") == 1
    confirmed.refresh_from_db()
    assert confirmed.state == "cancelled" and confirmed.next_check_at is None
    assert outbox(template="visit_cancelled", channel="sms").count() == 1
