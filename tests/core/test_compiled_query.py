"""A query compiled once and run with new arguments (helpdesk/core/compiled_query.py)
answers exactly what the ORM answers for the same arguments."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from helpdesk.core.compiled_query import CompiledQuery, CompiledShapes, MarkerLost
from tests import factories as f
from tickets.models import Ticket, TicketEvent
from tickets.services import comment_add

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


def test_an_argument_the_query_does_not_use_is_left_out(org):
    mine = f.TicketFactory(reporter=org.customer)
    query = CompiledQuery(lambda pk, unused: Ticket.objects.filter(pk=pk).values("pk"), 2)
    assert query.rows(mine.pk, 12345) == [{"pk": mine.pk}]
    with pytest.raises(TypeError):
        CompiledQuery(_by_reporter, 2).rows(1)


def test_an_argument_that_reaches_the_sql_changed_is_refused(org):
    query = CompiledQuery(lambda pk: Ticket.objects.filter(pk=pk + 1).values("pk"), 1)
    with pytest.raises(MarkerLost):
        query.rows(1)


def test_moments_are_arguments_too_and_values_come_back_converted(org, frozen):
    made = []
    for _ in range(3):
        frozen.shift(timedelta(minutes=1))
        made.append(f.TicketFactory(reporter=org.customer, reporter_is_vip=True))
    comment_add(ticket=made[0], author=org.engineer, body="확인")

    def before(moment):
        return Ticket.objects.filter(created_at__lt=moment).order_by("pk").values("pk", "created_at", "reporter_is_vip")

    query = CompiledQuery(before, 1)
    for ticket in made:
        assert query.rows(ticket.created_at) == list(before(ticket.created_at))
    events = CompiledQuery(lambda pk: TicketEvent.objects.filter(ticket_id=pk).order_by("pk").values("kind", "data"), 1)
    rows = events.rows(made[0].pk)
    assert rows == list(TicketEvent.objects.filter(ticket_id=made[0].pk).order_by("pk").values("kind", "data"))
    assert all(isinstance(row["data"], dict) for row in rows)  # JSON read as the ORM reads it


def test_a_query_that_can_match_nothing_asks_nothing(org):
    query = CompiledQuery(lambda pk: Ticket.objects.filter(pk=pk, team_id__in=[]).values("pk"), 1)
    with CaptureQueriesContext(connection) as captured:
        assert query.rows(1) == []
    assert captured.captured_queries == []


def _by_shape(shape, pk):
    status, plus_one = shape
    qs = Ticket.objects.filter(pk=pk + 1 if plus_one else pk)
    return (qs.filter(status=status) if status else qs).values("pk")


def test_shapes_are_compiled_once_each_and_the_oldest_let_go(org):
    ticket = f.TicketFactory(reporter=org.customer)
    shapes = CompiledShapes(_by_shape, most=2)
    assert shapes.rows(("", False), ticket.pk) == [{"pk": ticket.pk}]
    assert shapes.rows((ticket.status, False), ticket.pk) == [{"pk": ticket.pk}]
    assert shapes.rows(("resolved", False), ticket.pk) == []
    assert shapes.compiled_shapes() == 2  # the first shape was let go
    with CaptureQueriesContext(connection) as captured:
        shapes.rows(("resolved", False), ticket.pk)
    assert len(captured.captured_queries) == 1


def test_a_shape_that_cannot_be_compiled_is_read_through_the_orm(org):
    first, second = f.TicketFactory(reporter=org.customer), f.TicketFactory(reporter=org.customer)
    shapes = CompiledShapes(_by_shape)
    assert second.pk == first.pk + 1
    assert shapes.rows(("", True), first.pk) == [{"pk": second.pk}]  # the marker arrived as marker + 1
    assert shapes.rows(("", True), first.pk, compiled=False) == [{"pk": second.pk}]
    assert shapes.compiled_shapes() == 0
