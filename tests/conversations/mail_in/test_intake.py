"""What each mail becomes (conversations.mail_in.intake and services), through
the real ticket services and the outbox: a ticket, a comment, a refusal with
a reply, the desk, or nothing at all, always with its record, exactly once."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import translation
from django.utils.translation import gettext as _

from conversations.mail_in.intake import MAX_ATTEMPTS, inbound_mail_receive, inbound_mail_retry
from conversations.models import InboundMail, MailReason, MailState
from helpdesk.notifications.reply_tokens import reply_address
from tests import factories as f
from tests.conversations.mail_in.helpers import PNG, legacy_korean_mail, mail, message_id, reply
from tests.helpers.clock import NOW
from tests.helpers.outbox import outbox, outbox_keys
from tests.helpers.ticket_steps import move, open_ticket
from tickets.lifecycle import Status
from tickets.models import Channel, Comment, Kind, Ticket

pytestmark = pytest.mark.django_db

CUSTOMER = "customer@example.co.kr"
QUOTED = "요청 #1 안내\n담당자가 배정되었습니다."


def receive(raw: bytes) -> InboundMail:
    return inbound_mail_receive(raw=raw, mailbox="test", uid=1)


def ko(message: str) -> str:
    with translation.override("ko"):
        return _(message)


@pytest.fixture
def work(org, standard, frozen):
    """The customer's ticket, in the engineer's hands."""
    return open_ticket(org, NOW, assign=org.engineer)


# --- a new mail ---------------------------------------------------------------------------


def test_a_new_mail_from_a_customer_becomes_their_ticket_and_they_hear_its_number(org, standard, frozen):
    raw = mail(
        sender=CUSTOMER.upper(), subject="RE: FW: 3층 프린터 용지 걸림", text="3층 복합기에서 용지가 계속 걸립니다.",
        files=[("오류 화면.png", "image/png", PNG), ("setup.exe", "application/octet-stream", b"MZ...")],
    )
    record = receive(raw)
    assert record.state == MailState.TICKET and record.reason == ""
    ticket = record.ticket
    assert ticket.reporter == org.customer and ticket.created_by == org.customer
    assert ticket.reporter_department == org.customer_dept and ticket.reporter_name == "김민수"
    assert ticket.channel == Channel.EMAIL and ticket.kind == Kind.FAULT and ticket.team == org.team
    assert ticket.title == "3층 프린터 용지 걸림" and ticket.description == "3층 복합기에서 용지가 계속 걸립니다."
    assert ticket.asset_other == ko("Not stated in the e-mail")
    assert [a.original_name for a in ticket.attachments.all()] == ["오류 화면.png"]
    assert [(a["name"], bool(a["refused"])) for a in record.attachments] == [("오류 화면.png", False), ("setup.exe", True)]
    assert record.raw.read() == raw
    # The usual acknowledgement, by e-mail and in the app, with what was not attached.
    ack = outbox(key=f"conversations:mail-received:m{record.pk}:email").get()
    assert ack.to_email == CUSTOMER and ack.ticket == ticket and ack.customer_facing
    assert ticket.number in ack.context["subject"] and "setup.exe" in ack.context["body"]
    assert outbox(key=f"conversations:mail-received:m{record.pk}:in_app", recipient=org.customer).exists()


@pytest.mark.parametrize("charset", ["euc-kr", "iso-2022-kr"])
def test_a_legacy_korean_mail_makes_a_readable_ticket(org, standard, frozen, charset):
    raw = legacy_korean_mail(sender=CUSTOMER, subject="모니터 깜빡임", text="화면이 깜빡입니다.", charset=charset)
    ticket = receive(raw).ticket
    assert ticket.title == "모니터 깜빡임" and ticket.description == "화면이 깜빡입니다."


def test_a_mail_without_subject_takes_its_first_line_as_title(org, standard, frozen):
    ticket = receive(mail(sender=CUSTOMER, subject="", text="\n\n노트북 배터리가 부풀었습니다\n사진 첨부")).ticket
    assert ticket.title == "노트북 배터리가 부풀었습니다"


def test_an_unknown_sender_is_told_how_to_reach_us_once_a_day(org, standard, frozen):
    first = receive(mail(sender="stranger@gmail.com"))
    assert first.state == MailState.REFUSED and first.reason == MailReason.UNKNOWN_SENDER and first.ticket is None
    assert not Ticket.objects.exists()
    replies = outbox(to_email="stranger@gmail.com", key__startswith="conversations:unknown-sender:")
    assert replies.count() == 1 and "stranger@gmail.com" in replies.get().context["body"]
    # A robot answering our answer: recorded, not answered again today.
    second = receive(mail(sender="stranger@gmail.com", subject="Re: 요청으로 접수하지 못했습니다"))
    assert second.reason == MailReason.UNKNOWN_SENDER and replies.count() == 1
    frozen.move_to(NOW + timedelta(days=1))
    receive(mail(sender="stranger@gmail.com"))
    assert replies.count() == 2


def test_an_unknown_sender_waits_for_the_desk_when_the_setting_says_so(org, standard, frozen, settings):
    settings.MAIL_IN_UNKNOWN_SENDER = "desk"
    record = receive(mail(sender="stranger@gmail.com"))
    assert record.state == MailState.WAITING and record.reason == MailReason.UNKNOWN_SENDER
    assert not outbox().exists()


def test_an_address_two_users_share_waits_for_the_desk(org, standard, frozen):
    f.UserFactory(username="teammate", email=CUSTOMER, department=org.customer_dept)
    record = receive(mail(sender=CUSTOMER))
    assert record.state == MailState.WAITING and record.reason == MailReason.SEVERAL_USERS
    assert "customer" in record.detail and "teammate" in record.detail
    assert not Ticket.objects.exists() and not outbox().exists()


def test_an_inactive_account_does_not_count_as_the_sender(org, standard, frozen):
    f.UserFactory(username="left", email=CUSTOMER, department=org.customer_dept, is_active=False)
    assert receive(mail(sender=CUSTOMER)).ticket.reporter == org.customer


def test_a_sender_without_a_department_waits_for_the_desk(org, standard, frozen):
    f.UserFactory(username="nodept", email="nodept@example.co.kr", department=None)
    record = receive(mail(sender="nodept@example.co.kr"))
    assert record.state == MailState.WAITING and record.reason == MailReason.NO_DEPARTMENT


# --- robots and loops ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, CUSTOMER, MailReason.AUTO_REPLY),
        ({"X-Autoreply": "yes"}, CUSTOMER, MailReason.AUTO_REPLY),
        ({}, "MAILER-DAEMON@mx.example.co.kr", MailReason.BOUNCE),
        ({"X-Charterdesk-Notice": "generic"}, CUSTOMER, MailReason.LOOP),
        ({}, "eservice@hcnc.co.kr", MailReason.OWN_ADDRESS),
    ],
)
def test_robots_and_our_own_mail_are_recorded_and_never_answered(org, standard, frozen, headers, sender, reason):
    record = receive(mail(sender=sender, headers=headers))
    assert record.state == MailState.IGNORED and record.reason == reason
    assert not Ticket.objects.exists() and not outbox().exists()


def test_an_automatic_reply_to_a_notice_is_not_a_comment(org, work):
    raw = reply(
        sender=CUSTOMER, to=reply_address(ticket_id=work.pk, user_id=org.customer.pk), text="부재중입니다",
    ).replace(b"Subject:", b"Auto-Submitted: auto-replied\r\nSubject:", 1)
    assert receive(raw).state == MailState.IGNORED
    assert not Comment.objects.exists()


# --- replies ------------------------------------------------------------------------------


def test_a_reply_to_the_signed_address_is_the_customers_public_comment_without_the_quote(org, work):
    to = reply_address(ticket_id=work.pk, user_id=org.customer.pk)
    raw = reply(
        sender=CUSTOMER, to=to, text="오후 2시 이후에 방문해 주세요.", quoted=QUOTED,
        files=[("사진.png", "image/png", PNG)],
    )
    record = receive(raw)
    assert record.state == MailState.COMMENT and record.ticket == work and record.to_address == to
    comment = Comment.objects.get(pk=record.comment_id)
    assert comment.author == org.customer and comment.is_public and comment.body == "오후 2시 이후에 방문해 주세요."
    assert [a.original_name for a in work.attachments.all()] == ["사진.png"]
    # The handler hears of the customer's comment (the lifecycle notices), nobody is told twice.
    assert outbox_keys(recipient=org.engineer) >= {f"tickets:comment-customer:c{comment.pk}:u{org.engineer.pk}:email"}
    assert receive(raw).pk == record.pk and Comment.objects.count() == 1


def test_a_staff_reply_by_mail_is_public_and_reaches_the_customer(org, work):
    to = reply_address(ticket_id=work.pk, user_id=org.engineer.pk)
    record = receive(reply(sender="engineer@example.co.kr", to=to, text="내일 오전에 방문하겠습니다.", quoted=QUOTED))
    comment = Comment.objects.get(pk=record.comment_id)
    assert comment.author == org.engineer and comment.is_public
    assert outbox(key=f"tickets:comment-public:c{comment.pk}:email", recipient=org.customer).exists()


def test_a_reply_with_refused_files_is_added_and_the_sender_told_which(org, work):
    to = reply_address(ticket_id=work.pk, user_id=org.customer.pk)
    big = b"a" * 200
    record = receive(reply(sender=CUSTOMER, to=to, text="로그 첨부합니다", files=[("로그.txt", "text/plain", b"\x00" + big)]))
    assert record.state == MailState.COMMENT and record.refused_attachments[0]["name"] == "로그.txt"
    told = outbox(key=f"conversations:mail-attachments:m{record.pk}:email").get()
    assert "로그.txt" in told.context["body"]


def test_a_forged_token_is_refused_and_the_sender_told(org, work):
    real = reply_address(ticket_id=work.pk, user_id=org.customer.pk)
    forged = real.replace(f"+{work.pk}-", f"+{work.pk + 1}-")
    record = receive(reply(sender=CUSTOMER, to=forged, text="다른 요청에 끼어들기"))
    assert record.state == MailState.REFUSED and record.reason == MailReason.BAD_TOKEN and record.comment_id is None
    assert record.detail == forged
    assert not Comment.objects.exists()
    assert outbox(key=f"conversations:mail-bad-token:m{record.pk}:email", to_email=CUSTOMER).exists()


def test_someone_else_answering_with_the_customers_address_waits_for_the_desk(org, work):
    to = reply_address(ticket_id=work.pk, user_id=org.customer.pk)
    record = receive(reply(sender="other@example.co.kr", to=to, text="전달받은 메일에 답장"))
    assert record.state == MailState.WAITING and record.reason == MailReason.OTHER_SENDER
    assert not Comment.objects.exists()


def test_a_reply_to_finished_work_is_refused_with_how_to_reopen(org, work):
    move(work, "diagnose", org.engineer, NOW)
    work.status = Status.CLOSED
    work.save(update_fields=["status"])
    to = reply_address(ticket_id=work.pk, user_id=org.customer.pk)
    record = receive(reply(sender=CUSTOMER, to=to, text="또 고장났어요"))
    assert record.state == MailState.REFUSED and record.reason == MailReason.COMMENT_REFUSED
    assert record.ticket == work and not Comment.objects.exists()
    told = outbox(key=f"conversations:mail-finished:m{record.pk}:email").get()
    assert work.number in told.context["subject"] and told.ticket == work


def test_a_reply_threaded_by_references_is_a_comment_of_the_one_sender_who_may(org, work):
    raw = reply(sender=CUSTOMER, to="eservice@hcnc.co.kr", text="확인했습니다", quoted=QUOTED,
                in_reply_to="<abc@hcnc.co.kr>", references=f"<ticket-{work.pk}@hcnc.co.kr> <abc@hcnc.co.kr>")
    record = receive(raw)
    assert record.state == MailState.COMMENT and Comment.objects.get().body == "확인했습니다"
    # A colleague in copy, who has nothing to do with the ticket: the desk decides.
    stranger = receive(reply(sender="other@example.co.kr", to="eservice@hcnc.co.kr", text="저도요",
                             references=f"<ticket-{work.pk}@hcnc.co.kr>"))
    assert stranger.state == MailState.WAITING and stranger.reason == MailReason.NOT_ALLOWED


def test_a_customer_answering_their_own_first_mail_adds_to_its_ticket(org, standard, frozen):
    first_id = message_id()
    ticket = receive(mail(sender=CUSTOMER, msgid=first_id)).ticket
    record = receive(reply(sender=CUSTOMER, to="eservice@hcnc.co.kr", text="사진을 추가로 보냅니다", in_reply_to=first_id))
    assert record.state == MailState.COMMENT and record.ticket == ticket and Ticket.objects.count() == 1


# --- too large, failures, exactly once ------------------------------------------------------


def test_an_oversized_mail_is_kept_whole_and_the_sender_told_the_limit(org, standard, frozen, settings):
    settings.MAIL_IN_MAX_BYTES = 2000
    raw = mail(sender=CUSTOMER, files=[("사진.png", "image/png", PNG + b"\x00" * 3000)])
    record = receive(raw)
    assert record.state == MailState.REFUSED and record.reason == MailReason.TOO_LARGE
    assert record.raw.read() == raw and record.size == len(raw) and record.subject == "3층 프린터 용지 걸림"
    assert not Ticket.objects.exists()
    told = outbox(key=f"conversations:mail-too-large:m{record.pk}:email", recipient=org.customer).get()
    assert "2.0" in told.context["body"] or "2,000" in told.context["body"] or "KB" in told.context["body"]


def test_the_same_message_processed_twice_makes_one_ticket_and_one_acknowledgement(org, standard, frozen):
    """The poller killed between the commit and the IMAP flag reads the message again."""
    raw = mail(sender=CUSTOMER)
    first, second = receive(raw), receive(raw)
    assert first.pk == second.pk and Ticket.objects.count() == 1 and InboundMail.objects.count() == 1
    assert outbox(key__startswith="conversations:mail-received:").count() == 2  # e-mail and in-app, once


def test_the_same_message_without_a_message_id_is_still_once(org, standard, frozen):
    raw = mail(sender=CUSTOMER, msgid=None)
    assert receive(raw).pk == receive(raw).pk and Ticket.objects.count() == 1


class AttachmentsDiskFull(FileSystemStorage):
    """The attachments' volume full (the raw mail's folder still writes)."""

    def _save(self, name, content):
        if name.startswith("attachments/"):
            raise OSError(28, "No space left on device")
        return super()._save(name, content)


def test_a_mail_that_fails_is_recorded_with_its_error_and_done_on_a_later_try(org, standard, frozen, settings):
    storages = settings.STORAGES
    settings.STORAGES = {**storages, "default": {"BACKEND": f"{__name__}.AttachmentsDiskFull"}}
    raw = mail(sender=CUSTOMER, files=[("사진.png", "image/png", PNG)])
    failed = receive(raw)
    assert failed.state == MailState.FAILED and failed.reason == MailReason.ERROR
    assert "No space left on device" in failed.detail and failed.attempts == 1
    assert failed.raw.read() == raw
    assert not Ticket.objects.exists() and not outbox().exists()  # the ticket rolled back with its notices
    settings.STORAGES = storages
    done = receive(raw)
    assert done.pk == failed.pk and done.state == MailState.TICKET and done.attempts == 2
    assert Ticket.objects.count() == 1


def test_a_mail_that_keeps_failing_stops_being_retried_until_an_admin_asks(org, standard, frozen, settings):
    storages = settings.STORAGES
    settings.STORAGES = {**storages, "default": {"BACKEND": f"{__name__}.AttachmentsDiskFull"}}
    raw = mail(sender=CUSTOMER, files=[("사진.png", "image/png", PNG)])
    for _attempt in range(MAX_ATTEMPTS + 2):
        record = receive(raw)
    assert record.state == MailState.FAILED and record.attempts == MAX_ATTEMPTS
    settings.STORAGES = storages
    assert inbound_mail_retry(mail=record).state == MailState.TICKET
