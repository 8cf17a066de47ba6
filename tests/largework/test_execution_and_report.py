"""BS3/BS4: windows done or postponed, the report due n business days after
the last one, the report with its documents closing the work, and the sweep
reminding the owner before the due time and the lead after it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk.core.errors import ActionRefused
from helpdesk.notifications.models import Notification
from largework.models import PlanWindow, WindowState
from largework.selectors import report_on_time
from largework.services import report_submit, window_record
from largework.services.sweeps import report_sweep, window_notices_send
from tests.helpers.clock import kst
from tickets.services import ticket_transition

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def windows_of(plan):
    return list(PlanWindow.objects.filter(version=plan.current).order_by("starts_at"))


def finish_windows(plan, org, frozen):
    first, second = windows_of(plan)
    frozen.move_to(kst(2026, 3, 5, 12, 5))
    window_record(window=first, actor=org.lead, done=True)
    frozen.move_to(kst(2026, 3, 6, 12, 5))
    window_record(window=second, actor=org.lead, done=True)
    plan.refresh_from_db()


def report(plan, org, files=None):
    return report_submit(
        plan=plan, actor=org.lead, summary="40대 교체 완료", by_department="품질관리부 40대",
        attachments=[SimpleUploadedFile("완료보고.pdf", PDF, "application/pdf")] if files is None else files,
    )


def test_customers_are_told_before_each_window_once(approved, org, frozen):
    frozen.move_to(kst(2026, 3, 3, 10))  # 5 March 10:00 is within two days
    assert window_notices_send() == 1
    assert window_notices_send() == 0
    keys = set(Notification.objects.filter(key__startswith="largework:window:").values_list("recipient_id", flat=True))
    assert org.customer.pk in keys and org.other_customer.pk in keys  # the department's people


def test_a_postponed_window_needs_its_reason_and_a_window_not_begun_is_not_done(approved, org):
    first, _second = windows_of(approved)
    with pytest.raises(ActionRefused, match="not started yet"):
        window_record(window=first, actor=org.lead, done=True)
    with pytest.raises(ActionRefused, match="why the window is postponed"):
        window_record(window=first, actor=org.lead, done=False, note="")
    window_record(window=first, actor=org.lead, done=False, note="고객 요청으로 연기")
    first.refresh_from_db()
    assert first.state == WindowState.POSTPONED and first.note == "고객 요청으로 연기"


def test_the_report_is_due_three_business_days_after_the_last_window(approved, org, frozen):
    finish_windows(approved, org, frozen)
    # Last window recorded Friday 6 March 12:05, in the lunch hour: the clock runs from
    # 13:00. Three business days are 24 business hours: Fri 5 h, Mon 8 h, Tue 8 h,
    # Wed 09:00–12:00 → due Wednesday 11 March 12:00; the reminder a business day earlier.
    assert approved.report_due_at == kst(2026, 3, 11, 12)
    assert approved.next_check_at == kst(2026, 3, 10, 12)


def test_the_report_needs_its_documents_and_closes_the_work(approved, work, org, approver, frozen):
    ticket_transition(ticket=work, action="start_work", actor=org.lead)
    finish_windows(approved, org, frozen)
    with pytest.raises(ActionRefused, match="completion report"):
        ticket_transition(ticket=work, action="resolve", actor=org.lead, note="완료")
    with pytest.raises(ActionRefused, match="at least one file"):
        report(approved, org, files=[])
    with pytest.raises(ActionRefused, match="does not look like"):
        report(approved, org, files=[SimpleUploadedFile("보고.pdf", b"not a pdf", "application/pdf")])
    submitted = report(approved, org)
    assert submitted.on_time and submitted.attachments.count() == 1
    assert ticket_transition(ticket=work, action="resolve", actor=org.lead, note="완료").status == "resolved"
    told = set(Notification.objects.filter(key__startswith="largework:report").values_list("recipient_id", flat=True))
    assert {approver.pk, org.customer.pk} <= told


def test_the_sweep_reminds_before_the_due_time_and_escalates_after_once_each(approved, org, frozen):
    finish_windows(approved, org, frozen)
    frozen.move_to(approved.next_check_at - timedelta(seconds=1))
    assert report_sweep() == 0
    frozen.move_to(approved.next_check_at)
    assert report_sweep() == 1
    assert report_sweep() == 0
    assert Notification.objects.filter(key__startswith=f"largework:report-reminder:p{approved.pk}", recipient=org.lead).exists()
    frozen.move_to(approved.report_due_at - timedelta(seconds=1))
    assert report_sweep() == 0
    frozen.move_to(approved.report_due_at)
    assert report_sweep() == 1
    assert report_sweep() == 0
    late = Notification.objects.filter(key__startswith=f"largework:report-late:p{approved.pk}")
    # The owner is the team's lead: the section chief stands in (leads_for).
    assert set(late.values_list("recipient_id", flat=True)) >= {org.lead.pk}


def test_on_time_reports_per_period(approved, org, frozen):
    finish_windows(approved, org, frozen)
    march = (kst(2026, 3, 1), kst(2026, 4, 1))
    assert report_on_time(*march) == (0, 1)  # due, not in yet: counts against
    frozen.move_to(kst(2026, 3, 11, 12))
    report(approved, org)
    assert report_on_time(*march) == (1, 1)
    assert report_on_time(*march, team_ids=[org.other_team.pk]) == (0, 0)
