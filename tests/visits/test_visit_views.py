"""The pages: the engineer's day and visit card, the customer's visit page, booking,
and the panels on the ticket pages — scoped, forgiving of bad input, and with a
constant number of queries."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tests import factories as f
from tests.visits.helpers import START, book, data_url, fill_checklist, png
from tickets.lifecycle import Status
from visits import services
from visits.models import Visit, VisitOutcome, VisitState

pytestmark = pytest.mark.django_db


# --- Scope ------------------------------------------------------------------------------


def test_the_customer_sees_their_visit_with_the_engineers_name_team_and_phone(proposed, org, client_for):
    response = client_for(org.customer).get(reverse("visits:customer_visit", args=[proposed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert org.engineer.display_name in html and "업무지원팀" in html and org.engineer.phone_display in html
    assert "PC 부팅 불량 점검" in html
    assert 'id="confirm-button"' in html


def test_someone_elses_visit_is_a_404(proposed, org, client_for):
    url = reverse("visits:customer_visit", args=[proposed.pk])
    assert client_for(org.other_customer).get(url).status_code == 404
    assert client_for(org.other_customer).post(reverse("visits:customer_confirm", args=[proposed.pk])).status_code == 404
    # Staff of another team see neither the card nor the customer's page.
    assert client_for(org.other_engineer).get(reverse("visits:staff_visit", args=[proposed.pk])).status_code == 404
    assert client_for(org.customer).get(reverse("visits:staff_visit", args=[proposed.pk])).status_code == 404
    proposed.refresh_from_db()
    assert proposed.state == VisitState.PROPOSED


def test_the_customer_confirms_on_the_portal(proposed, org, client_for):
    response = client_for(org.customer).post(reverse("visits:customer_confirm", args=[proposed.pk]))
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.state == VisitState.CONFIRMED


def test_a_customer_proposal_in_the_past_is_shown_on_the_form_keeping_what_was_typed(proposed, org, client_for):
    response = client_for(org.customer).post(
        reverse("visits:customer_propose", args=[proposed.pk]),
        {"date": "2026-03-01", "start_time": "10:00", "end_time": "11:00", "note": "오전에 가능합니다"},
    )
    assert response.status_code == 200
    form = response.context["propose_form"]
    assert "지난 시간" in " ".join(form.errors["date"])  # pages are Korean
    html = response.content.decode()
    assert "오전에 가능합니다" in html and 'value="2026-03-01"' in html
    assert "<details open" in html.replace('\n', ' ') or 'open id="propose"' in html
    proposed.refresh_from_db()
    assert proposed.schedule_version == 1


# --- Booking from the ticket page -----------------------------------------------------------------


def test_staff_book_a_visit_with_the_form(ticket, org, client_for):
    response = client_for(org.desk_agent).post(
        reverse("visits:book", args=[ticket.pk]),
        {"engineer": org.engineer.pk, "purpose": "점검", "date": "2026-03-11", "start_time": "10:00", "end_time": "11:00"},
    )
    visit = Visit.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("visits:staff_visit", args=[visit.pk])
    assert visit.state == VisitState.PROPOSED


def test_booking_for_a_closed_ticket_is_refused_on_the_form(ticket, org, client_for):
    ticket.status = Status.CLOSED
    ticket.save()
    response = client_for(org.desk_agent).post(
        reverse("visits:book", args=[ticket.pk]),
        {"engineer": org.engineer.pk, "purpose": "재점검", "date": "2026-03-11", "start_time": "10:00", "end_time": "11:00"},
    )
    assert response.status_code == 200
    assert "처리가 끝난 건" in " ".join(response.context["form"].non_field_errors())
    assert "재점검" in response.content.decode()
    assert not Visit.objects.exists()


def test_the_staff_panel_lists_visits_and_offers_booking(ticket, org, render_panel):
    book(ticket, org)
    html = render_panel("visits/_panel.html", ticket, org.desk_agent)
    assert 'id="visits"' in html and "14:00" in html
    # A visit is already planned: no second booking form.
    assert "book-form" not in html


def test_the_staff_panel_offers_the_booking_form_when_none_is_planned(ticket, org, render_panel):
    html = render_panel("visits/_panel.html", ticket, org.desk_agent)
    assert 'id="book-form"' in html and reverse("visits:book", args=[ticket.pk]) in html


def test_the_customer_panel_shows_only_to_the_reporter(proposed, ticket, org, render_panel):
    mine = render_panel("visits/_customer_panel.html", ticket, org.customer)
    assert reverse("visits:customer_visit", args=[proposed.pk]) in mine and org.engineer.display_name in mine
    assert "visits" not in render_panel("visits/_customer_panel.html", ticket, org.other_customer).strip()


# --- The engineer's day --------------------------------------------------------------------------


def _day_of_visits(org, n: int, *, first: int = 0) -> list[Visit]:
    visits = []
    for i in range(first, first + n):
        asset = f.AssetFactory(owner=org.customer, department=org.customer_dept, tag=f"VIS-{i:05d}")
        # Earlier faults on the same asset: the history the card shows.
        f.TicketFactory(reporter=org.customer, team=org.team, asset=asset, title=f"지난 고장 {i}")
        ticket = f.TicketFactory(
            reporter=org.customer, team=org.team, asset=asset, assignee=org.engineer, status=Status.ASSIGNED,
            contact_phone="010-5555-1234",
        )
        start = START + timedelta(minutes=3 * (i % 50))  # all within the afternoon's working hours
        visits.append(services.visit_book(
            ticket=ticket, engineer=org.engineer, actor=org.desk_agent, start=start, end=start + timedelta(hours=1),
            purpose=f"점검 {i}", agreed_by_phone=True,
        ))
    return visits


def _count_queries(client, url: str) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_the_day_view_runs_the_same_queries_for_3_and_30_visits(org, frozen, client_for, django_assert_max_num_queries):
    org.customer_dept.visit_rules = "출입증 패용"
    org.customer_dept.save()
    client = client_for(org.engineer)
    _day_of_visits(org, 3)
    with django_assert_max_num_queries(10):
        few, response = _count_queries(client, reverse("visits:day"))
    assert len(response.context["cards"]) == 3
    _day_of_visits(org, 27, first=3)
    many, response = _count_queries(client, reverse("visits:day"))
    assert many == few
    assert len(response.context["cards"]) == 25  # paginated
    html = response.content.decode()
    assert "출입증 패용" in html  # SV5: the department's visit rules on the card
    assert "지난 고장" in html  # the asset's fault history
    assert "010-5555-1234" in html


def test_the_day_is_in_order_of_the_agreed_start_and_includes_companion_visits(org, frozen, client_for):
    visits = _day_of_visits(org, 3)
    lead_visit = visits[0]
    services.visit_companion_set(visit=lead_visit, companion=org.lead, actor=org.desk_agent)
    response = client_for(org.engineer).get(reverse("visits:day"))
    starts = [c["visit"].agreed_start for c in response.context["cards"]]
    assert starts == sorted(starts)
    lead_day = client_for(org.lead).get(reverse("visits:day"))
    assert [c["visit"].pk for c in lead_day.context["cards"]] == [lead_visit.pk]


def test_another_day_and_a_bad_date(org, frozen, client_for):
    _day_of_visits(org, 2)
    client = client_for(org.engineer)
    assert client.get(reverse("visits:day") + "?date=2026-03-11").context["cards"] == []
    response = client.get(reverse("visits:day") + "?date=not-a-date")
    assert response.status_code == 200 and len(response.context["cards"]) == 2 and response.context["notices"]


def test_customers_have_no_day_view(org, client_for):
    assert client_for(org.customer).get(reverse("visits:day")).status_code == 404


def test_one_tap_check_in_from_the_day_view(confirmed, org, frozen, client_for):
    frozen.move_to(START - timedelta(minutes=2))
    client = client_for(org.engineer)
    target = reverse("visits:staff_visit", args=[confirmed.pk]) + "#checklist"
    response = client.post(reverse("visits:check_in", args=[confirmed.pk]), {"next": target})
    assert response.status_code == 302 and response["Location"] == target
    confirmed.refresh_from_db()
    assert confirmed.state == VisitState.CHECKED_IN

    again = client.post(reverse("visits:check_in", args=[confirmed.pk]), {"next": reverse("visits:day")}, follow=True)
    assert "도착 등록을 했습니다" in again.content.decode()


def test_checking_in_twice_on_the_card_shows_the_refusal(checked_in, org, client_for):
    response = client_for(org.engineer).post(reverse("visits:check_in", args=[checked_in.pk]))
    assert response.status_code == 200
    assert "도착 등록을 했습니다" in response.context["check_in_error"]


# --- The visit card ------------------------------------------------------------------------------


def _card_with(org, checked_in, n_events: int):
    for i in range(n_events):
        services.visit_request_create(visit=checked_in, actor=org.engineer, title=f"추가 요청 {i}")
    return checked_in


def test_the_visit_card_runs_the_same_queries_however_much_happened(checked_in, org, client_for, django_assert_max_num_queries):
    client = client_for(org.engineer)
    url = reverse("visits:staff_visit", args=[checked_in.pk])
    _card_with(org, checked_in, 1)
    client.get(url)  # the process's copies (teams, names) are loaded once, not per view
    with django_assert_max_num_queries(16):
        few, _response = _count_queries(client, url)
    _card_with(org, checked_in, 12)
    f.TicketFactory.create_batch(10, reporter=org.customer, asset=org.asset)
    fill_checklist(checked_in, org.engineer)
    many, response = _count_queries(client, url)
    assert many == few
    html = response.content.decode()
    assert "전원/케이블 연결 상태" in html and "PC점검 체크리스트" in html
    assert "추가 요청 11" in html


def test_the_customer_page_runs_a_constant_number_of_queries(checked_in, org, client_for):
    client = client_for(org.customer)
    url = reverse("visits:customer_visit", args=[checked_in.pk])
    few, _response = _count_queries(client, url)
    fill_checklist(checked_in, org.engineer)
    services.visit_customer_absent(visit=checked_in, actor=org.engineer, note="메모")
    many, _response = _count_queries(client, url)
    assert many == few


def test_the_checklist_form_keeps_every_mark_when_a_note_is_missing(checked_in, org, client_for):
    entries = list(checked_in.checklist_entries.order_by("item__order"))
    data = {f"mark_{e.item_id}": "ok" for e in entries}
    data[f"mark_{entries[2].item_id}"] = "fixed"
    response = client_for(org.engineer).post(reverse("visits:checklist", args=[checked_in.pk]), data)
    assert response.status_code == 200
    form = response.context["checklist_form"]
    assert f"note_{entries[2].item_id}" in form.errors
    html = response.content.decode()
    begin = html.index('id="checklist-form"')
    checklist = html[begin : html.index("</form>", begin)]
    # Every mark the engineer tapped is still tapped, the "fixed" one included.
    assert checklist.count(" checked>") == len(entries)
    assert 'value="fixed" autocomplete="off" checked' in checklist
    assert not checked_in.checklist_entries.exclude(mark="").exists()


def test_resolve_without_the_checklist_is_refused_on_the_form_keeping_the_signature(checked_in, org, client_for):
    signature = data_url(png())
    response = client_for(org.engineer).post(
        reverse("visits:resolve", args=[checked_in.pk]),
        {"signoff_name": "김민수", "signature": signature, "work_note": "케이블 교체"},
    )
    assert response.status_code == 200
    assert "체크리스트가 완료되지 않았습니다" in " ".join(response.context["resolve_form"].non_field_errors())
    html = response.content.decode()
    assert signature in html and "케이블 교체" in html
    checked_in.refresh_from_db()
    assert checked_in.state == VisitState.CHECKED_IN


def test_resolve_through_the_page(checked_in, org, client_for):
    fill_checklist(checked_in, org.engineer)
    client = client_for(org.engineer)
    response = client.post(
        reverse("visits:resolve", args=[checked_in.pk]), {"signoff_name": "김민수", "signature": data_url(png())}
    )
    assert response.status_code == 302
    checked_in.refresh_from_db()
    assert checked_in.outcome == VisitOutcome.RESOLVED
    page = client.get(reverse("visits:staff_visit", args=[checked_in.pk])).content.decode()
    assert reverse("visits:signature", args=[checked_in.pk]) in page
    image = client.get(reverse("visits:signature", args=[checked_in.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content) == png()
    # The customer may see their own signature; nobody else.
    assert client_for(org.customer).get(reverse("visits:signature", args=[checked_in.pk])).status_code == 200
    assert client_for(org.other_customer).get(reverse("visits:signature", args=[checked_in.pk])).status_code == 404


def test_follow_up_and_absence_without_a_reason_are_refused_on_their_forms(checked_in, org, client_for):
    client = client_for(org.engineer)
    response = client.post(reverse("visits:absent", args=[checked_in.pk]), {"note": ""})
    assert response.context["absent_form"].errors["note"]
    response = client.post(
        reverse("visits:follow_up", args=[checked_in.pk]),
        {"reason": "", "date": "2026-03-12", "start_time": "10:00", "end_time": "11:00"},
    )
    assert response.context["follow_up_form"].errors["reason"]
    assert 'value="2026-03-12"' in response.content.decode()
    checked_in.refresh_from_db()
    assert checked_in.state == VisitState.CHECKED_IN


def test_files_from_the_phone_and_who_may_download_them(checked_in, org, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(org.engineer)
    response = client.post(
        reverse("visits:files", args=[checked_in.pk]), {"files": [SimpleUploadedFile("현장.png", png())]}
    )
    assert response.status_code == 302
    attachment = checked_in.attachments.get()
    url = reverse("visits:file_download", args=[attachment.pk])
    assert client.get(url).status_code == 200
    assert client_for(org.customer).get(url).status_code == 200
    assert client_for(org.other_customer).get(url).status_code == 404
    assert client_for(org.other_engineer).get(url).status_code == 404

    bad = client.post(reverse("visits:files", args=[checked_in.pk]), {"files": [SimpleUploadedFile("x.exe", b"MZ")]})
    assert bad.status_code == 200 and bad.context["files_form"].errors
    assert checked_in.attachments.count() == 1


def test_a_late_notice_from_the_card(confirmed, org, frozen, client_for):
    frozen.move_to(START - timedelta(minutes=30))
    response = client_for(org.engineer).post(
        reverse("visits:late_notice", args=[confirmed.pk]), {"new_arrival": "14:25", "reason": "교통 정체"}
    )
    assert response.status_code == 302
    confirmed.refresh_from_db()
    assert confirmed.new_arrival == START + timedelta(minutes=25)
    customer_page = client_for(org.customer).get(reverse("visits:customer_visit", args=[confirmed.pk]))
    assert 'id="late-notice"' in customer_page.content.decode()


def test_the_vip_refusal_reaches_the_confirm_button(org, vip_customer, frozen, client_for):
    ticket = f.TicketFactory(reporter=vip_customer, reporter_is_vip=True, team=org.team, asset=org.asset, assignee=org.engineer, status=Status.ASSIGNED)
    visit = book(ticket, org)
    page = client_for(org.engineer).get(reverse("visits:staff_visit", args=[visit.pk])).content.decode()
    assert 'id="vip-warning"' in page
    response = client_for(vip_customer).post(reverse("visits:customer_confirm", args=[visit.pk]))
    assert response.status_code == 200 and "VIP" in response.context["confirm_error"]


def test_customer_rebooks_on_the_page_after_an_absence(checked_in, org, client_for):
    services.visit_customer_absent(visit=checked_in, actor=org.engineer, note="메모")
    client = client_for(org.customer)
    page = client.get(reverse("visits:customer_visit", args=[checked_in.pk])).content.decode()
    assert 'id="rebook"' in page and "메모" in page
    response = client.post(
        reverse("visits:customer_rebook", args=[checked_in.pk]),
        {"date": "2026-03-12", "start_time": "10:00", "end_time": "11:00"},
    )
    following = Visit.objects.exclude(pk=checked_in.pk).get()
    assert response["Location"] == reverse("visits:customer_visit", args=[following.pk])
