"""Booking and agreeing a visit (SV1, SV3), and the VIP rule (MT8)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk.core.errors import ActionRefused
from tests import factories as f
from tests.helpers.outbox import outbox, outbox_keys
from tests.visits.helpers import END, NOW, START, book
from tickets.lifecycle import Status
from visits import services
from visits.models import ConfirmedVia, ProposedBy, Visit, VisitEvent, VisitState

pytestmark = pytest.mark.django_db


def test_sv1_booking_proposes_the_window_and_sends_the_pre_visit_notice_by_email_and_sms(ticket, org):
    visit = book(ticket, org)

    assert visit.state == VisitState.PROPOSED and visit.proposed_by == ProposedBy.STAFF
    assert (visit.proposed_start, visit.proposed_end) == (START, END)
    assert visit.agreed_start is None
    sent = outbox(key__startswith=f"visit:{visit.pk}:v1:proposed")
    assert {n.channel for n in sent} == {"email", "sms", "in_app"}
    sms = sent.get(channel="sms")
    assert sms.to_phone == "01055551234"  # the number on the ticket
    assert sms.customer_facing is True
    # SV3: who comes (name, team, phone), why and when travel with the notice.
    ctx = sms.context
    assert ctx["engineer_name"] == org.engineer.display_name
    assert ctx["engineer_team"] == "업무지원팀"
    assert ctx["engineer_phone"].startswith("010-")
    assert ctx["purpose"] == "PC 부팅 불량 점검"
    assert ctx["start"] == START.isoformat()
    assert ctx["link"] == f"/visits/{visit.pk}/"
    assert VisitEvent.objects.filter(visit=visit, kind=VisitEvent.Kind.BOOKED, actor=org.desk_agent).count() == 1


def test_a_window_in_the_past_is_refused_and_nothing_is_booked(ticket, org):
    with pytest.raises(ActionRefused) as refused:
        book(ticket, org, start=NOW - timedelta(minutes=1), end=NOW + timedelta(hours=1))
    assert refused.value.field == "start"
    assert "past" in refused.value.message
    assert not Visit.objects.exists() and not outbox().exists()


def test_a_window_that_ends_before_it_starts_is_refused(ticket, org):
    with pytest.raises(ActionRefused) as refused:
        book(ticket, org, start=START, end=START - timedelta(minutes=30))
    assert refused.value.field == "end"
    assert not Visit.objects.exists()


@pytest.mark.parametrize("status", [Status.CLOSED, Status.CANCELLED, Status.RESOLVED])
def test_no_visit_for_finished_work(ticket, org, status):
    ticket.status = status
    ticket.save()
    with pytest.raises(ActionRefused) as refused:
        book(ticket, org)
    assert "finished work" in refused.value.message
    assert not Visit.objects.exists()


def test_one_planned_visit_per_ticket(proposed, ticket, org):
    with pytest.raises(ActionRefused) as refused:
        book(ticket, org, start=START + timedelta(days=1), end=END + timedelta(days=1))
    assert "already has a visit planned" in refused.value.message
    assert Visit.objects.count() == 1


def test_customers_cannot_book(ticket, org):
    with pytest.raises(ActionRefused):
        services.visit_book(
            ticket=ticket, engineer=org.engineer, actor=org.customer, start=START, end=END, purpose="x"
        )


def test_purpose_is_required(ticket, org):
    with pytest.raises(ActionRefused) as refused:
        services.visit_book(ticket=ticket, engineer=org.engineer, actor=org.desk_agent, start=START, end=END, purpose=" ")
    assert refused.value.field == "purpose"


def test_an_unassigned_ticket_goes_to_the_engineer_who_visits(org, frozen):
    ticket = f.TicketFactory(reporter=org.customer, team=org.team, asset=org.asset)
    book(ticket, org)
    ticket.refresh_from_db()
    assert ticket.assignee == org.engineer and ticket.status == Status.ASSIGNED


def test_the_customer_confirms_online_and_gets_the_confirmed_notice(proposed, org):
    visit = services.visit_confirm(visit=proposed, actor=org.customer)

    assert visit.state == VisitState.CONFIRMED
    assert (visit.agreed_start, visit.agreed_end) == (START, END)
    assert visit.confirmed_via == ConfirmedVia.PORTAL and visit.confirmed_by == org.customer
    assert {n.channel for n in outbox(key__startswith=f"visit:{visit.pk}:v1:confirmed:")} == {"email", "sms", "in_app"}
    # The engineer hears of it in the app.
    assert outbox(recipient=org.engineer, template="visit_customer_confirmed").count() == 1
    # SV4: the first moment of the sweep is the reminder before the start.
    assert visit.next_check_at == START - timedelta(minutes=15)


def test_confirming_twice_is_refused(confirmed, org):
    with pytest.raises(ActionRefused):
        services.visit_confirm(visit=confirmed, actor=org.customer)


def test_the_desk_records_a_time_agreed_by_phone_in_one_step(ticket, org):
    visit = book(ticket, org, by_phone=True)

    assert visit.state == VisitState.CONFIRMED and visit.confirmed_via == ConfirmedVia.PHONE
    # One notice, the confirmed one: no "please confirm" for a time already agreed.
    assert outbox_keys(template="visit_proposed") == set()
    assert outbox(template="visit_confirmed").count() == 3


def test_the_customer_proposes_another_time_and_the_engineer_accepts_it(proposed, org):
    later = START + timedelta(days=1)
    visit = services.visit_propose(visit=proposed, actor=org.customer, start=later, end=later + timedelta(hours=1), note="오후는 회의")

    assert visit.state == VisitState.PROPOSED and visit.proposed_by == ProposedBy.CUSTOMER
    assert visit.schedule_version == 2
    assert outbox(recipient=org.engineer, template="visit_customer_proposed").exists()
    # The customer cannot confirm their own proposal.
    with pytest.raises(ActionRefused) as refused:
        services.visit_confirm(visit=visit, actor=org.customer)
    assert "You proposed this time" in refused.value.message

    visit = services.visit_confirm(visit=visit, actor=org.engineer)
    assert visit.confirmed_via == ConfirmedVia.STAFF and visit.agreed_start == later
    assert f"visit:{visit.pk}:v2:confirmed:sms" in outbox_keys()


def test_rescheduling_a_confirmed_visit_notifies_the_customer_again(confirmed, org):
    later = START + timedelta(hours=2)
    visit = services.visit_propose(visit=confirmed, actor=org.desk_agent, start=later, end=later + timedelta(hours=1))

    assert visit.state == VisitState.PROPOSED and visit.agreed_start is None and visit.next_check_at is None
    assert {f"visit:{visit.pk}:v1:proposed:sms", f"visit:{visit.pk}:v2:proposed:sms"} <= outbox_keys()
    rescheduled = outbox(key=f"visit:{visit.pk}:v2:proposed:sms").get()
    assert rescheduled.context["rescheduled"] is True and rescheduled.context["start"] == later.isoformat()


def test_someone_elses_visit_cannot_be_confirmed_by_another_customer(proposed, org):
    with pytest.raises(ActionRefused):
        services.visit_confirm(visit=proposed, actor=org.other_customer)
    proposed.refresh_from_db()
    assert proposed.state == VisitState.PROPOSED


def test_a_proposal_whose_time_has_passed_cannot_be_confirmed(proposed, org, frozen):
    frozen.move_to(START + timedelta(minutes=1))
    with pytest.raises(ActionRefused) as refused:
        services.visit_confirm(visit=proposed, actor=org.customer)
    assert "has passed" in refused.value.message


def test_cancelling_needs_a_reason_and_tells_the_customer(confirmed, org):
    with pytest.raises(ActionRefused) as refused:
        services.visit_cancel(visit=confirmed, actor=org.desk_agent, reason="")
    assert refused.value.field == "reason"
    visit = services.visit_cancel(visit=confirmed, actor=org.desk_agent, reason="고객 요청")
    assert visit.state == VisitState.CANCELLED and visit.next_check_at is None
    assert outbox(template="visit_cancelled", channel="sms").count() == 1


# --- MT8: VIP customers -------------------------------------------------------------------


@pytest.fixture
def vip_ticket(org, vip_customer, frozen):
    return f.TicketFactory(
        reporter=vip_customer, reporter_is_vip=True, team=org.team, asset=org.asset, assignee=org.engineer,
        status=Status.ASSIGNED,
    )


def test_mt8_a_vip_visit_cannot_be_confirmed_without_a_lead(vip_ticket, vip_customer, org):
    visit = book(vip_ticket, org)
    with pytest.raises(ActionRefused) as refused:
        services.visit_confirm(visit=visit, actor=vip_customer)
    assert "VIP" in refused.value.message and refused.value.field == "companion"
    visit.refresh_from_db()
    assert visit.state == VisitState.PROPOSED
    assert not outbox(template="visit_confirmed").exists()


def test_mt8_nor_recorded_by_phone_without_a_lead(vip_ticket, org):
    with pytest.raises(ActionRefused):
        book(vip_ticket, org, by_phone=True)
    assert not Visit.objects.exists()


def test_mt8_a_team_lead_as_companion_makes_it_confirmable(vip_ticket, vip_customer, org):
    visit = book(vip_ticket, org)
    services.visit_companion_set(visit=visit, companion=org.lead, actor=org.desk_agent)
    visit = services.visit_confirm(visit=visit, actor=vip_customer)
    assert visit.state == VisitState.CONFIRMED and visit.companion == org.lead


def test_mt8_a_section_chief_leading_the_visit_is_enough(vip_ticket, vip_customer, section_chief, org):
    visit = services.visit_book(
        ticket=vip_ticket, engineer=section_chief, actor=org.desk_agent, start=START, end=END, purpose="점검"
    )
    assert services.visit_confirm(visit=visit, actor=vip_customer).state == VisitState.CONFIRMED


def test_mt8_the_lead_cannot_be_removed_from_a_confirmed_vip_visit(vip_ticket, vip_customer, org):
    visit = book(vip_ticket, org, companion=org.lead)
    services.visit_confirm(visit=visit, actor=vip_customer)
    with pytest.raises(ActionRefused):
        services.visit_companion_set(visit=visit, companion=None, actor=org.desk_agent)
    visit.refresh_from_db()
    assert visit.companion == org.lead


def test_the_companion_is_someone_else(proposed, org):
    with pytest.raises(ActionRefused) as refused:
        services.visit_companion_set(visit=proposed, companion=org.engineer, actor=org.desk_agent)
    assert refused.value.field == "companion"
