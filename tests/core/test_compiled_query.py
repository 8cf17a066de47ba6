"""A query compiled once and run with new arguments (helpdesk/core/compiled_query.py)
answers exactly what the ORM answers for the same arguments."""
from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from helpdesk.core.compiled_query import CompiledQuery
from tests import factories as f
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _by_reporter(reporter_pk: int, team_pk: int):
    return (
        Ticket.objects.filter(Q(reporter_id=reporter_pk) | Q(team_id=team_pk))
        .values("reporter_id")
        .annotate(n=Count("pk"))
        .order_by("reporter_id")
    )


def test_it_answers_as_the_orm_for_every_set_of_arguments(org):
    f.TicketFactory.create_batch(3, reporter=org.customer, team=org.team)
    f.TicketFactory.create_batch(2, reporter=org.other_customer, team=org.other_team)
    query = CompiledQuery(_by_reporter, 2)
    for reporter, team in [(org.customer, org.other_team), (org.other_customer, org.team), (org.customer, org.team)]:
        assert query.rows(reporter.pk, team.pk) == list(_by_reporter(reporter.pk, team.pk))


def test_it_is_one_query_per_run(org):
    query = CompiledQuery(_by_reporter, 2)
    query.rows(org.customer.pk, org.team.pk)
    with CaptureQueriesContext(connection) as captured:
        query.rows(org.other_customer.pk, org.other_team.pk)
    assert len(captured.captured_queries) == 1


def test_an_argument_that_never_reaches_the_sql_is_refused(org):
    query = CompiledQuery(lambda pk, unused: Ticket.objects.filter(pk=pk).values("pk"), 2)
    with pytest.raises(ValueError):
        query.rows(1, 2)
    with pytest.raises(TypeError):
        CompiledQuery(_by_reporter, 2).rows(1)
