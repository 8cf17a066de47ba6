"""No input causes a server error (issue 16): the delay notice, the escalated
list's `?level=` and the lead's dashboard filters, fed arbitrary dates, numbers
and text (hypothesis)."""
from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from charter.dashboard.selectors import LIST_NAMES
from tests.helpers.fuzz import FUZZ, datetime_text, fields, no_server_error, number_text, text

pytestmark = pytest.mark.usefixtures("standard")


@FUZZ
@given(data=fields(reason=st.one_of(text, st.just("부품 입고 지연")), new_date=datetime_text), htmx=st.booleans())
@example(data={"reason": "부품 입고 지연", "new_date": "9999-12-31T23:59"}, htmx=False)  # the probe
@example(data={"reason": "부품 입고 지연", "new_date": "0001-01-01T00:00"}, htmx=True)
@example(data={"reason": "부품 입고 지연", "new_date": "2026-02-30T10:00"}, htmx=False)
def test_the_delay_notice_never_fails(org, due_today, kept_client_for, data, htmx):
    # Due after NOW: a notice in range moves the deadline and the ladder is computed again.
    url = reverse("charter:delay_notice_file", args=[due_today.pk])
    no_server_error(kept_client_for(org.engineer).post(url, data, headers={"HX-Request": "true"} if htmx else {}))


@FUZZ
@given(page=st.sampled_from(["escalated", "dashboard", *LIST_NAMES]), query=fields(
    level=number_text, engineer=number_text, page=number_text, team=number_text, period=number_text,
    format=st.one_of(text, st.sampled_from(["csv", "xlsx"])),
))
@example(page="escalated", query={"level": "9" * 30, "page": "²"})
@example(page="escalated", query={"level": "²"})
@example(page="overdue", query={"engineer": "²", "level": "٣", "team": "9" * 30})
def test_the_escalated_list_and_the_dashboard_never_fail(org, frozen, kept_client_for, page, query):
    if page == "escalated":
        url = reverse("charter:escalated")
    elif page == "dashboard":
        url = reverse("charter:dashboard:index")
    else:
        url = reverse("charter:dashboard:list", args=[page])
    no_server_error(kept_client_for(org.lead).get(url, query))
