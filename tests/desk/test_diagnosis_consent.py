"""MT4: after a first diagnosis the customer hears the expected duration and agrees
before the repair starts; who agreed, how and when is recorded, all on the timeline.
(The agreement starting the repair and withdrawing the "please agree" notice:
test_consent_starts_work.py.)"""
from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from desk.models import Consent, ConsentHow, Diagnosis
from desk.services import consent_give, consent_record, diagnosis_record
from helpdesk.core.errors import ActionRefused
from tests.helpers.gates import identity_confirmed
from tests.helpers.outbox import outbox, outbox_keys
from tickets.lifecycle import Status
from tickets.models import Ticket
from tickets.services import ticket_transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def diagnosing(org, phone_fault):
    identity_confirmed(phone_fault, by=org.desk_agent)
    return ticket_transition(ticket=phone_fault, action="diagnose", actor=org.engineer)


def test_mt4_consent_cannot_be_asked_before_a_diagnosis(org, diagnosing):
    with pytest.raises(ActionRefused) as refused:
        ticket_transition(ticket=diagnosing, action="ask_consent", actor=org.engineer)
    assert "diagnosis" in refused.value.message
    diagnosing.refresh_from_db()
    assert diagnosing.status == Status.DIAGNOSING


@pytest.mark.parametrize("ask_first", [False, True])
def test_mt4_the_repair_cannot_start_without_the_customers_consent(org, diagnosing, ask_first):
    with pytest.raises(ActionRefused) as refused:
        ticket_transition(ticket=diagnosing, action="start_work", actor=org.engineer)
    assert "consent" in refused.value.message
    diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="메모리 불량", expected_minutes=60, ask_consent=ask_first)
    with pytest.raises(ActionRefused) as refused:
        ticket_transition(ticket=diagnosing, action="start_work", actor=org.engineer)
    assert "agrees" in refused.value.message
    diagnosing.refresh_from_db()
    assert diagnosing.status == (Status.AWAITING_CONSENT if ask_first else Status.DIAGNOSING)


def test_mt4_diagnosis_asks_the_customer_who_agrees_in_the_portal_and_the_repair_starts(org, diagnosing):
    diagnosis = diagnosis_record(
        ticket=diagnosing, actor=org.engineer, findings="메모리 모듈 불량, 교체 필요", expected_minutes=90, ask_consent=True
    )
    diagnosing.refresh_from_db()
    assert diagnosing.status == Status.AWAITING_CONSENT
    asked = outbox(key__startswith=f"desk:consent-ask:d{diagnosis.pk}")
    assert {n.channel for n in asked} == {"email", "sms", "in_app"}
    assert all(n.customer_facing and n.recipient == org.customer for n in asked)
    email = asked.get(channel="email")
    assert "1" in email.context["body"] and "30" in email.context["body"]
    assert email.context["link"] == reverse("desk:consent", args=[diagnosing.pk])

    consent = consent_give(ticket=diagnosing, actor=org.customer)
    assert (consent.given_by, consent.how, consent.recorded_by, consent.diagnosis) == (
        org.customer.display_name, ConsentHow.PORTAL, org.customer, diagnosis,
    )
    assert outbox_keys(recipient=org.engineer) >= {f"desk:consent:{consent.pk}:u{org.engineer.pk}:in_app"}

    # The agreement is the go-ahead: the repair started, no second click.
    ticket = Ticket.objects.get(pk=diagnosing.pk)
    assert ticket.status == Status.IN_PROGRESS
    kinds = list(ticket.events.order_by("created_at", "pk").values_list("kind", "is_public"))
    desk_kinds = [k for k in kinds if k[0] in ("identity_checked", "diagnosis_recorded", "consent_given")]
    assert desk_kinds == [("identity_checked", True), ("diagnosis_recorded", True), ("consent_given", True)]
    event = ticket.events.get(kind="diagnosis_recorded")
    assert event.data["minutes"] == 90 and event.actor == org.engineer


def test_mt4_consent_before_a_diagnosis_is_refused(org, diagnosing):
    with pytest.raises(ActionRefused) as refused:
        consent_give(ticket=diagnosing, actor=org.customer)
    assert "no diagnosis" in refused.value.message
    with pytest.raises(ActionRefused):
        consent_record(ticket=diagnosing, actor=org.engineer, given_by="김민수", how=ConsentHow.PHONE)
    assert not Consent.objects.exists()


def test_mt4_only_the_reporter_agrees_in_the_portal(org, diagnosing):
    diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="x", expected_minutes=30, ask_consent=True)
    for someone in (org.other_customer, org.engineer):
        with pytest.raises(ActionRefused):
            consent_give(ticket=diagnosing, actor=someone)
    assert not Consent.objects.exists()


def test_mt4_a_second_consent_for_the_same_estimate_is_refused(org, diagnosing):
    diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="x", expected_minutes=30, ask_consent=True)
    consent_give(ticket=diagnosing, actor=org.customer)
    with pytest.raises(ActionRefused) as refused:
        consent_record(ticket=diagnosing, actor=org.engineer, given_by="김민수", how=ConsentHow.PHONE)
    assert "already agreed" in refused.value.message
    assert Consent.objects.count() == 1


def test_mt4_a_new_diagnosis_needs_a_new_consent(org, diagnosing):
    first = diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="케이블", expected_minutes=20)
    latest = diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="메인보드 교체", expected_minutes=240)
    with pytest.raises(ActionRefused):
        ticket_transition(ticket=diagnosing, action="start_work", actor=org.engineer)
    consent = consent_record(ticket=diagnosing, actor=org.engineer, given_by="김민수", how=ConsentHow.PHONE, note="통화로 동의")
    # The customer agrees to the estimate in force, not the one it replaced.
    assert consent.diagnosis == latest and not Consent.objects.filter(diagnosis=first).exists()
    assert Ticket.objects.get(pk=diagnosing.pk).status == Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("findings", "minutes", "field"),
    [("", 30, "findings"), ("   ", 30, "findings"), ("x", 0, "expected_minutes"), ("x", None, "expected_minutes"),
     ("x", 60 * 24 * 31, "expected_minutes")],
)
def test_mt4_a_diagnosis_needs_findings_and_a_sensible_duration(org, diagnosing, findings, minutes, field):
    with pytest.raises(ActionRefused) as refused:
        diagnosis_record(ticket=diagnosing, actor=org.engineer, findings=findings, expected_minutes=minutes)
    assert refused.value.field == field
    assert not Diagnosis.objects.exists()


def test_mt4_a_diagnosis_waits_for_the_diagnosis_to_start(org, phone_fault):
    with pytest.raises(ActionRefused) as refused:
        diagnosis_record(ticket=phone_fault, actor=org.engineer, findings="x", expected_minutes=10)
    assert "Start the diagnosis" in refused.value.message
    with pytest.raises(ActionRefused):
        diagnosis_record(ticket=phone_fault, actor=org.customer, findings="x", expected_minutes=10)


@pytest.mark.parametrize(("given_by", "how", "field"), [("", ConsentHow.PHONE, "given_by"), ("김민수", ConsentHow.PORTAL, "how")])
def test_mt4_staff_record_who_agreed_and_how(org, diagnosing, given_by, how, field):
    diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="x", expected_minutes=10)
    with pytest.raises(ActionRefused) as refused:
        consent_record(ticket=diagnosing, actor=org.engineer, given_by=given_by, how=how)
    assert refused.value.field == field


# --- Pages ---------------------------------------------------------------------------------


def test_the_diagnosis_form_takes_business_hours_and_asks_for_consent(org, diagnosing, client_for):
    response = client_for(org.engineer).post(
        reverse("desk:diagnosis_record", args=[diagnosing.pk]),
        {"findings": "SSD 교체 필요", "duration": "1.5", "unit": "hours", "ask_consent": "on"},
    )
    assert response.status_code == 302
    assert Diagnosis.objects.get().expected_minutes == 90
    diagnosing.refresh_from_db()
    assert diagnosing.status == Status.AWAITING_CONSENT


def test_a_diagnosis_without_a_duration_is_shown_on_the_form_keeping_the_findings(org, diagnosing, en_client_for):
    response = en_client_for(org.engineer).post(
        reverse("desk:diagnosis_record", args=[diagnosing.pk]), {"findings": "SSD 교체 필요", "duration": "", "unit": "minutes"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "SSD 교체 필요" in html and "expected duration" in html
    assert not Diagnosis.objects.exists()


def test_the_customer_reads_the_estimate_and_agrees_on_the_consent_page(org, diagnosing, en_client_for):
    diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="메모리 모듈 교체", expected_minutes=90, ask_consent=True)
    client = en_client_for(org.customer)
    page = client.get(reverse("desk:consent", args=[diagnosing.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "메모리 모듈 교체" in html and 'id="desk-agree"' in html
    assert "1 h 30 min" in html
    done = client.post(reverse("desk:consent", args=[diagnosing.pk]), follow=True)
    assert Consent.objects.get().how == ConsentHow.PORTAL
    assert 'id="desk-agree"' not in done.content.decode() and 'id="desk-consent-given"' in done.content.decode()


def test_a_second_tap_on_i_agree_says_it_was_already_given(org, diagnosing, en_client_for):
    diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="x", expected_minutes=30, ask_consent=True)
    client = en_client_for(org.customer)
    diagnosis_pk = diagnosing.pk
    client.post(reverse("desk:consent", args=[diagnosis_pk]))
    again = client.post(reverse("desk:consent", args=[diagnosis_pk]), follow=True)
    assert again.status_code == 200 and Consent.objects.count() == 1
    assert any("already agreed" in str(m) for m in again.context["messages"])


def test_someone_elses_consent_page_is_a_404(org, diagnosing, client_for):
    diagnosis_record(ticket=diagnosing, actor=org.engineer, findings="x", expected_minutes=30, ask_consent=True)
    assert client_for(org.other_customer).get(reverse("desk:consent", args=[diagnosing.pk])).status_code == 404
    assert client_for(org.other_customer).post(reverse("desk:consent", args=[diagnosing.pk])).status_code == 404
    assert not Consent.objects.exists()


def test_the_start_work_button_shows_the_refusal_on_the_ticket_page(org, diagnosing, client_for):
    # The refusal is on the page in the page's language (clause codes are no longer part of it).
    response = client_for(org.engineer).post(
        reverse("staff:ticket_transition", args=[diagnosing.pk]), {"action": "start_work"}
    )
    assert response.status_code == 200
    with translation.override("ko"):
        refusal = gettext(
            "The repair cannot start yet: record the diagnosis and the expected duration, and get the customer's consent."
        )
    assert escape(refusal) in response.content.decode()
    diagnosing.refresh_from_db()
    assert diagnosing.status == Status.DIAGNOSING
