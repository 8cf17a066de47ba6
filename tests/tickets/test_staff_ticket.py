"""The staff ticket page and its actions: assign (OV5 backups), status, priority, comments."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helpdesk.accounts.models import Absence
from tests import factories as f
from tickets import services
from tickets.lifecycle import Status
from tickets.models import Channel, Comment, Priority, TicketEvent


def english(client):
    # Assertions read the English msgids whatever the Korean catalogue says.
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def ticket(org):
    return services.ticket_create(
        actor=org.customer,
        reporter=org.customer,
        reporter_name=org.customer.display_name,
        reporter_department=org.customer_dept,
        title="모니터가 안 나와요",
        description="아침부터 화면이 검게 나옵니다.",
        asset=org.asset,
        category=org.category,
        symptom_answers=[{"question_id": 1, "question": "전원 램프가 켜집니까?", "answer": "no"}],
    )


def url(name: str, ticket) -> str:
    return reverse(f"staff:{name}", args=[ticket.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- The page ---------------------------------------------------------------


def test_page_shows_everything_about_the_ticket(org, ticket, client_for):
    director = f.PositionFactory(name="본부장", name_en="Division head", rank=60)
    org.customer.position = director
    org.customer.save()
    ticket.reporter_is_vip = True
    ticket.channel = Channel.PHONE
    ticket.save()
    org.asset.location = "본관 3층 301호"
    org.asset.save()
    services.comment_add(ticket=ticket, author=org.engineer, body="부품 재고 확인 중", is_public=False)
    services.comment_add(
        ticket=ticket, author=org.customer, body="오후에 자리에 있습니다",
        attachments=[SimpleUploadedFile("증상.txt", "화면 안 나옴".encode())],
    )

    response = english(client_for(org.engineer)).get(url("ticket_detail", ticket))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "모니터가 안 나와요", "아침부터 화면이 검게 나옵니다.",
        "김민수", "품질관리부", "Division head", org.customer.phone_display, 'class="vip-flag"',
        "PC-000001", "Desktop PC", "OptiPlex 7010", "본관 3층 301호",
        "No power", "전원 램프가 켜집니까?", '<dd class="col-sm-8">No</dd>',  # stored "no" reads in English
        "Phone",  # channel
        "부품 재고 확인 중", "오후에 자리에 있습니다", "증상.txt",
    ):
        assert text in html, text
    # The internal note is on the page, and marked as internal.
    assert html.count('<li class="internal">') == 1
    assert reverse("attachment_download", args=[ticket.attachments.get().pk]) in html


def test_a_ticket_the_engineer_may_not_see_is_a_404(org, ticket, client_for):
    assert client_for(org.other_engineer).get(url("ticket_detail", ticket)).status_code == 404
    assert client_for(org.customer).get(url("ticket_detail", ticket)).status_code == 404


def test_status_buttons_are_the_lifecycle_moves_from_here(org, ticket, client_for):
    services.ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    html = client_for(org.engineer).get(url("ticket_detail", ticket)).content.decode()
    assert 'value="diagnose"' in html and 'value="cancel_staff"' in html
    assert 'value="resolve"' not in html and 'value="close"' not in html


def test_actions_only_take_post(org, ticket, client_for):
    assert client_for(org.engineer).get(url("ticket_assign", ticket)).status_code == 405


# --- Assign -----------------------------------------------------------------


def test_assign(org, ticket, client_for):
    client = english(client_for(org.desk_agent))
    response = client.post(url("ticket_assign", ticket), {"assignee": org.engineer.pk}, follow=True)
    ticket.refresh_from_db()
    assert ticket.assignee == org.engineer and ticket.status == Status.ASSIGNED
    assert response.redirect_chain[-1][0] == url("ticket_detail", ticket)
    assert f"Assigned to {org.engineer.display_name}." in messages_of(response)


def test_ov5_assigning_to_someone_away_goes_to_the_backup_and_says_so(org, ticket, client_for):
    now = timezone.now()
    Absence.objects.create(
        user=org.engineer, backup=org.lead, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1)
    )
    client = english(client_for(org.desk_agent))
    # The picker already warns the desk before they choose (its options: the ticket's team).
    options = client.get(reverse("staff:people"), {"field": "assignee", "team": ticket.team_id}).content.decode()
    assert f"{org.engineer.display_name} ({org.team.name}) — away; backup {org.lead.display_name}" in options

    response = client.post(url("ticket_assign", ticket), {"assignee": org.engineer.pk}, follow=True)
    ticket.refresh_from_db()
    assert ticket.assignee == org.lead
    expected = f"{org.engineer.display_name} is away; assigned to backup {org.lead.display_name}."
    assert expected in messages_of(response)
    assert expected in response.content.decode()
    assert ticket.events.filter(kind=TicketEvent.Kind.ROUTED_TO_BACKUP).exists()


def test_the_assign_picker_offers_the_tickets_team_and_finds_anyone_else_by_name(org, ticket, client_for):
    ticket.team = org.other_team
    ticket.save(update_fields=["team"])
    client = english(client_for(org.desk_agent))
    page = client.get(url("ticket_detail", ticket)).content.decode()
    select = page[page.index('<select name="assignee"'):]
    select = select[: select.index("</select>")]
    # The page itself lists nobody: the options arrive when the select comes into view.
    assert "<option" not in select and 'hx-trigger="intersect once"' in select
    team_url = f"{reverse('staff:people')}?field=assignee&team={org.other_team.pk}"
    assert team_url.replace("&", "&amp;") in select

    own_team = client.get(reverse("staff:people"), {"field": "assignee", "team": org.other_team.pk}).content.decode()
    assert f'value="{org.other_engineer.pk}"' in own_team and f'value="{org.engineer.pk}"' not in own_team
    # Typing a name finds people of every team, the ticket's team first.
    found = client.get(
        reverse("staff:people"), {"field": "assignee", "team": org.other_team.pk, "person": "준호"}
    ).content.decode()
    assert f'value="{org.engineer.pk}"' in found and f'value="{org.customer.pk}"' not in found
    nobody = client.get(reverse("staff:people"), {"field": "assignee", "person": "없는사람"}).content.decode()
    assert "Nobody of that name works tickets" in nobody


def test_the_picker_keeps_the_chosen_person_and_is_staff_only(org, ticket, client_for):
    client = english(client_for(org.desk_agent))
    kept = client.get(
        reverse("staff:people"), {"field": "assignee", "assignee": org.other_engineer.pk, "person": "준호"}
    ).content.decode()
    assert f'<option value="{org.other_engineer.pk}" selected>' in kept
    assert client_for(org.customer).get(reverse("staff:people"), {"person": "준호"}).status_code == 404


def test_ticket_page_and_picker_queries_do_not_grow_with_the_staff(org, ticket, client_for):
    from helpdesk.accounts.roles import Role

    client = client_for(org.desk_agent)
    client.get(url("ticket_detail", ticket))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("ticket_detail", ticket)).status_code == 200
    with CaptureQueriesContext(connection) as few_options:
        client.get(reverse("staff:people"), {"field": "assignee", "team": org.team.pk})
    f.UserFactory.create_batch(300, team=org.team, department=org.maintenance_dept, roles=[Role.ENGINEER])
    with CaptureQueriesContext(connection) as many:
        page = client.get(url("ticket_detail", ticket))
    with CaptureQueriesContext(connection) as many_options:
        options = client.get(reverse("staff:people"), {"field": "assignee", "team": org.team.pk})
    assert len(many) == len(few)
    assert len(many_options) == len(few_options)
    # At most PICKER_LIMIT people, however big the team.
    assert options.content.decode().count("<option") <= 40
    assert page.content.decode().count("<option") < 60


def test_assign_refusal_is_a_message_not_an_error(org, ticket, client_for):
    services.ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    response = english(client_for(org.lead)).post(url("ticket_assign", ticket), {"assignee": org.engineer.pk})
    assert response.status_code == 200
    assert f"{org.engineer.display_name} already handles this ticket." in response.content.decode()


def test_assign_to_a_customer_is_not_offered(org, ticket, client_for):
    response = client_for(org.lead).post(url("ticket_assign", ticket), {"assignee": org.customer.pk})
    assert response.status_code == 200
    assert response.context["assign_form"].errors["assignee"]
    ticket.refresh_from_db()
    assert ticket.assignee is None


# --- Status -----------------------------------------------------------------


def test_a_disallowed_transition_is_refused_with_a_message(org, ticket, client_for):
    response = english(client_for(org.engineer)).post(url("ticket_transition", ticket), {"action": "close"})
    assert response.status_code == 200
    assert "This ticket is Received; that action is not allowed now." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED


def test_an_unknown_action_is_a_form_error(org, ticket, client_for):
    response = client_for(org.engineer).post(url("ticket_transition", ticket), {"action": "explode"})
    assert response.status_code == 200
    assert response.context["transition_form"].errors["action"]


def test_a_reason_is_required_where_the_lifecycle_says_so(org, ticket, client_for):
    client = english(client_for(org.engineer))
    refused = client.post(url("ticket_transition", ticket), {"action": "cancel_staff", "note": "  "})
    assert refused.status_code == 200
    assert refused.context["transition_form"].errors["note"] == ["Please give a reason."]
    ticket.refresh_from_db()
    assert ticket.status == Status.RECEIVED

    done = client.post(url("ticket_transition", ticket), {"action": "cancel_staff", "note": "중복 접수"}, follow=True)
    ticket.refresh_from_db()
    assert ticket.status == Status.CANCELLED
    assert "Status changed to Cancelled." in messages_of(done)
    assert ticket.events.filter(kind=TicketEvent.Kind.STATUS_CHANGED, data__note="중복 접수").exists()


def test_a_transition_without_reason_needs_none(org, ticket, client_for):
    services.ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    response = client_for(org.engineer).post(url("ticket_transition", ticket), {"action": "diagnose"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == Status.DIAGNOSING


# --- Priority -----------------------------------------------------------------


def test_priority(org, ticket, client_for):
    response = client_for(org.engineer).post(url("ticket_priority", ticket), {"priority": Priority.URGENT})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.priority == Priority.URGENT
    assert ticket.events.filter(kind=TicketEvent.Kind.PRIORITY_CHANGED).count() == 1


def test_priority_of_finished_work_is_refused(org, ticket, client_for):
    services.ticket_transition(ticket=ticket, action="cancel_staff", actor=org.engineer, note="중복")
    response = english(client_for(org.engineer)).post(url("ticket_priority", ticket), {"priority": Priority.HIGH})
    assert response.status_code == 200
    assert "The priority of finished work cannot change." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.priority == Priority.NORMAL


# --- Comments -------------------------------------------------------------------


def test_comments_are_public_by_default(org, ticket, client_for):
    response = client_for(org.engineer).post(url("ticket_comment", ticket), {"body": "내일 오전 방문하겠습니다."})
    assert response.status_code == 302
    comment = Comment.objects.get(ticket=ticket)
    assert comment.is_public
    assert ticket.events.get(comment=comment).is_public


def test_internal_comments_are_stored_non_public(org, ticket, client_for):
    client_for(org.engineer).post(
        url("ticket_comment", ticket),
        {"body": "메인보드 교체 필요할 듯", "internal": "on", "attachments": [SimpleUploadedFile("log.txt", b"POST 0x55")]},
    )
    comment = Comment.objects.get(ticket=ticket)
    assert not comment.is_public
    assert not ticket.events.get(comment=comment).is_public
    attachment = ticket.attachments.get()
    assert not attachment.is_public
    # The customer's portal view of the timeline leaves it out.
    from tickets.selectors import timeline

    assert not timeline(ticket, public_only=True).filter(comment=comment).exists()


def test_refused_comment_keeps_the_typed_text(org, ticket, client_for):
    response = english(client_for(org.engineer)).post(
        url("ticket_comment", ticket),
        {"body": "로그 첨부합니다", "internal": "on", "attachments": [SimpleUploadedFile("virus.exe", b"MZ...")]},
    )
    assert response.status_code == 200
    form = response.context["comment_form"]
    assert "Files of type .exe cannot be attached" in " ".join(form.errors["attachments"])
    html = response.content.decode()
    assert "로그 첨부합니다</textarea>" in html
    assert re.search(r'<input type="checkbox" name="internal"[^>]* checked', html)
    assert not Comment.objects.filter(ticket=ticket).exists()


def test_an_empty_comment_is_refused(org, ticket, client_for):
    response = english(client_for(org.engineer)).post(url("ticket_comment", ticket), {"body": "  "})
    assert response.status_code == 200
    assert "Write a comment or attach a file." in response.content.decode()


# --- Query counts -----------------------------------------------------------------


def test_page_query_count_does_not_grow_with_events(org, ticket, client_for, django_assert_max_num_queries):
    client = client_for(org.engineer)
    page = url("ticket_detail", ticket)
    client.get(page)

    def add(n: int) -> None:
        for i in range(n):
            services.comment_add(
                ticket=ticket, author=org.engineer, body=f"메모 {i}", is_public=bool(i % 2),
                attachments=[SimpleUploadedFile(f"사진{i}.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10)],
            )

    add(3)
    with CaptureQueriesContext(connection) as few:
        client.get(page)
    add(27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page)
    assert len(response.context["events"]) == 1 + 60
    assert len(few.captured_queries) == len(many.captured_queries)
    # session, user, 2 permission reads, teams, ticket, bell, handlers, absences,
    # deadline panel (standard, delay notices), visits panel (visits + 2 staff
    # lists), events, attachments
    # + the desk panel (identity, diagnosis, consent) and the repeat-fault panel
    # + the survey panel and the correction panel (one query each)
    # + the next step on top (charter.today: the facts in one query, the standard's stamp for the time left)
    with django_assert_max_num_queries(25):
        client.get(page)
