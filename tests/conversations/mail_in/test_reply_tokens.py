"""Signed reply addresses (helpdesk.notifications.reply_tokens) and the headers
every outgoing notice carries (helpdesk.notifications.emails)."""
from __future__ import annotations

import re

import pytest
from django.utils import translation

from helpdesk.notifications.emails import email_build
from helpdesk.notifications.reply_tokens import (
    reply_address,
    reply_token_make,
    reply_token_read,
    ticket_in_reference,
    token_in_address,
)


def test_a_token_names_the_ticket_and_the_person_and_reads_back():
    token = reply_token_make(ticket_id=12345, user_id=678)
    assert re.fullmatch(r"12345-678-[a-z2-7]{12}", token)
    found = reply_token_read(token)
    assert (found.ticket_id, found.user_id) == (12345, 678)
    assert reply_token_read(token.upper()) == found  # a mail system may change the case


def test_a_forged_or_altered_token_reads_as_nothing():
    token = reply_token_make(ticket_id=12, user_id=3)
    signature = token.rsplit("-", 1)[1]
    assert reply_token_read(f"13-3-{signature}") is None  # another ticket
    assert reply_token_read(f"12-4-{signature}") is None  # another person
    flipped = ("b" if signature[0] == "a" else "a") + signature[1:]
    assert reply_token_read(f"12-3-{flipped}") is None
    for junk in ("", "12-3", "12-3-", "urgent", "12-3-" + "a" * 40, "-1-3-" + signature):
        assert reply_token_read(junk) is None


def test_a_token_from_another_secret_does_not_read_but_a_rotated_one_does(settings):
    token = reply_token_make(ticket_id=12, user_id=3)
    settings.SECRET_KEY = "another-installation"
    assert reply_token_read(token) is None
    settings.SECRET_KEY_FALLBACKS = ["django-insecure-dev-only-key-change-me"]
    assert reply_token_read(token) is not None


def test_the_reply_address_is_ours_with_the_token_and_fits_a_local_part(settings):
    address = reply_address(ticket_id=987654321, user_id=123456)
    local, domain = address.split("@")
    assert domain == "hcnc.co.kr" and local.startswith("eservice+") and len(local) <= 64
    assert token_in_address(address.upper()) == local.partition("+")[2]
    assert token_in_address("eservice@hcnc.co.kr") == ""
    assert token_in_address("someone@hcnc.co.kr") is None and token_in_address("eservice@other.kr") is None
    settings.MAIL_IN_ADDRESS = "a-very-long-published-address-of-the-it-service-desk-team@hcnc.co.kr"
    assert reply_address(ticket_id=1, user_id=1) is None  # over 64 characters: no token rather than a broken one
    settings.MAIL_IN_ADDRESS = ""
    assert reply_address(ticket_id=1, user_id=1) is None


def test_a_reference_names_a_ticket_only_at_our_domain():
    assert ticket_in_reference("<ticket-42@hcnc.co.kr>") == 42
    assert ticket_in_reference("<ticket-42@elsewhere.kr>") is None
    assert ticket_in_reference("<abc@hcnc.co.kr>") is None


def _notice(ctx, **kwargs):
    with translation.override("ko"):
        return email_build(template="generic", ctx={"subject": "제목", "body": "본문", **ctx}, to="a@example.co.kr", **kwargs)


def test_a_notice_about_a_ticket_threads_and_says_it_is_automatic():
    message = _notice({"ticket_id": 42}, key="tickets:comment-public:c7:email", recipient_id=5)
    headers = message.extra_headers
    assert headers["Auto-Submitted"] == "auto-generated" and headers["X-Charterdesk-Notice"] == "generic"
    assert headers["References"] == "<ticket-42@hcnc.co.kr>"
    assert headers["Message-ID"].endswith("@hcnc.co.kr>")
    (reply_to,) = message.reply_to
    token = token_in_address(reply_to)
    found = reply_token_read(token)
    assert (found.ticket_id, found.user_id) == (42, 5)
    # The marker's words are the catalogue's; its "##- … -##" shape is what trimming reads.
    assert re.search(r"^##- .+ -##$", message.body, re.MULTILINE)
    assert re.search(r"##- .+ -##", message.alternatives[0][0])


@pytest.mark.django_db
def test_the_recipient_is_found_by_the_outbox_key_when_not_given(org):
    from helpdesk.notifications.models import Notification

    Notification.objects.create(
        key="k:email", channel="email", template="generic", recipient=org.customer, to_email="a@example.co.kr",
    )
    message = _notice({"ticket_id": 42}, key="k:email")
    assert reply_token_read(token_in_address(message.reply_to[0])).user_id == org.customer.pk


def test_a_notice_not_about_a_ticket_or_with_mail_in_off_does_not_thread(settings):
    plain = _notice({}, key="x:email", recipient_id=5)
    assert "References" not in plain.extra_headers and not plain.reply_to and "##-" not in plain.body
    assert plain.extra_headers["Auto-Submitted"] == "auto-generated"
    settings.MAIL_IN_ADDRESS = ""
    off = _notice({"ticket_id": 42}, key="x:email", recipient_id=5)
    assert "References" not in off.extra_headers and not off.reply_to


def test_an_address_typed_at_the_desk_threads_by_references_without_a_token():
    message = _notice({"ticket_id": 42}, recipient_id=None)
    assert message.extra_headers["References"] == "<ticket-42@hcnc.co.kr>" and not message.reply_to
