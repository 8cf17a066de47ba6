"""Robots and our own mail are recognised and never become tickets (conversations.mail_in.classifying)."""
from __future__ import annotations

import pytest

from conversations.mail_in.classifying import mail_classify
from conversations.mail_in.parsing import mail_parse
from conversations.models import MailReason
from tests.conversations.mail_in.helpers import mail


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, MailReason.AUTO_REPLY),
        ({"Auto-Submitted": "auto-generated; owner-email=x@y.z"}, MailReason.AUTO_REPLY),
        ({"Precedence": "bulk"}, MailReason.AUTO_REPLY),
        ({"Precedence": "junk"}, MailReason.AUTO_REPLY),
        ({"Precedence": "list"}, MailReason.AUTO_REPLY),
        ({"Precedence": "auto_reply"}, MailReason.AUTO_REPLY),
        ({"X-Autoreply": "yes"}, MailReason.AUTO_REPLY),
        ({"X-Autorespond": "부재중입니다"}, MailReason.AUTO_REPLY),
        ({"Return-Path": "<>"}, MailReason.BOUNCE),
        ({"X-Charterdesk-Notice": "generic"}, MailReason.LOOP),
    ],
)
def test_robots_are_recognised_by_their_headers(headers, reason):
    assert mail_classify(mail_parse(mail(headers=headers))) == reason


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.example.co.kr", "postmaster@example.co.kr"])
def test_bounces_are_recognised_by_their_sender(sender):
    assert mail_classify(mail_parse(mail(sender=sender, name=""))) == MailReason.BOUNCE


def test_a_delivery_report_is_a_bounce():
    raw = (
        b'From: a@example.co.kr\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n--b--\r\n"
    )
    assert mail_classify(mail_parse(raw)) == MailReason.BOUNCE


@pytest.mark.parametrize("sender", ["eservice@hcnc.co.kr", "ESERVICE+12-3-abc@HCNC.co.kr", "noreply@hcnc.co.kr"])
def test_mail_from_our_own_addresses_is_a_loop(settings, sender):
    settings.MAIL_IN_OWN_ADDRESSES = ["noreply@hcnc.co.kr"]
    assert mail_classify(mail_parse(mail(sender=sender))) == MailReason.OWN_ADDRESS


def test_a_person_writing_is_not_a_robot():
    assert mail_classify(mail_parse(mail(headers={"Auto-Submitted": "no", "Precedence": "normal"}))) is None
    assert mail_classify(mail_parse(mail())) is None
