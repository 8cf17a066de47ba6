"""PH1: a phone system posts answered calls (rings or seconds to answer, caller
number, agent) to an authenticated JSON endpoint; bad requests get 401/400 JSON."""
from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from desk.models import CallSource, PhoneCall
from tests.desk.helpers import PHONE_TOKEN

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phone_token")]

TOKEN = PHONE_TOKEN
URL = "/frontdesk/api/calls/"


def post(body, *, token: str | None = TOKEN, raw: bool = False):
    # A phone system has no session and no CSRF cookie.
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    data = body if raw else json.dumps(body)
    return client.post(URL, data=data, content_type="application/json", headers=headers)


def test_the_url_is_where_the_readme_says():
    assert reverse("desk:api_calls") == URL


def test_an_answered_call_is_recorded_and_the_caller_matched(org, frozen):
    response = post({"agent": "desk", "rings": 2, "caller_number": "+82 " + org.customer.phone.as_national[1:], "call_id": "pbx-1"})
    assert response.status_code == 201
    body = response.json()
    call = PhoneCall.objects.get()
    assert body["id"] == call.pk and body["answered_in_time"] is True and body["agent"] == "desk"
    assert body["caller"] == {"id": org.customer.pk, "name": org.customer.display_name, "department": org.customer_dept.name}
    assert body["url"].endswith(reverse("desk:call_detail", args=[call.pk]))
    assert (call.source, call.external_id, call.agent) == (CallSource.PHONE_SYSTEM, "pbx-1", org.desk_agent)


def test_the_same_call_posted_twice_is_recorded_once(org, frozen):
    first = post({"agent": org.desk_agent.employee_no, "seconds_to_answer": 9, "call_id": "pbx-7"})
    again = post({"agent": "desk", "seconds_to_answer": 1, "call_id": "pbx-7"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["answered_in_time"] is False
    assert PhoneCall.objects.count() == 1


@pytest.mark.parametrize("token", [None, "", "wrong", TOKEN + "x"])
def test_401_without_valid_credentials(org, token):
    response = post({"agent": "desk", "rings": 1}, token=token)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json" and "__all__" in response.json()["errors"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not PhoneCall.objects.exists()


def test_401_when_no_token_is_configured_at_all(org, settings):
    settings.PHONE_SYSTEM_TOKEN = ""
    assert post({"agent": "desk", "rings": 1}, token="").status_code == 401


def test_basic_auth_is_not_a_token(org):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, data="{}", content_type="application/json", headers={"Authorization": f"Basic {TOKEN}"})
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("not json", "__all__"),
        ("[1, 2]", "__all__"),
        ("", "__all__"),
        (json.dumps({"rings": 1}), "agent"),
        (json.dumps({"agent": "desk"}), "rings"),
        (json.dumps({"agent": "desk", "rings": "three"}), "rings"),
        (json.dumps({"agent": "desk", "rings": -1}), "rings"),
        (json.dumps({"agent": "desk", "seconds_to_answer": 99999}), "seconds_to_answer"),
        (json.dumps({"agent": "nobody", "rings": 1}), "agent"),
        (json.dumps({"agent": "customer", "rings": 1}), "agent"),
        (json.dumps({"agent": "desk", "rings": 1, "caller_number": "12"}), "caller_number"),
        (json.dumps({"agent": "desk", "rings": 1, "received_at": "yesterday"}), "received_at"),
    ],
)
def test_400_with_field_errors_for_a_bad_body(org, body, field):
    response = post(body, raw=True)
    assert response.status_code == 400
    assert field in response.json()["errors"] and all(response.json()["errors"][field])
    assert not PhoneCall.objects.exists()


def test_only_post(org):
    response = Client().get(URL, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 405
