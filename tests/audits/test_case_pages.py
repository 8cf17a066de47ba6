"""CR2: the auditor's work on a case; every view of it logged and shown."""
from __future__ import annotations

import pytest
from django.urls import reverse

from audits.models import CaseEvent, CaseState, CaseView, Decision
from audits.services import case_decide, case_take
from helpdesk.core.errors import ActionRefused
from tests.helpers.clients import logged_in


def test_cr2_every_view_of_a_case_is_logged_and_shown(auditor, case):
    client = logged_in(auditor, language="en")
    url = reverse("audits:case", args=[case.pk])
    client.get(url)
    page = client.get(url).content.decode()
    views = list(CaseView.objects.filter(case=case).order_by("viewed_at", "pk"))
    assert [(v.viewer_id, v.page) for v in views] == [(auditor.pk, url), (auditor.pk, url)]
    assert "Who opened this case" in page and page.count(f"<code>{url}</code>") == 2


def test_cr2_a_refused_action_page_is_logged_too(auditor, case):
    response = logged_in(auditor).post(reverse("audits:case_decide", args=[case.pk]), {"decision": "substantiated"})
    assert response.status_code == 400
    assert CaseView.objects.filter(case=case, page=reverse("audits:case_decide", args=[case.pk])).exists()


def test_cr2_the_list_is_paginated_within_a_query_budget(org, auditor, handled_ticket, django_assert_max_num_queries):
    from audits.services import misconduct_report

    for n in range(30):
        misconduct_report(reporter=org.customer, accused_name=f"직원{n}", statement="요구", ticket=handled_ticket)
    client = logged_in(auditor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audits:cases"))
    assert response.status_code == 200 and response.content.decode().count("data-case=") == 25


def test_cr2_a_substantiated_decision_needs_the_action_and_keeps_what_was_typed(auditor, case):
    case_take(case=case, actor=auditor)
    response = logged_in(auditor, language="en").post(
        reverse("audits:case_decide", args=[case.pk]), {"decision": "substantiated", "findings": "요구 사실 확인", "action_taken": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A substantiated case needs the action taken against the employee." in page
    assert "요구 사실 확인" in page
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING


def test_cr2_a_case_is_decided_once(auditor, case):
    case_take(case=case, actor=auditor)
    case_decide(case=case, actor=auditor, decision=Decision.NOT_SUBSTANTIATED, findings="근거 없음", action_taken="")
    with pytest.raises(ActionRefused):
        case_decide(case=case, actor=auditor, decision=Decision.SUBSTANTIATED, findings="x", action_taken="y")
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == ["reported", "taken", "decided"]


def test_cr2_a_case_cannot_be_taken_twice(auditor, case):
    case_take(case=case, actor=auditor)
    response = logged_in(auditor, language="en").post(reverse("audits:case_take", args=[case.pk]))
    assert response.status_code == 400
    assert "already being investigated" in response.content.decode()


def test_cr2_services_refuse_a_non_auditor(admin_user, case):
    with pytest.raises(ActionRefused):
        case_take(case=case, actor=admin_user)
