"""Admins read every mail that came in, with its raw message; nothing is typed by hand."""
from __future__ import annotations

import pytest
from django.urls import reverse

from conversations.mail_in.intake import inbound_mail_receive
from conversations.models import MailState
from tests.conversations.mail_in.helpers import mail

pytestmark = pytest.mark.django_db


def test_the_admin_lists_filters_and_hands_out_the_raw_message(org, standard, frozen, client_for):
    raw = mail(sender="customer@example.co.kr", subject="프린터 고장")
    row = inbound_mail_receive(raw=raw)
    client = client_for(org.admin)
    listing = client.get(reverse("admin:conversations_inboundmail_changelist") + "?state__exact=ticket")
    assert listing.status_code == 200 and "프린터 고장" in listing.content.decode()
    for query in ("?reason__exact=bad_token", "?mailbox=test", "?q=customer%40example.co.kr", "?received_at__year=2026"):
        assert client.get(reverse("admin:conversations_inboundmail_changelist") + query).status_code == 200
    page = client.get(reverse("admin:conversations_inboundmail_change", args=[row.pk]))
    assert page.status_code == 200 and reverse("admin:conversations_inboundmail_raw", args=[row.pk]) in page.content.decode()
    download = client.get(reverse("admin:conversations_inboundmail_raw", args=[row.pk]))
    assert download["Content-Type"] == "message/rfc822" and b"".join(download.streaming_content) == raw
    assert client.get(reverse("admin:conversations_inboundmail_add")).status_code == 403
    # Nothing can be changed by hand: a post to the change page changes nothing.
    client.post(reverse("admin:conversations_inboundmail_change", args=[row.pk]), {"state": "ignored"})
    row.refresh_from_db()
    assert row.state == MailState.TICKET


def test_someone_without_admin_access_gets_no_raw_message(org, standard, frozen, client_for):
    row = inbound_mail_receive(raw=mail(sender="customer@example.co.kr"))
    response = client_for(org.desk_agent).get(reverse("admin:conversations_inboundmail_raw", args=[row.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
