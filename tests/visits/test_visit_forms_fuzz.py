"""No input causes a server error (issue 16): the engineer's day (`?date=`),
booking a visit, proposing another time (staff and customer), a late notice
and a follow-up visit, fed arbitrary dates, times and text (hypothesis)."""
from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from tests.helpers.fuzz import FUZZ, date_text, fields, no_server_error, number_text, text, time_text

pytestmark = pytest.mark.django_db

window = {"date": date_text, "start_time": time_text, "end_time": time_text}


@FUZZ
@given(query=fields(date=date_text, page=number_text))
@example(query={"date": "9999-12-31"})  # the probe: every one used to be a 500
@example(query={"date": "0001-01-01"})
@example(query={"date": "2026-02-30", "page": "9" * 30})
def test_the_engineers_day_never_fails(org, frozen, kept_client_for, query):
    no_server_error(kept_client_for(org.engineer).get(reverse("visits:day"), query))


@FUZZ
@given(data=fields(
    engineer=st.one_of(number_text, st.sampled_from(["1", "2", "3"])), companion=number_text, purpose=text,
    agreed_by_phone=text, **window,
))
@example(data={"engineer": "2", "purpose": "점검", "date": "9999-12-31", "start_time": "23:59", "end_time": "23:59"})
@example(data={"engineer": "2", "purpose": "점검", "date": "0001-01-01", "start_time": "00:00", "end_time": "01:00"})
def test_booking_never_fails(ticket, org, kept_client_for, data):
    no_server_error(kept_client_for(org.desk_agent).post(reverse("visits:book", args=[ticket.pk]), data))


@FUZZ
@given(data=fields(note=text, **window), by_customer=st.booleans())
@example(data={"date": "9999-12-31", "start_time": "10:00", "end_time": "11:00"}, by_customer=True)
@example(data={"date": "0001-01-01", "start_time": "10:00", "end_time": "11:00"}, by_customer=False)
def test_proposing_another_time_never_fails(proposed, org, kept_client_for, data, by_customer):
    if by_customer:
        url, who = reverse("visits:customer_propose", args=[proposed.pk]), org.customer
    else:
        url, who = reverse("visits:staff_propose", args=[proposed.pk]), org.engineer
    no_server_error(kept_client_for(who).post(url, data))


@FUZZ
@given(late=fields(new_arrival=time_text, reason=text), follow=fields(reason=text, **window), is_late=st.booleans())
@example(late={"new_arrival": "23:59"}, follow={"reason": "부품", "date": "9999-12-31", "start_time": "10:00",
                                                "end_time": "11:00"}, is_late=False)
def test_late_notices_and_follow_ups_never_fail(checked_in, org, kept_client_for, late, follow, is_late):
    client = kept_client_for(org.engineer)
    if is_late:
        no_server_error(client.post(reverse("visits:late_notice", args=[checked_in.pk]), late))
    else:
        no_server_error(client.post(reverse("visits:follow_up", args=[checked_in.pk]), follow))
