"""Issue 16's bounds on the delay notice (MT1): the new expected date is a promise,
at most two years ahead. A year-9999 date used to be accepted and stored (and
then walked day by day by the deadline sweep); now it is a message beside the
field, with the reason typed kept, and nothing is filed. Past the form, the
service refuses a date the business calendar cannot reach in its own words."""
from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from charter.models import DelayNotice
from charter.services import delay_notice_file
from helpdesk.core.errors import ActionRefused
from tests.helpers.clock import NOW, SEOUL
from tests.helpers.ticket_steps import open_ticket
from tickets.models import Kind, Ticket

pytestmark = pytest.mark.usefixtures("standard")

RANGE = "Enter a date between 2025-01-01 and 2028-12-31."


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("2026-02-30T10:00", "Enter a date and time such as 2026-03-04 15:00."),
        ("9999-12-31T23:59", RANGE),
        ("0001-01-01T00:00", RANGE),
        ("2029-01-01T09:00", RANGE),  # one day past the last
    ],
)
def test_a_new_date_out_of_range_is_a_message_keeping_the_reason(org, due_today, client_for, typed, error):
    response = client_for(org.engineer).post(
        reverse("charter:delay_notice_file", args=[due_today.pk]), {"reason": "부품 입고 지연", "new_date": typed}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert error in html and f'value="{typed}"' in html and "부품 입고 지연" in html
    assert not DelayNotice.objects.exists()


def test_the_last_allowed_day_is_a_new_committed_date_with_its_ladder(org, due_today, client_for):
    response = client_for(org.engineer).post(
        reverse("charter:delay_notice_file", args=[due_today.pk]), {"reason": "부품 입고 지연", "new_date": "2028-12-31T17:00"}
    )
    assert response.status_code == 302
    due_today.refresh_from_db()
    assert due_today.resolve_by == datetime(2028, 12, 31, 17, tzinfo=SEOUL)
    assert NOW < due_today.warn_at < due_today.resolve_by


def test_the_service_refuses_a_date_the_calendar_cannot_reach(org, due_today):
    with pytest.raises(ActionRefused) as refused:
        delay_notice_file(ticket=due_today, actor=org.engineer, reason="지연", new_date=datetime(9999, 12, 31, tzinfo=SEOUL))
    assert refused.value.field == "new_date"
    assert refused.value.message == "That date is too far from today to count business time to; choose a nearer one."
    assert not DelayNotice.objects.exists()
    due_today.refresh_from_db()
    assert due_today.resolve_by.year == 2026


def test_a_ticket_asking_for_a_date_the_calendar_cannot_reach_is_not_opened(org, frozen):
    with pytest.raises(ActionRefused) as refused:
        open_ticket(org, NOW, kind=Kind.SUPPORT, requested_by=datetime(9999, 12, 31, tzinfo=SEOUL))
    assert refused.value.field == "requested_by"
    assert not Ticket.objects.exists()


def test_a_deadline_stored_before_the_bounds_still_shows_its_page(org, due_today, client_for):
    # A year-9999 notice accepted before this change: the page shows the date, no countdown.
    Ticket.objects.filter(pk=due_today.pk).update(resolve_by=datetime(9999, 12, 31, tzinfo=SEOUL))
    client = client_for(org.engineer)
    response = client.get(reverse("staff:ticket_detail", args=[due_today.pk]))
    assert response.status_code == 200 and "9999-12-31" in response.content.decode()
    assert client.get(reverse("staff:queue")).status_code == 200
    assert client_for(org.customer).get(reverse("portal:ticket_detail", args=[due_today.pk])).status_code == 200
