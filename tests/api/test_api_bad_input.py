"""Bad input gets a clear, translated, structured 4xx — never a 500:
malformed JSON, NaN, deep nesting, a body that is not an object, unknown
fields, wrong JSON types (no coercion), out-of-range dates and ids, the wrong
content type, too large a body, a method or an address the API does not have."""
from __future__ import annotations

import base64
import json

import pytest
from django.urls import reverse

from tickets import services


@pytest.fixture
def ticket(org):
    return services.ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="PC가 켜지지 않습니다", asset=org.asset,
    )


def refusal(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["code"] == code, body
    assert body["message"] and isinstance(body["errors"], dict)
    return body


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "malformed_json"),
        ('{"body": NaN}', "malformed_json"),
        ('{"body": Infinity}', "malformed_json"),
        (b"\xff\xfe{}", "malformed_json"),
        ("[" * 50 + "]" * 50, "nesting_too_deep"),
        ('{"a":' * 3000 + "1" + "}" * 3000, "nesting_too_deep"),
    ],
)
def test_bodies_that_are_not_json_objects_are_refused(org, ticket, api_for, raw, code):
    response = api_for(org.customer, language="en").post(reverse("api:ticket_comment", args=[ticket.pk]), raw=raw)
    refusal(response, 400, code)


@pytest.mark.parametrize("body", [[], "text", 12, None, True])
def test_a_body_must_be_an_object(org, ticket, api_for, body):
    response = api_for(org.customer, language="en").post(
        reverse("api:ticket_comment", args=[ticket.pk]), raw=json.dumps(body)
    )
    assert response.status_code == 400 and response.json()["code"] in ("invalid_fields", "malformed_json")


def test_unknown_fields_are_named_and_refused(org, ticket, api_for):
    response = api_for(org.customer, language="en").post(
        reverse("api:ticket_comment", args=[ticket.pk]), {"body": "안녕하세요", "bdy": "x", "is_public": False}
    )
    body = refusal(response, 400, "invalid_fields")
    assert set(body["errors"]) == {"bdy", "is_public"}
    assert "Unknown field" in body["errors"]["bdy"][0]
    assert not ticket.comments.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("body", 12),  # a number is not text
        ("body", ["a"]),
        ("internal", "true"),  # a string is not a boolean
        ("internal", 1),
        ("body", "줄\x00바꿈"),  # NUL
    ],
)
def test_wrong_types_are_refused_not_coerced(org, ticket, api_for, field, value):
    data = {"body": "확인 부탁드립니다", field: value}
    response = api_for(org.engineer, language="en").post(reverse("api:ticket_comment", args=[ticket.pk]), data)
    body = refusal(response, 400, "invalid_fields")
    assert field in body["errors"]


@pytest.mark.parametrize("assignee", ["3", 3.0, True, 0, -1, 2**31, 10**40])
def test_ids_must_be_json_integers_in_range(org, ticket, api_for, assignee):
    response = api_for(org.lead, language="en").post(reverse("api:ticket_assign", args=[ticket.pk]), raw=json.dumps({"assignee": assignee}))
    assert response.status_code == 400
    assert response.json()["errors"].get("assignee"), response.json()


def test_someone_who_cannot_be_assigned_is_a_field_error(org, ticket, api_for):
    body = refusal(
        api_for(org.lead).post(reverse("api:ticket_assign", args=[ticket.pk]), {"assignee": org.customer.pk}),
        400, "invalid_fields",
    )
    assert "assignee" in body["errors"]


@pytest.mark.parametrize(
    ("value", "field_error"),
    [
        ("9999-12-31T10:00:00+09:00", True),
        ("0001-01-01T00:00:00Z", True),
        ("2026-02-30T10:00:00+09:00", True),
        ("yesterday", True),
    ],
)
def test_out_of_range_or_unreal_dates_are_400(org, api_for, value, field_error):
    response = api_for(org.desk_agent, language="en").post(
        reverse("api:tickets"),
        {"title": "회의실 PC 설치", "kind": "support", "reporter": org.customer.pk, "requested_by": value},
    )
    body = refusal(response, 400, "invalid_fields")
    assert "requested_by" in body["errors"]


def test_a_date_in_range_but_past_gets_the_services_own_words(org, api_for, frozen):
    response = api_for(org.desk_agent, language="en").post(
        reverse("api:tickets"),
        {"title": "회의실 PC 설치", "kind": "support", "reporter": org.customer.pk, "requested_by": "2026-01-05T10:00:00+09:00"},
    )
    body = refusal(response, 400, "invalid_fields")
    assert body["errors"]["requested_by"] == ["The requested completion must be in the future."]


@pytest.mark.parametrize(
    "query", [{"date_from": "1999-01-01"}, {"date_to": "2999-01-01"}, {"status": "nonsense"}, {"team": "abc"},
              {"page_size": "0"}, {"page_size": "101"}, {"cursor": "!!!"}, {"cursor": "W10"}, {"assignee": "99999999999"}],
)
def test_bad_list_filters_are_400_not_ignored(org, api_for, query):
    response = api_for(org.lead, language="en").get(reverse("api:tickets"), query)
    body = refusal(response, 400, "invalid_fields")
    assert set(query) & set(body["errors"]), body


def test_the_body_must_be_sent_as_json(org, ticket, api_for):
    response = api_for(org.customer).post(
        reverse("api:ticket_comment", args=[ticket.pk]), raw="body=hello", content_type="application/x-www-form-urlencoded"
    )
    refusal(response, 415, "unsupported_media_type")
    calls = api_for(org.desk_agent).post(reverse("api:calls"), raw="agent=desk", content_type="text/plain")
    refusal(calls, 415, "unsupported_media_type")


def test_a_huge_body_is_413(org, ticket, api_for):
    raw = json.dumps({"body": "가" * (2 * 1024 * 1024)})
    refusal(api_for(org.customer).post(reverse("api:ticket_comment", args=[ticket.pk]), raw=raw), 413, "body_too_large")


def test_methods_and_addresses_the_api_does_not_have(org, ticket, api_for):
    caller = api_for(org.customer)
    refusal(caller.get(reverse("api:ticket_comment", args=[ticket.pk])), 405, "method_not_allowed")
    refusal(caller.get("/api/nothing-here/"), 404, "not_found")
    refusal(caller.get("/api/tickets/-5/"), 404, "not_found")
    refusal(caller.get("/api/tickets/99999999999999999999/"), 404, "not_found")
    refusal(caller.get("/api/tickets/2147483648/"), 404, "not_found")
    refusal(caller.get("/api/tickets/%C3%BB%0A%C3%B5/visits/"), 404, "not_found")  # a newline in the path


def test_messages_are_korean_unless_the_person_chose_english(org, ticket, api_for, token_for, client):
    korean = api_for(org.customer).post(reverse("api:ticket_comment", args=[ticket.pk]), {"bdy": "x"})
    assert korean["Content-Language"] == "ko"
    assert korean.json()["message"] != "Some fields are missing or not valid."
    english = api_for(org.customer, language="en").post(reverse("api:ticket_comment", args=[ticket.pk]), {"bdy": "x"})
    assert english.json()["message"] == "Some fields are missing or not valid."
    # A token has no session: the person's saved language answers.
    org.customer.language = "en"
    org.customer.save(update_fields=["language"])
    saved = client.post(
        reverse("api:ticket_comment", args=[ticket.pk]), json.dumps({"bdy": "x"}), content_type="application/json",
        headers={"Authorization": f"Bearer {token_for(org.customer)}"},
    )
    assert saved.json()["message"] == "Some fields are missing or not valid." and saved["Content-Language"] == "en"


def test_the_lifecycles_refusal_comes_back_with_its_reason(org, ticket, api_for):
    body = refusal(
        api_for(org.engineer, language="en").post(reverse("api:ticket_transition", args=[ticket.pk]), {"action": "resolve"}),
        400, "refused",
    )
    assert "that action is not allowed now" in body["message"]
    assert body["errors"] == {"__all__": [body["message"]]}
    needs_note = api_for(org.customer, language="en").post(reverse("api:ticket_transition", args=[ticket.pk]), {"action": "cancel"})
    assert refusal(needs_note, 400, "refused")["errors"] == {"note": ["Please give a reason."]}


@pytest.mark.parametrize("values", [["PC-1", "x"], ["\x00", 1], ["a" * 500, 1], [None, 1], [1, 1], ["PC-1", "2"]])
def test_a_forged_cursor_is_400(org, api_for, values):
    cursor = base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")
    response = api_for(org.customer, language="en").get(reverse("api:assets"), {"cursor": cursor})
    assert refusal(response, 400, "invalid_fields")["errors"] == {
        "cursor": ["This cursor is not valid; start again from the first page."]
    }
