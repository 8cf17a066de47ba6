"""Desk intake: find the caller, open the ticket for them (OV2, PH1–PH3, CC2)."""
from __future__ import annotations

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from tests import factories as f
from tests.helpers.clock import SEOUL
from tickets.models import Channel, Kind, Ticket, TicketEvent

INTAKE = reverse("staff:intake")


def english(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def caller(org):
    return f.UserFactory(
        username="caller", last_name="윤", first_name="서연", employee_no="H20231234",
        phone="010-1234-5678", department=org.customer_dept,
    )


def found(response) -> list[int]:
    return [u.pk for u in response.context["matches"]]


# --- Lookup ----------------------------------------------------------------------


@pytest.mark.parametrize("q", ["01012345678", "010-1234-5678", "010 1234 5678", "+82 10-1234-5678", "5678", "1234-5678"])
def test_lookup_by_phone_in_any_korean_format(org, caller, client_for, q):
    response = client_for(org.desk_agent).get(INTAKE, {"q": q})
    assert response.status_code == 200
    assert caller.pk in found(response)
    assert "010-1234-5678" in response.content.decode()


@pytest.mark.parametrize("q", ["윤서연", "윤 서연", "서연", "h20231234"])
def test_lookup_by_name_or_employee_number(org, caller, client_for, q):
    assert found(client_for(org.desk_agent).get(INTAKE, {"q": q})) == [caller.pk]


def test_lookup_does_not_match_other_numbers(org, caller, client_for):
    assert found(client_for(org.desk_agent).get(INTAKE, {"q": "010-9999-5678"})) == []
    html = english(client_for(org.desk_agent)).get(INTAKE, {"q": "없는사람"}).content.decode()
    assert "No employee found" in html


def test_picking_a_match_prefills_reporter_department_and_phone(org, caller, client_for):
    asset = f.AssetFactory(owner=caller, department=org.customer_dept, tag="NB-000777")
    response = client_for(org.desk_agent).get(INTAKE, {"q": "윤서연", "reporter": caller.pk})
    form = response.context["form"]
    assert form.initial["reporter"] == caller.pk
    assert form.initial["reporter_name"] == "윤서연"
    assert form.initial["reporter_department"] == org.customer_dept.pk
    assert form.initial["contact_phone"] == "010-1234-5678"
    # Only the caller's own equipment is offered.
    assert list(form.fields["asset"].queryset) == [asset]


def test_greeting_names_the_agents_team_and_name(org, client_for):
    html = english(client_for(org.desk_agent)).get(INTAKE).content.decode()
    assert "Hello, this is 한지민 of 업무지원팀." in html


# --- Opening the ticket --------------------------------------------------------------


def _post(org, **overrides):
    data = {
        "reporter_name": "",
        "reporter_department": org.customer_dept.pk,
        "contact_phone": "",
        "channel": Channel.PHONE,
        "kind": Kind.FAULT,
        "title": "모니터 화면 안 나옴",
        "description": "전화로 접수",
        "asset_other": "",
        "priority": "normal",
    }
    data.update(overrides)
    return data


def test_intake_for_a_found_employee(org, caller, client_for):
    asset = f.AssetFactory(owner=caller, department=org.customer_dept)
    client = client_for(org.desk_agent)
    response = client.post(
        INTAKE,
        _post(org, reporter=caller.pk, reporter_name="윤서연", asset=asset.pk, category=org.category.pk, channel=Channel.WALK_IN),
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:ticket_detail", args=[ticket.pk])
    assert ticket.reporter == caller and ticket.reporter_name == "윤서연"
    assert ticket.reporter_department == org.customer_dept
    assert ticket.channel == Channel.WALK_IN and ticket.asset == asset
    assert ticket.created_by == org.desk_agent
    assert str(ticket.contact_phone.as_national) == "010-1234-5678"  # from the account
    assert ticket.events.get().kind == TicketEvent.Kind.CREATED


def test_intake_for_someone_not_found(org, client_for):
    response = client_for(org.desk_agent).post(
        INTAKE, _post(org, reporter_name="방문객", asset_other="회의실 PC", contact_phone="01098765432")
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.reporter is None and ticket.reporter_name == "방문객"
    assert ticket.contact_phone.as_e164 == "+821098765432"
    assert ticket.team == org.team  # routed by the department served


def test_cc2_intake_without_department_is_refused_keeping_the_typed_title(org, client_for):
    response = english(client_for(org.desk_agent)).post(
        INTAKE, _post(org, reporter_name="방문객", reporter_department="", asset_other="회의실 PC", title="빔프로젝터 연결 안 됨")
    )
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    form = response.context["form"]
    assert form.errors["reporter_department"] == ["The reporter's department is required."]
    assert 'value="빔프로젝터 연결 안 됨"' in response.content.decode()


def test_cc2_intake_without_name_is_refused(org, client_for):
    response = english(client_for(org.desk_agent)).post(INTAKE, _post(org, asset_other="회의실 PC"))
    assert response.context["form"].errors["reporter_name"] == ["The reporter's name is required."]
    assert not Ticket.objects.exists()


def test_web_is_not_a_desk_channel(org, client_for):
    response = client_for(org.desk_agent).post(
        INTAKE, _post(org, reporter_name="방문객", asset_other="PC", channel=Channel.WEB)
    )
    assert response.status_code == 200
    assert "channel" in response.context["form"].errors


def test_someone_elses_asset_cannot_be_chosen(org, caller, client_for):
    response = client_for(org.desk_agent).post(
        INTAKE, _post(org, reporter=caller.pk, reporter_name="윤서연", asset=org.asset.pk)
    )
    assert response.status_code == 200
    assert "asset" in response.context["form"].errors


@time_machine.travel(datetime(2025, 3, 4, 10, 0, tzinfo=SEOUL), tick=False)
def test_bs1_support_request_keeps_the_requested_completion(org, client_for):
    client = client_for(org.desk_agent)
    response = client.post(
        INTAKE,
        _post(org, reporter_name="방문객", kind=Kind.SUPPORT, requested_by="2025-03-05T17:00", title="프로그램 설치"),
    )
    assert response.status_code == 302
    assert Ticket.objects.get().requested_by == datetime(2025, 3, 5, 17, 0, tzinfo=SEOUL)


@time_machine.travel(datetime(2025, 3, 4, 10, 0, tzinfo=SEOUL), tick=False)
@pytest.mark.parametrize(
    ("kind", "requested_by"),
    [(Kind.SUPPORT, "2025-03-04T10:00"), (Kind.SUPPORT, "2025-03-03T17:00"), (Kind.FAULT, "2025-03-05T17:00")],
)
def test_requested_completion_must_be_future_and_for_support_only(org, client_for, kind, requested_by):
    response = client_for(org.desk_agent).post(
        INTAKE, _post(org, reporter_name="방문객", asset_other="PC", kind=kind, requested_by=requested_by)
    )
    assert response.status_code == 200
    assert "requested_by" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_stale_reporter_id_is_refused(org, client_for):
    response = english(client_for(org.desk_agent)).post(
        INTAKE, _post(org, reporter=999999, reporter_name="누구", asset_other="PC")
    )
    assert response.status_code == 200
    assert "That employee was not found" in response.content.decode()


def test_engineers_cannot_use_intake(org, client_for):
    assert client_for(org.engineer).get(INTAKE).status_code == 403
    assert client_for(org.engineer).post(INTAKE, _post(org, reporter_name="x", asset_other="PC")).status_code == 403
    assert not Ticket.objects.exists()


def test_intake_queries_are_bounded(org, caller, client_for, django_assert_max_num_queries):
    for _ in range(10):
        f.AssetFactory(owner=caller, department=org.customer_dept)
    client = client_for(org.desk_agent)
    with django_assert_max_num_queries(12):
        assert client.get(INTAKE, {"q": "010", "reporter": caller.pk}).status_code == 200


