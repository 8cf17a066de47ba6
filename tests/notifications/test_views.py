"""The in-app list, mark read, and the bell: one's own notifications only, paginated, cheap."""
from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from helpdesk.notifications.models import Notification
from helpdesk.notifications.selectors import unread_count

pytestmark = pytest.mark.django_db


def in_app(user, n: int = 1, *, state: str = "sent", read: bool = False, link: str = "/my/tickets/1/") -> list[Notification]:
    from django.utils import timezone

    start = Notification.objects.count()
    return [
        Notification.objects.create(
            key=f"inapp:{start + i}", channel="in_app", template="generic", recipient=user, state=state,
            subject=f"알림 {start + i}", context={"link": link}, read_at=timezone.now() if read else None,
        )
        for i in range(n)
    ]


def test_the_list_shows_only_my_delivered_in_app_notifications(customer, other_customer, client_for):
    mine = in_app(customer)[0]
    in_app(customer, state="pending")
    theirs = in_app(other_customer)[0]
    Notification.objects.create(key="mail", channel="email", template="generic", recipient=customer, state="sent", subject="메일")

    response = client_for(customer).get(reverse("notifications:list"))

    assert response.status_code == 200
    assert list(response.context["notifications"]) == [mine]
    assert theirs.subject not in response.content.decode()


def test_the_list_is_paginated_by_25(customer, client_for):
    in_app(customer, 30)
    client = client_for(customer)
    assert len(client.get(reverse("notifications:list")).context["notifications"]) == 25
    assert len(client.get(reverse("notifications:list") + "?page=2").context["notifications"]) == 5


@pytest.mark.parametrize("rows", [3, 30])
def test_the_list_costs_the_same_queries_for_3_or_30_rows(customer, client_for, rows, django_assert_num_queries):
    in_app(customer, rows)
    client = client_for(customer)
    client.get(reverse("notifications:list"))  # warm the session
    # session, user, the count, the page, and the navbar bell's unread count
    # (the navbar's permissions come from the cache: helpdesk.accounts.permission_cache)
    with django_assert_num_queries(5):
        client.get(reverse("notifications:list"))


def test_opening_a_notification_marks_it_read_and_follows_its_link(customer, client_for):
    n = in_app(customer, link="/my/tickets/9/")[0]
    response = client_for(customer).post(reverse("notifications:read", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/my/tickets/9/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_absolute_link_to_this_site_is_followed_but_not_one_elsewhere(customer, client_for, settings):
    settings.SITE_URL = "https://desk.example.co.kr"
    ours = in_app(customer, link="https://desk.example.co.kr/my/tickets/9/")[0]
    evil = in_app(customer, link="https://evil.example/phish")[0]
    client = client_for(customer)
    assert client.post(reverse("notifications:read", args=[ours.pk]))["Location"] == "https://desk.example.co.kr/my/tickets/9/"
    assert client.post(reverse("notifications:read", args=[evil.pk]))["Location"] == reverse("notifications:list")


def test_someone_elses_notification_is_a_404_and_stays_unread(customer, other_customer, client_for):
    n = in_app(other_customer)[0]
    assert client_for(customer).post(reverse("notifications:read", args=[n.pk])).status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_marking_read_needs_post(customer, client_for):
    n = in_app(customer)[0]
    assert client_for(customer).get(reverse("notifications:read", args=[n.pk])).status_code == 405


def test_mark_all_read_touches_only_mine(customer, other_customer, client_for):
    in_app(customer, 3)
    in_app(other_customer, 2)
    response = client_for(customer).post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert unread_count(customer) == 0
    assert unread_count(other_customer) == 2


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_bell_counts_unread_in_one_query(customer, django_assert_num_queries):
    in_app(customer, 4)
    in_app(customer, 2, read=True)
    in_app(customer, state="pending")
    bell = Template("{% load notification_tags %}{% notification_bell %}")
    count = Template("{% load notification_tags %}{% unread_notifications_count as n %}{{ n }}")
    with django_assert_num_queries(1):
        html = bell.render(Context({"user": customer}))
    with django_assert_num_queries(1):
        assert count.render(Context({"user": customer})) == "4"
    assert 'data-unread="4"' in html
    assert reverse("notifications:list") in html


def test_the_bell_shows_99_plus(customer):
    in_app(customer, 100)
    html = Template("{% load notification_tags %}{% notification_bell %}").render(Context({"user": customer}))
    assert "99+" in html


def test_the_bell_partial_for_htmx(customer, client_for):
    in_app(customer, 2)
    response = client_for(customer).get(reverse("notifications:bell"))
    assert response.status_code == 200
    assert 'data-unread="2"' in response.content.decode()


def test_anonymous_bell_is_zero(client):
    from django.contrib.auth.models import AnonymousUser

    assert unread_count(AnonymousUser()) == 0


def test_a_tickets_notifications_for_its_page(engineer, customer):
    from helpdesk.notifications.selectors import notifications_for_ticket
    from helpdesk.notifications.services import notify
    from tests import factories as f

    ticket = f.TicketFactory(reporter=customer)
    other = f.TicketFactory(reporter=customer)
    notify(key="warn", template="deadline_warning", context={}, recipient=engineer, ticket=ticket, channels=["in_app"])
    notify(key="delay", template="delay_notice", context={}, recipient=customer, ticket=ticket, customer_facing=True, channels=["email", "sms"])
    notify(key="elsewhere", template="generic", context={}, recipient=customer, ticket=other, channels=["email"])
    assert {n.key for n in notifications_for_ticket(ticket)} == {"warn:in_app", "delay:email", "delay:sms"}
    assert {n.key for n in notifications_for_ticket(ticket, customer_facing_only=True)} == {"delay:email", "delay:sms"}
