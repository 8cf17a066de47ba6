"""Mail in, end to end (issue 14): a customer's Korean mail with an attachment
arrives in the IMAP server (the tests' Dovecot), the poller makes a ticket,
the engineer opens it in the browser and comments publicly, the customer's
notice e-mail carries the signed reply address, and the customer's reply by
mail (quoting the notice) becomes a comment on the same ticket without the
quoted text."""
from __future__ import annotations

import re

import pytest
from django.core import mail as sent_mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from conversations.mail_in.poller import mail_in_poll_once
from conversations.models import InboundMail, MailState
from helpdesk.notifications.models import Notification
from helpdesk.notifications.reply_tokens import reply_token_read, token_in_address
from helpdesk.notifications.services import notification_deliver
from tests.conversations.mail_in.helpers import OUR_ADDRESS, PNG, legacy_korean_mail, reply
from tests.conversations.mail_in.imap_helpers import folder_make
from tests.e2e.helpers import axe_check, log_in
from tickets.models import Channel, Comment, Ticket

pytestmark = pytest.mark.e2e

SUBJECT = "3층 복합기 용지 걸림"
TEXT = "안녕하세요.\n3층 복합기에서 A4 용지가 계속 걸립니다.\n오류 화면 사진을 첨부합니다."
ENGINEER_SAYS = "오늘 오후 2시에 방문하여 롤러를 점검하겠습니다."
CUSTOMER_SAYS = "네, 2시에 자리에 있겠습니다. 감사합니다."


@pytest.fixture
def mailbox(settings):
    folder = folder_make()
    settings.MAIL_IN_ADDRESS = OUR_ADDRESS
    settings.DEFAULT_FROM_EMAIL = f"charterdesk <{OUR_ADDRESS}>"
    settings.MAIL_IN_MAILBOXES = [folder.url]
    settings.MAIL_IN_DONE_FOLDER = ""
    yield folder
    folder.remove()


def test_a_korean_mail_becomes_a_ticket_and_the_reply_by_mail_a_comment(pages, org, morning, mailbox) -> None:
    from standards.selectors import standards_changed
    from standards.services import default_standard_seed

    default_standard_seed()  # a flushed database has lost what the data migration seeded
    standards_changed()
    customer, engineer = org.customer, org.engineer

    # The customer writes from an old Korean mail program: EUC-KR, a photo attached.
    mailbox.append(
        legacy_korean_mail(
            sender=customer.email, subject=SUBJECT, text=TEXT, charset="euc-kr",
            files=[("오류 화면.png", "image/png", PNG)],
        )
    )
    assert mail_in_poll_once() == 1
    ticket = Ticket.objects.get()
    assert ticket.title == SUBJECT and ticket.reporter == customer and ticket.channel == Channel.EMAIL
    assert mailbox.uids("UNSEEN") == []

    # The engineer opens it, sees the photo, and answers the customer.
    desk: Page = pages.open("engineer")
    log_in(desk, engineer.username)
    desk.goto(reverse("staff:ticket_detail", args=[ticket.pk]))
    expect(desk.get_by_role("heading", name=re.compile(SUBJECT))).to_be_visible()
    # On a desktop every section of the ticket page is open (static/js/ticket_page.js).
    expect(desk.locator("#section-files").get_by_role("link", name="오류 화면.png")).to_be_visible()
    axe_check(desk)
    desk.fill("#id_body", ENGINEER_SAYS)
    with desk.expect_navigation():
        desk.locator("#section-comment button[type=submit]").click()
    comment = Comment.objects.get(ticket=ticket)
    assert comment.author == engineer and comment.is_public

    # The customer's notice goes out through the outbox, with the signed reply address.
    notice = Notification.objects.get(key=f"tickets:comment-public:c{comment.pk}:email")
    sent_mail.outbox.clear()
    assert notification_deliver(notification_id=notice.pk)
    (message,) = sent_mail.outbox
    (reply_to,) = message.reply_to
    signed = reply_token_read(token_in_address(reply_to))
    assert (signed.ticket_id, signed.user_id) == (ticket.pk, customer.pk)
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"

    # The customer answers from their mail program, the notice quoted below.
    mailbox.append(
        reply(
            sender=customer.email, to=reply_to, subject=f"Re: {message.subject}", text=CUSTOMER_SAYS,
            quoted=message.body, in_reply_to=message.extra_headers["Message-ID"],
            references=f"{message.extra_headers['References']} {message.extra_headers['Message-ID']}",
        )
    )
    assert mail_in_poll_once() == 1
    answer = Comment.objects.exclude(pk=comment.pk).get()
    assert answer.ticket == ticket and answer.author == customer and answer.body == CUSTOMER_SAYS
    assert InboundMail.objects.filter(state=MailState.COMMENT, ticket=ticket).count() == 1

    # The engineer sees the customer's words on the ticket, and not the quoted notice.
    desk.reload()
    timeline = desk.locator("#section-timeline")
    expect(timeline.get_by_text(CUSTOMER_SAYS)).to_be_visible()
    expect(timeline.get_by_text("님이 작성")).to_have_count(0)
    expect(timeline.get_by_text(ENGINEER_SAYS)).to_have_count(1)  # the engineer's own comment, once
    axe_check(desk)


def test_a_strangers_mail_waits_for_the_desk_which_files_it_from_a_phone(pages, org, morning, mailbox, settings) -> None:
    from standards.selectors import standards_changed
    from standards.services import default_standard_seed

    default_standard_seed()
    standards_changed()
    settings.MAIL_IN_UNKNOWN_SENDER = "desk"
    mailbox.append(
        legacy_korean_mail(
            sender="partner@gmail.com", subject="협력업체 노트북 고장", text="노트북 화면이 켜지지 않습니다.",
            charset="iso-2022-kr", files=[("화면.png", "image/png", PNG)],
        )
    )
    assert mail_in_poll_once() == 1
    waiting = InboundMail.objects.get(state=MailState.WAITING)

    phone: Page = pages.open("desk", phone=True)
    log_in(phone, org.desk_agent.username)
    phone.goto(reverse("conversations:mail_waiting"))
    phone.get_by_role("link", name=re.compile("협력업체 노트북 고장")).click()
    phone.wait_for_url(f"**{reverse('conversations:mail_detail', args=[waiting.pk])}")
    expect(phone.locator("#mail-text")).to_contain_text("노트북 화면이 켜지지 않습니다.")
    expect(phone.locator("#mail-attachments")).to_contain_text("화면.png")
    # Without a department the form is refused in Korean, with what was typed kept.
    phone.fill("#id_reporter_name", "협력업체 김철수")
    with phone.expect_navigation():
        phone.locator("#file-form button[type=submit]").click()
    expect(phone.locator("#file-form .invalid-feedback").first).to_be_visible()
    expect(phone.locator("#id_reporter_name")).to_have_value("협력업체 김철수")
    axe_check(phone)
    phone.select_option("#id_reporter_department", str(org.customer_dept.pk))
    with phone.expect_navigation():
        phone.locator("#file-form button[type=submit]").click()
    ticket = Ticket.objects.get()
    assert ticket.reporter_name == "협력업체 김철수" and [a.original_name for a in ticket.attachments.all()] == ["화면.png"]
    expect(phone.locator(".alert-success")).to_contain_text(ticket.number)
