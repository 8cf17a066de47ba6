"""The outbox's two doors: staff hear by e-mail and in the app at any hour, one
set of rows each, in their own language; customers hear by e-mail, SMS and in
the app, on the number given on the ticket, and their SMS waits out the night."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils.translation import gettext as _

from helpdesk.notifications.doors import (
    CUSTOMER_CHANNELS,
    STAFF_CHANNELS,
    tell_customer,
    tell_staff,
    tell_staff_many,
)
from helpdesk.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_hours_from_settings")]

SEOUL = ZoneInfo("Asia/Seoul")
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=SEOUL)
NIGHT = datetime(2026, 12, 1, 23, 0, tzinfo=SEOUL)
MORNING = datetime(2026, 12, 2, 8, 0, tzinfo=SEOUL)




def rows(key: str):
    return Notification.objects.filter(key__startswith=key).order_by("pk")


def test_staff_hear_by_e_mail_and_in_the_app_each_under_their_own_key(org, ticket):
    tell_staff(
        key="test:staff", recipients=[org.engineer, org.lead], template="generic",
        context={"subject": "s", "body": "b"}, ticket=ticket, link="/staff/tickets/1/",
    )
    assert STAFF_CHANNELS == ("email", "in_app")
    assert set(rows("test:staff").values_list("key", "recipient_id")) == {
        (f"test:staff:u{p.pk}:{c}", p.pk) for p in (org.engineer, org.lead) for c in STAFF_CHANNELS
    }
    assert all(r.ticket_id == ticket.pk and not r.customer_facing for r in rows("test:staff"))
    assert all(r.context["link"] == "/staff/tickets/1/" for r in rows("test:staff"))


def test_nobody_and_the_same_person_twice_are_told_once(org):
    tell_staff(key="test:once", recipients=[None, org.lead, org.lead], template="generic", context={"subject": "s"})
    assert rows("test:once").count() == 2
    # Telling again (a sweep run twice) writes nothing new.
    tell_staff(key="test:once", recipients=[org.lead], template="generic", context={"subject": "other"})
    assert rows("test:once").count() == 2 and rows("test:once").first().context["subject"] == "s"


def test_each_member_of_staff_reads_a_composed_notice_in_their_own_language(org):
    org.lead.language = "en"
    org.lead.save()
    tell_staff(
        key="test:lang", recipients=[org.engineer, org.lead], template="generic",
        context=lambda: {"subject": _("Checked in on time.")},
    )
    by_person = {r.recipient_id: r for r in rows("test:lang").filter(channel="in_app")}
    assert by_person[org.lead.pk].language == "en"
    assert by_person[org.lead.pk].context["subject"] == "Checked in on time."
    assert by_person[org.engineer.pk].language == "ko"
    assert by_person[org.engineer.pk].context["subject"] != "Checked in on time."


def test_staff_are_told_at_night_too(org):
    with time_machine.travel(NIGHT, tick=False):
        tell_staff(key="test:night", recipients=[org.engineer], template="generic", context={}, channels=("sms",))
    (row,) = rows("test:night")
    assert row.state == Notification.State.PENDING and row.next_attempt_at == NIGHT


def test_a_customer_hears_on_the_number_given_on_the_ticket_and_by_e_mail_and_in_the_app(org, ticket):
    tell_customer(key="test:customer", recipient=org.customer, template="generic", context={"subject": "s"}, ticket=ticket)
    assert CUSTOMER_CHANNELS == ("email", "sms", "in_app")
    by_channel = {r.channel: r for r in rows("test:customer")}
    assert set(by_channel) == set(CUSTOMER_CHANNELS)
    assert by_channel["sms"].to_phone == "01055551234"
    assert by_channel["email"].to_email == org.customer.email
    assert all(r.customer_facing and r.recipient_id == org.customer.pk for r in by_channel.values())


def test_an_explicit_number_wins_and_without_a_ticket_it_is_the_customers_own(org, ticket):
    tell_customer(key="test:given", recipient=org.customer, template="generic", context={}, ticket=ticket,
                  phone="010-7777-8888", channels=("sms",))
    tell_customer(key="test:own", recipient=org.customer, template="generic", context={}, channels=("sms",))
    assert rows("test:given").get().to_phone == "01077778888"
    assert rows("test:own").get().to_phone == f"0{org.customer.phone.national_number}"


def test_a_customers_sms_waits_out_the_night_but_e_mail_does_not(org, ticket):
    with time_machine.travel(NIGHT, tick=False):
        tell_customer(key="test:quiet", recipient=org.customer, template="generic", context={}, ticket=ticket)
    by_channel = {r.channel: r for r in rows("test:quiet")}
    assert by_channel["sms"].state == Notification.State.HELD and by_channel["sms"].next_attempt_at == MORNING
    assert by_channel["email"].state == Notification.State.PENDING


def test_a_reporter_without_an_account_hears_by_sms_only(ticket):
    ticket.reporter = None
    tell_customer(key="test:walkup", recipient=None, template="generic", context={}, ticket=ticket)
    assert list(rows("test:walkup").values_list("channel", flat=True)) == ["sms"]


def test_a_customer_reads_a_composed_notice_in_their_language_and_the_link_is_the_doors(org, ticket):
    org.customer.language = "en"
    org.customer.save()
    tell_customer(
        key="test:clang", recipient=org.customer, template="generic", context=lambda: {"subject": _("Checked in on time."), "link": "/old/"},
        ticket=ticket, link="/portal/tickets/1/", channels=("in_app",),
    )
    row = rows("test:clang").get()
    assert (row.language, row.context["subject"], row.context["link"]) == ("en", "Checked in on time.", "/portal/tickets/1/")


def test_the_batch_door_writes_what_the_single_door_writes(org, ticket):
    context = {"subject": "s", "level": 1}
    tell_staff(key="test:one", recipients=[org.engineer, org.lead], template="escalation", context=context, ticket=ticket)
    written = tell_staff_many(
        {"key": "test:many", "template": "escalation", "context": context, "recipient": p, "ticket": ticket}
        for p in (org.engineer, org.lead)
    )

    def shape(row):
        return (row.key.split(":", 2)[2], row.channel, row.template, row.context, row.language, row.recipient_id,
                row.to_email, row.ticket_id, row.customer_facing, row.state)

    assert sorted(shape(r) for r in rows("test:many")) == sorted(shape(r) for r in rows("test:one"))
    assert sorted(written) == sorted(rows("test:many").values_list("pk", flat=True))
    # Again: nothing new.
    assert tell_staff_many(
        [{"key": "test:many", "template": "escalation", "context": context, "recipient": org.lead, "ticket": ticket}]
    ) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement batch is PostgreSQL's")
def test_the_batch_door_is_one_statement_on_postgresql(org, ticket, django_assert_num_queries):
    notices = [
        {"key": f"charter:warning:t{i}", "template": "escalation", "context": {}, "recipient": p, "ticket": ticket}
        for i, p in enumerate((org.engineer, org.lead, org.other_engineer))
    ]
    # The atomic block's savepoint and release, and one INSERT … ON CONFLICT … RETURNING:
    # deadline notices cannot be turned off, so not even the choices are read.
    with django_assert_num_queries(3):
        assert len(tell_staff_many(notices)) == 6
    # Notices people may turn off: the batch's choices and rules in one read, then the one INSERT.
    others = [{**n, "key": f"test:pg{i}"} for i, n in enumerate(notices)]
    with django_assert_num_queries(4):
        assert len(tell_staff_many(others)) == 6
