"""PH3: when the handler is busy or away the desk notes the caller's department,
name, phone and matter and promises a callback, due by the standards; closing
the memo records the callback made."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from desk.models import CallbackMemo
from desk.services import call_record, callback_memo_close, callback_memo_create
from helpdesk.accounts.services import absence_create
from helpdesk.core.errors import ActionRefused
from tests import factories as f
from tests.desk.helpers import phone_fault_make
from tests.helpers.clock import NOW, SEOUL
from tests.helpers.outbox import outbox

pytestmark = pytest.mark.django_db


def memo(org, **extra) -> CallbackMemo:
    fields = {
        "actor": org.desk_agent,
        "handler": org.engineer,
        "caller_name": "김민수",
        "department": org.customer_dept,
        "phone": "010-2345-6789",
        "matter": "프린터 드라이버 설치 문의",
        **extra,
    }
    return callback_memo_create(**fields)


def test_ph3_the_memo_is_due_within_the_standards_callback_time(org, frozen):
    m = memo(org)
    assert m.due_minutes == 60
    assert (m.taken_at, m.remind_at, m.due_at) == (NOW, NOW + timedelta(minutes=45), NOW + timedelta(minutes=60))
    assert m.next_check_at == m.remind_at and m.for_handler == org.engineer and m.asked_for is None
    assert m.phone.as_e164 == "+821023456789"


@pytest.mark.parametrize(
    ("taken", "due"),
    [
        # Lunch (12–13) is not working time.
        (datetime(2026, 3, 10, 11, 30, tzinfo=SEOUL), datetime(2026, 3, 10, 13, 30, tzinfo=SEOUL)),
        # Taken late in the day: the rest of the hour is the next morning.
        (datetime(2026, 3, 10, 17, 30, tzinfo=SEOUL), datetime(2026, 3, 11, 9, 30, tzinfo=SEOUL)),
        # Friday evening, after hours: Monday morning.
        (datetime(2026, 3, 13, 19, 0, tzinfo=SEOUL), datetime(2026, 3, 16, 10, 0, tzinfo=SEOUL)),
    ],
)
def test_ph3_the_due_time_counts_business_time(org, taken, due):
    with time_machine.travel(taken, tick=False):
        assert memo(org).due_at == due


def test_ph3_the_handler_is_told_at_once(org, frozen):
    m = memo(org)
    rows = outbox(key__startswith=f"desk:callback:{m.pk}:new:u{org.engineer.pk}")
    assert {r.channel for r in rows} == {"email", "in_app"}
    email = rows.get(channel="email")
    assert "김민수" in email.context["subject"] and "11:00" in email.context["subject"]
    assert "010-2345-6789" in email.context["body"] and "프린터 드라이버" in email.context["body"]
    assert email.context["link"] == reverse("desk:callback_detail", args=[m.pk])


def test_ph3_ov5_a_memo_for_an_absent_handler_goes_to_the_backup(org, frozen):
    absence_create(user=org.engineer, backup=org.lead, starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(days=2))
    m = memo(org)
    assert (m.for_handler, m.asked_for) == (org.lead, org.engineer)
    assert outbox(recipient=org.lead, key__contains=":new:").exists()
    assert not outbox(recipient=org.engineer).exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", ""), ("phone", "010-12"), ("phone", "전화번호 없음"), ("matter", "  "), ("caller_name", ""), ("department", None),
     ("handler", None)],
)
def test_ph3_a_memo_missing_what_the_handler_needs_is_refused_and_nothing_is_saved(org, frozen, field, value):
    with pytest.raises(ActionRefused) as refused:
        memo(org, **{field: value})
    assert refused.value.field == field
    assert not CallbackMemo.objects.exists() and not outbox().exists()


def test_ph3_only_staff_take_memos_for_staff(org, frozen):
    with pytest.raises(ActionRefused):
        memo(org, actor=org.customer)
    with pytest.raises(ActionRefused) as refused:
        memo(org, handler=org.other_customer)
    assert refused.value.field == "handler"


def test_ph3_closing_records_the_callback_made(org, frozen):
    ticket = phone_fault_make(org)
    m = memo(org, ticket=ticket)
    assert ticket.events.filter(kind="callback_requested", is_public=False).exists()
    with pytest.raises(ActionRefused) as refused:
        callback_memo_close(memo=m, actor=org.engineer, note=" ")
    assert refused.value.field == "note"
    frozen.shift(timedelta(minutes=20))
    closed = callback_memo_close(memo=m, actor=org.engineer, note="드라이버 설치 방법 안내 완료")
    assert (closed.closed_at, closed.closed_by, closed.callback_note) == (NOW + timedelta(minutes=20), org.engineer, "드라이버 설치 방법 안내 완료")
    assert closed.next_check_at is None and not closed.is_overdue()
    assert ticket.events.filter(kind="callback_made").get().data["said"] == "드라이버 설치 방법 안내 완료"
    with pytest.raises(ActionRefused) as refused:
        callback_memo_close(memo=m, actor=org.lead, note="다시")
    assert org.engineer.display_name in refused.value.message


def test_a_late_callback_is_marked_overdue(org, frozen):
    m = memo(org)
    frozen.shift(timedelta(minutes=61))
    assert m.is_overdue()
    closed = callback_memo_close(memo=m, actor=org.engineer, note="통화 완료")
    assert closed.is_overdue()


# --- Pages -------------------------------------------------------------------------------


def test_a_memo_from_the_call_page_carries_the_caller_and_links_the_call(org, frozen, en_client_for):
    call, _ = call_record(agent=org.desk_agent, rings=3, caller=org.customer)
    client = en_client_for(org.desk_agent)
    page = client.get(reverse("desk:call_detail", args=[call.pk])).content.decode()
    assert f'value="{org.customer.display_name}"' in page and f'value="{org.customer.phone_display}"' in page
    response = client.post(
        reverse("desk:call_callback", args=[call.pk]),
        {"handler": org.engineer.pk, "caller_name": org.customer.display_name, "department": org.customer_dept.pk,
         "phone": org.customer.phone_display, "matter": "모니터 교체 일정 문의", "caller": org.customer.pk},
        follow=True,
    )
    m = CallbackMemo.objects.get()
    assert (m.call, m.caller, m.taken_by) == (call, org.customer, org.desk_agent)
    assert "call back by 2026-03-10 11:00" in response.content.decode()


def test_a_memo_without_phone_or_matter_is_refused_on_the_form_keeping_the_rest(org, frozen, en_client_for):
    call, _ = call_record(agent=org.desk_agent, rings=1)
    client = en_client_for(org.desk_agent)
    response = client.post(
        reverse("desk:call_callback", args=[call.pk]),
        {"handler": org.engineer.pk, "caller_name": "홍길동", "department": org.customer_dept.pk, "phone": "", "matter": ""},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Enter the number to call back." in html and 'value="홍길동"' in html
    response = client.post(
        reverse("desk:call_callback", args=[call.pk]),
        {"handler": org.engineer.pk, "caller_name": "홍길동", "department": org.customer_dept.pk, "phone": "02-12", "matter": "문의"},
    )
    html = response.content.decode()
    assert response.status_code == 400 and "such as 010-1234-5678" in html and "02-12" in html and "문의" in html
    response = client.post(
        reverse("desk:call_callback", args=[call.pk]),
        {"handler": org.engineer.pk, "caller_name": "홍길동", "department": org.customer_dept.pk, "phone": "010-1111-2222", "matter": ""},
    )
    assert response.status_code == 400 and "Write down what the caller needs" in response.content.decode()
    assert not CallbackMemo.objects.exists()


def test_the_handler_closes_the_memo_on_its_page(org, frozen, en_client_for):
    m = memo(org)
    client = en_client_for(org.engineer)
    page = client.get(reverse("desk:callback_detail", args=[m.pk])).content.decode()
    assert 'href="tel:+821023456789"' in page and "프린터 드라이버 설치 문의" in page
    refused = client.post(reverse("desk:callback_close", args=[m.pk]), {"note": ""})
    assert refused.status_code == 400 and "Write what was said" in refused.content.decode()
    done = client.post(reverse("desk:callback_close", args=[m.pk]), {"note": "설치 완료 확인"}, follow=True)
    assert 'id="callback-made"' in done.content.decode()
    m.refresh_from_db()
    assert m.closed_by == org.engineer


def test_memos_are_seen_by_the_people_concerned_only(org, frozen, client_for):
    m = memo(org)
    assert client_for(org.other_engineer).get(reverse("desk:callback_detail", args=[m.pk])).status_code == 404
    assert client_for(org.customer).get(reverse("desk:callback_detail", args=[m.pk])).status_code == 404
    assert client_for(org.other_engineer).post(reverse("desk:callback_close", args=[m.pk]), {"note": "x"}).status_code == 404
    for person in (org.engineer, org.lead, org.desk_agent):
        assert client_for(person).get(reverse("desk:callback_detail", args=[m.pk])).status_code == 200


def test_the_list_shows_mine_first_due_first(org, frozen, client_for):
    later = memo(org, caller_name="나중")
    frozen.shift(timedelta(minutes=-30))
    sooner = memo(org, caller_name="먼저")
    memo(org, caller_name="다른 사람", handler=org.other_engineer)
    html = client_for(org.engineer).get(reverse("desk:callbacks")).content.decode()
    assert html.index(sooner.caller_name) < html.index(later.caller_name) and "다른 사람" not in html
    all_open = client_for(org.desk_agent).get(reverse("desk:callbacks"), {"scope": "all"}).content.decode()
    assert "다른 사람" in all_open


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_memos(org, frozen, client_for, rows, django_assert_max_num_queries):
    tickets = [phone_fault_make(org, title=f"t{i}") for i in range(3)]
    departments = [f.DepartmentFactory() for _ in range(3)]
    for i in range(rows):
        memo(org, caller_name=f"고객{i}", department=departments[i % 3], ticket=tickets[i % 3])
    client = client_for(org.desk_agent)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("desk:callbacks"), {"scope": "all"})
    assert len(re.findall(r'href="/frontdesk/callbacks/\d+/"', response.content.decode())) == min(rows, 25)


def test_a_memo_taken_outside_the_phone_page(org, frozen, client_for):
    client = client_for(org.engineer)
    page = client.get(reverse("desk:callback_new"), {"caller": org.customer.pk}).content.decode()
    assert f'value="{org.customer.display_name}"' in page
    response = client.post(
        reverse("desk:callback_new"),
        {"handler": org.lead.pk, "caller_name": org.customer.display_name, "department": org.customer_dept.pk,
         "phone": "052-203-0656", "matter": "견적 문의", "caller": org.customer.pk},
    )
    m = CallbackMemo.objects.get()
    assert response["Location"] == reverse("desk:callback_detail", args=[m.pk])
    assert (m.for_handler, m.taken_by, m.caller) == (org.lead, org.engineer, org.customer)
    assert timezone.localtime(m.due_at).hour == 11
