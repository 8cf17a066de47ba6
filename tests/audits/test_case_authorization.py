"""CR2: only an auditor reads a misconduct case. Every audits URL is walked as
every kind of person: anonymous, the reporting customer, another customer, the
accused engineer, the accused's lead, a section chief, a desk agent, the admin
superuser (without the auditor role) and the auditor."""
from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audits.models import AuditCase, CaseState, CaseView
from audits.selectors import may_handle_cases
from tests.helpers.clients import logged_in

PEOPLE = ["anonymous", "customer", "other_customer", "engineer", "lead", "section_chief", "desk_agent", "admin_user"]


def _client(request, who: str) -> Client:
    if who == "anonymous":
        return Client()
    return logged_in(request.getfixturevalue(who))


def _urls(case: AuditCase) -> list[tuple[str, str]]:
    return [
        ("get", reverse("audits:cases")),
        ("get", reverse("audits:cases") + "?state=received"),
        ("get", reverse("audits:case", args=[case.pk])),
        ("post", reverse("audits:case_take", args=[case.pk])),
        ("post", reverse("audits:case_findings", args=[case.pk])),
        ("post", reverse("audits:case_decide", args=[case.pk])),
    ]


@pytest.mark.parametrize("who", PEOPLE)
def test_cr2_nobody_but_an_auditor_reaches_a_case(request, who, case):
    client = _client(request, who)
    for method, url in _urls(case):
        response = getattr(client, method)(url, {"findings": "x", "decision": "substantiated", "action_taken": "x"})
        assert response.status_code == 404, (who, method, url)
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED and case.findings == ""
    assert not CaseView.objects.exists()


def test_cr2_the_admin_superuser_is_not_an_auditor(admin_user):
    assert admin_user.is_superuser and admin_user.has_perm("audits.handle_case")
    assert not may_handle_cases(admin_user)


def test_cr2_a_superuser_with_the_auditor_role_is_one(admin_user, auditor):
    admin_user.groups.add(*auditor.groups.all())
    admin_user.__dict__.pop("_may_handle_cases", None)
    assert may_handle_cases(admin_user)


def test_cr2_an_inactive_auditor_is_refused(auditor, case):
    auditor.is_active = False
    auditor.save(update_fields=["is_active"])
    assert not may_handle_cases(auditor)


def test_cr2_a_direct_grant_without_the_role_lets_one_in(org, case):
    from django.contrib.auth.models import Permission

    org.desk_agent.user_permissions.add(Permission.objects.get(content_type__app_label="audits", codename="handle_case"))
    assert logged_in(org.desk_agent).get(reverse("audits:case", args=[case.pk])).status_code == 200


def test_cr2_the_auditor_reaches_every_page(auditor, case):
    client = logged_in(auditor, language="en")
    assert client.get(reverse("audits:cases")).status_code == 200
    assert client.get(reverse("audits:case", args=[case.pk])).status_code == 200
    assert client.post(reverse("audits:case_take", args=[case.pk])).status_code == 302
    assert client.post(reverse("audits:case_findings", args=[case.pk]), {"findings": "통화 기록 확인"}).status_code == 302
    response = client.post(
        reverse("audits:case_decide", args=[case.pk]),
        {"decision": "substantiated", "findings": "요구 사실 확인", "action_taken": "징계위원회 회부"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.decision == "substantiated" and case.closed_by == auditor


def test_cr2_an_auditor_accused_does_not_see_their_own_case(org, auditor, case):
    case.accused = auditor
    case.save(update_fields=["accused"])
    client = logged_in(auditor)
    assert client.get(reverse("audits:case", args=[case.pk])).status_code == 404
    assert str(case.report.reference) not in client.get(reverse("audits:cases")).content.decode()


def test_cr2_the_reporter_sees_only_their_acknowledgement(org, other_customer, case):
    url = reverse("audits:report_received", args=[case.report.reference])
    page = logged_in(org.customer, language="en").get(url).content.decode()
    assert case.report.reference in page
    assert "5만원" not in page  # the statement is the case's, not the acknowledgement's
    assert logged_in(other_customer).get(url).status_code == 404
    assert logged_in(org.engineer).get(url).status_code == 404


def test_cr2_cases_are_not_in_the_django_admin(admin_user, case):
    client = logged_in(admin_user)
    assert client.get("/admin/audits/auditcase/").status_code == 404
    assert client.get("/admin/audits/misconductreport/").status_code == 404
    assert b"audits" not in client.get("/admin/").content.lower().replace(b"audits.", b"")
