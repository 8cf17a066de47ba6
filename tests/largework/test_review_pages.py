"""The approver's pages (BS2) and the customer's page of a plan (BS3), through
HTTP: who may see which page, the decision taken by POST and recorded, a
refusal shown beside its field with what was typed kept, and the report's files
served only to those who may read the plan."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from largework.models import Decision, PlanDecision, PlanMessage, PlanState, PlanWindow, ReportAttachment
from largework.services import (
    plan_approve,
    plan_create,
    plan_return,
    plan_save,
    plan_submit,
    report_submit,
    window_record,
)
from largework.views import review_pages
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.large_work import content, windows
from tickets.models import Kind

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUEUE = reverse("largework:approvals")


def page(plan) -> str:
    return reverse("largework:approval", args=[plan.pk])


def customer_page(plan) -> str:
    return reverse("largework:customer_plan", args=[plan.pk])


def other_approver(org):
    """An approver of a department that supervises nothing of this plan."""
    return f.UserFactory(username="approver2", department=f.DepartmentFactory(division=org.division), roles=["approver"])


def outsider(org):
    """A customer of another department."""
    return f.UserFactory(username="outsider", department=f.DepartmentFactory(division=org.division), roles=["customer"])


def done_with_report(plan, org, approver, frozen, *, postpone_first: bool = False):
    """Approve the plan, record its two windows, and submit the report with one PDF."""
    plan_approve(plan=plan, actor=approver)
    first, second = PlanWindow.objects.filter(version=plan.current_id).order_by("starts_at")
    if postpone_first:
        window_record(window=first, actor=org.lead, done=False, note="고객 요청으로 연기")
    frozen.move_to(kst(2026, 3, 5, 12, 5))
    if not postpone_first:
        window_record(window=first, actor=org.lead, done=True)
    frozen.move_to(kst(2026, 3, 6, 12, 5))
    window_record(window=second, actor=org.lead, done=True)
    plan.refresh_from_db()
    return report_submit(
        plan=plan, actor=org.lead, summary="40대 교체 완료", by_department="품질관리부 40대",
        attachments=[SimpleUploadedFile("완료 보고서.pdf", PDF, "application/pdf")],
    )


@pytest.fixture
def submitted(plan, org):
    """The plan's first version, submitted to the approver of the supervising department."""
    plan_submit(plan=plan, actor=org.lead)
    plan.refresh_from_db()
    return plan


# --- The queue ----------------------------------------------------------------------------------


def test_the_approver_sees_the_waiting_plan_with_what_identifies_it(submitted, approver, org, en_client_for):
    response = en_client_for(approver).get(QUEUE)
    assert response.status_code == 200
    assert list(response.context["plans"]) == [submitted]
    html = response.content.decode()
    assert f'data-plan="{submitted.pk}"' in html
    assert submitted.ticket.number in html and "품질관리부 PC 일괄 교체" in html
    assert org.customer_dept.name in html and "40 seats" in html
    assert "2026-03-05 (Thu) 10:00" in html  # the first window
    assert f"submitted by {org.lead.display_name}" in html
    assert 'id="nav-approvals"' in html


def test_the_queue_is_oldest_first_and_paginated(submitted, approver, org, frozen, en_client_for, monkeypatch):
    monkeypatch.setattr(review_pages, "PAGE_SIZE", 1)
    frozen.move_to(kst(2026, 3, 3, 10))
    later = f.TicketFactory(kind=Kind.LARGE_WORK, reporter=org.other_customer, team=org.team, title="모니터 교체")
    second = plan_create(ticket=later, actor=org.lead, contact=org.other_customer)
    plan_save(plan=second, actor=org.lead, **content(org, title="품질관리부 모니터 교체"))
    plan_submit(plan=second, actor=org.lead)
    client = en_client_for(approver)
    first_page = client.get(QUEUE)
    assert first_page.context["plans"] == [submitted] and first_page.context["waiting"] == 2
    assert "Page 1 of 2" in first_page.content.decode()
    assert client.get(QUEUE + "?page=2").context["plans"] == [second]
    assert client.get(QUEUE + "?page=zz").context["plans"] == [submitted]


def test_another_departments_approver_sees_an_empty_queue_and_no_plan(submitted, org, en_client_for):
    client = en_client_for(other_approver(org))
    response = client.get(QUEUE)
    assert response.status_code == 200 and response.context["plans"] == []
    assert "품질관리부 PC 일괄 교체" not in response.content.decode()
    for tab in ("decided", "reports"):
        assert "품질관리부" not in client.get(QUEUE + f"?tab={tab}").content.decode()
    assert client.get(page(submitted)).status_code == 404
    assert client.post(reverse("largework:approval_approve", args=[submitted.pk])).status_code == 404
    assert client.post(reverse("largework:approval_return", args=[submitted.pk]), {"reason": "x"}).status_code == 404
    assert not PlanDecision.objects.exists()


@pytest.mark.parametrize("who", ["lead", "customer", "engineer"])
def test_who_does_not_approve_plans_is_refused_the_approvers_pages(submitted, org, en_client_for, who):
    client = en_client_for(getattr(org, who))
    assert client.get(QUEUE).status_code == 403
    assert client.get(page(submitted)).status_code == 403
    assert client.post(reverse("largework:approval_approve", args=[submitted.pk])).status_code == 403
    assert 'id="nav-approvals"' not in client.get(reverse("portal:ticket_list")).content.decode()


def test_only_an_approvers_page_asks_for_the_waiting_count(submitted, approver, org, en_client_for):
    def plan_queries(user) -> int:
        client = en_client_for(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("portal:ticket_list")).status_code == 200
        return sum("largework_workplan" in q["sql"] for q in captured.captured_queries)

    assert plan_queries(org.customer) == 0
    assert plan_queries(org.lead) == 0
    assert plan_queries(approver) == 1


def test_decided_recently_and_reports_received(submitted, approver, org, frozen, en_client_for):
    done_with_report(submitted, org, approver, frozen)
    client = en_client_for(approver)
    assert client.get(QUEUE).context["plans"] == []
    decided = client.get(QUEUE + "?tab=decided")
    assert [d.decision for d in decided.context["decisions"]] == [Decision.APPROVED]
    reports = client.get(QUEUE + "?tab=reports")
    [report] = reports.context["reports"]
    assert report.plan == submitted and report.n_files == 1
    assert "On time" in reports.content.decode()


# --- The decision page --------------------------------------------------------------------------


def test_the_decision_page_shows_the_version_in_full(plan, org, approver, en_client_for):
    plan_save(
        plan=plan, actor=org.lead,
        **content(org, windows=windows(5) + windows(7, off_hours=True), assets=[(org.asset, "3층 창가")]),
    )
    plan_submit(plan=plan, actor=org.lead)
    response = en_client_for(approver).get(page(plan))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "품질관리부 전 좌석 PC 40대 교체", "PC지원팀 3명", "데이터 이전 실패 시 기존 PC로 원복",
        "교체 시간 동안 좌석을 비워 주십시오.", "5일 PC 교체", "7일 PC 교체", "PC-000001", "3층 창가",
        "Outside working hours, at the customer's request", 'id="approve-form"', 'id="return-form"',
    ):
        assert text in html, text
    assert html.count("data-off-hours") == 1


def test_approving_through_the_page_records_the_decision(submitted, approver, en_client_for):
    client = en_client_for(approver)
    response = client.post(reverse("largework:approval_approve", args=[submitted.pk]))
    assert response.status_code == 302 and response["Location"] == page(submitted)
    submitted.refresh_from_db()
    assert submitted.state == PlanState.APPROVED
    decision = PlanDecision.objects.get()
    assert (decision.decision, decision.decided_by, decision.version.number) == (Decision.APPROVED, approver, 1)
    after = client.get(page(submitted))
    html = after.content.decode()
    assert "Version 1 of the plan is approved" in html
    assert 'data-decision="approved"' in html and 'id="approve-form"' not in html


def test_returning_through_the_page_records_the_reason(submitted, approver, en_client_for):
    client = en_client_for(approver)
    response = client.post(
        reverse("largework:approval_return", args=[submitted.pk]), {"reason": "원복 절차를 구체적으로 적어 주십시오."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == PlanState.RETURNED
    decision = PlanDecision.objects.get()
    assert (decision.decision, decision.reason, decision.decided_by) == (
        Decision.RETURNED, "원복 절차를 구체적으로 적어 주십시오.", approver,
    )
    assert "원복 절차를 구체적으로 적어 주십시오." in client.get(page(submitted)).content.decode()


def test_an_empty_reason_is_refused_beside_the_field(submitted, approver, en_client_for):
    response = en_client_for(approver).post(reverse("largework:approval_return", args=[submitted.pk]), {"reason": "   "})
    assert response.status_code == 400
    form = response.context["return_form"]
    assert form.errors == {"reason": ["Say why the plan is returned, so it can be revised."]}
    html = response.content.decode()
    assert "is-invalid" in html and "Say why the plan is returned" in html
    assert "<details open>" in html  # the return form stays open
    submitted.refresh_from_db()
    assert submitted.state == PlanState.SUBMITTED and not PlanDecision.objects.exists()


def test_a_refused_return_keeps_what_was_typed(submitted, approver, org, en_client_for):
    # A colleague of the same department approved it a moment before.
    colleague = f.UserFactory(username="approver3", department=approver.department, roles=["approver"])
    plan_approve(plan=submitted, actor=colleague)
    response = en_client_for(approver).post(
        reverse("largework:approval_return", args=[submitted.pk]), {"reason": "일정이 결산 기간과 겹칩니다."}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is no submitted version waiting for a decision." in html
    assert "일정이 결산 기간과 겹칩니다.</textarea>" in html
    assert PlanDecision.objects.count() == 1


def test_approving_twice_is_refused_on_the_page(submitted, approver, en_client_for):
    client = en_client_for(approver)
    client.post(reverse("largework:approval_approve", args=[submitted.pk]))
    response = client.post(reverse("largework:approval_approve", args=[submitted.pk]))
    assert response.status_code == 400
    assert "There is no submitted version waiting for a decision." in response.content.decode()
    assert PlanDecision.objects.count() == 1


def test_a_question_goes_on_the_thread_and_an_empty_one_is_refused(submitted, approver, org, en_client_for):
    client = en_client_for(approver)
    url = reverse("largework:approval_message", args=[submitted.pk])
    empty = client.post(url, {"body": "  "})
    assert empty.status_code == 400 and empty.context["message_form"].errors == {"body": ["Write a message."]}
    response = client.post(url, {"body": "연기 시 고객 통보는 누가 합니까?"})
    assert response.status_code == 302 and response["Location"].endswith("#thread")
    message = PlanMessage.objects.get()
    assert (message.author, message.version_number) == (approver, 1)
    assert "연기 시 고객 통보는 누가 합니까?" in client.get(page(submitted)).content.decode()


def test_earlier_versions_and_decisions_are_listed(submitted, approver, org, en_client_for):
    plan_return(plan=submitted, actor=approver, reason="원복 계획 보완")
    plan_save(plan=submitted, actor=org.lead, **content(org, risks="원복: 기존 PC 보관 후 1시간 내 재설치"))
    plan_submit(plan=submitted, actor=org.lead)
    response = en_client_for(approver).get(page(submitted))
    html = response.content.decode()
    assert [h["version"].number for h in response.context["history"]] == [2, 1]
    assert [d.reason for d in response.context["history"][1]["decisions"]] == ["원복 계획 보완"]
    assert 'data-version="1"' in html and 'data-version="2"' in html and "원복 계획 보완" in html
    assert "원복: 기존 PC 보관 후 1시간 내 재설치" in html  # the current version's content


def test_the_decision_page_shows_progress_and_the_report(submitted, approver, org, frozen, en_client_for):
    report = done_with_report(submitted, org, approver, frozen, postpone_first=True)
    response = en_client_for(approver).get(page(submitted))
    html = response.content.decode()
    assert response.context["progress"] == {"planned": 0, "done": 1, "postponed": 1}
    assert "고객 요청으로 연기" in html and 'id="report"' in html and "40대 교체 완료" in html
    attachment = report.attachments.get()
    assert reverse("largework:report_file", args=[attachment.pk]) in html


# --- The customer's page ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["customer", "other_customer"])
def test_customers_of_the_plans_department_read_the_plan(submitted, org, en_client_for, who):
    response = en_client_for(getattr(org, who)).get(customer_page(submitted))
    assert response.status_code == 200
    html = response.content.decode()
    assert "waiting for approval by" in html and "2026-03-05 (Thu) 10:00" in html
    assert "Each seat is out for about 30 minutes." in html
    assert "데이터 이전 실패" not in html  # the risks are the approver's, not the customer's


def test_the_contact_reads_the_plan_even_from_another_department(work, org, supervised, en_client_for):
    contact = outsider(org)
    plan = plan_create(ticket=work, actor=org.lead, contact=contact)
    assert en_client_for(contact).get(customer_page(plan)).status_code == 200


def test_others_get_a_404_on_the_customer_page(submitted, org, approver, en_client_for):
    for user in (outsider(org), org.engineer, org.lead, approver, other_approver(org)):
        assert en_client_for(user).get(customer_page(submitted)).status_code == 404, user.username


def test_staff_who_are_customers_of_the_plan_read_it(submitted, org, en_client_for):
    # An engineer who sits in the customer department (the plan's departments are theirs).
    colleague = f.UserFactory(username="qa-engineer", department=org.customer_dept, roles=["engineer"])
    assert en_client_for(colleague).get(customer_page(submitted)).status_code == 200


def test_the_customer_follows_each_window_and_reads_the_report(submitted, org, approver, frozen, en_client_for):
    report = done_with_report(submitted, org, approver, frozen, postpone_first=True)
    response = en_client_for(org.customer).get(customer_page(submitted))
    html = response.content.decode()
    assert "The work is complete" in html
    assert 'data-state="postponed"' in html and "고객 요청으로 연기" in html
    assert 'data-state="done"' in html
    assert "40대 교체 완료" in html and "완료 보고서.pdf" in html
    assert reverse("largework:report_file", args=[report.attachments.get().pk]) in html


# --- The report's files -------------------------------------------------------------------------


def test_the_reports_file_is_served_to_readers_only(submitted, org, approver, frozen, en_client_for):
    done_with_report(submitted, org, approver, frozen)
    attachment = ReportAttachment.objects.get()
    url = reverse("largework:report_file", args=[attachment.pk])
    for reader in (org.customer, org.other_customer, approver, org.lead):
        response = en_client_for(reader).get(url)
        assert response.status_code == 200, reader.username
        assert b"".join(response.streaming_content) == PDF
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert f"filename*=utf-8''{quote('완료 보고서.pdf')}" in disposition
    for stranger in (outsider(org), other_approver(org), org.other_engineer):
        assert en_client_for(stranger).get(url).status_code == 404, stranger.username
    assert en_client_for(org.customer).get(reverse("largework:report_file", args=[attachment.pk + 100])).status_code == 404


def test_the_customer_downloads_the_report_from_their_page(org, client_for, approved):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from largework.models import PlanWindow
    from largework.services import report_submit, window_record

    for window in PlanWindow.objects.filter(version=approved.current):
        window_record(window=window, actor=org.lead, done=False, note="고객 요청으로 연기")
    report_submit(
        plan=approved, actor=org.lead, summary="완료", by_department="품질관리부",
        attachments=[SimpleUploadedFile("보고.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
    )
    client = client_for(org.customer)
    page = client.get(reverse("largework:customer_plan", args=[approved.pk])).content.decode()
    pdf = reverse("largework:report_pdf", args=[approved.pk])
    assert pdf in page and reverse("largework:report_xlsx", args=[approved.pk]) in page
    assert client.get(pdf).content.startswith(b"%PDF-")
