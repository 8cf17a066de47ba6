"""The customer's own list of requests: scope, search, status filter, pages and query counts."""
from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.helpers.clients import english
from tickets.lifecycle import Status
from tickets.services import ticket_assign

LIST = reverse("portal:ticket_list")


def shown(response) -> list[int]:
    return [t.pk for t in response.context["tickets"]]


def make_tickets(org, n: int, **kwargs) -> list:
    return [f.TicketFactory(reporter=org.customer, asset=org.asset, category=org.category, team=org.team, **kwargs) for _ in range(n)]


def test_the_list_shows_only_the_customers_own_tickets(org):
    mine = f.TicketFactory(reporter=org.customer, title="내 모니터가 깜빡입니다")
    theirs = f.TicketFactory(reporter=org.other_customer, title="다른 사람의 프린터 고장")
    response = english(org.customer).get(LIST)
    html = response.content.decode()
    assert shown(response) == [mine.pk]
    assert "내 모니터가 깜빡입니다" in html and "다른 사람의 프린터 고장" not in html
    assert reverse("portal:ticket_detail", args=[mine.pk]) in html
    assert reverse("portal:ticket_detail", args=[theirs.pk]) not in html


def test_each_row_shows_number_title_status_date_and_handler(org):
    ticket = f.TicketFactory(reporter=org.customer, title="키보드 입력 안 됨", team=org.team)
    ticket_assign(ticket=ticket, assignee=org.engineer, actor=org.lead)
    html = english(org.customer).get(LIST).content.decode()
    assert f"#{ticket.pk}" in html
    assert "키보드 입력 안 됨" in html
    assert 'class="badge badge-status text-bg-info">Assigned<' in html
    assert timezone.localtime(ticket.created_at).strftime("%Y-%m-%d") in html
    assert "박준호" in html


def test_mt1_open_requests_show_the_committed_date_and_a_delay_notice(org):
    from datetime import timedelta

    due = timezone.now() + timedelta(days=2)
    moved = f.TicketFactory(reporter=org.customer, title="지연된 요청", team=org.team, status=Status.IN_PROGRESS)
    waiting = f.TicketFactory(reporter=org.customer, title="부품 대기 요청", team=org.team, status=Status.WAITING_PARTS)
    done = f.TicketFactory(reporter=org.customer, title="끝난 요청", team=org.team, status=Status.CLOSED)
    type(moved).objects.filter(pk=moved.pk).update(resolve_by=due, resolve_by_from_notice=True)
    type(moved).objects.filter(pk=waiting.pk).update(resolve_by=due, paused_at=timezone.now())
    type(moved).objects.filter(pk=done.pk).update(resolve_by=due)
    html = english(org.customer).get(LIST).content.decode()

    def row(ticket) -> str:
        start = html.index(f'href="{reverse("portal:ticket_detail", args=[ticket.pk])}"')
        return html[start : html.index("</a>", start)]

    expected = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
    assert "Expected completion" in row(moved) and expected in row(moved) and "Delay notice" in row(moved)
    # While we wait the date moves, and finished work has none: neither shows one.
    assert "Expected completion" not in row(waiting) and "Expected completion" not in row(done)


def test_search_by_number_with_or_without_hash(org):
    tickets = make_tickets(org, 3)
    client = english(org.customer)
    target = tickets[1]
    assert shown(client.get(LIST, {"q": f"#{target.pk}"})) == [target.pk]
    assert shown(client.get(LIST, {"q": str(target.pk)})) == [target.pk]


def test_search_by_number_never_reaches_another_customers_ticket(org):
    theirs = f.TicketFactory(reporter=org.other_customer)
    assert shown(english(org.customer).get(LIST, {"q": f"#{theirs.pk}"})) == []


def test_search_by_title_and_asset_tag(org):
    printer = f.TicketFactory(reporter=org.customer, title="프린터 용지 걸림")
    pc = f.TicketFactory(reporter=org.customer, title="부팅이 안 됩니다", asset=org.asset)
    client = english(org.customer)
    assert shown(client.get(LIST, {"q": "용지"})) == [printer.pk]
    assert shown(client.get(LIST, {"q": "PC-000001"})) == [pc.pk]


def test_status_filter_open_and_single_status(org):
    received = f.TicketFactory(reporter=org.customer)
    resolved = f.TicketFactory(reporter=org.customer, status=Status.RESOLVED)
    closed = f.TicketFactory(reporter=org.customer, status=Status.CLOSED)
    client = english(org.customer)
    assert shown(client.get(LIST, {"status": "open"})) == [received.pk]
    assert shown(client.get(LIST, {"status": "resolved"})) == [resolved.pk]
    assert set(shown(client.get(LIST))) == {received.pk, resolved.pk, closed.pk}
    # An unknown status is ignored rather than hiding everything.
    assert len(shown(client.get(LIST, {"status": "bogus"}))) == 3


def test_the_list_is_paginated_25_per_page_and_keeps_the_filters(org):
    make_tickets(org, 30)
    client = english(org.customer)
    first = client.get(LIST, {"status": "open"})
    assert len(shown(first)) == 25
    assert "?status=open&amp;page=2" in first.content.decode()
    second = client.get(LIST, {"status": "open", "page": 2})
    assert len(shown(second)) == 5
    assert not set(shown(first)) & set(shown(second))


def test_empty_state_links_to_report_a_fault(org):
    html = english(org.customer).get(LIST).content.decode()
    assert 'id="ticket-list-empty"' in html
    assert "You have no requests yet." in html
    assert reverse("portal:ticket_new") in html


def test_a_search_without_results_says_so(org):
    make_tickets(org, 2)
    html = english(org.customer).get(LIST, {"q": "존재하지 않는 제목"}).content.decode()
    assert "No request matches your search." in html


def _count(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST, params).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_tickets(org, django_assert_num_queries):
    client = english(org.customer)
    tickets = make_tickets(org, 3)
    for t in tickets:
        ticket_assign(ticket=t, assignee=org.engineer, actor=org.lead)
    few = _count(client)
    assert few <= 8
    more = make_tickets(org, 27)
    for t in more:
        ticket_assign(ticket=t, assignee=org.other_engineer, actor=org.lead)
    with django_assert_num_queries(few):
        assert len(shown(client.get(LIST))) == 25
    with django_assert_num_queries(few):
        client.get(LIST, {"q": "PC", "status": "open"})
