from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from helpdesk.accounts.models import Absence
from helpdesk.core.errors import ActionRefused
from tests.factories import FaultCategoryFactory, TicketFactory
from tickets import services
from tickets.lifecycle import Status
from tickets.models import AssetType, Channel, Kind, Priority, TicketEvent

pytestmark = pytest.mark.django_db


def _create(org, **kw):
    args = dict(
        actor=org.customer,
        reporter=org.customer,
        reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept,
        title="모니터가 안 나와요",
        asset=org.asset,
        category=org.category,
    )
    args.update(kw)
    return services.ticket_create(**args)


def test_create_routes_to_the_team_serving_the_department_and_records_the_event(org):
    ticket = _create(org)
    assert ticket.team == org.team
    assert ticket.status == Status.RECEIVED
    event = ticket.events.get()
    assert event.kind == TicketEvent.Kind.CREATED and event.actor == org.customer and event.is_public


def test_cc2_department_and_name_are_required(org):
    with pytest.raises(ActionRefused) as no_dept:
        _create(org, reporter_department=None)
    assert no_dept.value.field == "reporter_department"
    with pytest.raises(ActionRefused) as no_name:
        _create(org, reporter_name="  ")
    assert no_name.value.field == "reporter_name"


def test_fault_needs_equipment_or_a_description(org):
    with pytest.raises(ActionRefused):
        _create(org, asset=None, asset_other="")
    ticket = _create(org, asset=None, asset_other="회의실 빔프로젝터", category=None)
    assert ticket.asset_other == "회의실 빔프로젝터"


def test_category_must_match_the_asset_type(org):
    printer_jam = FaultCategoryFactory(asset_type=AssetType.PRINTER)
    with pytest.raises(ActionRefused) as refused:
        _create(org, category=printer_jam)
    assert refused.value.field == "category"


def test_vip_flag_follows_the_reporters_rank(org, settings):
    from tests.factories import PositionFactory

    org.customer.position = PositionFactory(name="부장", name_en="General manager", rank=settings.VIP_MIN_RANK)
    org.customer.save()
    assert _create(org).reporter_is_vip is True


def test_desk_can_open_for_a_caller_without_account(org):
    ticket = services.ticket_create(
        actor=org.desk_agent,
        reporter=None,
        reporter_name="방문객",
        reporter_department=org.customer_dept,
        title="프린터 용지 걸림",
        kind=Kind.SUPPORT,
        channel=Channel.PHONE,
        priority=Priority.HIGH,
    )
    assert ticket.channel == Channel.PHONE and ticket.created_by == org.desk_agent


def test_attachment_is_checked_before_anything_is_stored(org, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    big = SimpleUploadedFile("log.txt", b"x" * 11, content_type="text/plain")
    with pytest.raises(ActionRefused):
        _create(org, attachments=[big])
    from tickets.models import Ticket

    assert not Ticket.objects.exists()


def test_assign_moves_received_to_assigned_and_sets_the_team(org):
    ticket = TicketFactory(reporter=org.customer, team=org.team)
    ticket = services.ticket_assign(ticket=ticket, assignee=org.other_engineer, actor=org.lead)
    assert ticket.assignee == org.other_engineer
    assert ticket.team == org.other_team
    assert ticket.status == Status.ASSIGNED


def test_assign_to_someone_who_does_not_handle_tickets_is_refused(org):
    ticket = TicketFactory(reporter=org.customer, team=org.team)
    with pytest.raises(ActionRefused):
        services.ticket_assign(ticket=ticket, assignee=org.other_customer, actor=org.lead)


def test_ov5_work_for_an_absent_handler_goes_to_the_backup_and_says_so(org):
    now = timezone.now()
    Absence.objects.create(
        user=org.engineer, backup=org.other_engineer, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1)
    )
    ticket = TicketFactory(reporter=org.customer, team=org.team)
    ticket = services.ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    assert ticket.assignee == org.other_engineer
    routed = ticket.events.get(kind=TicketEvent.Kind.ROUTED_TO_BACKUP)
    assert routed.data["absent"] == str(org.engineer) and routed.data["backup"] == str(org.other_engineer)


def test_a_past_absence_does_not_route(org):
    now = timezone.now()
    Absence.objects.create(
        user=org.engineer, backup=org.other_engineer, starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=1)
    )
    ticket = services.ticket_assign(
        ticket=TicketFactory(reporter=org.customer, team=org.team), assignee=org.engineer, actor=org.lead
    )
    assert ticket.assignee == org.engineer


def test_backup_chain_stops_at_a_loop(org):
    now = timezone.now()
    span = dict(starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=5))
    Absence.objects.create(user=org.engineer, backup=org.other_engineer, **span)
    Absence.objects.create(user=org.other_engineer, backup=org.engineer, **span)
    from helpdesk.accounts.services import handler_resolve

    assert handler_resolve(user=org.engineer).person in (org.engineer, org.other_engineer)


def test_priority_change_is_on_the_timeline(org):
    ticket = TicketFactory(reporter=org.customer, team=org.team)
    services.ticket_set_priority(ticket=ticket, priority=Priority.URGENT, actor=org.lead)
    event = ticket.events.get(kind=TicketEvent.Kind.PRIORITY_CHANGED)
    assert event.data == {"from": "normal", "to": "urgent"}
    with pytest.raises(ActionRefused):
        services.ticket_set_priority(ticket=ticket, priority="apocalyptic", actor=org.lead)


def test_customer_comment_is_always_public_and_staff_can_write_internal(org):
    ticket = TicketFactory(reporter=org.customer, team=org.team)
    c1 = services.comment_add(ticket=ticket, author=org.customer, body="언제 오시나요?", is_public=False)
    c2 = services.comment_add(ticket=ticket, author=org.engineer, body="부품 재고 확인", is_public=False)
    assert c1.is_public is True and c2.is_public is False
    internal = ticket.events.get(comment=c2)
    assert internal.is_public is False


def test_empty_comment_is_refused(org):
    ticket = TicketFactory(reporter=org.customer, team=org.team)
    with pytest.raises(ActionRefused):
        services.comment_add(ticket=ticket, author=org.customer, body="  ")


def test_stranger_cannot_comment(org):
    ticket = TicketFactory(reporter=org.customer, team=org.team)
    with pytest.raises(ActionRefused):
        services.comment_add(ticket=ticket, author=org.other_customer, body="hi")


def test_attachment_with_comment_is_stored_and_on_the_timeline(org):
    ticket = TicketFactory(reporter=org.customer, team=org.team)
    png = SimpleUploadedFile("screen.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, content_type="image/png")
    services.comment_add(ticket=ticket, author=org.customer, body="화면 사진", attachments=[png])
    attachment = ticket.attachments.get()
    assert attachment.original_name == "screen.png" and attachment.content_type == "image/png"
    assert not attachment.file.name.endswith("screen.png")  # stored under a random name
    assert ticket.events.filter(kind=TicketEvent.Kind.ATTACHED).count() == 1
