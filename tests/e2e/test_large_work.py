"""BS2–BS3 in the browser: large-scale work starts only with a plan approved by
the supervising department, and ends with a written completion report.

The team lead, on a phone, is refused "start work" without a plan, writes the
plan with two windows and submits it; the approver, at a desk, first tries to
return it without a reason (refused beside the field), then returns it with
one; the lead sees the reason, revises the risks (version 2) and submits again;
the approver approves version 2; the lead starts the work, records both windows
done and submits the report with a document; the customer's contact, on a
phone, reads the report and sees its file.

The live server runs on the real clock, so the windows are planned on the next
two business days; to record them done they are moved into the past in the
database, as the clock cannot wait for them.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from largework.models import CompletionReport, Decision, PlanDecision, PlanState, PlanWindow, WorkPlan
from standards.selectors import calendar_for, current_standard, standards_changed
from standards.services import default_standard_seed
from tests.e2e.helpers import log_in, path_of
from tests.factories import PASSWORD
from tickets.lifecycle import Status
from tickets.models import Kind, Ticket
from tickets.services import ticket_assign, ticket_create, ticket_transition

pytestmark = pytest.mark.e2e

TITLE = "품질관리부 PC 일괄 교체"
RISKS_V1 = "데이터 이전 실패 시 기존 PC로 원복"
RISKS_V2 = "데이터 이전 실패 시 기존 PC로 원복, 교체 전날 전체 백업"
REASON = "교체 전 백업 계획이 빠져 있습니다. 위험 항목에 추가해 주십시오."
SUMMARY = "품질관리부 PC 40대 교체 완료, 데이터 이전 확인"
REPORT_FILE = "완료확인서.pdf"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ko(message: str) -> str:
    with translation.override("ko"):
        return gettext(message)


def _next_business_days(n: int) -> list[date]:
    """The next n business days after today (Seoul), by the standard's calendar."""
    cal = calendar_for(current_standard())
    day, found = timezone.localdate(), []
    while len(found) < n:
        day += timedelta(days=1)
        if cal.is_business_day(day):
            found.append(day)
    return found


@pytest.fixture
def ticket(org, approver) -> Ticket:
    # A flushed database (transactional tests) has lost what the data migration seeded.
    default_standard_seed()
    standards_changed()
    org.customer_dept.supervisor = approver.department
    org.customer_dept.save(update_fields=["supervisor"])
    ticket = ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title=TITLE, kind=Kind.LARGE_WORK,
        description="품질관리부 전 좌석 PC를 새 모델로 교체해 주십시오.",
    )
    ticket = ticket_assign(ticket=ticket, assignee=org.lead, actor=org.lead)
    ticket = ticket_transition(ticket=ticket, action="diagnose", actor=org.lead)
    ticket.refresh_from_db()
    assert ticket.status == Status.DIAGNOSING and ticket.assignee == org.lead
    return ticket


def submit(page: Page, selector: str) -> None:
    """Click a button that posts a form and wait for the page that answers."""
    with page.expect_navigation():
        page.click(selector)


def write_the_plan(page: Page, org, days: list[date]) -> None:
    """Fill the edit page: the content, and one window 10:00–12:00 on each day."""
    page.fill("#id_title", TITLE)
    page.check(f"#departments input[value='{org.customer_dept.pk}']")
    page.fill("#id_scope", "품질관리부 전 좌석 PC 40대 교체")
    page.fill("#id_seats", "40")
    page.fill("#id_staffing", "업무지원팀 3명")
    page.fill("#id_risks", RISKS_V1)
    page.fill("#id_customer_notice", "교체 시간 동안 좌석을 비워 주십시오.")
    for i, day in enumerate(days):
        page.fill(f"#id_windows-{i}-what", f"{i + 1}차 PC 교체")
        page.fill(f"#id_windows-{i}-start_date", day.isoformat())
        page.fill(f"#id_windows-{i}-start_time", "10:00")
        page.fill(f"#id_windows-{i}-end_time", "12:00")
        page.fill(f"#id_windows-{i}-seats_out_minutes", "30")


def test_bs2_bs3_a_plan_is_returned_revised_approved_worked_and_reported(pages, org, approver, ticket, tmp_path) -> None:
    lead: Page = pages.open("lead", phone=True)
    days = _next_business_days(2)

    # BS2: no plan, no start. The refusal is on the status form of the ticket page.
    log_in(lead, org.lead.username, PASSWORD)
    lead.goto(reverse("staff:ticket_detail", args=[ticket.pk]))
    # On a phone the ticket page's sections are folded; the next step on top is the plan (BS2).
    expect(lead.locator("#next-step [data-step=work_plan]")).to_be_visible()
    lead.locator("#section-status > summary").click()
    submit(lead, "button[name=action][value=start_work]")
    status_card = lead.locator("section[aria-labelledby=status-heading]")
    expect(status_card).to_contain_text(
        _ko("Large-scale work starts only with an approved plan: write the plan first.")
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.DIAGNOSING

    # The lead opens the plan from the ticket's panel, writes it and submits it.
    panel = lead.locator("#work-plan")
    submit(lead, f"#work-plan button[type=submit]:has-text('{_ko('Write the plan')}')")
    plan = WorkPlan.objects.get(ticket=ticket)
    assert path_of(lead) == reverse("largework:plan_edit", args=[plan.pk])
    write_the_plan(lead, org, days)
    submit(lead, "#plan-form button[type=submit]")
    assert path_of(lead) == reverse("largework:plan", args=[plan.pk])
    expect(lead.locator("#plan-state")).to_have_text(_ko("Draft"))
    expect(lead.locator("#windows .plan-window")).to_have_count(2)
    expect(lead.locator("#windows")).to_contain_text(days[0].isoformat())
    submit(lead, "#submit-plan button[type=submit]")
    expect(lead.locator("#plan-state")).to_have_text(_ko("Waiting for approval"))

    # The approver finds it in the queue and returns it: first without a reason.
    desk: Page = pages.open("approver")
    log_in(desk, approver.username, PASSWORD)
    desk.goto(reverse("largework:approvals"))
    submit(desk, f"#approval-queue a[data-plan='{plan.pk}']")
    assert path_of(desk) == reverse("largework:approval", args=[plan.pk])
    expect(desk.locator("#plan-content")).to_contain_text(RISKS_V1)
    desk.locator("#decision details:has(#return-form) > summary").click()
    submit(desk, "#return-form button[type=submit]")
    return_form = desk.locator("#return-form")
    expect(return_form).to_be_visible()
    expect(return_form).to_contain_text(_ko("Say why the plan is returned, so it can be revised."))
    expect(desk.locator("#id_reason")).to_have_class(re.compile(r"\bis-invalid\b"))
    assert not PlanDecision.objects.exists()
    desk.fill("#id_reason", REASON)
    submit(desk, "#return-form button[type=submit]")
    assert path_of(desk) == reverse("largework:approval", args=[plan.pk])
    expect(desk.locator("#plan-state")).to_have_text(_ko("Returned"))

    # The lead sees the return and its reason, revises the risks (version 2) and submits again.
    lead.goto(reverse("largework:plan", args=[plan.pk]))
    expect(lead.locator("#plan-state")).to_have_text(_ko("Returned"))
    returned = lead.locator("#returned-reason")
    expect(returned).to_contain_text(REASON)
    expect(returned).to_contain_text(approver.display_name)
    submit(lead, "#edit-plan")
    expect(lead.locator("#new-version-notice")).to_be_visible()
    expect(lead.locator("#id_risks")).to_have_value(RISKS_V1)
    expect(lead.locator("#id_windows-1-start_date")).to_have_value(days[1].isoformat())
    lead.fill("#id_risks", RISKS_V2)
    submit(lead, "#plan-form button[type=submit]")
    assert path_of(lead) == reverse("largework:plan", args=[plan.pk])
    expect(lead.locator("#plan-version")).to_have_text(_ko("version %(n)s") % {"n": 2})
    expect(lead.locator("#content")).to_contain_text(RISKS_V2)
    submit(lead, "#submit-plan button[type=submit]")
    expect(lead.locator("#plan-state")).to_have_text(_ko("Waiting for approval"))

    # The approver approves version 2.
    desk.goto(reverse("largework:approval", args=[plan.pk]))
    expect(desk.locator("#plan-content")).to_contain_text(RISKS_V2)
    desk.locator("#decision details:has(#approve-form) > summary").click()
    submit(desk, "#approve-form button[type=submit]")
    expect(desk.locator("#plan-state")).to_have_text(_ko("Approved"))

    # Now the lead may start the work from the ticket page.
    lead.goto(reverse("staff:ticket_detail", args=[ticket.pk]))
    expect(panel).to_contain_text(_ko("Approved"))
    submit(lead, "button[name=action][value=start_work]")
    expect(lead.locator(".badge-status").first).to_have_text(_ko(Status.IN_PROGRESS.label))

    # The windows have "happened": moved into the past, as the real clock cannot wait.
    plan.refresh_from_db()
    now = timezone.now()
    windows = list(PlanWindow.objects.filter(version=plan.current).order_by("starts_at"))
    assert len(windows) == 2
    for hours_ago, window in zip((4, 2), windows, strict=True):
        PlanWindow.objects.filter(pk=window.pk).update(
            starts_at=now - timedelta(hours=hours_ago), ends_at=now - timedelta(hours=hours_ago - 1)
        )

    # The lead records both windows done and submits the report with its document.
    lead.goto(reverse("largework:plan", args=[plan.pk]))
    expect(lead.locator("#report-later")).to_be_visible()
    for window in windows:
        submit(lead, f"#record-{window.pk} button[value=done]")
        expect(lead.locator(f"#window-{window.pk}")).to_have_attribute("data-state", "done")
    document = tmp_path / REPORT_FILE
    document.write_bytes(PDF)
    lead.fill("#id_summary", SUMMARY)
    lead.fill("#id_by_department", "품질관리부 40대")
    lead.set_input_files("#id_attachments", str(document))
    submit(lead, "#report-form button[type=submit]")
    report_card = lead.locator("#report")
    expect(report_card).to_contain_text(SUMMARY)
    expect(lead.locator("#report-files")).to_contain_text(REPORT_FILE)

    # The customer's contact, on a phone, reads the report and sees its file.
    customer: Page = pages.open("customer", phone=True)
    log_in(customer, org.customer.username, PASSWORD)
    customer.goto(reverse("largework:customer_plan", args=[plan.pk]))
    expect(customer.locator("#plan-status")).to_contain_text(_ko("The work is complete. The written report is below."))
    expect(customer.locator("#report")).to_contain_text(SUMMARY)
    expect(customer.locator("#report-files")).to_contain_text(REPORT_FILE)

    # And in the database.
    decisions = list(
        PlanDecision.objects.filter(version__plan=plan).order_by("decided_at", "pk").values_list("version__number", "decision", "decided_by")
    )
    assert decisions == [(1, Decision.RETURNED, approver.pk), (2, Decision.APPROVED, approver.pk)]
    assert PlanDecision.objects.get(version__number=1).reason == REASON
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED and plan.current.number == 2 and plan.current.risks == RISKS_V2
    report = CompletionReport.objects.get(plan=plan)
    assert report.submitted_by == org.lead and report.summary == SUMMARY
    assert list(report.attachments.values_list("original_name", flat=True)) == [REPORT_FILE]
    ticket.refresh_from_db()
    assert ticket.status == Status.IN_PROGRESS
