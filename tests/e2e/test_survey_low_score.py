"""IM2 and P4 in the browser: a customer opens the survey link on a phone, with
no sign-in, taps a low score and adds a comment; the team lead signs in, finds
the follow-up at the top of the queue and records the call, and the customer
is told."""
from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from helpdesk.notifications.models import Notification
from standards.selectors import standards_changed
from standards.services import default_standard_seed
from surveys.links import survey_link
from surveys.models import FollowUp, FollowUpState, Survey
from tests import factories as f
from tests.e2e.helpers import log_in, path_of
from tests.factories import PASSWORD
from tickets.lifecycle import Status
from tickets.services import ticket_transition

pytestmark = pytest.mark.e2e

COMMENT = "두 번 방문하고서야 고쳐졌습니다."


@pytest.fixture
def survey(org) -> Survey:
    # A flushed database (transactional tests) has lost what the data migration seeded.
    default_standard_seed()
    standards_changed()
    ticket = f.TicketFactory(
        reporter=org.customer, reporter_department=org.customer_dept, team=org.team, assignee=org.engineer,
        status=Status.IN_PROGRESS, title="모니터가 깜박입니다",
    )
    ticket_transition(ticket=ticket, action="resolve", actor=org.engineer, note="케이블 교체")
    return Survey.objects.get(ticket=ticket)


def test_survey_a_low_score_from_a_phone_reaches_the_leads_follow_up_queue(pages, org, survey) -> None:
    customer: Page = pages.open("customer", phone=True)
    customer.goto(survey_link(survey.pk))
    buttons = customer.locator("#survey-score-form button[name=overall]")
    expect(buttons).to_have_count(5)
    customer.locator("button[data-score='1']").click()
    expect(customer.locator("#survey-recorded")).to_be_visible()
    customer.locator("label[for=id_kindness_4]").click()
    customer.fill("textarea[name=comment]", COMMENT)
    customer.locator("#survey-details-form button[type=submit]").click()
    expect(customer.locator("#survey-thanks")).to_be_visible()
    # The link works once.
    customer.goto(survey_link(survey.pk))
    expect(customer.locator("#survey-closed[data-state=answered]")).to_be_visible()
    survey.refresh_from_db()
    assert (survey.overall, survey.kindness, survey.comment) == (1, 4, COMMENT)

    lead: Page = pages.open("lead", phone=True)
    log_in(lead, org.lead.username, PASSWORD)
    lead.goto(reverse("surveys:follow_ups"))
    first = lead.locator("#follow-up-queue a").first
    expect(first).to_contain_text(COMMENT)
    first.click()
    lead.locator("label[for=id_outcome_0]").click()
    lead.fill("textarea[name=action]", "고객께 전화로 사과드리고 모니터를 교체해 드렸습니다.")
    lead.locator("#follow-up-form button[type=submit]").click()
    expect(lead.locator("#follow-up-queue-empty")).to_be_visible()
    assert path_of(lead) == reverse("surveys:follow_ups")
    follow_up = FollowUp.objects.get(survey=survey)
    assert (follow_up.state, follow_up.outcome, follow_up.done_by) == (FollowUpState.DONE, "call", org.lead)
    assert Notification.objects.filter(recipient=org.customer, key__startswith=f"surveys:follow-up-done:f{follow_up.pk}:").exists()
