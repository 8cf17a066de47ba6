"""CR1: staff reopen finished work as a correction; resolving it again records
the result and tells the customer at once."""
from __future__ import annotations

import pytest
from django.urls import reverse

from corrections.models import Correction, CorrectionState
from corrections.services import correction_open
from helpdesk.core.errors import ActionRefused
from tests.helpers.clients import logged_in
from tests.helpers.outbox import outbox
from tests.helpers.ticket_steps import move
from tickets.lifecycle import Status
from tickets.models import TicketEvent


def _open(client, ticket, **data):
    return client.post(reverse("corrections:open", args=[ticket.pk]), data)


def test_cr1_a_lead_reopens_finished_work_and_the_customer_hears_the_result(org, finished_ticket):
    response = _open(logged_in(org.lead), finished_ticket, reason="설정 누락 확인", what_was_wrong="공유 프린터 설정이 빠졌음")
    assert response.status_code == 302
    finished_ticket.refresh_from_db()
    assert finished_ticket.status == Status.IN_PROGRESS
    correction = Correction.objects.get()
    assert (correction.state, correction.team, correction.engineer, correction.opened_by) == (
        CorrectionState.OPEN, org.team, org.engineer, org.lead
    )
    kinds = list(TicketEvent.objects.filter(ticket=finished_ticket).values_list("kind", "is_public", "data__action"))
    assert ("status_changed", True, "reopen") in kinds and ("correction_opened", False, None) in kinds

    from django.utils import timezone

    move(finished_ticket, "resolve", org.engineer, timezone.now(), note="공유 프린터 다시 설정함")
    correction.refresh_from_db()
    assert correction.state == CorrectionState.CLOSED and correction.result == "공유 프린터 다시 설정함"
    assert correction.closed_by == org.engineer and correction.closed_at is not None
    told = outbox(key__startswith=f"corrections:closed:c{correction.pk}:")
    assert {n.channel for n in told} >= {"email", "in_app"}
    assert all(n.recipient_id == org.customer.pk for n in told)


def test_cr1_the_panel_shows_the_form_on_finished_work_only(org, finished_ticket, render_panel):
    html = render_panel("corrections/_panel.html", finished_ticket, org.engineer)
    assert reverse("corrections:open", args=[finished_ticket.pk]) in html
    correction_open(ticket=finished_ticket, actor=org.engineer, reason="재점검", what_was_wrong="누락")
    finished_ticket.refresh_from_db()
    html = render_panel("corrections/_panel.html", finished_ticket, org.engineer)
    assert "재점검" in html and reverse("corrections:open", args=[finished_ticket.pk]) not in html


def test_cr1_a_customer_cannot_open_a_correction(org, finished_ticket):
    response = _open(logged_in(org.customer), finished_ticket, reason="x", what_was_wrong="y")
    assert response.status_code == 404
    with pytest.raises(ActionRefused):
        correction_open(ticket=finished_ticket, actor=org.customer, reason="x", what_was_wrong="y")
    assert not Correction.objects.exists()


def test_cr1_staff_of_another_team_get_a_404(org, finished_ticket):
    response = _open(logged_in(org.other_engineer), finished_ticket, reason="x", what_was_wrong="y")
    assert response.status_code == 404
    assert not Correction.objects.exists()


def test_cr1_an_empty_reason_is_refused_and_keeps_what_was_typed(org, finished_ticket):
    response = _open(logged_in(org.lead, language="en"), finished_ticket, reason=" ", what_was_wrong="설정 누락")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please give the reason for the correction." in page and "설정 누락" in page
    finished_ticket.refresh_from_db()
    assert finished_ticket.status == Status.RESOLVED and not Correction.objects.exists()


def test_cr1_open_work_cannot_be_corrected(org, finished_ticket):
    correction_open(ticket=finished_ticket, actor=org.lead, reason="재점검", what_was_wrong="누락")
    with pytest.raises(ActionRefused):
        correction_open(ticket=finished_ticket, actor=org.lead, reason="again", what_was_wrong="again")
    assert Correction.objects.count() == 1


def test_cr1_a_resolve_without_a_correction_changes_nothing(org, finished_ticket):
    from django.utils import timezone

    move(finished_ticket, "reopen", org.engineer, timezone.now())
    move(finished_ticket, "resolve", org.engineer, timezone.now(), note="다시 해결")
    assert not Correction.objects.exists()
    assert not outbox(key__startswith="corrections:").exists()


def test_cr1_a_staff_cancellation_ends_the_correction(org, finished_ticket):
    from django.utils import timezone

    correction = correction_open(ticket=finished_ticket, actor=org.lead, reason="재점검", what_was_wrong="누락")
    move(finished_ticket, "cancel_staff", org.lead, timezone.now(), note="교체 장비로 대체")
    correction.refresh_from_db()
    assert correction.state == CorrectionState.CLOSED and correction.result == "교체 장비로 대체"
    assert outbox(key__startswith=f"corrections:closed:c{correction.pk}:").exists()


def test_cr1_at_night_the_email_and_app_notice_go_at_once_and_the_sms_waits_for_morning(org, finished_ticket):
    import time_machine

    from tests.helpers.clock import kst

    correction = correction_open(ticket=finished_ticket, actor=org.lead, reason="재점검", what_was_wrong="누락")
    move(finished_ticket, "resolve", org.engineer, kst(2026, 3, 3, 23), note="고침")
    with time_machine.travel(kst(2026, 3, 3, 23), tick=False):
        rows = {n.channel: n.state for n in outbox(key__startswith=f"corrections:closed:c{correction.pk}:")}
    assert rows["email"] != "held" and rows["in_app"] != "held"
    assert rows["sms"] == "held"  # the doors hold a customer's SMS in the quiet hours
