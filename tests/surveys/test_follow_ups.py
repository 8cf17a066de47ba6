"""P4: a score at or below the standard's threshold opens a follow-up for the
team lead, due in business days; the lead's queue (their teams only) and the
record of the call or visit, after which the customer is told."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.accounts.roles import Role
from surveys.models import FollowUp, FollowUpState
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.outbox import outbox
from tests.surveys.survey_steps import answered, resolved, survey_of
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db


def test_a_score_at_the_threshold_opens_a_follow_up_and_one_above_does_not(org, standard, frozen):
    assert standard.low_score_threshold == 2
    at = answered(survey_of(resolved(org)), 2)
    above = answered(survey_of(resolved(org, reporter=org.other_customer)), 3)
    follow_up = FollowUp.objects.get()
    assert follow_up.survey == at and not FollowUp.objects.filter(survey=above).exists()
    assert (follow_up.team, follow_up.lead, follow_up.state) == (org.team, org.lead, FollowUpState.OPEN)
    # Tuesday 10:00 + 2 business days = Thursday 10:00.
    assert follow_up.due_at == kst(2026, 3, 12, 10)
    assert outbox(recipient=org.lead, key__startswith=f"surveys:follow-up:f{follow_up.pk}").exists()
    assert TicketEvent.objects.filter(ticket=at.ticket, kind="survey_follow_up_opened", is_public=False).exists()


def test_the_lead_does_not_follow_up_their_own_score(org, standard, section_chief, frozen):
    answered(survey_of(resolved(org, handler=org.lead)), 1)
    assert FollowUp.objects.get().lead == section_chief


@pytest.fixture
def follow_up(org, standard, frozen) -> FollowUp:
    answered(survey_of(resolved(org)), 1)
    return FollowUp.objects.get()


def test_the_lead_records_the_call_and_the_customer_is_told(follow_up, org, client_for):
    page = client_for(org.lead).post(
        reverse("surveys:follow_up", args=[follow_up.pk]), {"outcome": "call", "action": "전화로 사과, 재방문 약속"}
    )
    assert page.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.outcome, follow_up.done_by) == (FollowUpState.DONE, "call", org.lead)
    assert follow_up.customer_told_at is not None
    told = outbox(recipient=org.customer, key__startswith=f"surveys:follow-up-done:f{follow_up.pk}:")
    assert sorted(told.values_list("channel", flat=True)) == ["email", "in_app", "sms"]
    assert TicketEvent.objects.filter(kind="survey_follow_up_done", is_public=True).count() == 1
    # Recording again is refused and changes nothing.
    again = client_for(org.lead).post(reverse("surveys:follow_up", args=[follow_up.pk]), {"outcome": "visit", "action": "x"})
    assert again.status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.outcome == "call"


def test_a_follow_up_without_what_was_done_is_refused_keeping_the_choice(follow_up, org, en_client_for):
    page = en_client_for(org.lead).post(reverse("surveys:follow_up", args=[follow_up.pk]), {"outcome": "visit", "action": "  "})
    assert page.status_code == 400
    html = page.content.decode()
    assert "Say what was done for the customer." in html
    assert 'value="visit" checked' in html
    page = en_client_for(org.lead).post(reverse("surveys:follow_up", args=[follow_up.pk]), {"outcome": "fax", "action": "x"})
    assert "Choose whether you called or visited the customer." in page.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN


def test_another_teams_lead_gets_a_404_and_customers_a_403(follow_up, org, client_for):
    netlead = f.UserFactory(username="netlead", department=org.maintenance_dept, team=org.other_team, roles=[Role.TEAM_LEAD])
    org.other_team.lead = netlead
    org.other_team.save()
    url = reverse("surveys:follow_up", args=[follow_up.pk])
    assert client_for(netlead).get(url).status_code == 404
    assert client_for(netlead).post(url, {"outcome": "call", "action": "x"}).status_code == 404
    assert f'data-follow-up="{follow_up.pk}"' not in client_for(netlead).get(reverse("surveys:follow_ups")).content.decode()
    assert client_for(org.customer).get(reverse("surveys:follow_ups")).status_code == 403
    assert client_for(org.engineer).get(url).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.state == FollowUpState.OPEN


def test_the_section_chief_sees_the_follow_up(follow_up, section_chief, client_for):
    page = client_for(section_chief).get(reverse("surveys:follow_ups"))
    assert f'data-follow-up="{follow_up.pk}"' in page.content.decode()


def test_the_queue_puts_the_most_overdue_first_and_costs_the_same_for_any_length(org, standard, frozen, client_for):
    def queries() -> int:
        client = client_for(org.lead)
        client.get(reverse("surveys:follow_ups"))  # sessions and permissions warmed up
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("surveys:follow_ups"))
        assert page.status_code == 200
        return len(captured)

    customers = [org.customer, org.other_customer]
    for who in customers:
        answered(survey_of(resolved(org, reporter=who)), 1)
        frozen.shift(3600)
    few = queries()
    for n in range(4):
        who = f.UserFactory(username=f"c{n}", department=org.customer_dept)
        answered(survey_of(resolved(org, reporter=who)), 2)
    assert queries() == few
    html = client_for(org.lead).get(reverse("surveys:follow_ups")).content.decode()
    order = [int(chunk.split('"', 1)[0]) for chunk in html.split('data-follow-up="')[1:]]
    expected = list(FollowUp.objects.order_by("due_at", "pk").values_list("pk", flat=True))
    assert order == expected and len(order) == 6
