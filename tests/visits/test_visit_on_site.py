"""On site: check-in and punctuality (SV1), the late notice (SV4), the checklist (MT6),
the outcomes (MT2, MT7, SV6), new requests (SV7) and files."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from helpdesk.core.errors import ActionRefused
from tests.helpers.outbox import outbox, outbox_keys
from tests.visits.helpers import START, data_url, fill_checklist, png
from tickets.lifecycle import Status
from tickets.models import Channel, Ticket
from visits import services
from visits.models import ChecklistTemplate, Visit, VisitEvent, VisitOutcome, VisitState

pytestmark = pytest.mark.django_db


# --- Check-in ------------------------------------------------------------------------------


def test_sv1_check_in_records_the_time_and_minutes_late_against_the_agreed_start(confirmed, org, frozen):
    frozen.move_to(START + timedelta(minutes=7, seconds=40))
    visit = services.visit_check_in(visit=confirmed, actor=org.engineer)

    assert visit.state == VisitState.CHECKED_IN
    assert visit.checked_in_at == START + timedelta(minutes=7, seconds=40)
    assert visit.punctuality_minutes == 7
    assert visit.next_check_at is None
    event = VisitEvent.objects.get(visit=visit, kind=VisitEvent.Kind.CHECKED_IN)
    assert event.data["minutes_late"] == 7 and event.actor == org.engineer
    # On site the diagnosis starts.
    visit.ticket.refresh_from_db()
    assert visit.ticket.status == Status.DIAGNOSING


def test_early_arrival_counts_as_negative_minutes(confirmed, org, frozen):
    frozen.move_to(START - timedelta(minutes=12))
    assert services.visit_check_in(visit=confirmed, actor=org.engineer).punctuality_minutes == -12


def test_checking_in_twice_is_refused_and_the_first_time_stays(checked_in, org, frozen):
    first = checked_in.checked_in_at
    frozen.move_to(START + timedelta(minutes=30))
    with pytest.raises(ActionRefused) as refused:
        services.visit_check_in(visit=checked_in, actor=org.engineer)
    assert "already checked in" in refused.value.message
    checked_in.refresh_from_db()
    assert checked_in.checked_in_at == first
    assert VisitEvent.objects.filter(visit=checked_in, kind=VisitEvent.Kind.CHECKED_IN).count() == 1


def test_no_check_in_before_the_time_is_agreed(proposed, org):
    with pytest.raises(ActionRefused) as refused:
        services.visit_check_in(visit=proposed, actor=org.engineer)
    assert "not agreed" in refused.value.message


def test_no_check_in_hours_before_the_visit(confirmed, org, frozen):
    frozen.move_to(START - timedelta(hours=4))
    with pytest.raises(ActionRefused):
        services.visit_check_in(visit=confirmed, actor=org.engineer)


def test_only_the_people_on_the_visit_or_a_lead_check_in(confirmed, org, frozen):
    frozen.move_to(START)
    with pytest.raises(ActionRefused):
        services.visit_check_in(visit=confirmed, actor=org.other_engineer)
    assert services.visit_check_in(visit=confirmed, actor=org.lead).state == VisitState.CHECKED_IN


# --- Late notice (SV4) ------------------------------------------------------------------------


def test_sv4_a_late_notice_before_the_start_tells_the_customer_the_new_arrival(confirmed, org, frozen):
    frozen.move_to(START - timedelta(minutes=20))
    arrival = START + timedelta(minutes=30)
    visit = services.visit_late_notice_send(visit=confirmed, actor=org.engineer, new_arrival=arrival, reason="앞 작업 지연")

    assert visit.late_notice_at is not None and visit.new_arrival == arrival
    assert visit.next_check_at is None  # no prompt, and never "late without notice"
    sms = outbox(template="visit_late_notice", channel="sms").get()
    assert sms.context["new_arrival"] == arrival.isoformat() and sms.context["reason"] == "앞 작업 지연"


def test_sv4_a_late_notice_after_the_start_is_refused(confirmed, org, frozen):
    frozen.move_to(START)
    with pytest.raises(ActionRefused) as refused:
        services.visit_late_notice_send(visit=confirmed, actor=org.engineer, new_arrival=START + timedelta(minutes=30))
    assert "Call the customer" in refused.value.message
    assert not outbox(template="visit_late_notice").exists()


def test_the_new_arrival_must_be_after_the_agreed_start(confirmed, org, frozen):
    frozen.move_to(START - timedelta(minutes=20))
    with pytest.raises(ActionRefused) as refused:
        services.visit_late_notice_send(visit=confirmed, actor=org.engineer, new_arrival=START - timedelta(minutes=5))
    assert refused.value.field == "new_arrival"


# --- Checklist (MT6) ------------------------------------------------------------------------


def test_mt6_check_in_takes_the_current_pc_checklist(checked_in):
    template = checked_in.checklist_template
    assert template.name == "PC점검 체크리스트" and template.version == 1
    labels = list(checked_in.checklist_entries.order_by("item__order").values_list("item__text", flat=True))
    assert len(labels) == 10 and labels[0] == "전원/케이블 연결 상태" and "디스크 상태(SMART)" in labels


def test_mt6_a_visit_keeps_the_version_it_started_with(checked_in, org):
    old = checked_in.checklist_template
    new = services.checklist_template_new_version(template=old)
    new.items.create(order=999, text="모니터 점검", note_rule="never")

    assert new.version == 2 and new.is_current
    old.refresh_from_db()
    assert not old.is_current
    checked_in.refresh_from_db()
    assert checked_in.checklist_template_id == old.pk
    assert checked_in.checklist_entries.count() == 10
    assert ChecklistTemplate.objects.filter(asset_type="desktop", is_current=True).get() == new


def test_mt6_fixed_needs_a_note_and_nothing_is_saved_without_it(checked_in, org):
    entries = list(checked_in.checklist_entries.select_related("item").order_by("item__order"))
    marks = {e.item_id: ("ok", "") for e in entries}
    marks[entries[3].item_id] = ("fixed", "")
    with pytest.raises(ActionRefused) as refused:
        services.visit_checklist_fill(visit=checked_in, actor=org.engineer, marks=marks)
    assert "Memory check" in refused.value.message  # services speak the test's language (English)
    assert refused.value.field == f"note_{entries[3].item_id}"
    assert not checked_in.checklist_entries.exclude(mark="").exists()

    marks[entries[3].item_id] = ("fixed", "메모리 재장착")
    services.visit_checklist_fill(visit=checked_in, actor=org.engineer, marks=marks)
    assert checked_in.checklist_entries.filter(mark="").count() == 0
    assert checked_in.checklist_entries.get(item_id=entries[3].item_id).note == "메모리 재장착"


def test_mt6_not_applicable_needs_a_note_only_where_the_item_says_so(checked_in, org):
    entries = {e.item.text: e for e in checked_in.checklist_entries.select_related("item")}
    with pytest.raises(ActionRefused):
        services.visit_checklist_fill(
            visit=checked_in, actor=org.engineer, marks={entries["바이러스 백신 업데이트"].item_id: ("na", "")}
        )
    services.visit_checklist_fill(visit=checked_in, actor=org.engineer, marks={entries["프린터 연결"].item_id: ("na", "")})
    assert checked_in.checklist_entries.get(item=entries["프린터 연결"].item).mark == "na"


def test_mt6_a_visit_cannot_complete_until_every_item_is_marked(checked_in, org, signature):
    entries = list(checked_in.checklist_entries.order_by("item__order"))
    services.visit_checklist_fill(
        visit=checked_in, actor=org.engineer, marks={e.item_id: ("ok", "") for e in entries[:-1]}
    )
    with pytest.raises(ActionRefused) as refused:
        services.visit_resolve(visit=checked_in, actor=org.engineer, signoff_name="김민수", signature=signature)
    assert refused.value.field == "checklist" and "User told how to back up data" in refused.value.message
    with pytest.raises(ActionRefused):
        services.visit_follow_up(
            visit=checked_in, actor=org.engineer, reason="부품 필요",
            next_start=START + timedelta(days=1), next_end=START + timedelta(days=1, hours=1),
        )
    checked_in.refresh_from_db()
    assert checked_in.state == VisitState.CHECKED_IN and not checked_in.signature


# --- Resolved with sign-off (SV6) -------------------------------------------------------------


def test_sv6_resolved_with_a_drawn_signature_thanks_the_customer_and_resolves_the_ticket(checked_in, org, signature, frozen):
    fill_checklist(checked_in, org.engineer)
    frozen.move_to(START + timedelta(minutes=50))
    result = services.visit_resolve(
        visit=checked_in, actor=org.engineer, signoff_name="김민수", signature=signature, work_note="파워 케이블 교체"
    )

    visit = result.visit
    assert result.ticket_resolved
    assert visit.state == VisitState.COMPLETED and visit.outcome == VisitOutcome.RESOLVED
    assert visit.checked_out_at == START + timedelta(minutes=50)
    assert visit.signoff_name == "김민수"
    with default_storage.open(visit.signature.name, "rb") as stored:
        assert stored.read() == png()
    visit.ticket.refresh_from_db()
    assert visit.ticket.status == Status.RESOLVED
    assert visit.ticket.events.filter(data__note="파워 케이블 교체").exists()
    assert {n.channel for n in outbox(template="visit_thanks")} == {"email", "sms", "in_app"}


@pytest.mark.parametrize(
    "bad, message",
    [
        ("", "missing"),
        ("data:image/jpeg;base64,/9j/4AAQ", "PNG"),
        ("data:image/png;base64,not-base64!!", "PNG"),
        (data_url(b"GIF89a" + b"\x00" * 40), "PNG"),
        (data_url(png(blank=True)), "empty"),
    ],
)
def test_a_bad_or_empty_signature_is_refused_and_nothing_changes(checked_in, org, bad, message):
    fill_checklist(checked_in, org.engineer)
    with pytest.raises(ActionRefused) as refused:
        services.visit_resolve(visit=checked_in, actor=org.engineer, signoff_name="김민수", signature=bad)
    assert refused.value.field == "signature" and message in refused.value.message
    checked_in.refresh_from_db()
    assert checked_in.state == VisitState.CHECKED_IN and not checked_in.signature


def test_a_signature_over_the_size_limit_is_refused(checked_in, org, settings):
    settings.VISIT_SIGNATURE_MAX_BYTES = 100
    fill_checklist(checked_in, org.engineer)
    with pytest.raises(ActionRefused) as refused:
        services.visit_resolve(visit=checked_in, actor=org.engineer, signoff_name="김민수", signature=data_url(png(200, 200)))
    assert "too large" in refused.value.message


def test_the_signer_name_is_required(checked_in, org, signature):
    fill_checklist(checked_in, org.engineer)
    with pytest.raises(ActionRefused) as refused:
        services.visit_resolve(visit=checked_in, actor=org.engineer, signoff_name=" ", signature=signature)
    assert refused.value.field == "signoff_name"


def test_a_ticket_waiting_for_consent_is_not_resolved_and_the_engineer_is_told_why(checked_in, org, signature):
    Ticket.objects.filter(pk=checked_in.ticket_id).update(status=Status.AWAITING_CONSENT)
    fill_checklist(checked_in, org.engineer)
    result = services.visit_resolve(visit=checked_in, actor=org.engineer, signoff_name="김민수", signature=signature)
    assert result.visit.outcome == VisitOutcome.RESOLVED
    assert not result.ticket_resolved and "Awaiting consent" in result.ticket_note
    assert Ticket.objects.get(pk=checked_in.ticket_id).status == Status.AWAITING_CONSENT


# --- Follow-up (MT2) -----------------------------------------------------------------------------


def test_mt2_follow_up_needs_a_reason(checked_in, org):
    fill_checklist(checked_in, org.engineer)
    with pytest.raises(ActionRefused) as refused:
        services.visit_follow_up(
            visit=checked_in, actor=org.engineer, reason="  ",
            next_start=START + timedelta(days=1), next_end=START + timedelta(days=1, hours=1),
        )
    assert refused.value.field == "reason"
    checked_in.refresh_from_db()
    assert checked_in.state == VisitState.CHECKED_IN


def test_mt2_follow_up_tells_the_customer_the_reason_and_proposes_the_next_visit(checked_in, org):
    fill_checklist(checked_in, org.engineer)
    next_start = START + timedelta(days=2)
    following = services.visit_follow_up(
        visit=checked_in, actor=org.engineer, reason="메인보드 부품 주문 필요",
        next_start=next_start, next_end=next_start + timedelta(hours=1),
    )
    checked_in.refresh_from_db()
    assert checked_in.outcome == VisitOutcome.FOLLOW_UP and checked_in.follow_up_reason == "메인보드 부품 주문 필요"
    assert following.state == VisitState.PROPOSED and following.previous_visit == checked_in
    assert following.proposed_start == next_start
    sms = outbox(template="visit_follow_up", channel="sms").get()
    assert sms.context["reason"] == "메인보드 부품 주문 필요"
    assert sms.context["link"] == f"/visits/{following.pk}/"


def test_follow_up_next_window_in_the_past_is_refused(checked_in, org):
    fill_checklist(checked_in, org.engineer)
    with pytest.raises(ActionRefused) as refused:
        services.visit_follow_up(
            visit=checked_in, actor=org.engineer, reason="부품",
            next_start=START - timedelta(days=1), next_end=START - timedelta(hours=20),
        )
    assert refused.value.field == "next_start"
    assert Visit.objects.count() == 1


# --- Customer absent (MT7) ------------------------------------------------------------------------


def test_mt7_absence_needs_the_note_left_at_the_desk(checked_in, org):
    with pytest.raises(ActionRefused) as refused:
        services.visit_customer_absent(visit=checked_in, actor=org.engineer, note="")
    assert refused.value.field == "note"
    assert not outbox(template="visit_absent").exists()


def test_mt7_absence_texts_the_engineers_contact_and_a_rebook_link(checked_in, org):
    visit = services.visit_customer_absent(visit=checked_in, actor=org.engineer, note="명함과 메모를 남김")

    assert visit.state == VisitState.COMPLETED and visit.outcome == VisitOutcome.CUSTOMER_ABSENT
    assert visit.absence_note == "명함과 메모를 남김"
    sms = outbox(template="visit_absent", channel="sms").get()
    assert sms.to_phone == "01055551234"
    assert sms.context["engineer_phone"] and sms.context["link"] == f"/visits/{visit.pk}/"


def test_mt7_the_customer_rebooks_after_an_absence(checked_in, org):
    services.visit_customer_absent(visit=checked_in, actor=org.engineer, note="메모")
    later = START + timedelta(days=1)
    following = services.visit_rebook(visit=checked_in, actor=org.customer, start=later, end=later + timedelta(hours=1))
    assert following.previous_visit == checked_in and following.proposed_by == "customer"
    assert outbox(recipient=org.engineer, template="visit_customer_proposed").exists()
    with pytest.raises(ActionRefused):
        services.visit_rebook(visit=checked_in, actor=org.customer, start=later, end=later + timedelta(hours=1))


# --- SV7 and files ------------------------------------------------------------------------------


def test_sv7_a_new_request_from_the_visit_in_one_step(checked_in, org):
    ticket = services.visit_request_create(
        visit=checked_in, actor=org.engineer, title="프린터 토너 교체 요청", description="3층 프린터"
    )
    assert ticket.channel == Channel.ON_SITE
    assert ticket.reporter == org.customer and ticket.reporter_department == org.customer_dept
    assert ticket.asset == org.asset
    assert list(checked_in.new_requests.all()) == [ticket]
    assert list(ticket.origin_visits.all()) == [checked_in]
    assert VisitEvent.objects.filter(visit=checked_in, kind=VisitEvent.Kind.REQUEST_TAKEN, data__ticket_id=ticket.pk).exists()


def test_sv7_only_on_site(confirmed, org):
    with pytest.raises(ActionRefused):
        services.visit_request_create(visit=confirmed, actor=org.engineer, title="x")


def test_photos_attach_to_the_visit_with_the_ticket_limits(checked_in, org, settings):
    photo = SimpleUploadedFile("현장.png", png(), content_type="image/png")
    [stored] = services.visit_attach(visit=checked_in, actor=org.engineer, files=[photo])
    assert stored.visit == checked_in and stored.content_type == "image/png" and stored.original_name == "현장.png"

    fake = SimpleUploadedFile("virus.png", b"MZ\x90\x00" * 10, content_type="image/png")
    with pytest.raises(ActionRefused):
        services.visit_attach(visit=checked_in, actor=org.engineer, files=[fake])
    settings.ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ActionRefused) as refused:
        services.visit_attach(visit=checked_in, actor=org.engineer, files=[SimpleUploadedFile("b.png", png())])
    assert "too large" in refused.value.message
    assert checked_in.attachments.count() == 1


def test_every_state_change_is_audited_once(checked_in, org, signature):
    fill_checklist(checked_in, org.engineer)
    services.visit_resolve(visit=checked_in, actor=org.engineer, signoff_name="김민수", signature=signature)
    kinds = list(VisitEvent.objects.filter(visit=checked_in).values_list("kind", flat=True))
    assert kinds == ["booked", "confirmed", "checked_in", "checklist", "resolved"]
    assert outbox_keys(template="visit_thanks")


def test_no_check_in_for_a_ticket_cancelled_since_the_booking(confirmed, org, frozen):
    Ticket.objects.filter(pk=confirmed.ticket_id).update(status=Status.CANCELLED)
    frozen.move_to(START)
    with pytest.raises(ActionRefused) as refused:
        services.visit_check_in(visit=confirmed, actor=org.engineer)
    assert "finished work" in refused.value.message
    confirmed.refresh_from_db()
    assert confirmed.state == VisitState.CONFIRMED


def test_visit_steps_reach_the_ticket_timeline_once_tickets_knows_the_kinds(ticket, org, monkeypatch):
    from tickets.models import TicketEvent
    from visits.services import timeline

    monkeypatch.setattr(timeline, "TICKET_EVENT_KINDS", {"booked": TicketEvent.Kind.COMMENTED})
    visit = services.visit_book(
        ticket=ticket, engineer=org.engineer, actor=org.desk_agent, start=START, end=START + timedelta(hours=1), purpose="점검"
    )
    [entry] = TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.COMMENTED)
    assert entry.data["visit_id"] == visit.pk and entry.actor == org.desk_agent


def test_booking_is_on_the_ticket_timeline_with_its_time(proposed):
    from tickets.models import TicketEvent
    from tickets.presenters import event_text

    [entry] = TicketEvent.objects.filter(ticket=proposed.ticket, kind__startswith="visit_")
    assert entry.kind == TicketEvent.Kind.VISIT_BOOKED and entry.data["visit_id"] == proposed.pk
    assert proposed.events.count() == 1
    assert timezone.localtime(proposed.proposed_start).strftime("%H:%M") in event_text(entry)
