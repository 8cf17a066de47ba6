"""BS2: a plan written by the lead, approved or returned by the supervising
department's approver, and the work refused until its current plan is approved."""
from __future__ import annotations

import pytest
from django.http import Http404

from helpdesk.core.errors import ActionRefused
from largework.models import Decision, PlanDecision, PlanState
from largework.selectors import approval_queue, plan_for_approver
from largework.services import WindowData, plan_approve, plan_create, plan_return, plan_save, plan_submit
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.large_work import content, windows
from tickets.models import Kind
from tickets.services import ticket_transition

pytestmark = pytest.mark.django_db


def test_only_large_work_gets_a_plan_and_a_lead_opens_it(org, supervised, frozen):
    fault = f.TicketFactory(reporter=org.customer, team=org.team)
    with pytest.raises(ActionRefused, match="Only large-scale work"):
        plan_create(ticket=fault, actor=org.lead, contact=org.customer)
    work = f.TicketFactory(kind=Kind.LARGE_WORK, reporter=org.customer, team=org.team)
    with pytest.raises(ActionRefused, match="team lead"):
        plan_create(ticket=work, actor=org.engineer, contact=org.customer)
    plan = plan_create(ticket=work, actor=org.lead, contact=org.customer)
    assert plan.supervising_department == supervised and plan.current.number == 1
    assert plan.state == PlanState.DRAFT


def test_a_department_without_a_supervisor_is_told_to_get_one(org, frozen):
    work = f.TicketFactory(kind=Kind.LARGE_WORK, reporter=org.customer, team=org.team)
    with pytest.raises(ActionRefused, match="no supervising department"):
        plan_create(ticket=work, actor=org.lead, contact=org.customer)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"windows": []}, "at least one window"),
        ({"windows": windows(2)}, "Window 1 starts in the past"),
        ({"windows": windows(5, 5)}, "Windows 1 and 2 overlap"),
        ({"windows": windows(7)}, "outside working hours or on a closed day"),  # a Saturday
        ({"windows": windows(5, hours=(19, 21))}, "outside working hours"),
        ({"staffing": " "}, "who does the work"),
        ({"departments": []}, "customer departments"),
    ],
)
def test_a_bad_plan_is_refused_with_what_is_wrong(plan, org, changes, message):
    with pytest.raises(ActionRefused, match=message):
        plan_save(plan=plan, actor=org.lead, **content(org, **changes))


def test_work_outside_hours_is_planned_when_the_customer_asked(plan, org):
    version = plan_save(plan=plan, actor=org.lead, **content(org, windows=windows(7, off_hours=True)))
    assert version.windows.get().off_hours_requested


def test_the_approver_of_the_supervising_department_approves_and_it_is_recorded(plan, org, approver):
    plan_submit(plan=plan, actor=org.lead)
    assert list(approval_queue(approver)) == [plan]
    decision = plan_approve(plan=plan, actor=approver)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.current.state == PlanState.APPROVED
    assert (decision.decision, decision.decided_by, decision.version.number) == (Decision.APPROVED, approver, 1)
    assert list(approval_queue(approver)) == []


def test_another_departments_approver_sees_nothing_and_cannot_decide(plan, org, approver):
    other = f.UserFactory(username="approver2", department=f.DepartmentFactory(division=org.division), roles=["approver"])
    plan_submit(plan=plan, actor=org.lead)
    assert list(approval_queue(other)) == []
    with pytest.raises(Http404):
        plan_for_approver(other, plan.pk)
    with pytest.raises(ActionRefused, match="approver of the supervising department"):
        plan_approve(plan=plan, actor=other)


def test_a_returned_plan_needs_a_reason_and_the_revision_is_a_new_version(plan, org, approver):
    plan_submit(plan=plan, actor=org.lead)
    with pytest.raises(ActionRefused, match="why the plan is returned"):
        plan_return(plan=plan, actor=approver, reason="  ")
    plan_return(plan=plan, actor=approver, reason="원복 절차를 구체적으로 적어 주십시오.")
    plan.refresh_from_db()
    assert plan.state == PlanState.RETURNED
    revised = plan_save(plan=plan, actor=org.lead, **content(org, risks="원복: 기존 PC 보관 후 1시간 내 재설치"))
    assert revised.number == 2 and revised.state == PlanState.DRAFT
    plan_submit(plan=plan, actor=org.lead)
    plan_approve(plan=plan, actor=approver)
    decisions = list(PlanDecision.objects.order_by("decided_at", "pk").values_list("version__number", "decision"))
    assert decisions == [(1, Decision.RETURNED), (2, Decision.APPROVED)]


def test_work_cannot_start_before_its_plan_is_approved(work, org, approver):
    with pytest.raises(ActionRefused, match="write the plan first"):
        ticket_transition(ticket=work, action="start_work", actor=org.lead)
    plan = plan_create(ticket=work, actor=org.lead, contact=org.customer)
    plan_save(plan=plan, actor=org.lead, **content(org))
    with pytest.raises(ActionRefused, match="draft: submit version 1"):
        ticket_transition(ticket=work, action="start_work", actor=org.lead)
    plan_submit(plan=plan, actor=org.lead)
    with pytest.raises(ActionRefused, match="waiting for approval by"):
        ticket_transition(ticket=work, action="start_work", actor=org.lead)
    plan_approve(plan=plan, actor=approver)
    assert ticket_transition(ticket=work, action="start_work", actor=org.lead).status == "in_progress"


def test_a_plan_changed_after_approval_needs_approval_again(plan, work, org, approver):
    plan_submit(plan=plan, actor=org.lead)
    plan_approve(plan=plan, actor=approver)
    plan_save(plan=plan, actor=org.lead, **content(org, seats=45))
    with pytest.raises(ActionRefused, match="changed after approval: version 2"):
        ticket_transition(ticket=work, action="start_work", actor=org.lead)


def test_a_submitted_version_is_not_submitted_twice(plan, org):
    plan_submit(plan=plan, actor=org.lead)
    with pytest.raises(ActionRefused, match="already submitted"):
        plan_submit(plan=plan, actor=org.lead)


def test_a_plan_changed_mid_work_keeps_the_windows_already_done(plan, org, approver, frozen):
    from largework.models import PlanWindow, WindowState
    from largework.services import window_record

    plan_submit(plan=plan, actor=org.lead)
    plan_approve(plan=plan, actor=approver)
    first = PlanWindow.objects.filter(version=plan.current).order_by("starts_at").first()
    frozen.move_to(kst(2026, 3, 5, 11))  # during the first window (10–12)
    window_record(window=first, actor=org.lead, done=True)
    # The revision lists the windows to come; the one done stays with its outcome.
    revised = plan_save(plan=plan, actor=org.lead, **content(org, windows=windows(9, 10)))
    kept = list(revised.windows.order_by("starts_at").values_list("state", "recorded_by"))
    assert revised.number == 2
    assert kept == [(WindowState.DONE, org.lead.pk), (WindowState.PLANNED, None), (WindowState.PLANNED, None)]
    clash = WindowData(starts_at=kst(2026, 3, 5, 11), ends_at=kst(2026, 3, 5, 12), what="겹치는 작업")
    with pytest.raises(ActionRefused, match="Window 1 overlaps the window of 2026-03-05 10:00"):
        plan_save(plan=plan, actor=org.lead, **content(org, windows=[clash, *windows(9)]))


def test_each_side_of_the_thread_is_sent_to_its_own_page(plan, org, approver):
    from django.urls import reverse

    from helpdesk.notifications.models import Notification
    from largework.services import plan_message_add

    plan_submit(plan=plan, actor=org.lead)
    plan_message_add(plan=plan, actor=org.lead, body="원복 시간은 1시간입니다.")
    plan_message_add(plan=plan, actor=approver, body="원복 절차를 첨부해 주십시오.")
    to_approver = Notification.objects.filter(recipient=approver, key__startswith="largework:message:").first()
    to_owner = Notification.objects.filter(recipient=org.lead, key__startswith="largework:message:").first()
    assert to_approver.context["link"] == reverse("largework:approval", args=[plan.pk])
    assert to_owner.context["link"] == reverse("largework:plan", args=[plan.pk])
