"""CR1 figures: corrections opened and closed per period, team and engineer (SQL)."""
from __future__ import annotations

from datetime import timedelta

import time_machine

from corrections.figures import correction_figures
from corrections.services import correction_open
from tests.helpers.clock import kst
from tests.helpers.ticket_steps import move, open_ticket
from tickets.models import Kind


def _finished(org, engineer, at):
    ticket = open_ticket(org, at, kind=Kind.SUPPORT, assign=engineer)
    move(ticket, "diagnose", engineer, at)
    return move(ticket, "resolve", engineer, at, note="해결")


def test_cr1_figures_count_opened_and_closed_in_their_own_months(org, django_assert_num_queries):
    march, april = kst(2026, 3, 31, 23, 30), kst(2026, 4, 1, 0, 30)  # either side of midnight in Seoul
    ticket = _finished(org, org.engineer, march)
    with time_machine.travel(march, tick=False):
        correction_open(ticket=ticket, actor=org.lead, reason="재점검", what_was_wrong="x")
    move(ticket, "resolve", org.engineer, april, note="고침")
    other = _finished(org, org.other_engineer, april)
    with time_machine.travel(april, tick=False):
        correction_open(ticket=other, actor=org.other_engineer, reason="재점검", what_was_wrong="x")

    start, end = kst(2026, 3, 1), kst(2026, 5, 1)
    with django_assert_num_queries(2):
        by_team = correction_figures(start, end, period="month", by="team")
    assert all(f.period.day == 1 for f in by_team)  # buckets are the months' first days
    buckets = {(f.period.month, f.key): (f.opened, f.closed) for f in by_team}
    assert buckets == {(3, org.team.pk): (1, 0), (4, org.team.pk): (0, 1), (4, org.other_team.pk): (1, 0)}

    by_engineer = {(f.period.month, f.key): (f.opened, f.closed) for f in correction_figures(start, end, by="engineer")}
    assert by_engineer == {(3, org.engineer.pk): (1, 0), (4, org.engineer.pk): (0, 1), (4, org.other_engineer.pk): (1, 0)}

    mine = correction_figures(start, end, by="all", team_ids=[org.team.pk])
    assert [(f.period.month, f.opened, f.closed) for f in mine] == [(3, 1, 0), (4, 0, 1)]
    # The end is exclusive.
    assert correction_figures(start, april - timedelta(minutes=30), by="all")[0].opened == 1
    assert len(correction_figures(start, april - timedelta(minutes=30), by="all")) == 1
