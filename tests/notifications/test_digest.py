"""The staff's daily digest: the e-mails that waited are gathered at 08:00 on
working days into one outbox e-mail per person, in their language, each with
its link; the gathered rows point at it; a second run writes nothing."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail

from helpdesk.notifications import policy
from helpdesk.notifications.digest import digest_moment, digest_send_due
from helpdesk.notifications.doors import tell_staff
from helpdesk.notifications.models import Notification
from helpdesk.notifications.preferences import notice_preferences_save
from helpdesk.notifications.services import notification_deliver
from helpdesk.notifications.tasks import notice_digest
from tests.helpers.clock import kst

pytestmark = pytest.mark.django_db

MONDAY_EVENING = kst(2026, 3, 9, 18)
TUESDAY_8 = kst(2026, 3, 10, 8)


@pytest.fixture(autouse=True)
def _weekdays(monkeypatch):
    monkeypatch.setattr(policy, "_working_day_source", None)


@pytest.fixture
def digesting(org):
    notice_preferences_save(user=org.lead, actor=org.lead, chosen={}, digest=True)
    return org.lead


def told(frozen, at, key: str, person, subject: str) -> None:
    frozen.move_to(at)
    tell_staff(key=key, recipients=[person], template="generic", context={"subject": subject, "body": subject},
               link="/desk/tickets/7/")


def test_the_moment_is_eight_on_the_last_working_day_not_a_second_early():
    assert digest_moment(TUESDAY_8 - timedelta(seconds=1)) == kst(2026, 3, 9, 8)
    assert digest_moment(TUESDAY_8) == TUESDAY_8
    assert digest_moment(kst(2026, 3, 14, 12)) == kst(2026, 3, 13, 8)  # Saturday: Friday's
    assert digest_moment(kst(2026, 3, 16, 7, 59)) == kst(2026, 3, 13, 8)  # Monday before eight: still Friday's


def test_the_business_calendar_can_say_which_days_are_working_days(monkeypatch):
    holiday = date(2026, 3, 10)
    monkeypatch.setattr(policy, "_working_day_source", lambda day: day != holiday and day.weekday() < 5)
    assert digest_moment(kst(2026, 3, 10, 9)) == kst(2026, 3, 9, 8)


def test_the_hour_is_a_setting(settings):
    settings.NOTIFY_DIGEST_AT = "17:30"
    assert digest_moment(kst(2026, 3, 10, 17, 29)) == kst(2026, 3, 9, 17, 30)


def test_rows_before_the_moment_become_one_e_mail_and_point_at_it(
    org, digesting, frozen, queued, django_capture_on_commit_callbacks
):
    told(frozen, MONDAY_EVENING, "feedback:filed:f1", digesting, "고객 의견 #1")
    told(frozen, MONDAY_EVENING + timedelta(hours=2), "largework:submitted:p1:v1", digesting, "작업 계획 검토")
    told(frozen, TUESDAY_8 + timedelta(minutes=1), "feedback:filed:f2", digesting, "고객 의견 #2")
    waiting = list(Notification.objects.filter(channel="email", recipient=digesting).order_by("pk"))
    assert [r.state for r in waiting] == ["digest", "digest", "digest"]
    queued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert digest_send_due(now=TUESDAY_8 + timedelta(minutes=5)) == 1

    digest = Notification.objects.get(key=f"notifications:digest:u{digesting.pk}:2026-03-10:email")
    assert (digest.state, digest.template, digest.to_email, digest.recipient) == (
        "pending", "digest", digesting.email, digesting)
    assert queued == [digest.pk]
    assert [i["subject"] for i in digest.context["items"]] == ["고객 의견 #1", "작업 계획 검토"]
    assert digest.context["items"][0]["link"] == settings.SITE_URL.rstrip("/") + "/desk/tickets/7/"
    assert digest.context["count"] == 2
    states = [(r.state, r.digest_id) for r in Notification.objects.filter(pk__in=[r.pk for r in waiting]).order_by("pk")]
    assert states == [("digested", digest.pk), ("digested", digest.pk), ("digest", None)]

    # Run again the same morning: nothing new; the late row waits for Wednesday's.
    assert digest_send_due(now=TUESDAY_8 + timedelta(minutes=10)) == 0
    assert digest_send_due(now=kst(2026, 3, 11, 8)) == 1
    assert Notification.objects.get(pk=waiting[2].pk).digest.key == f"notifications:digest:u{digesting.pk}:2026-03-11:email"


def test_the_digest_goes_out_through_the_outbox_in_the_readers_language(org, digesting, frozen):
    digesting.language = "en"
    digesting.save()
    told(frozen, MONDAY_EVENING, "feedback:filed:f1", digesting, "A commendation for your team")
    frozen.move_to(TUESDAY_8)
    digest_send_due()
    digest = Notification.objects.get(template="digest")
    assert notification_deliver(notification_id=digest.pk)

    (message,) = mail.outbox
    assert message.subject == "Your daily digest: 1 notice"
    assert "A commendation for your team" in message.body and "/desk/tickets/7/" in message.body
    assert "/notifications/settings/" in message.body
    html = message.alternatives[0][0]
    assert 'href="http' in html and "A commendation for your team" in html


def test_nothing_waits_before_the_moment_and_the_app_is_never_held(org, digesting, frozen):
    told(frozen, TUESDAY_8 + timedelta(hours=1), "feedback:filed:f3", digesting, "s")
    assert digest_send_due(now=TUESDAY_8 + timedelta(hours=2)) == 0
    in_app = Notification.objects.get(key__startswith="feedback:filed:f3", channel="in_app")
    assert in_app.state == "pending" and in_app.next_attempt_at is not None


def test_a_long_day_is_cut_to_a_readable_e_mail_and_counted(org, digesting, frozen, monkeypatch):
    from helpdesk.notifications import digest as digest_module

    monkeypatch.setattr(digest_module, "MAX_ITEMS", 2)
    for i in range(3):
        told(frozen, MONDAY_EVENING + timedelta(minutes=i), f"feedback:filed:f{10 + i}", digesting, f"의견 {i}")
    assert digest_send_due(now=TUESDAY_8) == 1
    digest = Notification.objects.get(template="digest")
    assert (len(digest.context["items"]), digest.context["count"], digest.context["more"]) == (2, 3, 1)
    assert Notification.objects.filter(digest=digest).count() == 3


def test_the_beat_task_runs_it_and_is_scheduled(org, digesting, frozen):
    told(frozen, MONDAY_EVENING, "feedback:filed:f1", digesting, "s")
    frozen.move_to(TUESDAY_8 + timedelta(minutes=3))
    assert notice_digest() == 1
    assert notice_digest() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["notice-digest"]
    assert entry["task"] == "helpdesk.notifications.tasks.notice_digest" and entry["schedule"] <= 300
