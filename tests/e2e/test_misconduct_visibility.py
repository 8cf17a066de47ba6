"""CR2 in the browser: a customer reports misconduct from the portal on a
phone and sees only a reference number; the auditor, at a desk, finds the case
and opens it (the view is logged and shown); the accused's lead and the admin
superuser get a 404 for the case's URL."""
from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from audits.models import AuditCase, CaseView, MisconductReport
from tests.e2e.helpers import log_in, path_of
from tests.factories import PASSWORD
from tickets.services import ticket_assign, ticket_create

pytestmark = pytest.mark.e2e

STATEMENT = "수리를 빨리 해주는 대가로 5만원을 요구했습니다."


def submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_cr2_a_report_is_seen_by_the_auditor_and_a_404_for_the_lead_and_admin(pages, org, auditor) -> None:
    ticket = ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="모니터 고장", asset=org.asset,
    )
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)

    customer = pages.open("customer", phone=True)
    log_in(customer, org.customer.username, PASSWORD)
    customer.goto(reverse("audits:report"))
    # An empty report is refused beside the form, with what was typed kept.
    customer.fill("#id_accused_name", "박준호")
    submit(customer, "#misconduct-report button[type=submit]")
    expect(customer.locator("#id_accused_name")).to_have_value("박준호")
    assert not MisconductReport.objects.exists()
    customer.fill("#id_ticket_number", f"#{ticket.pk}")
    customer.fill("#id_statement", STATEMENT)
    submit(customer, "#misconduct-report button[type=submit]")
    report = MisconductReport.objects.get()
    expect(customer.locator("#report-reference")).to_have_text(report.reference)
    expect(customer.locator("body")).not_to_contain_text("5만원")

    case = AuditCase.objects.get(report=report)
    case_url = reverse("audits:case", args=[case.pk])

    desk = pages.open("auditor")
    log_in(desk, auditor.username, PASSWORD)
    desk.goto(reverse("audits:cases"))
    submit(desk, f"#case-list [data-case='{case.pk}']")
    assert path_of(desk) == case_url
    expect(desk.locator("#report-statement")).to_have_text(STATEMENT)
    expect(desk.locator("#case-views")).to_contain_text(auditor.display_name)
    assert CaseView.objects.filter(case=case, viewer=auditor).count() == 1

    for person in (org.lead, org.admin, org.engineer):
        other = pages.open(person.username)
        log_in(other, person.username, PASSWORD)
        response = other.goto(case_url)
        assert response is not None and response.status == 404, person.username
        assert other.goto(reverse("audits:cases")).status == 404
    assert not CaseView.objects.exclude(viewer=auditor).exists()
