"""CR3 in the browser: a customer, on a phone, complains about the engineer who
handled their request (from the request's page); the team lead upholds the
complaint and assigns a service training; the engineer records it done on his
record page; the lead confirms the improvement on the team page."""
from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from feedback.models import Feedback, FeedbackKind, TrainingAssignment
from standards.selectors import standards_changed
from standards.services import default_standard_seed
from tests import factories as f
from tests.e2e.helpers import log_in, path_of
from tests.factories import PASSWORD
from tickets.lifecycle import Status
from tickets.models import Ticket

pytestmark = pytest.mark.e2e

COMPLAINT = "수리 후 아무 설명 없이 돌아가셨습니다."
TRAINING = "고객 응대 기본 교육"


@pytest.fixture
def ticket(org) -> Ticket:
    default_standard_seed()  # a flushed database has lost what the data migration seeded
    standards_changed()
    return f.TicketFactory(
        reporter=org.customer, team=org.team, assignee=org.engineer, status=Status.RESOLVED, title="프린터 연결 불량"
    )


def submit(page: Page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def test_complaint_upheld_training_completed_and_confirmed(pages, org, ticket) -> None:
    customer: Page = pages.open("customer", phone=True)
    log_in(customer, org.customer.username, PASSWORD)
    customer.goto(reverse("portal:ticket_detail", args=[ticket.pk]))
    submit(customer, "#complain-ticket")
    customer.fill("#id_body", COMPLAINT)
    submit(customer, "#feedback-form button[type=submit]")
    complaint = Feedback.objects.get()
    assert complaint.kind == FeedbackKind.COMPLAINT and complaint.employee == org.engineer
    assert path_of(customer) == reverse("feedback:my_detail", args=[complaint.pk])

    lead: Page = pages.open("lead")
    log_in(lead, org.lead.username, PASSWORD)
    lead.goto(reverse("feedback:queue"))
    submit(lead, f"#feedback-queue a[data-feedback='{complaint.pk}']")
    expect(lead.locator("#feedback-body")).to_contain_text(COMPLAINT)
    lead.check("#decide-form input[name=upheld][value=yes]")
    lead.fill("#id_training", TRAINING)
    submit(lead, "#decide-form button[type=submit]")
    expect(lead.locator("#training")).to_contain_text(TRAINING)
    assignment = TrainingAssignment.objects.get()

    engineer: Page = pages.open("engineer", phone=True)
    log_in(engineer, org.engineer.username, PASSWORD)
    engineer.goto(reverse("feedback:me"))
    item = engineer.locator(f"[data-training='{assignment.pk}']")
    expect(item).to_contain_text(TRAINING)
    item.locator("textarea[name=note]").fill("사내 고객 응대 교육 4시간 이수")
    submit(engineer, f"[data-training='{assignment.pk}'] button[type=submit]")
    assignment.refresh_from_db()
    assert assignment.completed_by == org.engineer

    lead.goto(reverse("feedback:team"))
    row = lead.locator(f"[data-training='{assignment.pk}']")
    expect(row).to_contain_text("사내 고객 응대 교육 4시간 이수")
    row.locator("textarea[name=note]").fill("이후 응대에서 작업 결과를 설명함")
    submit(lead, f"[data-training='{assignment.pk}'] button[type=submit]")
    assignment.refresh_from_db()
    assert assignment.confirmed_by == org.lead and assignment.confirm_note == "이후 응대에서 작업 결과를 설명함"
