"""The doors apply people's choices within the admins' rules: a channel turned
off is left out, unless the kind cannot be turned off or the admins lock it; a
channel the admins do not offer is never used; the staff's digest holds their
e-mail of the kinds that can wait. Choices are read once per call, not once
per recipient, and not at all for a kind nobody can change."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helpdesk.notifications import services
from helpdesk.notifications.doors import STAFF_CHANNELS, tell_customer, tell_staff, tell_staff_many
from helpdesk.notifications.models import NoticePreference, NoticeRule, Notification
from helpdesk.notifications.preferences import notice_preferences_save

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quiet_hours_from_settings")]

SEOUL = ZoneInfo("Asia/Seoul")




def channels_of(key: str, person) -> set[str]:
    return set(Notification.objects.filter(key__startswith=key, recipient=person).values_list("channel", flat=True))


def choose(person, **chosen: bool) -> None:
    """notice_preferences_save with "kind__channel" keywords ("customer.visits__sms": False)."""
    pairs = {}
    digest = chosen.pop("digest", None)
    for name, on in chosen.items():
        kind, channel = name.split("__")
        pairs[(kind, channel)] = on
    notice_preferences_save(user=person, actor=person, chosen=pairs, digest=digest)


def test_staff_who_turned_e_mail_off_hear_in_the_app_only_and_others_as_before(org, ticket):
    choose(org.engineer, **{"staff.assigned__email": False})
    tell_staff(key="tickets:assigned:t1:1", recipients=[org.engineer, org.lead], template="generic",
               context={"subject": "s"}, ticket=ticket)
    assert channels_of("tickets:assigned:t1:1", org.engineer) == {"in_app"}
    assert channels_of("tickets:assigned:t1:1", org.lead) == {"email", "in_app"}


def test_a_kind_that_cannot_be_turned_off_goes_by_every_channel_whatever_was_stored(org, ticket):
    # A row no page would write (the service refuses it): the door does not read it either.
    NoticePreference.objects.create(user=org.engineer, kind="staff.deadlines", channel="email", enabled=False)
    NoticeRule.objects.create(kind="staff.deadlines", email=False)
    tell_staff(key="charter:warning:t1:l1:v1", recipients=[org.engineer], template="deadline_warning",
               context={}, ticket=ticket)
    assert channels_of("charter:warning:t1", org.engineer) == {"email", "in_app"}


def test_the_admins_lock_overrides_a_choice_and_a_channel_not_offered_is_never_used(org, ticket):
    choose(org.engineer, **{"staff.assigned__email": False})
    NoticeRule.objects.create(kind="staff.assigned", may_turn_off=False)
    NoticeRule.objects.create(kind="staff.feedback", email=False)
    tell_staff(key="tickets:assigned:t2:1", recipients=[org.engineer], template="generic", context={}, ticket=ticket)
    tell_staff(key="feedback:filed:f1", recipients=[org.engineer, org.lead], template="generic", context={})
    assert channels_of("tickets:assigned:t2:1", org.engineer) == {"email", "in_app"}
    assert channels_of("feedback:filed:f1", org.engineer) == channels_of("feedback:filed:f1", org.lead) == {"in_app"}


def test_a_customer_who_turned_text_messages_off_for_visits_still_gets_the_delay_notice_by_text(org, ticket):
    choose(org.customer, **{"customer.visits__sms": False})
    tell_customer(key="visit:1:v1:confirmed", recipient=org.customer, template="generic", context={}, ticket=ticket)
    tell_customer(key="charter:delay_notice:t1:l3:v1:u1", recipient=org.customer, template="generic", context={},
                  ticket=ticket)
    assert channels_of("visit:1:", org.customer) == {"email", "in_app"}
    assert channels_of("charter:delay_notice:", org.customer) == {"email", "sms", "in_app"}


def test_a_reporter_without_an_account_is_held_to_the_admins_rules_only(org, ticket):
    NoticeRule.objects.create(kind="customer.surveys", sms=False)
    tell_customer(key="surveys:sent:s1", recipient=None, template="generic", context={}, ticket=ticket)
    tell_customer(key="visit:2:v1:confirmed", recipient=None, template="generic", context={}, ticket=ticket)
    assert not Notification.objects.filter(key__startswith="surveys:sent:s1").exists()
    assert Notification.objects.get(key__startswith="visit:2:").channel == "sms"


def test_the_door_reads_choices_once_per_call_and_not_at_all_for_what_cannot_be_turned_off(org, ticket):
    people = [org.engineer, org.lead, org.other_engineer, org.desk_agent]

    def statements(key: str) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            tell_staff(key=key, recipients=people, template="generic", context={}, ticket=ticket)
        return [q["sql"] for q in ctx.captured_queries]

    deadline = statements("charter:breach:t3:l2:v1")
    assignment = statements("tickets:assigned:t3:1")
    assert not any("noticepreference" in sql for sql in deadline)
    assert sum("noticepreference" in sql and "noticerule" in sql for sql in assignment) == 1
    assert len(assignment) == len(deadline) + 1


def test_the_batch_door_reads_every_recipients_choices_in_one_statement(org, ticket, django_assert_num_queries):
    choose(org.engineer, **{"staff.feedback__email": False})
    choose(org.lead, digest=True)
    notices = [
        {"key": "charter:warning:t7:l1:v1", "template": "deadline_warning", "context": {}, "recipient": org.engineer,
         "ticket": ticket},
        {"key": "feedback:overdue:f7", "template": "generic", "context": {}, "recipient": org.engineer,
         "ticket": ticket},
        {"key": "feedback:overdue:f7", "template": "generic", "context": {}, "recipient": org.lead, "ticket": ticket},
        {"key": "charter:warning:t7:l1:v1", "template": "deadline_warning", "context": {}, "recipient": org.lead,
         "ticket": ticket},
    ]
    # PostgreSQL: savepoint, the choices, one INSERT, release. SQLite's path adds its SELECTs around the insert.
    expected = 4 if connection.vendor == "postgresql" else 6
    with django_assert_num_queries(expected):
        tell_staff_many(notices)
    rows = {(r.key.split(":u")[0].split(":")[1], r.recipient_id, r.channel): r.state
            for r in Notification.objects.filter(ticket=ticket)}
    assert rows == {
        ("warning", org.engineer.pk, "email"): "pending",
        ("warning", org.engineer.pk, "in_app"): "pending",
        ("overdue", org.engineer.pk, "in_app"): "pending",  # e-mail turned off
        ("overdue", org.lead.pk, "email"): "digest",  # waits for the lead's digest
        ("overdue", org.lead.pk, "in_app"): "pending",  # the app is never held
        ("warning", org.lead.pk, "email"): "pending",  # a deadline warning never waits
        ("warning", org.lead.pk, "in_app"): "pending",
    }


def test_a_digest_row_has_no_next_attempt_and_is_never_queued_or_claimed(org, ticket, queued):
    choose(org.lead, digest=True)
    tell_staff(key="largework:submitted:p1:v1", recipients=[org.lead], template="generic", context={"subject": "s"})
    email = Notification.objects.get(key__startswith="largework:submitted:p1", channel="email")
    in_app = Notification.objects.get(key__startswith="largework:submitted:p1", channel="in_app")
    assert (email.state, email.next_attempt_at) == ("digest", None)
    assert in_app.state == "pending"
    assert services.outbox_claim_batch(now=timezone.now(), limit=10) == [in_app.pk]
    # Non-digestible kinds go at once for the same person.
    tell_staff(key="desk:callback:3:new", recipients=[org.lead], template="generic", context={"subject": "s"})
    assert Notification.objects.get(key__startswith="desk:callback:3", channel="email").state == "pending"


def test_plain_rows_and_the_row_builder_agree_on_a_digest(org, ticket):
    """The PostgreSQL batch path and notify() write the same held e-mail."""
    now = timezone.now()
    request = {"key": "feedback:overdue:f9:u1", "template": "generic", "context": {"subject": "s"},
               "recipient": org.lead, "ticket": ticket, "channels": STAFF_CHANNELS, "digest": True}
    fast = services._plain_rows(now, request)
    slow = services._rows_for(now=now, **request)
    assert [(r["channel"], r["state"], r["next_attempt_at"]) for r in fast] == [
        (r.channel, r.state, r.next_attempt_at) for r in slow
    ] == [("email", "digest", None), ("in_app", "pending", now)]


def test_a_withdrawn_notice_leaves_the_digest_too(org):
    choose(org.lead, digest=True)
    tell_staff(key="surveys:follow-up:f4", recipients=[org.lead], template="generic", context={})
    assert services.notifications_withdraw(keys=[f"surveys:follow-up:f4:u{org.lead.pk}"]) == 2
    assert set(Notification.objects.filter(key__startswith="surveys:follow-up:f4").values_list("state", flat=True)) == {
        "withdrawn"
    }


def test_a_customers_remaining_text_message_still_waits_out_the_night(org, ticket):
    night = datetime(2026, 12, 1, 23, 0, tzinfo=SEOUL)
    choose(org.customer, **{"customer.progress__email": False})
    with time_machine.travel(night, tick=False):
        tell_customer(key="tickets:handler:t1:1", recipient=org.customer, template="generic", context={},
                      ticket=ticket)
    rows = {r.channel: r for r in Notification.objects.filter(key__startswith="tickets:handler:t1:1")}
    assert set(rows) == {"sms", "in_app"}
    assert rows["sms"].state == "held"
