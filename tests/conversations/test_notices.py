"""The lifecycle notices: who hears what at each step of a ticket's life,
through the real services and the outbox (conversations.notices)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from helpdesk.core.errors import ActionRefused
from tests.helpers.clock import NOW
from tests.helpers.outbox import outbox, outbox_keys
from tests.helpers.ticket_steps import move, open_ticket
from tickets.lifecycle import Status
from tickets.models import TicketEvent
from tickets.services import comment_add, ticket_assign, ticket_team_move

pytestmark = pytest.mark.django_db

LATER = NOW.replace(hour=11)


def keys_like(prefix: str) -> set[str]:
    return {k for k in outbox_keys() if k.startswith(prefix)}


def test_assignment_tells_the_new_handler_and_the_customer_who_and_how_to_reach(org, standard, frozen):
    org.engineer.phone = "010-2345-6789"
    org.engineer.save()
    ticket = open_ticket(org, NOW)
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)

    staff = outbox(key__startswith="tickets:assigned:", recipient=org.engineer)
    assert {n.channel for n in staff} == {"email", "in_app"}
    customer = outbox(key__startswith="tickets:handler:", recipient=org.customer, channel="email").get()
    body = customer.context["body"]
    assert "박준호" in body and org.team.name in body and "010-2345-6789" in body
    assert customer.customer_facing
    # The lead who assigned it is told nothing.
    assert not outbox(recipient=org.lead, key__startswith="tickets:")


def test_assigning_yourself_tells_only_the_customer(org, standard, frozen):
    ticket = open_ticket(org, NOW)
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.engineer)
    assert not keys_like("tickets:assigned:")
    assert keys_like("tickets:handler:")


def test_reassignment_says_the_handler_changed(org, standard, frozen):
    org.customer.language = "en"
    org.customer.save()
    ticket = open_ticket(org, NOW, assign=org.engineer)
    frozen.move_to(LATER)
    ticket_assign(ticket=ticket, assignee=org.lead, actor=org.engineer)
    rows = outbox(key__startswith="tickets:handler:", channel="email").order_by("pk")
    assert rows.count() == 2
    assert "changed" in rows.last().context["subject"]
    assert outbox(key__startswith="tickets:assigned:", recipient=org.lead).exists()


def test_the_customer_reads_the_notice_in_their_own_language(org, standard, frozen):
    org.customer.language = "ko"
    org.customer.save()
    ticket = open_ticket(org, NOW)
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    row = outbox(key__startswith="tickets:handler:", channel="email").get()
    assert row.language == "ko"
    assert "담당" in row.context["subject"]


def test_public_comment_tells_the_customer_and_an_internal_note_tells_nobody(org, standard, frozen):
    ticket = open_ticket(org, NOW, assign=org.engineer)
    comment_add(ticket=ticket, author=org.engineer, body="내부 메모", is_public=False)
    assert not keys_like("tickets:comment-public:")
    public = comment_add(ticket=ticket, author=org.engineer, body="부품을 주문했습니다. " * 40)
    row = outbox(key=f"tickets:comment-public:c{public.pk}:email").get()
    assert row.recipient == org.customer
    # A long comment is cut for the phone; the link has the rest.
    assert row.context["body"].endswith("…") and len(row.context["body"]) < 400
    assert row.context["link"] == reverse("portal:ticket_detail", args=[ticket.pk])


def test_a_customer_comment_tells_the_handler(org, standard, frozen):
    ticket = open_ticket(org, NOW, assign=org.engineer)
    comment = comment_add(ticket=ticket, author=org.customer, body="오늘 오후에는 자리에 없습니다")
    assert outbox_keys(recipient=org.engineer) >= {
        f"tickets:comment-customer:c{comment.pk}:u{org.engineer.pk}:email",
        f"tickets:comment-customer:c{comment.pk}:u{org.engineer.pk}:in_app",
    }
    # Never back to the customer who wrote it.
    assert not outbox(recipient=org.customer, key__startswith="tickets:comment")


def test_a_customer_comment_on_an_unassigned_ticket_tells_the_team_lead(org, standard, frozen):
    ticket = open_ticket(org, NOW)
    comment = comment_add(ticket=ticket, author=org.customer, body="언제 오시나요?")
    assert outbox(key__startswith=f"tickets:comment-customer:c{comment.pk}:", recipient=org.lead).exists()


def test_resolution_tells_the_customer_how_to_reopen_with_the_survey_in_one_message(org, standard, frozen):
    ticket = open_ticket(org, NOW, assign=org.engineer)
    move(ticket, "diagnose", org.engineer, NOW)
    ticket = move(ticket, "resolve", org.engineer, LATER, note="전원 공급 장치를 교체했습니다")
    row = outbox(key__startswith="tickets:resolved:", channel="email").get()
    body = row.context["body"]
    assert "전원 공급 장치를 교체했습니다" in body
    assert "/surveys/" in body  # the survey's link rides in the resolution notice
    # …and the survey's own notice was taken back before anything went out.
    survey_rows = outbox(key__startswith="surveys:sent:")
    assert survey_rows.exists() and set(survey_rows.values_list("state", flat=True)) == {"withdrawn"}


def test_resolution_without_a_survey_still_says_how_to_reopen(org, standard, frozen):
    org.customer.language = "en"
    org.customer.save()
    first = open_ticket(org, NOW, assign=org.engineer)
    move(first, "diagnose", org.engineer, NOW)
    move(first, "resolve", org.engineer, NOW, note="해결")
    # Asked once already: the quiet period keeps the second survey back.
    second = open_ticket(org, NOW, assign=org.engineer)
    move(second, "diagnose", org.engineer, LATER)
    move(second, "resolve", org.engineer, LATER, note="해결")
    row = outbox(key__startswith=f"tickets:resolved:t{second.pk}:", channel="email").get()
    assert "/surveys/" not in row.context["body"] and "reopen" in row.context["body"]


def test_reopened_by_the_customer_tells_the_handler_and_a_staff_cancel_tells_the_customer(org, standard, frozen):
    ticket = open_ticket(org, NOW, assign=org.engineer)
    move(ticket, "diagnose", org.engineer, NOW)
    move(ticket, "resolve", org.engineer, NOW, note="해결")
    move(ticket, "reopen", org.customer, LATER, note="다시 꺼집니다")
    assert outbox(key__startswith="tickets:reopened:", recipient=org.engineer, channel="email").exists()
    assert not outbox(key__startswith="tickets:reopened:", recipient=org.customer)

    other = open_ticket(org, NOW, assign=org.engineer)
    move(other, "cancel_staff", org.engineer, LATER, note="중복 접수")
    row = outbox(key__startswith=f"tickets:cancelled:t{other.pk}:", recipient=org.customer, channel="email").get()
    assert "중복 접수" in row.context["body"]


def test_a_notice_is_written_once_however_often_the_change_is_reported(org, standard, frozen):
    from conversations.notices import commented_tell
    from tickets.hooks import Change, TicketChange

    ticket = open_ticket(org, NOW, assign=org.engineer)
    comment = comment_add(ticket=ticket, author=org.engineer, body="확인했습니다")
    before = outbox().count()
    change = TicketChange(kind=Change.COMMENTED, ticket=ticket, actor=org.engineer, at=NOW, comment=comment, by_staff=True)
    commented_tell(change)
    commented_tell(change)
    assert outbox().count() == before


# --- handing over to another team ---------------------------------------------------


def test_handing_over_clears_the_handler_and_tells_the_new_lead_and_the_customer(org, standard, frozen):
    org.other_team.lead = org.other_engineer
    org.other_team.phone = "052-203-0700"
    org.other_team.save()
    ticket = open_ticket(org, NOW, assign=org.engineer)
    ticket = ticket_team_move(ticket=ticket, team=org.other_team, actor=org.engineer, note="네트워크 장애로 보입니다")

    ticket.refresh_from_db()
    assert ticket.team == org.other_team and ticket.assignee is None and ticket.status == Status.RECEIVED
    event = ticket.events.get(kind=TicketEvent.Kind.TEAM_MOVED)
    assert event.data["note"] == "네트워크 장애로 보입니다" and event.is_public
    assert outbox(key__startswith="tickets:team-moved:", recipient=org.other_engineer, channel="email").exists()
    customer = outbox(key__startswith="tickets:team-moved:", recipient=org.customer, channel="email").get()
    assert org.other_team.name in customer.context["body"] and "052-203-0700" in customer.context["body"]


@pytest.mark.parametrize(
    ("case", "message"),
    [("same", "already with"), ("no_reason", "reason"), ("closed", "cannot be handed over")],
)
def test_handing_over_refuses_what_makes_no_sense(org, standard, frozen, case, message):
    ticket = open_ticket(org, NOW, assign=org.engineer)
    team, note = org.other_team, "사유"
    if case == "same":
        team = org.team
    elif case == "no_reason":
        note = "  "
    else:
        move(ticket, "cancel_staff", org.engineer, NOW, note="취소")
    with pytest.raises(ActionRefused, match=message):
        ticket_team_move(ticket=ticket, team=team, actor=org.engineer, note=note)


def test_the_hand_over_page_keeps_what_was_typed_and_hides_other_peoples_tickets(org, standard, frozen, client_for):
    ticket = open_ticket(org, NOW, assign=org.engineer)
    engineer = client_for(org.engineer)
    url = reverse("staff:ticket_team_move", args=[ticket.pk])
    page = engineer.get(url)
    assert page.status_code == 200 and org.other_team.name in page.content.decode()
    assert org.team.name not in page.content.decode().split("<form")[1]  # not offered its own team

    refused = engineer.post(url, {"team": org.other_team.pk, "note": ""})
    assert refused.status_code == 200
    assert 'name="team"' in refused.content.decode() and ticket.events.filter(kind="team_moved").count() == 0

    moved = engineer.post(url, {"team": org.other_team.pk, "note": "네트워크 장애"})
    # The engineer no longer sees it (another team's, nobody's): back to the queue.
    assert moved.status_code == 302 and moved.url == reverse("staff:queue")
    assert engineer.get(reverse("staff:ticket_detail", args=[ticket.pk])).status_code == 404
    assert client_for(org.customer).get(url).status_code == 404
