"""Schema-driven fuzzing (issue 15 part 4): schemathesis reads /api/schema/ and
throws generated requests — valid ones and deliberately broken ones — at every
operation, as a staff member and as a customer, through the WSGI application
(every middleware included). It fails on any server error and on any answer
the schema does not describe (status, content type or body).

Bounded so `make test` stays quick: EXAMPLES requests per operation and mode
(valid, invalid, and valid with every path id naming a real object), each sent
twice."""
from __future__ import annotations

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from desk.services import calls
from helpdesk.wsgi import application
from tests import factories as f
from tickets import services
from visits import services as visit_services

EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = pytest.mark.schemathesis


@pytest.fixture
def known(org, standard) -> dict[str, int]:
    """Real objects for the operations with an id in their path: the customer's
    ticket with comments, a visit and a callback memo on it."""
    tickets = [
        services.ticket_create(
            actor=org.customer, reporter=org.customer, reporter_name=org.customer.display_name,
            reporter_department=org.customer_dept, title=f"PC 고장 {i}", asset=org.asset, category=org.category,
        )
        for i in range(3)
    ]
    ticket = tickets[0]
    services.comment_add(ticket=ticket, author=org.engineer, body="내부 메모", is_public=False)
    services.comment_add(ticket=ticket, author=org.customer, body="언제 오시나요?")
    f.TicketFactory(reporter=org.other_customer, team=org.team, title="다른 고객의 요청")
    start = timezone.now() + timedelta(days=1)
    visit = visit_services.visit_book(
        ticket=ticket, engineer=org.engineer, actor=org.desk_agent, start=start, end=start + timedelta(hours=1),
        purpose="PC 점검", agreed_by_phone=True, off_hours_requested=True,
    )
    memo = calls.callback_memo_create(
        actor=org.desk_agent, handler=org.engineer, caller_name="김민수", department=org.customer_dept,
        phone="010-5555-1234", matter="프린터 문의", ticket=ticket,
    )
    return {"tickets": ticket.pk, "visits": visit.pk, "callbacks": memo.pk}


@pytest.fixture(autouse=True)
def _wsgi_keeps_the_tests_connection():
    """The WSGI handler closes the database connection at the end of every request
    (close_old_connections), which ends the test's transaction on PostgreSQL;
    Django's own test client unhooks it the same way while it calls the app."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(org, known, token_for, settings) -> dict[str, str]:
    """A desk agent (sees and may do everything staff do) and the customer."""
    settings.API_RATE_LIMIT = "100000/m"
    return {"staff": token_for(org.desk_agent), "customer": token_for(org.customer)}


def api_schema(staff_token: str):
    """The schema as /api/schema/ serves it, with calls going to the WSGI application."""
    return schemathesis.openapi.from_wsgi(
        reverse("api:schema"), application, headers={"Authorization": f"Bearer {staff_token}"}
    )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE, "real_ids"], ids=str)
def test_api_answers_every_request_as_its_schema_says(callers, known, mode):
    """Every operation, EXAMPLES generated requests each, sent as staff and as a
    customer: no 5xx, and every answer is one the schema describes. (The
    schemathesis pytest plugin's own runner does not work with pytest 9's node
    ids; its strategies are used directly, one Hypothesis run per operation.)"""
    schema = api_schema(callers["staff"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]
    failures: list[str] = []
    for operation in operations:
        if mode == "real_ids":
            # Random ids mostly name nothing (a 404): here every {id} names a real object.
            if "{id}" not in operation.path:
                continue
            strategy = operation.as_strategy(path_parameters={"id": known[operation.path.split("/")[2]]})
        else:
            strategy = operation.as_strategy(generation_mode=mode)

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=strategy)
        def check(case) -> None:
            for token in callers.values():
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, not only the first
            failures.append(f"{operation.label}: {str(exc)[:3000]}")
    assert not failures, "\n\n".join(failures)
