"""Issue 16's bounds on the staff side: the queue's "received" filters (dates in
the past: five years back, up to today) and the desk intake's requested
completion (a promise: up to two years ahead). Out of range is a message beside
the field with what was typed kept; a filter is left out and the page says so."""
from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f
from tests.helpers.clock import NOW
from tickets.lifecycle import Status
from tickets.models import Channel, Kind, Ticket

pytestmark = pytest.mark.django_db

QUEUE = reverse("staff:queue")
INTAKE = reverse("staff:intake")
RECEIVED_RANGE = "Enter a date between 2021-01-01 and 2026-03-10."


@pytest.fixture
def two(org, frozen):
    fault = f.TicketFactory(reporter=org.customer, team=org.team, kind=Kind.FAULT, status=Status.RECEIVED, created_at=NOW)
    support = f.TicketFactory(reporter=org.customer, team=org.team, kind=Kind.SUPPORT, status=Status.RECEIVED, created_at=NOW)
    return fault, support


def shown(response) -> set[int]:
    return {t.pk for t in response.context["page_obj"].object_list}


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-02-30", "Enter a valid date."),
        ("9999-12-31", RECEIVED_RANGE),
        ("0001-01-01", RECEIVED_RANGE),
        ("2020-12-31", RECEIVED_RANGE),  # one day before the first
        ("2026-03-11", RECEIVED_RANGE),  # tomorrow: nothing has been received yet
    ],
)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_a_received_date_out_of_range_is_left_out_saying_so_keeping_the_other_filters(
    org, two, en_client_for, field, typed, error
):
    response = en_client_for(org.desk_agent).get(QUEUE, {"tab": "all", "kind": "support", field: typed})
    assert response.status_code == 200
    label = {"date_from": "Received from", "date_to": "Received until"}[field]
    assert response.context["notices"] == [f"Some filters were not understood and were left out: {label}."]
    assert response.context["form"].errors[field] == [error]
    html = response.content.decode()
    assert error in html and f'value="{typed}"' in html
    assert shown(response) == {two[1].pk}  # the kind filter still applies


@pytest.mark.parametrize("typed", ["2021-01-01", "2026-03-10"])
def test_the_first_and_last_received_day_filter(org, two, en_client_for, typed):
    response = en_client_for(org.desk_agent).get(QUEUE, {"tab": "all", "date_from": typed, "date_to": "2026-03-10"})
    assert response.context["notices"] == []
    assert shown(response) == {two[0].pk, two[1].pk}
    assert 'min="2021-01-01"' in response.content.decode() and 'max="2026-03-10"' in response.content.decode()


def intake(org, requested_by: str) -> dict[str, object]:
    return {
        "reporter_name": "방문객", "reporter_department": org.customer_dept.pk, "channel": Channel.PHONE,
        "kind": Kind.SUPPORT, "title": "프로그램 설치", "asset_other": "", "priority": "normal",
        "requested_by": requested_by,
    }


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-02-30T10:00", "Enter a valid date/time."),
        ("9999-12-31T23:59", "Enter a date between 2025-01-01 and 2028-12-31."),
        ("0001-01-01T00:00", "Enter a date between 2025-01-01 and 2028-12-31."),
        ("2029-01-01T09:00", "Enter a date between 2025-01-01 and 2028-12-31."),  # one day past the last
    ],
)
def test_a_requested_completion_out_of_range_is_a_message_keeping_what_was_typed(org, frozen, en_client_for, typed, error):
    response = en_client_for(org.desk_agent).post(INTAKE, intake(org, typed))
    assert response.status_code == 200
    assert response.context["form"].errors["requested_by"] == [error]
    html = response.content.decode()
    assert error in html and f'value="{typed}"' in html and 'value="프로그램 설치"' in html
    assert not Ticket.objects.exists()


def test_a_requested_completion_on_the_last_allowed_day_is_kept_and_its_deadline_computed(org, frozen, standard, en_client_for):
    response = en_client_for(org.desk_agent).post(INTAKE, intake(org, "2028-12-31T17:00"))
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.resolve_by == ticket.requested_by and ticket.requested_by.year == 2028
    assert ticket.warn_at is not None and NOW < ticket.warn_at < ticket.resolve_by
