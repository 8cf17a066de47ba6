"""MT2: the share of tickets whose first visit resolved them, computed in SQL."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests import factories as f
from tests.helpers.gates import identity_confirmed
from tests.visits.helpers import START, fill_checklist
from tickets.lifecycle import Status
from visits import services
from visits.selectors import first_visit_resolution

pytestmark = pytest.mark.django_db


def _on_site(org, frozen, *, day: int):
    ticket = f.TicketFactory(reporter=org.customer, team=org.team, asset=org.asset, assignee=org.engineer, status=Status.ASSIGNED)
    identity_confirmed(ticket)  # MT3: check-in starts the diagnosis
    start = START + timedelta(days=day)
    frozen.move_to(start - timedelta(hours=1))
    visit = services.visit_book(ticket=ticket, engineer=org.engineer, actor=org.desk_agent, start=start,
                                end=start + timedelta(hours=1), purpose="점검", agreed_by_phone=True)
    frozen.move_to(start)
    return services.visit_check_in(visit=visit, actor=org.engineer)


def _resolve(visit, org, signature):
    fill_checklist(visit, org.engineer)
    services.visit_resolve(visit=visit, actor=org.engineer, signoff_name="김민수", signature=signature)


def _follow_up(visit, org, frozen):
    fill_checklist(visit, org.engineer)
    return services.visit_follow_up(
        visit=visit, actor=org.engineer, reason="부품 필요",
        next_start=visit.agreed_start + timedelta(days=1), next_end=visit.agreed_start + timedelta(days=1, hours=1),
    )


def test_mt2_first_visit_resolution_rate(org, frozen, signature, django_assert_num_queries):
    # Ticket A: resolved on the first visit.
    _resolve(_on_site(org, frozen, day=0), org, signature)
    # Ticket B: first visit needs a follow-up, the second resolves: not first-time.
    following = _follow_up(_on_site(org, frozen, day=1), org, frozen)
    services.visit_confirm(visit=following, actor=org.desk_agent)
    frozen.move_to(following.proposed_start)
    services.visit_check_in(visit=following, actor=org.engineer)
    _resolve(following, org, signature)
    # Ticket C: the customer was absent, then resolved on the next visit: absence is not a visit we could resolve on.
    # (Tuesday the 17th, rebooked for the Wednesday: visits keep to business days.)
    absent = _on_site(org, frozen, day=7)
    services.visit_customer_absent(visit=absent, actor=org.engineer, note="메모")
    frozen.move_to(absent.agreed_start + timedelta(hours=2))
    again = services.visit_rebook(visit=absent, actor=org.desk_agent, start=absent.agreed_start + timedelta(days=1),
                                  end=absent.agreed_start + timedelta(days=1, hours=1))
    services.visit_confirm(visit=again, actor=org.desk_agent)
    frozen.move_to(again.proposed_start)
    _resolve(services.visit_check_in(visit=again, actor=org.engineer), org, signature)
    # Ticket D: only an absence so far — not counted at all.
    services.visit_customer_absent(visit=_on_site(org, frozen, day=13), actor=org.engineer, note="메모")

    with django_assert_num_queries(1):
        result = first_visit_resolution()
    assert (result.tickets, result.resolved_first_time) == (3, 2)
    assert result.rate == pytest.approx(2 / 3)


def test_the_rate_by_period_and_engineer(org, frozen, signature):
    _resolve(_on_site(org, frozen, day=0), org, signature)
    _follow_up(_on_site(org, frozen, day=6), org, frozen)  # Monday, the follow-up on Tuesday
    assert first_visit_resolution(since=START + timedelta(days=3)).resolved_first_time == 0
    assert first_visit_resolution(until=START + timedelta(days=3)).rate == 1.0
    assert first_visit_resolution(engineer_id=org.other_engineer.pk).rate is None
    assert first_visit_resolution(engineer_id=org.engineer.pk).tickets == 2
