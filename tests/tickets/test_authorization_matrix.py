"""Who may open what: every role against every ticket page, in one table.

Rules read off the table: anonymous people are sent to log in; a list page a
role may not use is a 403; someone else's ticket (or one outside one's teams)
is a 404, so its existence does not leak; the portal shows a person only the
tickets they reported, whatever their role; internal files never reach the
customer.
"""
from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from tickets import services
from tickets.models import Priority

ROLES = [
    "anonymous", "customer", "other_customer", "engineer", "other_engineer", "lead", "desk_agent", "admin",
    "approver", "auditor",
]

LOGIN = "login"  # a 302 to the login page
DONE = "done"  # a 302 back to the ticket: the action was carried out

# view → the expected answer for each role, in ROLES order. The approver and
# the auditor hold no staff permission: they see what any other customer sees.
MATRIX: dict[str, list[int | str]] = {
    #                      anon   cust  other  eng   o-eng lead  desk  admin appr  audit
    "portal_list":        [LOGIN, 200,  200,   200,  200,  200,  200,  200,  200,  200],
    "portal_detail":      [LOGIN, 200,  404,   404,  404,  404,  404,  404,  404,  404],
    "portal_comment":     [LOGIN, DONE, 404,   404,  404,  404,  404,  404,  404,  404],
    "portal_action":      [LOGIN, DONE, 404,   404,  404,  404,  404,  404,  404,  404],
    "staff_queue":        [LOGIN, 403,  403,   200,  200,  200,  200,  200,  403,  403],
    "staff_detail":       [LOGIN, 404,  404,   200,  404,  200,  200,  200,  404,  404],
    "staff_assign":       [LOGIN, 404,  404,   DONE, 404,  DONE, DONE, DONE, 404,  404],
    "staff_transition":   [LOGIN, 404,  404,   DONE, 404,  DONE, DONE, DONE, 404,  404],
    "staff_priority":     [LOGIN, 404,  404,   DONE, 404,  DONE, DONE, DONE, 404,  404],
    "staff_comment":      [LOGIN, 404,  404,   DONE, 404,  DONE, DONE, DONE, 404,  404],
    "staff_team_move":    [LOGIN, 404,  404,   200,  404,  200,  200,  200,  404,  404],
    "intake":             [LOGIN, 403,  403,   403,  403,  403,  200,  200,  403,  403],
    "attachment":         [LOGIN, 200,  404,   200,  404,  200,  200,  200,  404,  404],
    "attachment_internal": [LOGIN, 404, 404,   200,  404,  200,  200,  200,  404,  404],
}
# The named people (tests/conftest.py) each role is played by.
PERSON = {role: role for role in ROLES} | {"admin": "admin_user"}


@pytest.fixture
def ticket(org):
    """The customer's fault, received by the engineer's team, with a public photo and an internal file."""
    ticket = services.ticket_create(
        actor=org.customer,
        reporter=org.customer,
        reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept,
        title="PC가 켜지지 않습니다",
        asset=org.asset,
        category=org.category,
        attachments=[SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n0000")],
    )
    services.comment_add(
        ticket=ticket,
        author=org.engineer,
        body="내부 메모",
        is_public=False,
        attachments=[SimpleUploadedFile("diag.txt", b"internal diagnosis")],
    )
    assert ticket.team == org.team
    return ticket


def request_for(view: str, ticket, org) -> tuple[str, str, dict]:
    pk = ticket.pk
    public = ticket.attachments.get(is_public=True).pk
    internal = ticket.attachments.get(is_public=False).pk
    return {
        "portal_list": ("get", reverse("portal:ticket_list"), {}),
        "portal_detail": ("get", reverse("portal:ticket_detail", args=[pk]), {}),
        "portal_comment": ("post", reverse("portal:ticket_comment", args=[pk]), {"body": "언제 오시나요?"}),
        "portal_action": ("post", reverse("portal:ticket_action", args=[pk]), {"action": "cancel", "note": "해결됨"}),
        "staff_queue": ("get", reverse("staff:queue"), {}),
        "staff_detail": ("get", reverse("staff:ticket_detail", args=[pk]), {}),
        "staff_assign": ("post", reverse("staff:ticket_assign", args=[pk]), {"assignee": org.engineer.pk}),
        "staff_transition": (
            "post", reverse("staff:ticket_transition", args=[pk]), {"action": "cancel_staff", "note": "중복 접수"}
        ),
        "staff_priority": ("post", reverse("staff:ticket_priority", args=[pk]), {"priority": Priority.HIGH}),
        "staff_comment": ("post", reverse("staff:ticket_comment", args=[pk]), {"body": "확인했습니다"}),
        # The hand-over page; its POST is scoped by the same lookup.
        "staff_team_move": ("get", reverse("staff:ticket_team_move", args=[pk]), {}),
        "intake": ("get", reverse("staff:intake"), {}),
        "attachment": ("get", reverse("attachment_download", args=[public]), {}),
        "attachment_internal": ("get", reverse("attachment_download", args=[internal]), {}),
    }[view]


CASES = [(view, role, expected[i]) for view, expected in MATRIX.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("view", "role", "expected"), CASES, ids=[f"{v}-{r}" for v, r, _e in CASES])
def test_matrix(org, ticket, client, client_for, view, role, expected, request):
    http = client if role == "anonymous" else client_for(request.getfixturevalue(PERSON[role]))
    method, path, data = request_for(view, ticket, org)
    response = getattr(http, method)(path, data)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    elif expected == DONE:
        assert response.status_code == 302, response.content[:500]
        side = "portal" if view.startswith("portal") else "staff"
        assert response["Location"] == reverse(f"{side}:ticket_detail", args=[ticket.pk])
    else:
        assert response.status_code == expected


def test_matrix_covers_every_role():
    assert all(len(row) == len(ROLES) for row in MATRIX.values())
