"""Panels on the customer's ticket page that read as little as they show: the
survey button (only the survey's id; a plan's survey only on large-scale work)
and the expected completion (no delay notices read for a ticket without a
committed date)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from largework.models import WorkPlan
from surveys.links import survey_link
from surveys.models import Survey, SurveyKind
from tests import factories as f
from tests.helpers.clients import english
from tickets.lifecycle import Status
from tickets.models import Kind, Ticket


def page(org: f.Org, ticket: Ticket) -> tuple[str, list[str]]:
    client = english(org.customer)
    url = reverse("portal:ticket_detail", args=[ticket.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def survey(org: f.Org, *, ticket: Ticket | None = None, plan: WorkPlan | None = None, **fields: Any) -> Survey:
    now = timezone.now()
    values: dict[str, Any] = {
        "kind": SurveyKind.LARGE_WORK if plan else SurveyKind.TICKET,
        "ticket": ticket,
        "work_plan": plan,
        "customer": org.customer,
        "team": org.team,
        "handler": org.engineer,
        "sent_at": now - timedelta(hours=1),
        "expires_at": now + timedelta(days=14),
    }
    values.update(fields)
    return Survey.objects.create(**values)


@pytest.fixture
def resolved(org: f.Org) -> Ticket:
    return f.TicketFactory(reporter=org.customer, team=org.team, assignee=org.engineer, status=Status.RESOLVED)


def test_an_open_survey_of_the_ticket_shows_its_button_reading_only_its_id(org, resolved) -> None:
    open_one = survey(org, ticket=resolved)
    html, sql = page(org, resolved)
    assert 'id="survey-invite"' in html and survey_link(open_one.pk) in html
    surveys = [q for q in sql if 'FROM "surveys_survey"' in q]
    assert len(surveys) == 1
    assert surveys[0].startswith('SELECT "surveys_survey"."id" AS "pk" FROM') and "JOIN" not in surveys[0]


@pytest.mark.parametrize(
    "fields",
    [
        {"answered_at": timezone.now(), "overall": 5},
        {"expires_at": timezone.now() - timedelta(minutes=1)},
    ],
    ids=["answered", "expired"],
)
def test_an_answered_or_expired_survey_shows_no_button(org, resolved, fields) -> None:
    survey(org, ticket=resolved, **fields)
    html, _sql = page(org, resolved)
    assert 'id="survey-invite"' not in html


def test_another_tickets_survey_shows_no_button(org, resolved) -> None:
    other = f.TicketFactory(reporter=org.customer, team=org.team, status=Status.RESOLVED)
    survey(org, ticket=other)
    html, _sql = page(org, resolved)
    assert 'id="survey-invite"' not in html


def test_the_plans_survey_shows_on_its_large_work_request(org) -> None:
    work = f.TicketFactory(kind=Kind.LARGE_WORK, reporter=org.customer, team=org.team, assignee=org.lead,
                           status=Status.RESOLVED)
    plan = WorkPlan.objects.create(
        ticket=work, owner=org.lead, contact=org.customer, supervising_department=org.customer_dept,
        created_at=timezone.now(),
    )
    asked = survey(org, plan=plan)
    html, _sql = page(org, work)
    assert survey_link(asked.pk) in html


def test_without_a_committed_date_no_delay_notice_is_read(org, resolved) -> None:
    assert resolved.resolve_by is None
    html, sql = page(org, resolved)
    assert 'id="deadline-customer"' not in html
    assert not [q for q in sql if "charter_delaynotice" in q]


def test_with_a_committed_date_the_expected_completion_shows(org) -> None:
    due = timezone.now() + timedelta(days=2)
    ticket = f.TicketFactory(reporter=org.customer, team=org.team, assignee=org.engineer,
                             status=Status.IN_PROGRESS, resolve_by=due)
    html, sql = page(org, ticket)
    assert 'id="deadline-customer"' in html
    assert timezone.localtime(due).strftime("%Y-%m-%d %H:%M") in html
    assert len([q for q in sql if "charter_delaynotice" in q]) == 1
