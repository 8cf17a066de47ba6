"""CR2: making a report (portal and staff), who is told, and bad input."""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditCase, CaseEvent, MisconductReport, ReportChannel
from audits.services import misconduct_report
from helpdesk.core.errors import ActionRefused
from tests.helpers.clients import logged_in
from tests.helpers.outbox import outbox
from tickets.models import TicketEvent


def test_cr2_a_customer_reports_from_the_portal_and_sees_only_a_reference(org, handled_ticket, auditor):
    client = logged_in(org.customer, language="en")
    assert client.get(reverse("audits:report")).status_code == 200
    told_before = set(outbox().values_list("pk", flat=True))  # the ticket's own notices
    response = client.post(
        reverse("audits:report"),
        {"accused_name": "박준호", "ticket_number": f"#{handled_ticket.pk}", "statement": "5만원을 요구했습니다."},
    )
    report = MisconductReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("audits:report_received", args=[report.reference])
    page = client.get(response["Location"]).content.decode()
    assert report.reference in page and "5만원" not in page
    assert report.channel == ReportChannel.PORTAL and report.reporter == org.customer
    case = report.case
    # The ticket named its handler: the case knows the accused, who hears nothing.
    assert case.accused == org.engineer
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REPORTED, actor=org.customer).exists()
    assert set(outbox().exclude(pk__in=told_before).values_list("recipient_id", flat=True)) == {auditor.pk}
    # Nothing on the ticket that the engineer, the lead or the customer reads.
    assert not TicketEvent.objects.filter(ticket=handled_ticket).exclude(kind__in=["created", "assigned"]).exists()


def test_cr2_the_auditors_notice_names_the_reference_not_the_person(case, auditor):
    row = outbox(recipient=auditor).first()
    assert row is not None
    text = str(row.context)
    assert case.report.reference in text and "박준호" not in text and "5만원" not in text


def test_cr2_staff_report_too(org, auditor):
    response = logged_in(org.desk_agent).post(
        reverse("audits:report"), {"accused_name": "김아무개", "statement": "통화 중 사례금을 요구했다는 제보"}
    )
    assert response.status_code == 302
    assert MisconductReport.objects.get().channel == ReportChannel.STAFF


def test_cr2_an_auditor_accused_is_not_told(org, handled_ticket, auditor):
    handled_ticket.assignee = auditor
    handled_ticket.save(update_fields=["assignee"])
    misconduct_report(reporter=org.customer, accused_name="남지현", statement="요구", ticket=handled_ticket)
    assert not outbox(recipient=auditor).exists()


def test_cr2_an_empty_report_is_refused_and_keeps_what_was_typed(org):
    response = logged_in(org.customer, language="en").post(
        reverse("audits:report"), {"accused_name": "박준호", "ticket_number": "", "statement": "   "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please say what was asked of you, and when." in page
    assert 'value="박준호"' in page
    assert not MisconductReport.objects.exists() and not AuditCase.objects.exists()


def test_cr2_a_ticket_number_not_of_the_reporter_is_refused(org, handled_ticket):
    response = logged_in(org.other_customer, language="en").post(
        reverse("audits:report"),
        {"accused_name": "박준호", "ticket_number": str(handled_ticket.pk), "statement": "요구했습니다"},
    )
    assert response.status_code == 400
    assert "None of your tickets has that number." in response.content.decode()
    assert "요구했습니다" in response.content.decode()
    assert not MisconductReport.objects.exists()


@pytest.mark.parametrize("raw", ["abc", "99999999999999999999", "²"])
def test_cr2_a_garbled_ticket_number_is_refused_without_a_500(org, raw):
    response = logged_in(org.customer).post(
        reverse("audits:report"), {"accused_name": "x", "ticket_number": raw, "statement": "y"}
    )
    assert response.status_code == 400


def test_cr2_a_date_in_the_future_is_refused(org):
    with pytest.raises(ActionRefused) as refused:
        misconduct_report(
            reporter=org.customer, accused_name="x", statement="y", happened_on=timezone.localdate().replace(year=2100)
        )
    assert refused.value.field == "happened_on"


def test_cr2_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("audits:report"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
