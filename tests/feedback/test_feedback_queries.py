"""The queues and record pages read a page of rows in a fixed number of queries (no N+1)."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import FeedbackKind
from feedback.services import feedback_file

from .steps import complaint_about, upheld

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more(org, handled_ticket, n: int) -> None:
    for _ in range(n):
        c = complaint_about(handled_ticket, org.customer)
        upheld(c, org.lead)
        feedback_file(actor=org.customer, kind=FeedbackKind.COMMENDATION, body="친절", employee=org.engineer)


@pytest.mark.parametrize("name,who", [("feedback:queue", "lead"), ("feedback:team", "lead"), ("feedback:me", "engineer"), ("feedback:my_list", "customer")])
def test_a_page_costs_the_same_queries_for_two_rows_or_ten(org, handled_ticket, client_for, name, who):
    client = client_for(getattr(org, who))
    url = reverse(name)
    _more(org, handled_ticket, 2)
    few = _queries(client, url)
    _more(org, handled_ticket, 8)
    assert _queries(client, url) == few
    assert _queries(client, url + "?tab=commendations") <= few + 2
