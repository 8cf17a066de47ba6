"""A customer's ticket page: OV1/SV3 handler card, the public timeline only,
comments, and the customer's own lifecycle moves (cancel, close, reopen)."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from tests.helpers.clients import english
from tickets.lifecycle import Status
from tickets.models import Attachment, Comment, TicketEvent
from tickets.services import comment_add, event_record, ticket_assign

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def detail_url(ticket) -> str:
    return reverse("portal:ticket_detail", args=[ticket.pk])


def comment_url(ticket) -> str:
    return reverse("portal:ticket_comment", args=[ticket.pk])


def action_url(ticket) -> str:
    return reverse("portal:ticket_action", args=[ticket.pk])


@pytest.fixture
def ticket(org):
    return f.TicketFactory(
        reporter=org.customer, title="모니터 화면 없음", asset=org.asset, category=org.category, team=org.team,
        symptom_answers=[{"question_id": 1, "question": "전원 램프가 켜집니까?", "answer": "yes"}],
    )


@pytest.fixture
def resolved(org):
    return f.TicketFactory(
        reporter=org.customer, title="수리 완료된 PC", status=Status.RESOLVED, team=org.team, assignee=org.engineer
    )


# --- what the page shows ----------------------------------------------------


def test_the_page_shows_title_status_kind_category_asset_and_answers(org, ticket):
    response = english(org.customer).get(detail_url(ticket))
    html = response.content.decode()
    assert response.status_code == 200
    assert "모니터 화면 없음" in html and f"#{ticket.pk}" in html
    assert ">Received</span>" in html  # the status badge
    assert "Fault" in html
    assert "No power" in html  # category, in the reader's language
    assert "PC-000001" in html
    assert "전원 램프가 켜집니까?" in html
    # A stored yes/no reads as a word in the reader's language, not as a code.
    assert "<dd>Yes</dd>" in html


def test_a_support_request_shows_its_requested_date_not_empty_fault_fields(org):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tickets.models import Kind

    wanted = datetime(2026, 12, 4, 15, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    request = f.TicketFactory(
        reporter=org.customer, title="신규 입사자 PC 설치", kind=Kind.SUPPORT, team=org.team, requested_by=wanted
    )
    html = english(org.customer).get(detail_url(request)).content.decode()
    assert "Requested completion" in html and "2026-12-04 15:00" in html
    assert "Kind of fault" not in html and "Not given" not in html
    # A fault still says what is missing.
    fault = f.TicketFactory(reporter=org.customer, title="전원 불량", team=org.team)
    html = english(org.customer).get(detail_url(fault)).content.decode()
    assert "Kind of fault" in html and "Not given" in html and "Requested completion" not in html


def test_ov1_sv3_the_handlers_name_team_and_phone_are_shown(org, ticket):
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    html = english(org.customer).get(detail_url(ticket)).content.decode()
    handler_card = html.split('id="handler"')[1].split("</section>")[0]
    assert "박준호" in handler_card
    assert "업무지원팀" in handler_card
    assert org.engineer.phone_display in handler_card
    assert f'href="tel:{org.engineer.phone.as_e164}"' in handler_card


def test_ov1_before_assignment_the_page_says_not_assigned_yet_and_names_the_team(org, ticket):
    html = english(org.customer).get(detail_url(ticket)).content.decode()
    handler_card = html.split('id="handler"')[1].split("</section>")[0]
    assert "Not assigned yet" in handler_card
    assert "업무지원팀" in handler_card


def test_staff_only_comments_events_and_files_never_reach_the_portal(org, ticket):
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    comment_add(ticket=ticket, author=org.engineer, body="고객님, 내일 오전에 방문하겠습니다.", is_public=True)
    comment_add(
        ticket=ticket,
        author=org.engineer,
        body="내부 메모: 메인보드 교체 비용 확인 필요",
        is_public=False,
        attachments=[SimpleUploadedFile("내부견적.pdf", b"%PDF-1.4 internal", content_type="application/pdf")],
    )
    event_record(
        ticket=ticket, kind=TicketEvent.Kind.STATUS_CHANGED, actor=org.engineer, is_public=False,
        data={"from": "assigned", "to": "assigned", "note": "내부 사유: 재고 부족"},
    )
    internal_file = Attachment.objects.get(original_name="내부견적.pdf")

    response = english(org.customer).get(detail_url(ticket))
    html = response.content.decode()
    assert "고객님, 내일 오전에 방문하겠습니다." in html
    assert "내부 메모" not in html
    assert "내부 사유" not in html
    assert "내부견적.pdf" not in html
    assert reverse("attachment_download", args=[internal_file.pk]) not in html
    assert "Internal" not in html
    assert all(e.is_public for e in response.context["events"])


def test_public_files_are_listed_with_download_links(org, ticket):
    comment_add(
        ticket=ticket, author=org.customer, body="",
        attachments=[SimpleUploadedFile("화면.png", PNG, content_type="image/png")],
    )
    attachment = Attachment.objects.get()
    html = english(org.customer).get(detail_url(ticket)).content.decode()
    files_card = html.split('id="attachments"')[1].split("</section>")[0]
    assert "화면.png" in files_card
    assert reverse("attachment_download", args=[attachment.pk]) in files_card


# --- someone else's ticket ----------------------------------------------------


def test_another_customers_ticket_is_a_404_everywhere(org, ticket):
    client = english(org.other_customer)
    assert client.get(detail_url(ticket)).status_code == 404
    assert client.post(comment_url(ticket), {"body": "남의 티켓에 댓글"}).status_code == 404
    assert client.post(action_url(ticket), {"action": "cancel", "note": "남의 티켓 취소"}).status_code == 404
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED
    assert not Comment.objects.exists()


def test_staff_use_their_own_pages_the_portal_is_only_for_ones_own_reports(org, ticket):
    # Even the handling engineer gets a 404 here: the portal shows what one reported.
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    assert english(org.engineer).get(detail_url(ticket)).status_code == 404


def test_the_portal_needs_a_login(db, ticket):
    response = Client().get(detail_url(ticket))
    assert response.status_code == 302 and reverse("login") in response.url


# --- comments -------------------------------------------------------------------


def test_a_customer_comment_is_public_and_on_the_timeline(org, ticket):
    client = english(org.customer)
    response = client.post(comment_url(ticket), {"body": "오늘 오후 3시 이후에는 자리에 있습니다."})
    assert response.status_code == 302 and response.url == detail_url(ticket)
    comment = Comment.objects.get()
    assert comment.is_public and comment.author == org.customer
    assert ticket.events.filter(kind=TicketEvent.Kind.COMMENTED, is_public=True, comment=comment).exists()
    assert "오늘 오후 3시 이후에는 자리에 있습니다." in client.get(detail_url(ticket)).content.decode()


def test_an_empty_comment_is_refused_with_the_services_message(org, ticket):
    response = english(org.customer).post(comment_url(ticket), {"body": "   "})
    assert response.status_code == 200
    assert "Write a comment or attach a file." in response.content.decode()
    assert not Comment.objects.exists()


def test_a_refused_comment_file_keeps_the_typed_message(org, ticket):
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = english(org.customer).post(comment_url(ticket), {"body": "사진 첨부합니다", "attachments": [bad]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Files of type .exe cannot be attached" in html
    assert "사진 첨부합니다</textarea>" in html
    assert not Comment.objects.exists()


def test_a_finished_ticket_takes_no_comments(org):
    closed = f.TicketFactory(reporter=org.customer, status=Status.CLOSED)
    client = english(org.customer)
    assert comment_url(closed) not in client.get(detail_url(closed)).content.decode()
    response = client.post(comment_url(closed), {"body": "아직 안 됩니다"})
    assert "This ticket is finished; reopen it or file a new one." in response.content.decode()
    assert not Comment.objects.exists()


# --- the customer's lifecycle moves ---------------------------------------------


def test_the_offered_actions_follow_the_lifecycle_table(org, ticket, resolved):
    client = english(org.customer)
    open_html = client.get(detail_url(ticket)).content.decode()
    assert 'name="action" value="cancel"' in open_html
    assert 'value="close"' not in open_html and 'value="reopen"' not in open_html
    resolved_html = client.get(detail_url(resolved)).content.decode()
    assert 'name="action" value="close"' in resolved_html
    assert 'name="action" value="reopen"' in resolved_html
    assert 'value="cancel"' not in resolved_html


def test_cancel_requires_a_reason(org, ticket):
    client = english(org.customer)
    response = client.post(action_url(ticket), {"action": "cancel", "note": "  "})
    assert response.status_code == 200
    assert "Please give a reason." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED

    response = client.post(action_url(ticket), {"action": "cancel", "note": "재부팅하니 해결되었습니다."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.CANCELLED and ticket.closed_at is not None
    event = ticket.events.get(kind=TicketEvent.Kind.STATUS_CHANGED)
    assert event.actor == org.customer and event.data["note"] == "재부팅하니 해결되었습니다."
    page = client.get(detail_url(ticket))
    assert any("cancelled" in str(m) for m in page.context["messages"])


def test_close_a_resolved_ticket(org, resolved):
    response = english(org.customer).post(action_url(resolved), {"action": "close"})
    assert response.status_code == 302
    resolved.refresh_from_db()
    assert resolved.status == Status.CLOSED and resolved.closed_at is not None


def test_reopen_a_resolved_ticket_needs_a_reason(org, resolved):
    client = english(org.customer)
    response = client.post(action_url(resolved), {"action": "reopen", "note": ""})
    assert "Please give a reason." in response.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED

    response = client.post(action_url(resolved), {"action": "reopen", "note": "같은 증상이 다시 나타납니다."})
    assert response.status_code == 302
    resolved.refresh_from_db()
    assert resolved.status == Status.IN_PROGRESS and resolved.resolved_at is None


def test_an_action_not_allowed_now_is_refused_with_a_message(org, ticket):
    # Closing is only for resolved work; the customer cannot skip the engineer.
    response = english(org.customer).post(action_url(ticket), {"action": "close"})
    assert response.status_code == 200
    assert "that action is not allowed now" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED


def test_a_staff_only_action_is_refused_for_the_customer(org, ticket):
    response = english(org.customer).post(action_url(ticket), {"action": "cancel_staff", "note": "x"})
    assert "that action is not allowed now" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED


# --- performance --------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_activity(org, ticket, n: int) -> None:
    for i in range(n):
        author = org.engineer if i % 2 else org.customer
        files = [SimpleUploadedFile(f"사진{i}.png", PNG, content_type="image/png")] if i % 3 == 0 else []
        comment_add(ticket=ticket, author=author, body=f"메시지 {i}", attachments=files)


def test_query_count_does_not_grow_with_events(org, ticket, django_assert_num_queries):
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    client = english(org.customer)
    _add_activity(org, ticket, 3)
    few = _count(client, detail_url(ticket))
    # + the deadline and desk panels (standard, delay notices, diagnosis, consent, backup)
    # + the survey panel (an open survey of this ticket or its large work)
    assert few <= 15
    _add_activity(org, ticket, 27)
    assert ticket.events.count() > 30 and ticket.attachments.count() == 10
    with django_assert_num_queries(few):
        response = client.get(detail_url(ticket))
    assert len(response.context["events"]) == ticket.events.count()
