"""The desk's "Mail waiting for the desk" (conversations.views.mail_pages):
who sees it, what it shows, its two actions, bad input, and its query budget."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from conversations.mail_in.intake import inbound_mail_receive
from conversations.models import InboundMail, MailReason, MailState
from tests import factories as f
from tests.conversations.mail_in.helpers import PNG, mail
from tests.helpers.outbox import outbox
from tickets.models import Channel, Ticket

pytestmark = pytest.mark.django_db

LIST = reverse("conversations:mail_waiting")
SHARED = "team-mailbox@example.co.kr"


def waiting(n: int = 0, **kwargs) -> InboundMail:
    raw = mail(
        sender=kwargs.pop("sender", "stranger@gmail.com"), name="외부 고객", subject=kwargs.pop("subject", f"노트북 수리 문의 {n}"),
        text="노트북 화면이 켜지지 않습니다.\n연락 부탁드립니다.",
        files=[("화면.png", "image/png", PNG), ("run.exe", "application/octet-stream", b"MZ")], **kwargs,
    )
    return inbound_mail_receive(raw=raw, mailbox="test", uid=n)


@pytest.fixture
def desk_mode(settings, org, standard, frozen):
    settings.MAIL_IN_UNKNOWN_SENDER = "desk"


@pytest.mark.parametrize("who", ["customer", "engineer", "approver", "auditor"])
def test_people_who_do_not_handle_mail_get_a_404_everywhere(desk_mode, who, request, client_for):
    mail_row = waiting()
    client = client_for(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 404
    assert client.get(reverse("conversations:mail_detail", args=[mail_row.pk])).status_code == 404
    for action in ("mail_file_ticket", "mail_set_aside"):
        assert client.post(reverse(f"conversations:{action}", args=[mail_row.pk]), {"reason": "x"}).status_code == 404
    mail_row.refresh_from_db()
    assert mail_row.state == MailState.WAITING


def test_signed_out_people_are_sent_to_sign_in(desk_mode, client):
    assert client.get(LIST).status_code == 302


@pytest.mark.parametrize("who", ["desk_agent", "lead", "section_chief", "admin_user"])
def test_the_desk_leads_and_admins_see_the_waiting_mail(desk_mode, who, request, client_for):
    mail_row = waiting()
    page = client_for(request.getfixturevalue(who)).get(LIST).content.decode()
    assert "노트북 수리 문의 0" in page and "stranger@gmail.com" in page
    assert reverse("conversations:mail_detail", args=[mail_row.pk]) in page


def test_the_list_shows_only_what_waits_newest_first_24_a_page(desk_mode, org, frozen, client_for):
    for n in range(26):
        frozen.shift(timedelta(minutes=1))
        waiting(n)
    InboundMail.objects.filter(subject="노트북 수리 문의 25").update(state=MailState.SET_ASIDE)
    page = client_for(org.desk_agent).get(LIST)
    mails = list(page.context["page_obj"])
    assert [m.subject for m in mails] == [f"노트북 수리 문의 {n}" for n in range(24, 0, -1)]
    assert len(list(client_for(org.desk_agent).get(LIST + "?page=2").context["page_obj"])) == 1


def test_the_list_costs_the_same_queries_for_3_and_24_mails(desk_mode, org, client_for, django_assert_max_num_queries):
    client = client_for(org.desk_agent)
    for n in range(3):
        waiting(n)
    client.get(LIST)
    with django_assert_max_num_queries(9):
        client.get(LIST)
    for n in range(3, 24):
        waiting(n)
    with django_assert_max_num_queries(9):
        assert len(client.get(LIST).context["page_obj"]) == 24


def test_the_page_of_a_mail_shows_its_sender_text_files_and_reason_in_korean(desk_mode, org, client_for):
    mail_row = waiting()
    page = client_for(org.desk_agent).get(reverse("conversations:mail_detail", args=[mail_row.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "외부 고객" in html and "노트북 화면이 켜지지 않습니다." in html
    assert "화면.png" in html and "run.exe" in html
    assert 'lang="ko"' in html
    assert page.context["file_form"].initial["title"] == "노트북 수리 문의 0"
    assert page.context["file_form"].initial["reporter_name"] == "외부 고객"


def test_filing_a_ticket_from_a_mail_takes_its_text_and_files_and_tells_the_sender(desk_mode, org, client_for):
    mail_row = waiting()
    response = client_for(org.desk_agent).post(
        reverse("conversations:mail_file_ticket", args=[mail_row.pk]),
        {"reporter_department": org.customer_dept.pk, "reporter_name": "외부 고객", "title": "노트북 화면 불량"},
    )
    assert response.status_code == 302 and response["Location"] == LIST
    ticket = Ticket.objects.get()
    assert ticket.title == "노트북 화면 불량" and ticket.channel == Channel.EMAIL and ticket.reporter is None
    assert ticket.reporter_department == org.customer_dept and ticket.created_by == org.desk_agent
    assert ticket.description == "노트북 화면이 켜지지 않습니다.\n연락 부탁드립니다."
    assert [a.original_name for a in ticket.attachments.all()] == ["화면.png"]
    mail_row.refresh_from_db()
    assert mail_row.state == MailState.TICKET and mail_row.ticket == ticket and mail_row.handled_by == org.desk_agent
    assert outbox(key=f"conversations:mail-received:m{mail_row.pk}:email", to_email="stranger@gmail.com").exists()


def test_an_address_two_accounts_share_lets_the_desk_pick_the_reporter(org, standard, frozen, client_for):
    org.customer.email = SHARED
    org.customer.save()
    f.UserFactory(username="colleague", email=SHARED, department=org.customer_dept)
    mail_row = inbound_mail_receive(raw=mail(sender=SHARED))
    assert mail_row.reason == MailReason.SEVERAL_USERS
    client = client_for(org.lead)
    page = client.get(reverse("conversations:mail_detail", args=[mail_row.pk]))
    assert set(page.context["file_form"].fields["reporter"].queryset) == set(page.context["accounts"])
    client.post(
        reverse("conversations:mail_file_ticket", args=[mail_row.pk]),
        {"reporter": org.customer.pk, "reporter_department": org.customer_dept.pk, "reporter_name": "김민수",
         "title": "프린터"},
    )
    assert Ticket.objects.get().reporter == org.customer


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"reporter_name": "외부 고객", "title": "x"}, "reporter_department"),
        ({"reporter_department": "999999", "reporter_name": "외부 고객", "title": "x"}, "reporter_department"),
        ({"reporter_department": "abc", "reporter_name": "외부 고객", "title": "x"}, "reporter_department"),
        ({"reporter_department": "{dept}", "reporter_name": "", "title": "x"}, "reporter_name"),
        ({"reporter_department": "{dept}", "reporter_name": "x", "title": "t" * 201}, "title"),
        ({"reporter_department": "{dept}", "reporter_name": "x", "title": "  "}, "title"),
        ({"reporter": "{someone}", "reporter_department": "{dept}", "reporter_name": "x", "title": "x"}, "reporter"),
    ],
)
def test_bad_form_input_is_refused_in_korean_and_the_mail_still_waits(desk_mode, org, client_for, data, field):
    mail_row = waiting()
    data = {k: v.format(dept=org.customer_dept.pk, someone=org.engineer.pk) for k, v in data.items()}
    response = client_for(org.desk_agent).post(reverse("conversations:mail_file_ticket", args=[mail_row.pk]), data)
    assert response.status_code == 400
    form = response.context["file_form"]
    assert form.errors[field] and form.data.get("reporter_name") == data.get("reporter_name")
    with translation.override("ko"):
        korean = [str(error) for error in form.errors[field]]
    html = response.content.decode()
    assert all(any("\uac00" <= ch <= "\ud7a3" for ch in message) and message in html for message in korean)
    mail_row.refresh_from_db()
    assert mail_row.state == MailState.WAITING and not Ticket.objects.exists()


def test_setting_a_mail_aside_needs_a_reason_and_keeps_it(desk_mode, org, client_for):
    mail_row = waiting()
    url = reverse("conversations:mail_set_aside", args=[mail_row.pk])
    client = client_for(org.desk_agent)
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400 and refused.context["aside_form"].errors["reason"]
    assert client.post(url, {"reason": "광고 메일"}).status_code == 302
    mail_row.refresh_from_db()
    assert mail_row.state == MailState.SET_ASIDE and mail_row.reason == MailReason.SET_ASIDE
    assert "광고 메일" in mail_row.detail and mail_row.handled_by == org.desk_agent


def test_a_mail_handled_meanwhile_says_so_instead_of_making_a_second_ticket(desk_mode, org, client_for):
    mail_row = waiting()
    url = reverse("conversations:mail_file_ticket", args=[mail_row.pk])
    data = {"reporter_department": org.customer_dept.pk, "reporter_name": "외부 고객", "title": "노트북"}
    client_for(org.desk_agent).post(url, data)
    second = client_for(org.lead).post(url, data)
    assert second.status_code == 400
    with translation.override("ko"):
        assert _("This mail has already been handled.") in second.content.decode()
    assert Ticket.objects.count() == 1
