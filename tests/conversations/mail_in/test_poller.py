"""The poller against a real IMAP server (the tests' Dovecot, .ci/dovecot):
messages delivered with IMAP APPEND, read by conversations.mail_in.poller and
the beat task, flagged or moved only after their record committed."""
from __future__ import annotations

import imaplib

import pytest
from django.utils import timezone

from conversations.mail_in.mailboxes import mailbox_parse
from conversations.mail_in.poller import LEASE, MailboxUnreachable, mail_in_poll_once, mailbox_poll
from conversations.models import InboundMail, MailState
from conversations.tasks import mail_in_poll
from helpdesk.core.beat_lease import lease_claim
from helpdesk.core.models import TaskRun
from tests.conversations.mail_in.helpers import PNG, legacy_korean_mail, mail
from tests.conversations.mail_in.imap_helpers import USER
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

CUSTOMER = "customer@example.co.kr"


def test_unseen_mail_becomes_tickets_and_is_flagged_seen_after_commit(org, standard, imap_folder):
    imap_folder.append(
        legacy_korean_mail(sender=CUSTOMER, subject="모니터 깜빡임", text="화면이 깜빡입니다.", charset="euc-kr"),
        mail(sender=CUSTOMER, subject="프린터", files=[("사진.png", "image/png", PNG)]),
        mail(sender="stranger@gmail.com"),
    )
    assert mail_in_poll_once() == 3
    assert sorted(Ticket.objects.values_list("title", flat=True)) == ["모니터 깜빡임", "프린터"]
    rows = InboundMail.objects.order_by("uid")
    assert [(r.uid, r.state) for r in rows] == [(1, MailState.TICKET), (2, MailState.TICKET), (3, MailState.REFUSED)]
    assert {r.mailbox for r in rows} == {f"{USER}@{imap_folder.host}:{imap_folder.port}/{imap_folder.name}"}
    assert imap_folder.uids("UNSEEN") == [] and imap_folder.uids("SEEN") == [1, 2, 3]
    assert mail_in_poll_once() == 0  # nothing left


def test_a_message_read_again_after_a_lost_flag_is_only_flagged(org, standard, imap_folder):
    imap_folder.append(mail(sender=CUSTOMER))
    mail_in_poll_once()
    imap_folder.unflag(1)  # the poller died after the commit, before the flag
    assert mail_in_poll_once() == 1
    assert Ticket.objects.count() == 1 and InboundMail.objects.count() == 1
    assert imap_folder.uids("UNSEEN") == []


def test_with_a_done_folder_messages_move_there_seen_or_not(org, standard, imap_folder, settings):
    settings.MAIL_IN_DONE_FOLDER = f"{imap_folder.name}-done"
    imap_folder.append(mail(sender=CUSTOMER, subject="하나"), mail(sender=CUSTOMER, subject="둘"))
    conn = imap_folder.connect()
    conn.select(imap_folder.name)
    conn.uid("STORE", "1", "+FLAGS", "(\\Seen)")  # someone opened it in Outlook first
    conn.logout()
    assert mail_in_poll_once() == 2
    assert imap_folder.uids() == []
    assert len(imap_folder.uids(folder=settings.MAIL_IN_DONE_FOLDER)) == 2
    assert Ticket.objects.count() == 2


def test_a_batch_is_bounded_and_the_rest_waits_for_the_next_run(org, standard, imap_folder):
    imap_folder.append(*[mail(sender=CUSTOMER, subject=f"요청 {i}") for i in range(5)])
    assert mail_in_poll_once(batch=2) == 2
    assert imap_folder.uids("UNSEEN") == [3, 4, 5]
    assert mail_in_poll_once(batch=10) == 3
    assert Ticket.objects.count() == 5


def test_a_mailbox_leased_by_another_poller_is_left_alone(org, standard, imap_folder):
    imap_folder.append(mail(sender=CUSTOMER))
    box = mailbox_parse(imap_folder.url)
    assert lease_claim(holder="other-worker", now=timezone.now(), ttl=LEASE, name=box.lease_name)
    result = mailbox_poll(mailbox=box, batch=10, holder="me")
    assert result.leased is False and result.processed == 0
    assert imap_folder.uids("UNSEEN") == [1] and not Ticket.objects.exists()


def test_malformed_and_robot_mail_never_stop_the_poller(org, standard, imap_folder):
    imap_folder.append(
        b"From: <<>>@@\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\n\xc7\xc1",
        mail(sender=CUSTOMER, headers={"Auto-Submitted": "auto-replied"}),
        mail(sender=CUSTOMER, subject="정상 메일"),
    )
    assert mail_in_poll_once() == 3
    assert list(Ticket.objects.values_list("title", flat=True)) == ["정상 메일"]
    states = sorted(InboundMail.objects.values_list("state", flat=True))
    assert states == sorted([MailState.REFUSED, MailState.IGNORED, MailState.TICKET])


def test_an_unreachable_mailbox_fails_the_run_after_the_others_are_read(org, standard, imap_folder, settings):
    imap_folder.append(mail(sender=CUSTOMER))
    settings.MAIL_IN_MAILBOXES = [
        f"imap://{USER}:wrong-password@{imap_folder.host}:{imap_folder.port}/INBOX",
        imap_folder.url,
    ]
    with pytest.raises(MailboxUnreachable) as failed:
        mail_in_poll_once()
    assert "wrong-password" not in str(failed.value)
    assert Ticket.objects.count() == 1


def test_the_beat_task_reads_the_mailboxes_and_records_its_run(org, standard, imap_folder):
    imap_folder.append(mail(sender=CUSTOMER))
    assert mail_in_poll.apply().get() == 1
    run = TaskRun.objects.get(task="conversations.tasks.mail_in_poll")
    assert run.ok and run.result == 1


def test_with_no_mailbox_configured_polling_is_off(settings):
    settings.MAIL_IN_MAILBOXES = []
    assert mail_in_poll_once() == 0


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("imap://desk:p%40ss@mail.hcnc.co.kr/INBOX", (False, "mail.hcnc.co.kr", 143, "desk", "p@ss", "INBOX", False)),
        ("imaps://desk:pw@mail.hcnc.co.kr:993/%EB%B0%9B%EC%9D%80", (True, "mail.hcnc.co.kr", 993, "desk", "pw", "받은", False)),
        ("imaps://eservice%40hcnc.co.kr@outlook.office365.com/INBOX?auth=xoauth2",
         (True, "outlook.office365.com", 993, "eservice@hcnc.co.kr", "", "INBOX", True)),
    ],
)
def test_mailbox_urls_are_read(url, expected):
    box = mailbox_parse(url)
    assert (box.secure, box.host, box.port, box.user, box.password, box.folder, box.xoauth2) == expected
    assert box.password not in box.label or not box.password


@pytest.mark.parametrize("url", ["pop3://a:b@h/INBOX", "imap://h/INBOX", "imap://user@h/INBOX", "imap://u:p@:99999/x"])
def test_a_bad_mailbox_url_fails_loudly_without_its_password(url):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured) as bad:
        mailbox_parse(url)
    assert ":p@" not in str(bad.value) and "a:b" not in str(bad.value)


def test_imaplib_errors_are_what_the_poller_catches():
    # The poller treats every IMAP failure as imaplib.IMAP4.error (abort included).
    assert issubclass(imaplib.IMAP4.abort, imaplib.IMAP4.error)


def test_the_bench_item_reads_and_cleans_up_after_itself(org, standard, monkeypatch):
    """`python -m bench mail_in` (bench/mail_in.py) at a tiny size, against the tests' Dovecot."""
    from bench.mail_in import mail_in_per_min
    from tests.conversations.mail_in.imap_helpers import PASSWORD, imap_required

    host, port = imap_required()
    monkeypatch.setenv("BENCH_MAIL_IMAP", f"imap://{USER}:{PASSWORD}@{host}:{port}")
    result = mail_in_per_min(n=20)
    assert result["processed"] == 20 and result["value"] > 0 and result["queries_per_mail"] > 0
    assert (result["new_tickets"], result["comments"], result["ignored"] + result["refused"]) == (12, 6, 2)
    assert not InboundMail.objects.exists() and not Ticket.objects.exists()  # nothing left behind
