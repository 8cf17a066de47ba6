"""No input causes a server error (issue 16): the phone system's endpoint fed
arbitrary JSON — any type in any field, nesting, extreme numbers and times —
and arbitrary bytes. Every answer is JSON: a call (201/200) or a refusal with
its code (hypothesis; the examples are in test_phone_api_schema.py)."""
from __future__ import annotations

import json

import pytest
from django.test import Client
from hypothesis import example, given
from hypothesis import strategies as st

from desk.phone_schema import FIELDS
from tests.desk.helpers import PHONE_TOKEN
from tests.helpers.fuzz import FUZZ, datetime_text, number_text, text

pytestmark = pytest.mark.django_db

TOKEN = PHONE_TOKEN
URL = "/frontdesk/api/calls/"
CODES = {"token_required", "method_not_allowed", "unsupported_media_type", "body_too_large", "malformed_json",
         "nesting_too_deep", "invalid_fields", "refused"}

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False), text, datetime_text, number_text,
    st.sampled_from(["desk", "engineer", "customer", "010-1234-5678", "+82 10 1234 5678"]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
                      max_leaves=8)
bodies = st.one_of(
    st.fixed_dictionaries({}, optional={name: values for name in FIELDS}),
    st.fixed_dictionaries({"agent": st.sampled_from(["desk", "D0001"])},
                          optional={"rings": values, "seconds_to_answer": values, "received_at": values,
                                    "caller_number": values, "call_id": values}),
    st.dictionaries(text, values, max_size=4),
    values,
)


def answer(client: Client, body: bytes | str, content_type: str = "application/json"):
    return client.post(URL, data=body, content_type=content_type, headers={"Authorization": f"Bearer {TOKEN}"})


def json_in_every_answer(response) -> None:
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    if response.status_code >= 400:
        assert body["code"] in CODES and body["message"] and body["errors"]


@FUZZ
@given(body=bodies)
@example(body={"agent": "desk", "rings": 1, "received_at": "9999-12-31T23:59:59"})  # the probe
@example(body={"agent": "desk", "rings": 1, "received_at": "0001-01-01T00:00:00+09:00"})
@example(body={"agent": ["desk"], "rings": {"n": 1}, "caller_number": 1012345678})
@example(body={"agent": "de\x00sk", "rings": 1})
def test_any_json_is_answered_in_json_never_a_server_error(org, phone_token, client, body):
    json_in_every_answer(answer(client, json.dumps(body)))


@FUZZ
@given(raw=st.one_of(st.binary(max_size=200), text, st.integers(1, 3000).map(lambda n: "[" * n + "]" * n)),
       content_type=st.sampled_from(["application/json", "text/plain", "application/json; charset=utf-8", ""]))
@example(raw="[" * 3000 + "]" * 3000, content_type="application/json")
def test_any_bytes_are_answered_in_json_never_a_server_error(org, phone_token, client, raw, content_type):
    json_in_every_answer(answer(client, raw, content_type))
