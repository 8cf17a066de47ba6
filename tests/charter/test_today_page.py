"""The engineer's "오늘" page (/today/) and the next step on the staff ticket page:
the next visit first, then the person's open work by deadline, each card with the
one step that comes next; a fixed number of queries however many cards."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.helpers.clock import NOW, kst
from tests.helpers.gates import diagnosed
from tests.helpers.ticket_steps import open_ticket
from tickets.lifecycle import Status
from tickets.models import Kind
from tickets.services import ticket_transition
from visits import services as visit_services
from visits.models import VisitState
from visits.seed import pc_checklist_seed

pytestmark = pytest.mark.django_db

TODAY = reverse("today:index")


@pytest.fixture(autouse=True)
def _pc_checklist(db) -> None:
    # A transactional test elsewhere may have flushed what the data migration seeded.
    pc_checklist_seed()


def visit_today(org, ticket, *, hour: int = 14, engineer=None):
    """A visit agreed on the phone for today at `hour` (NOW is Tuesday 10:00)."""
    start = kst(2026, 3, 10, hour)
    return visit_services.visit_book(
        ticket=ticket, engineer=engineer or org.engineer, companion=None, actor=org.desk_agent,
        start=start, end=start + timedelta(hours=1), purpose="PC 부팅 불량 점검", agreed_by_phone=True,
    )


def work_of(org, n: int, *, first_day: int = 2):
    """`n` faults assigned to the engineer, filed a day apart from 2 March (so their deadlines differ)."""
    made = []
    for i in range(n):
        filed = kst(2026, 3, first_day, 9) + timedelta(hours=i)
        made.append(open_ticket(org, filed, assign=org.engineer))
    return made


def queries(client, url: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response


# --- The page --------------------------------------------------------------------------------


def test_the_next_visit_comes_first_then_the_open_work_by_deadline(org, frozen, client_for):
    later, sooner = work_of(org, 1, first_day=6)[0], work_of(org, 1, first_day=3)[0]
    visited = open_ticket(org, kst(2026, 3, 9, 9), assign=org.engineer)
    visit = visit_today(org, visited)
    someone_elses = open_ticket(org, kst(2026, 3, 2, 9), assign=org.lead)

    response = client_for(org.engineer).get(TODAY)
    assert response.status_code == 200
    card = response.context["next_visit"]
    assert card.visit == visit and card.step.key == "check_in"
    assert card.customer_phone and card.place == org.customer_dept.name  # no location on the asset: the department
    work = [c.ticket for c in response.context["work"]]
    # The visit's ticket is the visit's card; the rest by committed date, nearest first.
    assert work == [sooner, later]
    assert someone_elses not in work and visited not in work
    assert sooner.resolve_by < later.resolve_by
    html = response.content.decode()
    assert html.index('id="next-visit"') < html.index('id="today-work"')
    # One tap to arrive: a POST to the check-in that returns to the visit's checklist.
    check_in = reverse("visits:check_in", args=[visit.pk])
    assert f'action="{check_in}"' in html
    assert f'name="next" value="{reverse("visits:staff_visit", args=[visit.pk])}#checklist"' in html


def test_each_work_card_carries_the_step_that_comes_next(org, frozen, client_for):
    no_identity = open_ticket(org, kst(2026, 3, 9, 9), assign=org.engineer, channel="phone")
    ready = open_ticket(org, kst(2026, 3, 9, 10), assign=org.engineer)  # filed signed in: identity known
    on_it = open_ticket(org, kst(2026, 3, 9, 11), assign=org.engineer)
    ticket_transition(ticket=on_it, action="diagnose", actor=org.engineer)
    waiting = open_ticket(org, kst(2026, 3, 9, 12), assign=org.engineer)
    ticket_transition(ticket=waiting, action="diagnose", actor=org.engineer)
    diagnosed(waiting, org.engineer, ask_consent=True)

    response = client_for(org.engineer).get(TODAY)
    steps = {c.ticket.pk: c.step for c in response.context["work"]}
    assert steps[no_identity.pk].key == "confirm_identity"
    assert steps[ready.pk].key == "diagnose" and steps[ready.pk].action == "diagnose"
    assert steps[on_it.pk].key == "record_diagnosis"
    assert steps[waiting.pk].key == "record_consent"
    html = response.content.decode()
    # A plain move is the status form's own button, posted to the ticket's status URL.
    move = reverse("staff:ticket_transition", args=[ready.pk])
    assert f'action="{move}"' in html and 'name="action" value="diagnose"' in html
    # A step that needs a form is a link to that form on the ticket page.
    assert f'href="{reverse("staff:ticket_detail", args=[waiting.pk])}#desk-gates"' in html


def test_the_deadline_shows_the_business_time_left_and_overdue_work(org, frozen, client_for):
    overdue = open_ticket(org, kst(2026, 3, 2, 9), assign=org.engineer)
    ahead = open_ticket(org, NOW, assign=org.engineer)
    response = client_for(org.engineer).get(TODAY)
    cards = {c.ticket.pk: c for c in response.context["work"]}
    assert cards[overdue.pk].overdue and cards[overdue.pk].time_left < timedelta(0)
    assert not cards[ahead.pk].overdue and cards[ahead.pk].time_left > timedelta(0)
    html = response.content.decode()
    assert "Overdue by" in html and "left (business time)" in html
    # Dates never wrap mid-value.
    assert f'<time class="nowrap" datetime="{timezone.localtime(ahead.resolve_by).isoformat()}">' in html


def test_the_page_runs_the_same_queries_for_3_and_30_tickets(org, frozen, client_for, django_assert_max_num_queries):
    client = client_for(org.engineer)
    tickets = work_of(org, 3)
    visit_today(org, tickets[0])
    visit_today(org, open_ticket(org, kst(2026, 3, 9, 9), assign=org.engineer), hour=16)
    client.get(TODAY)  # warm the session and the standards' calendar
    with django_assert_max_num_queries(12):
        few, response = queries(client, TODAY)
    assert len(response.context["work"]) == 3

    more = work_of(org, 27, first_day=3)
    ticket_transition(ticket=more[0], action="diagnose", actor=org.engineer)
    diagnosed(more[0], org.engineer)
    many, response = queries(client, TODAY)
    assert many == few
    # A page of 20 tickets, the rest on the next pages; the one with the next visit is that visit's card.
    assert len(response.context["page_obj"].object_list) == 20 and response.context["page_obj"].has_next()
    assert len(response.context["work"]) == 19
    print(f"today page: {few} queries for 3 tickets, {many} for 30")


def test_on_site_the_visit_card_moves_to_the_checklist_then_the_sign_off(org, frozen, client_for):
    ticket = open_ticket(org, kst(2026, 3, 9, 9), assign=org.engineer)
    visit = visit_today(org, ticket)
    frozen.move_to(kst(2026, 3, 10, 13, 58))
    visit_services.visit_check_in(visit=visit, actor=org.engineer)
    client = client_for(org.engineer)
    card = client.get(TODAY).context["next_visit"]
    assert card.visit.state == VisitState.CHECKED_IN and card.step.key == "checklist"

    visit_services.visit_checklist_all_ok(visit=visit, actor=org.engineer)
    card = client.get(TODAY).context["next_visit"]
    assert card.step.key == "sign_off"
    assert card.step.url == reverse("visits:staff_visit", args=[visit.pk]) + "?open=resolve#resolve"


def test_a_visit_on_site_since_yesterday_still_comes_first(org, frozen, client_for):
    ticket = open_ticket(org, kst(2026, 3, 6, 9), assign=org.engineer)
    frozen.move_to(kst(2026, 3, 9, 9))
    yesterday = visit_services.visit_book(
        ticket=ticket, engineer=org.engineer, companion=None, actor=org.desk_agent,
        start=kst(2026, 3, 9, 16), end=kst(2026, 3, 9, 17), purpose="점검", agreed_by_phone=True,
    )
    frozen.move_to(kst(2026, 3, 9, 16, 5))
    visit_services.visit_check_in(visit=yesterday, actor=org.engineer)
    frozen.move_to(NOW)
    other = open_ticket(org, kst(2026, 3, 9, 10), assign=org.engineer)
    today = visit_today(org, other, hour=11)
    response = client_for(org.engineer).get(TODAY)
    assert response.context["next_visit"].visit == yesterday
    assert [c.visit for c in response.context["later_visits"]] == [today]


def test_only_staff_have_the_page(org, client_for, client):
    assert client_for(org.customer).get(TODAY).status_code == 403
    assert client.get(TODAY).status_code == 302  # to the login page


def test_the_menu_starts_with_today_for_staff_only(org, client_for):
    staff = client_for(org.engineer).get(reverse("staff:queue")).content.decode()
    assert f'href="{TODAY}" id="nav-today"' in staff
    assert staff.index('id="nav-today"') < staff.index(reverse("staff:queue") + '"')
    assert 'id="nav-today"' not in client_for(org.customer).get(reverse("portal:ticket_list")).content.decode()


# --- The staff ticket page: status, deadline and the next step on top, the rest folded ----------


def test_the_ticket_page_shows_the_next_step_on_top_and_in_the_phone_bar(org, frozen, client_for):
    ticket = open_ticket(org, kst(2026, 3, 9, 9), assign=org.engineer)
    html = client_for(org.engineer).get(reverse("staff:ticket_detail", args=[ticket.pk])).content.decode()
    top = html[html.index('id="next-step"') : html.index('id="section-request"')]
    assert 'data-step="diagnose"' in top and "Start diagnosis" in top
    assert "left (business time)" in top  # the deadline with the time left
    bar = html[html.index('id="action-bar"') :]
    assert 'id="action-bar-step"' in bar and 'name="action" value="diagnose"' in bar
    # Every section folds, and the "more" menu reaches each one, the other apps' panels included.
    for section in (
        "section-request", "section-reporter", "section-asset", "section-status", "section-comment",
        "section-timeline", "section-files", "section-handler", "section-priority",
    ):
        assert f'<details class="ticket-fold" id="{section}">' in html
        assert f'href="#{section}"' in bar
    assert 'id="fold-deadline-panel"' in html and 'href="#deadline-panel"' in bar
    assert 'id="fold-desk-gates"' in html and 'href="#desk-gates"' in bar


def test_the_ticket_page_puts_the_visit_step_first_for_the_engineer_on_it(org, frozen, client_for):
    ticket = open_ticket(org, kst(2026, 3, 9, 9), assign=org.engineer)
    visit = visit_today(org, ticket)
    page = reverse("staff:ticket_detail", args=[ticket.pk])
    engineer = client_for(org.engineer).get(page).content.decode()
    assert 'data-step="check_in"' in engineer
    # The lead is not on that visit: the ticket's own step.
    lead = client_for(org.lead).get(page).content.decode()
    assert 'data-step="diagnose"' in lead and reverse("visits:check_in", args=[visit.pk]) not in lead


def test_a_refused_move_opens_the_status_section_with_the_reason(org, frozen, client_for):
    ticket = open_ticket(org, kst(2026, 3, 9, 9), assign=org.engineer, kind=Kind.LARGE_WORK)
    ticket_transition(ticket=ticket, action="diagnose", actor=org.engineer)
    response = client_for(org.lead).post(reverse("staff:ticket_transition", args=[ticket.pk]), {"action": "start_work"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<details class="ticket-fold" id="section-status" open>' in html
    # BS2: the next step is the plan, not the move that was just refused.
    assert 'data-step="work_plan"' in html
    ticket.refresh_from_db()
    assert ticket.status == Status.DIAGNOSING


def test_the_next_step_adds_two_queries_to_the_ticket_page(org, frozen, rf):
    from charter.today.step_panel import next_step_context

    ticket = open_ticket(org, kst(2026, 3, 9, 9), assign=org.engineer)
    request = rf.get("/")
    request.user = org.engineer
    with CaptureQueriesContext(connection) as first:
        context = next_step_context(request, ticket)
    # The facts (one query with subqueries) and the standard's stamp for the time left.
    assert len(first.captured_queries) <= 2
    # The phone bar's copy of the step reads nothing again.
    with CaptureQueriesContext(connection) as again:
        assert next_step_context(request, ticket) is context
    assert len(again.captured_queries) == 0
