"""Tickets through the API: the same selectors and services as the pages, so
the same scope, the same rules and the same refusals."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from helpdesk.accounts.services import absence_create
from tests import factories as f
from tests.helpers.clock import kst
from tickets import services
from tickets.lifecycle import Status
from tickets.models import Channel, Kind, Ticket


def filed(org, title: str = "PC가 켜지지 않습니다", **extra) -> Ticket:
    return services.ticket_create(
        actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept, title=title, asset=org.asset, **extra,
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:300]
    return [row["id"] for row in response.json()["results"]]


def walk(caller, path: str, params: dict) -> list[int]:
    """Every page of a list, following `next`."""
    seen, url, query = [], path, dict(params)
    while url:
        response = caller.get(url, query)
        seen += ids(response)
        url, query = response.json()["next"], {}
        assert len(seen) < 1000
    return seen


def test_customers_list_only_the_tickets_they_reported(org, api_for):
    mine = filed(org)
    f.TicketFactory(reporter=org.other_customer, team=org.team)
    assert ids(api_for(org.customer).get(reverse("api:tickets"))) == [mine.pk]
    assert ids(api_for(org.other_customer).get(reverse("api:tickets"))) != [mine.pk]


def test_staff_get_the_queue_with_its_filters(org, api_for):
    ours = filed(org)
    theirs = f.TicketFactory(reporter=org.other_customer, team=org.other_team, title="스위치 장애")
    urgent = filed(org, title="서버실 정전", priority="urgent")
    engineer = api_for(org.engineer)
    assert set(ids(engineer.get(reverse("api:tickets")))) == {ours.pk, urgent.pk}  # the team's, not the other team's
    assert ids(engineer.get(reverse("api:tickets"), {"priority": "urgent"})) == [urgent.pk]
    assert ids(engineer.get(reverse("api:tickets"), {"q": "정전"})) == [urgent.pk]
    assert ids(engineer.get(reverse("api:tickets"), {"q": f"#{ours.pk}"})) == [ours.pk]
    assert ids(engineer.get(reverse("api:tickets"), {"queue": "mine"})) == []
    desk = api_for(org.desk_agent)
    assert theirs.pk in ids(desk.get(reverse("api:tickets")))
    assert ids(desk.get(reverse("api:tickets"), {"team": str(org.other_team.pk)})) == [theirs.pk]
    # Newest first; the other customer sits in the same department.
    assert ids(desk.get(reverse("api:tickets"), {"queue": "unassigned", "department": str(org.customer_dept.pk)})) == [
        urgent.pk, theirs.pk, ours.pk,
    ]
    assert ids(desk.get(reverse("api:tickets"), {"department": str(org.maintenance_dept.pk)})) == []


def test_pages_follow_each_other_without_gaps_or_repeats(org, api_for, frozen):
    made = []
    for i in range(7):
        frozen.shift(timedelta(minutes=1))
        made.append(filed(org, title=f"요청 {i}").pk)
    assert walk(api_for(org.customer), reverse("api:tickets"), {"page_size": "3"}) == list(reversed(made))


def test_the_open_queue_pages_by_deadline_with_undated_work_last(org, api_for, frozen):
    """P3: open work by deadline, then arrival; a ticket with no deadline comes
    after every dated one, and paging keeps that order across pages."""
    frozen.move_to(kst(2026, 3, 10, 10))
    dated = []
    for i in range(4):
        frozen.shift(timedelta(minutes=5))
        dated.append(filed(org, title=f"장애 {i}"))
    undated = [f.TicketFactory(reporter=org.customer, team=org.team, title=f"기한 없음 {i}") for i in range(3)]
    assert all(t.resolve_by is None for t in undated)
    Ticket.objects.filter(pk=dated[0].pk).update(resolve_by=timezone.now() + timedelta(days=9))  # latest deadline
    expected = list(
        Ticket.objects.filter(status__in=[s.value for s in Status if s not in (Status.RESOLVED, Status.CLOSED, Status.CANCELLED)])
        .order_by("resolve_by", "created_at", "pk").values_list("pk", flat=True)
    )
    expected = [pk for pk in expected if pk not in {t.pk for t in undated}] + sorted(
        (t.pk for t in undated), key=lambda pk: (Ticket.objects.get(pk=pk).created_at, pk)
    )
    got = walk(api_for(org.lead), reverse("api:tickets"), {"status": "open", "page_size": "2"})
    assert got == expected
    assert got[-3:] == sorted(got[-3:], key=lambda pk: (Ticket.objects.get(pk=pk).created_at, pk))


def test_filing_as_oneself_takes_name_department_and_channel_from_the_account(org, api_for):
    response = api_for(org.customer).post(
        reverse("api:tickets"),
        {"title": "모니터 깜빡임", "description": "어제부터\n깜빡입니다", "asset": org.asset.pk, "category": org.category.pk,
         "contact_phone": "010 2345 6789"},
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert (ticket.reporter, ticket.reporter_name, ticket.reporter_department) == (
        org.customer, org.customer.display_name, org.customer_dept,
    )
    assert (ticket.channel, ticket.kind, ticket.created_by) == (Channel.WEB, Kind.FAULT, org.customer)
    assert ticket.contact_phone.as_e164 == "+821023456789"
    assert response.json()["timeline"][0]["kind"] == "created"


def test_filing_needs_the_equipment_ones_own_and_a_callable_number(org, api_for):
    caller = api_for(org.customer, language="en")
    someone_elses = f.AssetFactory(owner=org.other_customer)
    body = caller.post(reverse("api:tickets"), {"title": "x", "asset": someone_elses.pk}).json()
    assert body["code"] == "invalid_fields" and "asset" in body["errors"]
    body = caller.post(reverse("api:tickets"), {"title": "x"}).json()
    assert body["code"] == "refused" and body["errors"] == {"asset": ["Choose the equipment, or describe it under 'other'."]}
    body = caller.post(reverse("api:tickets"), {"title": "x", "asset_other": "복합기", "contact_phone": "12"}).json()
    assert body["errors"] == {"contact_phone": ["Enter a phone number we can call, such as 010-1234-5678."]}
    assert not Ticket.objects.exists()


def test_the_desk_files_for_a_caller_and_customers_may_not(org, api_for):
    desk = api_for(org.desk_agent)
    response = desk.post(
        reverse("api:tickets"),
        {"title": "노트북 배터리", "reporter": org.customer.pk, "channel": "phone", "priority": "high",
         "asset": org.asset.pk},
    )
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert (ticket.reporter, ticket.reporter_department, ticket.channel, ticket.priority, ticket.created_by) == (
        org.customer, org.customer_dept, Channel.PHONE, "high", org.desk_agent,
    )
    typed = desk.post(
        reverse("api:tickets"),
        {"title": "방문 문의", "reporter_name": "외부 방문자", "reporter_department": org.customer_dept.pk,
         "channel": "walk_in", "asset_other": "개인 노트북"},
    )
    assert typed.status_code == 201 and Ticket.objects.get(pk=typed.json()["id"]).reporter is None
    refused = api_for(org.engineer, language="en").post(reverse("api:tickets"), {"title": "x", "reporter": org.customer.pk})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reporter": ["Only the desk files tickets for someone else."]}


def test_customers_never_see_internal_notes_staff_do(org, api_for):
    ticket = filed(org)
    services.comment_add(ticket=ticket, author=org.engineer, body="내부 메모: 메인보드 의심", is_public=False)
    services.comment_add(ticket=ticket, author=org.engineer, body="내일 방문하겠습니다")
    customer = api_for(org.customer).get(reverse("api:ticket", args=[ticket.pk])).json()
    staff = api_for(org.engineer).get(reverse("api:ticket", args=[ticket.pk])).json()
    assert [e["comment"] for e in customer["timeline"] if e["comment"]] == ["내일 방문하겠습니다"]
    assert [e["comment"] for e in staff["timeline"] if e["comment"]] == ["내부 메모: 메인보드 의심", "내일 방문하겠습니다"]
    assert [a["action"] for a in customer["actions"]] == ["cancel"]
    assert "cancel_staff" in [a["action"] for a in staff["actions"]]


def test_comments_internal_only_from_staff(org, api_for):
    ticket = filed(org)
    refused = api_for(org.customer, language="en").post(
        reverse("api:ticket_comment", args=[ticket.pk]), {"body": "저만 보이게", "internal": True}
    )
    assert refused.status_code == 400 and refused.json()["errors"] == {"internal": ["Only staff write internal notes."]}
    made = api_for(org.engineer).post(reverse("api:ticket_comment", args=[ticket.pk]), {"body": "확인 중", "internal": True})
    assert made.status_code == 201 and made.json()["is_public"] is False
    assert ticket.comments.get().is_public is False


def test_assigning_someone_away_gives_the_ticket_to_their_backup(org, api_for, frozen):
    ticket = filed(org)
    absence_create(user=org.engineer, backup=org.lead, starts_at=timezone.now() - timedelta(hours=1),
                   ends_at=timezone.now() + timedelta(days=1))
    body = api_for(org.desk_agent).post(reverse("api:ticket_assign", args=[ticket.pk]), {"assignee": org.engineer.pk}).json()
    assert body["assignee"]["id"] == org.lead.pk and body["status"] == "assigned"
    assert [e["kind"] for e in body["timeline"]][-2:] == ["routed_to_backup", "assigned"]


def test_a_lifecycle_move_with_its_note_and_a_priority(org, api_for):
    ticket = filed(org)
    staff = api_for(org.engineer)
    staff.post(reverse("api:ticket_assign", args=[ticket.pk]), {"assignee": org.engineer.pk})
    body = staff.post(reverse("api:ticket_transition", args=[ticket.pk]), {"action": "cancel_staff", "note": "중복 접수"}).json()
    assert body["status"] == "cancelled" and body["timeline"][-1]["note"] == "중복 접수"
    refused = api_for(org.engineer, language="en").post(reverse("api:ticket_priority", args=[ticket.pk]), {"priority": "high"})
    assert refused.json()["errors"] == {"__all__": ["The priority of finished work cannot change."]}


def test_a_ticket_handed_to_a_team_one_does_not_see_answers_204(org, api_for):
    ticket = filed(org)
    response = api_for(org.engineer).post(
        reverse("api:ticket_team_move", args=[ticket.pk]), {"team": org.other_team.pk, "note": "네트워크 문제"}
    )
    assert response.status_code == 204
    assert Ticket.objects.get(pk=ticket.pk).team == org.other_team
    assert api_for(org.engineer).get(reverse("api:ticket", args=[ticket.pk])).status_code == 404


@pytest.mark.parametrize("status", ["resolved", "open"])
def test_the_status_filter_is_the_queues(org, api_for, status):
    ticket = filed(org)
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.RESOLVED)
    other = filed(org, title="다른 장애")
    got = ids(api_for(org.customer).get(reverse("api:tickets"), {"status": status}))
    assert got == ([ticket.pk] if status == "resolved" else [other.pk])
