"""PH1, issue 16: the phone system's body is checked against a JSON schema
(desk.phone_schema) — strict types, lengths, a bounded call time, a depth
guard — and every refusal is JSON with a stable code and a message."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from desk.models import PhoneCall
from desk.phone_schema import CALL_SCHEMA, MAX_BODY_BYTES, MAX_DEPTH, json_depth_over
from tests.desk.helpers import PHONE_TOKEN
from tests.helpers.clock import NOW

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("phone_token")]

TOKEN = PHONE_TOKEN
URL = reverse("desk:api_calls")


def post(data, *, content_type: str = "application/json", token: str | None = TOKEN, method: str = "post"):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "en"
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    body = data if isinstance(data, (str, bytes)) else json.dumps(data)
    return client.generic(method.upper(), URL, data=body, content_type=content_type, headers=headers)


def refusal(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code and body["message"] and all(body["errors"].values())
    assert not PhoneCall.objects.exists()
    return body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("agent", 5, "Send text (a JSON string)."),
        ("agent", ["desk"], "Send text (a JSON string)."),
        ("agent", {"name": "desk"}, "Send text (a JSON string)."),
        ("agent", "", "This field cannot be blank."),
        ("agent", "   ", "This field cannot be blank."),
        ("agent", "x" * 151, "Send at most 150 characters."),
        ("agent", "de\x00sk", "Send text without control characters (tabs, line breaks, NUL)."),
        ("agent", "desk\n", "Send text without control characters (tabs, line breaks, NUL)."),
        ("call_id", 17, "Send text (a JSON string)."),
        ("call_id", "pbx\t1", "Send text without control characters (tabs, line breaks, NUL)."),
        ("call_id", "c" * 101, "Send at most 100 characters."),
        ("caller_number", 1012345678, "Send text (a JSON string)."),
        ("caller_number", "0" * 31, "Send at most 30 characters."),
        ("rings", "2", "Send a whole number (a JSON integer)."),
        ("rings", 1.5, "Send a whole number (a JSON integer)."),
        ("rings", True, "Send a whole number (a JSON integer)."),
        ("rings", [2], "Send a whole number (a JSON integer)."),
        ("rings", 101, "Enter a number between 0 and 100."),
        ("rings", 10**30, "Enter a number between 0 and 100."),
        ("seconds_to_answer", -1, "Enter a number between 0 and 3600."),
        ("received_at", 1773104400, "Send text (a JSON string)."),
        ("received_at", "yesterday", "Send a date and time such as 2026-03-10T10:02:00+09:00."),
        ("received_at", "2026-02-30T10:00:00+09:00", "Send a date and time such as 2026-03-10T10:02:00+09:00."),
        ("received_at", "2026-03-10T10:00:00+25:00", "Send a date and time such as 2026-03-10T10:02:00+09:00."),
    ],
)
def test_a_field_of_the_wrong_type_length_or_range_is_refused_by_name(org, frozen, field, value, message):
    body = refusal(post({"agent": "desk", "rings": 1, field: value}), 400, "invalid_fields")
    assert body["errors"] == {field: [message]}
    assert body["message"] == "Some fields are missing or not valid."


def test_an_unknown_field_is_named_and_a_missing_one_too(org, frozen):
    body = refusal(post({"rings": 1, "ring": 2}), 400, "invalid_fields")
    assert body["errors"]["agent"] == ["This field is required."]
    assert body["errors"]["ring"][0].startswith("Unknown field: a call record has only agent, call_id")


def test_null_is_the_same_as_leaving_an_optional_field_out(org, frozen):
    response = post({"agent": "desk", "rings": 2, "call_id": None, "caller_number": None, "seconds_to_answer": None,
                     "received_at": None})
    assert response.status_code == 201
    assert PhoneCall.objects.get().received_at == NOW


def test_a_whole_number_written_as_2_0_is_a_whole_number(org, frozen):
    assert post({"agent": "desk", "rings": 2.0}).status_code == 201
    assert PhoneCall.objects.get().rings == 2


# --- the call's time: in the past, up to 90 days old, 5 minutes of clock skew ------------


@pytest.mark.parametrize(
    "at",
    [
        (NOW - timedelta(days=90)).isoformat(),  # the oldest call accepted
        (NOW + timedelta(minutes=5)).isoformat(),  # a phone system's clock a little ahead
        "2026-03-10T10:00:00",  # no zone: Seoul time
        "2026-03-10 01:00:00Z",
    ],
)
def test_a_call_time_within_bounds_is_recorded(org, frozen, at):
    assert post({"agent": "desk", "rings": 1, "received_at": at}).status_code == 201


@pytest.mark.parametrize(
    "at",
    [
        (NOW - timedelta(days=90, seconds=1)).isoformat(),
        (NOW + timedelta(minutes=5, seconds=1)).isoformat(),
        "9999-12-31T23:59:59+09:00",
        "9999-12-31T23:59:59-12:00",
        "0001-01-01T00:00:00+09:00",
        "0001-01-01T00:00:00",
    ],
)
def test_a_call_time_out_of_bounds_is_refused_saying_the_bounds(org, frozen, at):
    body = refusal(post({"agent": "desk", "rings": 1, "received_at": at}), 400, "invalid_fields")
    assert body["errors"] == {
        "received_at": ["Send a time between 2025-12-10 10:00 and 2026-03-10 10:05: when the call was answered."]
    }


# --- every refusal is JSON, with its code ------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "code"),
    [("not json", "malformed_json"), ("[1, 2]", "invalid_fields"), ('"desk"', "invalid_fields"), ("null", "invalid_fields"),
     ('{"agent": "desk", "rings": NaN}', "malformed_json"), ('{"agent": "desk", "rings": Infinity}', "malformed_json"),
     ('{"agent": "desk", "rings": ' + "9" * 5000 + "}", "malformed_json"), (b"\xff\xfe{}", "malformed_json"),
     ("", "malformed_json")],
)
def test_400_for_a_body_that_is_not_a_json_object(org, data, code):
    body = refusal(post(data), 400, code)
    assert list(body["errors"]) == ["__all__"]


def test_400_for_json_nested_deeper_than_the_guard_without_recursing(org):
    deep = "[" * 30_000 + "]" * 30_000  # deep enough to make Python's json raise RecursionError
    assert len(deep) < MAX_BODY_BYTES
    body = refusal(post(deep), 400, "nesting_too_deep")
    assert body["message"] == "The body is nested too deeply."
    just_deep_enough = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert refusal(post(just_deep_enough), 400, "invalid_fields")  # parsed: only not an object


def test_the_depth_guard_ignores_brackets_inside_strings():
    assert not json_depth_over(json.dumps({"agent": "[[[[" * 100, "x": "{{{{\\\"" * 100}))
    assert json_depth_over("[" * (MAX_DEPTH + 1))
    assert not json_depth_over("[" * MAX_DEPTH)
    # An escaped quote does not end a string; an escaped backslash does not escape the quote after it.
    assert not json_depth_over(json.dumps({"agent": '"' + "[" * 40}))
    assert json_depth_over(json.dumps({"agent": "x\\", "deep": [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}))


def test_401_without_the_token_is_json_with_its_code(org):
    body = refusal(post({"agent": "desk", "rings": 1}, token="wrong"), 401, "token_required")
    assert body["message"] == "A valid phone system token is required."


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_405_for_anything_but_post_is_json_with_its_code(org, method):
    response = post({"agent": "desk"}, method=method)
    refusal(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"])
def test_415_for_a_body_that_is_not_sent_as_json(org, content_type):
    body = refusal(post(json.dumps({"agent": "desk", "rings": 1}), content_type=content_type), 415, "unsupported_media_type")
    assert body["message"] == "Send the body as application/json."


def test_application_json_with_a_charset_is_json(org):
    assert post({"agent": "desk", "rings": 1}, content_type="application/json; charset=utf-8").status_code == 201


def test_413_for_a_body_larger_than_a_call_record_can_be(org):
    body = refusal(post({"agent": "desk", "rings": 1, "call_id": "x" * MAX_BODY_BYTES}), 413, "body_too_large")
    assert body["message"] == f"The body is larger than {MAX_BODY_BYTES} bytes."


def test_413_when_django_refuses_to_read_the_body(org, settings):
    # Above DATA_UPLOAD_MAX_MEMORY_SIZE Django raises RequestDataTooBig on reading
    # request.body; before, that was a 400 HTML page.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    refusal(post({"agent": "desk", "rings": 1, "call_id": "x" * 200}), 413, "body_too_large")


def test_6_mb_is_refused_in_json(org):
    refusal(post("x" * (6 * 1024 * 1024)), 413, "body_too_large")


def test_a_refusal_of_the_desks_rules_has_its_own_code(org, frozen):
    body = refusal(post({"agent": "nobody", "rings": 1}), 400, "refused")
    assert body["errors"] == {"agent": ["No active user has that username or employee number."]}
    assert refusal(post({"agent": "desk", "rings": 1, "caller_number": "12"}), 400, "refused")["errors"]["caller_number"]


def test_the_messages_are_korean_by_default(org):
    client = Client()
    response = client.post(URL, data="[", content_type="application/json", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.json()["message"] == "요청 본문은 JSON 객체여야 합니다."


def test_the_schema_is_strict_and_bounded():
    props = CALL_SCHEMA["properties"]
    assert CALL_SCHEMA["additionalProperties"] is False and CALL_SCHEMA["required"] == ["agent"]
    assert all("maxLength" in p for p in props.values() if "string" in p["type"])
    assert all("maximum" in p and "minimum" in p for p in props.values() if "integer" in p["type"])
