"""Who may call what on the API: every role against every endpoint, in one
table (the API's counterpart of tests/tickets/test_authorization_matrix.py).

Rules read off the table, the same as the pages': no credentials is a 401;
an endpoint a role may not use at all is a 403; someone else's object, or one
outside one's teams, is a 404, so its existence does not leak; a customer
sees and acts on only the tickets they reported, whatever else they are;
staff actions on a ticket are 404 for anyone the staff page would refuse. A
request let through but refused by the rules is a 400 `refused`.

Each role calls with its own personal token; the HTML pages (docs, tokens) with
a signed-in session. Every request runs in a savepoint that is rolled back, so
every role meets the same objects in the same state.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from desk.services import calls
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.gates import identity_confirmed
from tickets import services
from tickets.lifecycle import Status
from visits import services as visit_services

ROLES = [
    "anonymous", "customer", "other_customer", "engineer", "other_engineer", "lead", "desk_agent", "admin",
    "approver", "auditor",
]
LOGIN = "login"  # a 302 to the sign-in page (the HTML pages)
PERSON = {role: role for role in ROLES} | {"admin": "admin_user"}
NOW = kst(2026, 3, 10, 14)  # a Tuesday afternoon: the visit below has begun

# endpoint → the answer for each role, in ROLES order.
MATRIX: dict[str, list[int | str]] = {
    #                          anon  cust  other eng   o-eng lead  desk  admin appr  audit
    "tickets_list":           [401,  200,  200,  200,  200,  200,  200,  200,  200,  200],
    "tickets_create":         [401,  201,  201,  201,  201,  201,  201,  201,  201,  201],
    "ticket_retrieve":        [401,  200,  404,  200,  404,  200,  200,  200,  404,  404],
    "ticket_comment":         [401,  201,  404,  201,  404,  201,  201,  201,  404,  404],
    "ticket_assign":          [401,  404,  404,  200,  404,  200,  200,  200,  404,  404],
    "ticket_cancel_staff":    [401,  400,  404,  200,  404,  200,  200,  200,  404,  404],
    "ticket_cancel_customer": [401,  200,  404,  400,  404,  400,  400,  400,  404,  404],
    "ticket_priority":        [401,  404,  404,  200,  404,  200,  200,  200,  404,  404],
    # Handed to the other team: the engineer and the lead no longer see it (204).
    "ticket_team_move":       [401,  404,  404,  204,  404,  204,  200,  200,  404,  404],
    "ticket_visits":          [401,  200,  404,  200,  404,  200,  200,  200,  404,  404],
    "ticket_visit_book":      [401,  404,  404,  201,  404,  201,  201,  201,  404,  404],
    "visits_day":             [401,  403,  403,  200,  200,  200,  200,  200,  403,  403],
    "visit_retrieve":         [401,  200,  404,  200,  404,  200,  200,  200,  404,  404],
    # Only the engineer on the visit, their companion or a lead records the outcome.
    "visit_outcome":          [401,  404,  404,  200,  404,  200,  400,  200,  404,  404],
    "calls_list":             [401,  403,  403,  200,  200,  200,  200,  200,  403,  403],
    "calls_record":           [401,  403,  403,  403,  403,  403,  201,  201,  403,  403],
    "callbacks_list":         [401,  403,  403,  200,  200,  200,  200,  200,  403,  403],
    "callbacks_create":       [401,  403,  403,  201,  201,  201,  201,  201,  403,  403],
    "callback_close":         [401,  404,  404,  200,  404,  200,  200,  200,  404,  404],
    "assets_list":            [401,  200,  200,  200,  200,  200,  200,  200,  200,  200],
    "fault_categories_list":  [401,  200,  200,  200,  200,  200,  200,  200,  200,  200],
    "standards":              [401,  200,  200,  200,  200,  200,  200,  200,  200,  200],
    "dashboard":              [401,  403,  403,  403,  403,  200,  403,  200,  403,  403],
    "schema":                 [401,  200,  200,  200,  200,  200,  200,  200,  200,  200],
    # The HTML pages, with a session.
    "docs":                   [LOGIN, 403, 403,  200,  200,  200,  200,  200,  403,  403],
    "tokens_page":            [LOGIN, 200, 200,  200,  200,  200,  200,  200,  200,  200],
    "token_make":             [LOGIN, 201, 201,  201,  201,  201,  201,  201,  201,  201],
    "token_revoke":           [LOGIN, 302, 404,  404,  404,  404,  404,  404,  404,  404],
}
SESSION_ROWS = {"docs", "tokens_page", "token_make", "token_revoke"}


@dataclass
class World:
    ticket: Any
    visited: Any
    visit: Any
    memo: Any
    customer_token_id: int


@pytest.fixture
def world(org, standard, frozen, token_for) -> World:
    frozen.move_to(kst(2026, 3, 10, 10))
    ticket = services.ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title="PC가 켜지지 않습니다", asset=org.asset, category=org.category,
    )
    visited = f.TicketFactory(
        reporter=org.customer, reporter_department=org.customer_dept, team=org.team, assignee=org.engineer,
        status=Status.ASSIGNED, title="3층 프린터 용지 걸림", contact_phone="010-5555-1234",
    )
    identity_confirmed(visited)
    visit = visit_services.visit_book(
        ticket=visited, engineer=org.engineer, actor=org.desk_agent, start=kst(2026, 3, 10, 14),
        end=kst(2026, 3, 10, 15), purpose="프린터 점검", agreed_by_phone=True,
    )
    memo = calls.callback_memo_create(
        actor=org.desk_agent, handler=org.engineer, caller_name="김민수", department=org.customer_dept,
        phone="010-5555-1234", matter="프린터 문의", caller=org.customer,
    )
    frozen.move_to(NOW)
    visit = visit_services.visit_check_in(visit=visit, actor=org.engineer)
    token_for(org.customer, name="포털")
    return World(ticket, visited, visit, memo, ApiToken.objects.filter(user=org.customer, name="포털").get().pk)


def request_for(endpoint: str, w: World, org) -> tuple[str, str, dict | None]:
    t = w.ticket.pk
    post: dict[str, tuple[str, dict]] = {
        "tickets_create": (reverse("api:tickets"), {"title": "모니터 깜빡임", "asset_other": "3층 회의실 모니터"}),
        "ticket_comment": (reverse("api:ticket_comment", args=[t]), {"body": "언제 오시나요?"}),
        "ticket_assign": (reverse("api:ticket_assign", args=[t]), {"assignee": org.engineer.pk}),
        "ticket_cancel_staff": (reverse("api:ticket_transition", args=[t]), {"action": "cancel_staff", "note": "중복 접수"}),
        "ticket_cancel_customer": (reverse("api:ticket_transition", args=[t]), {"action": "cancel", "note": "해결됨"}),
        "ticket_priority": (reverse("api:ticket_priority", args=[t]), {"priority": "high"}),
        "ticket_team_move": (reverse("api:ticket_team_move", args=[t]), {"team": org.other_team.pk, "note": "네트워크 장애"}),
        "ticket_visit_book": (
            reverse("api:ticket_visits", args=[t]),
            {"engineer": org.engineer.pk, "start": "2026-03-11T10:00:00+09:00", "end": "2026-03-11T11:00:00+09:00",
             "purpose": "PC 점검"},
        ),
        "visit_outcome": (reverse("api:visit_outcome", args=[w.visit.pk]), {"outcome": "customer_absent", "note": "부재"}),
        "calls_record": (reverse("api:calls"), {"agent": "desk", "rings": 2, "caller_number": "010-5555-1234"}),
        "callbacks_create": (
            reverse("api:callbacks"),
            {"handler": org.engineer.pk, "caller_name": "김민수", "department": org.customer_dept.pk,
             "phone": "010-5555-1234", "matter": "프린터 문의"},
        ),
        "callback_close": (reverse("api:callback_close", args=[w.memo.pk]), {"note": "통화 완료"}),
        "token_make": (reverse("api:tokens"), {"name": "그룹 포털", "days": "90"}),
        "token_revoke": (reverse("api:token_revoke", args=[w.customer_token_id]), {}),
    }
    if endpoint in post:
        path, data = post[endpoint]
        return "post", path, data
    get = {
        "tickets_list": reverse("api:tickets"),
        "ticket_retrieve": reverse("api:ticket", args=[t]),
        "ticket_visits": reverse("api:ticket_visits", args=[t]),
        "visits_day": reverse("api:visits"),
        "visit_retrieve": reverse("api:visit", args=[w.visit.pk]),
        "calls_list": reverse("api:calls"),
        "callbacks_list": reverse("api:callbacks"),
        "assets_list": reverse("api:assets"),
        "fault_categories_list": reverse("api:fault_categories"),
        "standards": reverse("api:standards"),
        "dashboard": reverse("api:dashboard"),
        "schema": reverse("api:schema"),
        "docs": reverse("api:docs"),
        "tokens_page": reverse("api:tokens"),
    }
    return "get", get[endpoint], None


def outcome(response) -> int | str:
    if response.status_code == 302 and response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next="):
        return LOGIN
    return response.status_code


def test_api_matrix(org, world, request, token_for):
    people = {role: request.getfixturevalue(PERSON[role]) for role in ROLES if role != "anonymous"}
    tokens = {role: token_for(person) for role, person in people.items()}
    sessions = {"anonymous": Client()}
    for role, person in people.items():
        sessions[role] = Client()
        sessions[role].force_login(person)
    wrong = []
    for endpoint, expected in MATRIX.items():
        for role, want in zip(ROLES, expected, strict=True):
            method, path, data = request_for(endpoint, world, org)
            with transaction.atomic():
                if endpoint in SESSION_ROWS:
                    response = getattr(sessions[role], method)(path, data or {})
                else:
                    headers = {"Authorization": f"Bearer {tokens[role]}"} if role != "anonymous" else {}
                    if method == "post":
                        response = sessions["anonymous"].post(
                            path, json.dumps(data), content_type="application/json", headers=headers
                        )
                    else:
                        response = sessions["anonymous"].get(path, headers=headers)
                transaction.set_rollback(True)
            got = outcome(response)
            if got != want:
                wrong.append(f"{endpoint} as {role}: expected {want}, got {got} {response.content[:200]!r}")
            if endpoint not in SESSION_ROWS and response.status_code >= 400:
                assert response.json()["code"], endpoint  # every refusal in the structured shape
    assert not wrong, "\n".join(wrong)


def test_matrix_covers_every_role_and_every_api_url():
    assert all(len(row) == len(ROLES) for row in MATRIX.values())
    from api.urls import urlpatterns

    named = {p.name for p in urlpatterns if getattr(p, "name", None)}
    covered = {
        "tickets", "ticket", "ticket_comment", "ticket_assign", "ticket_transition", "ticket_priority",
        "ticket_team_move", "ticket_visits", "visits", "visit", "visit_outcome", "calls", "callbacks",
        "callback_close", "assets", "fault_categories", "standards", "dashboard", "schema", "docs", "tokens",
        "token_revoke",
    }
    assert named == covered, "a new API URL needs its row in MATRIX"
