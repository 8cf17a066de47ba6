"""IM2: one survey when work is finished — a resolved ticket, or large work's
completion report — sent by e-mail, SMS and in the app with its signed link,
and none for the same customer within the quiet period."""
from __future__ import annotations

from datetime import timedelta

import pytest

from largework.services import plan_create, plan_save
from surveys.links import survey_id_from
from surveys.models import Survey, SurveyKind
from surveys.services import survey_for_plan
from tests import factories as f
from tests.helpers.large_work import content, windows
from tests.helpers.outbox import outbox
from tests.largework.staff_steps import approve, file_report, record_all
from tests.surveys.survey_steps import resolved, survey_of
from tickets.lifecycle import Status
from tickets.models import Kind, TicketEvent
from tickets.services import ticket_transition

pytestmark = pytest.mark.django_db


def test_resolving_a_ticket_sends_its_reporter_one_survey_on_three_channels(org, standard, frozen):
    ticket = resolved(org)
    survey = survey_of(ticket)
    assert (survey.customer, survey.team, survey.handler, survey.kind) == (org.customer, org.team, org.engineer, SurveyKind.TICKET)
    assert survey.expires_at == survey.sent_at + timedelta(days=standard.survey_valid_days)
    rows = outbox(key__startswith=f"surveys:sent:s{survey.pk}:")
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "in_app", "sms"]
    link = rows.first().context["link"]
    assert survey_id_from(link.rstrip("/").rsplit("/", 1)[-1]) == survey.pk
    assert TicketEvent.objects.filter(ticket=ticket, kind="survey_sent").count() == 1


def test_no_second_survey_for_the_same_customer_within_the_quiet_period(org, standard, frozen):
    first = survey_of(resolved(org))
    frozen.shift(timedelta(days=standard.survey_quiet_days) - timedelta(seconds=1))
    resolved(org)
    assert list(Survey.objects.values_list("pk", flat=True)) == [first.pk]
    # Another customer is asked all the same.
    resolved(org, reporter=org.other_customer)
    assert Survey.objects.filter(customer=org.other_customer).count() == 1


def test_a_survey_again_once_the_quiet_period_is_over(org, standard, frozen):
    resolved(org)
    frozen.shift(timedelta(days=standard.survey_quiet_days))
    resolved(org)
    assert Survey.objects.filter(customer=org.customer).count() == 2


def test_a_caller_without_an_account_gets_no_survey(org, standard, frozen):
    resolved(org, reporter=None)
    assert not Survey.objects.exists()


def test_a_ticket_that_is_only_reopened_and_commented_sends_nothing(org, standard, frozen):
    ticket = resolved(org)
    ticket_transition(ticket=ticket, action="reopen", actor=org.customer, note="다시 안 됩니다")
    assert Survey.objects.count() == 1


def test_large_work_asks_its_customer_contact_once_when_the_completion_report_is_in(org, standard, approver, frozen):
    org.customer_dept.supervisor = approver.department
    org.customer_dept.save(update_fields=["supervisor"])
    work = f.TicketFactory(kind=Kind.LARGE_WORK, reporter=org.other_customer, team=org.team, assignee=org.lead,
                           status=Status.DIAGNOSING, title="품질관리부 PC 일괄 교체")
    plan = plan_create(ticket=work, actor=org.lead, contact=org.customer)
    plan_save(plan=plan, actor=org.lead, **content(org, windows=windows(11)))
    plan.refresh_from_db()
    record_all(approve(plan, org, approver), org, frozen)
    assert not Survey.objects.exists()  # the work is not done before its report

    file_report(plan, org)
    survey = Survey.objects.get()
    assert (survey.kind, survey.customer, survey.work_plan_id, survey.ticket_id, survey.handler) == (
        SurveyKind.LARGE_WORK, org.customer, plan.pk, None, org.lead
    )
    # The request resolved afterwards, or the plan asked again: still one survey.
    ticket_transition(ticket=work, action="start_work", actor=org.lead)
    ticket_transition(ticket=work, action="resolve", actor=org.lead, note="완료 보고서 제출")
    assert survey_for_plan(plan=plan) is None
    assert Survey.objects.count() == 1
    assert TicketEvent.objects.filter(ticket=work, kind="survey_sent").count() == 1
