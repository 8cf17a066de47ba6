"""The desk and visits on the API: the phone system posts its calls here as it
does to /frontdesk/api/calls/ (which keeps working, unchanged), callback memos
are promised and closed, and visits are listed, booked and closed with their
outcome — each through the desk's and the visits' own services."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from desk.models import CallbackMemo, CallSource, PhoneCall
from helpdesk.accounts.models import User
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.gates import identity_confirmed
from tickets.lifecycle import Status
from visits import services as visit_services
from visits.models import Visit, VisitOutcome, VisitState

CALL = {"agent": "desk", "rings": 2, "call_id": "pbx-20260310-0001", "received_at": "2026-03-10T10:02:00+09:00"}


@pytest.fixture
def phone_system(org, api_for):
    """The phone system's service account: a system user in the desk agent's role, a token scoped to calls."""
    call_command("api_service_account", "phone-system", "--scopes", "calls", stdout=StringIO(), stderr=StringIO())
    return api_for(User.objects.get(username="phone-system"), scopes=["calls"], language="en")


def test_the_phone_system_posts_a_call_as_to_its_old_endpoint(org, frozen, phone_system):
    body = {**CALL, "caller_number": org.customer.phone.as_national}
    response = phone_system.post(reverse("api:calls"), body)
    assert response.status_code == 201, response.content
    call = PhoneCall.objects.get()
    assert response.json() == {
        "id": call.pk,
        "url": "http://testserver" + reverse("desk:call_detail", args=[call.pk]),
        "answered_in_time": True,
        "agent": "desk",
        "caller": {"id": org.customer.pk, "name": org.customer.display_name, "department": org.customer_dept.name},
    }
    assert (call.source, call.external_id, call.agent, call.caller) == (
        CallSource.PHONE_SYSTEM, "pbx-20260310-0001", org.desk_agent, org.customer,
    )
    again = phone_system.post(reverse("api:calls"), body)
    assert again.status_code == 200 and again.json()["id"] == call.pk and PhoneCall.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({**CALL, "rings": "2"}, "invalid_fields", "rings"),
        ({**CALL, "extension": "101"}, "invalid_fields", "extension"),
        ({**CALL, "received_at": "2020-01-01T00:00:00+09:00"}, "invalid_fields", "received_at"),
        ({**CALL, "agent": "nobody"}, "refused", "agent"),
        ({**CALL, "agent": "customer"}, "refused", "agent"),
    ],
)
def test_the_same_codes_as_the_phone_endpoint(org, frozen, phone_system, body, code, field):
    response = phone_system.post(reverse("api:calls"), body)
    assert response.status_code == 400
    assert response.json()["code"] == code and field in response.json()["errors"]
    assert not PhoneCall.objects.exists()


def test_the_old_endpoint_keeps_working_unchanged(org, frozen, settings):
    settings.PHONE_SYSTEM_TOKEN = "old-phone-token"
    response = Client(enforce_csrf_checks=True).post(
        "/frontdesk/api/calls/", json.dumps(CALL), content_type="application/json",
        headers={"Authorization": "Bearer old-phone-token"},
    )
    assert response.status_code == 201 and PhoneCall.objects.get().external_id == CALL["call_id"]


def test_posting_calls_is_for_the_desk_and_reading_them_for_staff(org, frozen, api_for):
    assert api_for(org.engineer).post(reverse("api:calls"), CALL).json()["code"] == "forbidden"
    desk = api_for(org.desk_agent)
    assert desk.post(reverse("api:calls"), CALL).status_code == 201
    listed = desk.get(reverse("api:calls")).json()["results"]
    assert [c["agent"]["id"] for c in listed] == [org.desk_agent.pk]
    assert api_for(org.engineer).get(reverse("api:calls")).json()["results"] == []  # only their own calls
    assert api_for(org.customer).get(reverse("api:calls")).status_code == 403


def test_a_callback_is_promised_and_recorded(org, frozen, standard, api_for):
    desk = api_for(org.desk_agent)
    made = desk.post(
        reverse("api:callbacks"),
        {"handler": org.engineer.pk, "caller_name": "김민수", "department": org.customer_dept.pk,
         "phone": "010-5555-1234", "matter": "프린터 문의"},
    )
    assert made.status_code == 201, made.content
    memo = CallbackMemo.objects.get()
    assert made.json()["for_handler"]["id"] == org.engineer.pk and made.json()["phone"] == "010-5555-1234"
    engineer = api_for(org.engineer)
    assert [m["id"] for m in engineer.get(reverse("api:callbacks")).json()["results"]] == [memo.pk]
    closed = engineer.post(reverse("api:callback_close", args=[memo.pk]), {"note": "토너 교체 안내"})
    assert closed.status_code == 200 and closed.json()["closed_by"]["id"] == org.engineer.pk
    assert [m["id"] for m in engineer.get(reverse("api:callbacks"), {"scope": "done"}).json()["results"]] == [memo.pk]
    again = api_for(org.engineer, language="en").post(reverse("api:callback_close", args=[memo.pk]), {"note": "다시"})
    assert again.status_code == 400 and again.json()["code"] == "refused"
    bad_phone = api_for(org.desk_agent, language="en").post(
        reverse("api:callbacks"),
        {"handler": org.engineer.pk, "caller_name": "김민수", "department": org.customer_dept.pk, "phone": "12",
         "matter": "문의"},
    )
    assert bad_phone.json()["code"] == "refused" and "phone" in bad_phone.json()["errors"]


@pytest.fixture
def visited(org, standard, frozen):
    frozen.move_to(kst(2026, 3, 10, 10))
    ticket = f.TicketFactory(
        reporter=org.customer, reporter_department=org.customer_dept, team=org.team, assignee=org.engineer,
        status=Status.ASSIGNED, asset=org.asset, contact_phone="010-5555-1234",
    )
    identity_confirmed(ticket)
    return ticket


def test_a_visit_is_booked_listed_and_closed_with_its_outcome(org, frozen, visited, api_for):
    staff = api_for(org.desk_agent)
    booked = staff.post(
        reverse("api:ticket_visits", args=[visited.pk]),
        {"engineer": org.engineer.pk, "start": "2026-03-10T14:00:00+09:00", "end": "2026-03-10T15:00:00+09:00",
         "purpose": "프린터 점검", "agreed_by_phone": True},
    )
    assert booked.status_code == 201, booked.content
    visit = Visit.objects.get()
    assert booked.json()["state"] == VisitState.CONFIRMED
    engineer = api_for(org.engineer)
    assert [v["id"] for v in engineer.get(reverse("api:visits"), {"date": "2026-03-10"}).json()["results"]] == [visit.pk]
    assert engineer.get(reverse("api:visits"), {"date": "2026-03-11"}).json()["results"] == []
    assert [v["id"] for v in api_for(org.customer).get(reverse("api:ticket_visits", args=[visited.pk])).json()] == [visit.pk]
    frozen.move_to(kst(2026, 3, 10, 14))
    visit_services.visit_check_in(visit=visit, actor=org.engineer)
    done = engineer.post(reverse("api:visit_outcome", args=[visit.pk]), {"outcome": "customer_absent", "note": "부재 메모"})
    assert done.status_code == 200, done.content
    assert done.json()["outcome"] == VisitOutcome.CUSTOMER_ABSENT
    assert Visit.objects.get().absence_note == "부재 메모"


def test_a_visit_at_a_closed_time_is_refused_with_the_reason(org, frozen, visited, api_for):
    sunday = api_for(org.desk_agent, language="en").post(
        reverse("api:ticket_visits", args=[visited.pk]),
        {"engineer": org.engineer.pk, "start": "2026-03-15T10:00:00+09:00", "end": "2026-03-15T11:00:00+09:00",
         "purpose": "점검"},
    )
    assert sunday.status_code == 400 and sunday.json()["code"] == "refused"
    assert not Visit.objects.exists()


def test_a_follow_up_needs_the_checklist_and_a_reason(org, frozen, visited, api_for):
    visit = visit_services.visit_book(
        ticket=visited, engineer=org.engineer, actor=org.desk_agent, start=kst(2026, 3, 10, 14),
        end=kst(2026, 3, 10, 15), purpose="점검", agreed_by_phone=True,
    )
    frozen.move_to(kst(2026, 3, 10, 14))
    visit_services.visit_check_in(visit=visit, actor=org.engineer)
    body = api_for(org.engineer, language="en").post(
        reverse("api:visit_outcome", args=[visit.pk]),
        {"outcome": "follow_up", "reason": "", "next_start": "2026-03-11T10:00:00+09:00", "next_end": "2026-03-11T11:00:00+09:00"},
    ).json()
    assert body["code"] == "refused" and "reason" in body["errors"]
    assert Visit.objects.get(pk=visit.pk).state == VisitState.CHECKED_IN


def test_visits_of_other_peoples_tickets_are_404(org, frozen, visited, api_for):
    visit = visit_services.visit_book(
        ticket=visited, engineer=org.engineer, actor=org.desk_agent, start=kst(2026, 3, 10, 14),
        end=kst(2026, 3, 10, 15), purpose="점검", agreed_by_phone=True,
    )
    assert api_for(org.other_customer).get(reverse("api:visit", args=[visit.pk])).status_code == 404
    assert api_for(org.other_engineer).get(reverse("api:visit", args=[visit.pk])).status_code == 404
    assert api_for(org.customer).get(reverse("api:visit", args=[visit.pk])).json()["id"] == visit.pk
