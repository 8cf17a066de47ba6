"""No input causes a server error (issue 16): the customer's fault report, the
staff queue's filters and the desk's intake, fed arbitrary text, numbers and
dates (hypothesis). Example tests of each bound are in test_queue_intake_bounds.py."""
from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from tests.helpers.fuzz import FUZZ, date_text, datetime_text, fields, no_server_error, number_text, text

pytestmark = pytest.mark.django_db

NEW = reverse("portal:ticket_new")
QUEUE = reverse("staff:queue")
INTAKE = reverse("staff:intake")

report = fields(
    title=text, description=text, asset=st.one_of(number_text, st.just("other")), asset_other=text,
    category=number_text, questions_for=number_text, contact_phone=st.one_of(text, number_text), _refresh=text,
)


@FUZZ
@given(data=report, how=st.sampled_from(["post", "get", "fields", "list"]))
@example(data={"title": "²"}, how="list")
def test_the_fault_report_and_the_customers_list_never_fail(org, standard, kept_client_for, data, how):
    client = kept_client_for(org.customer)
    if how == "post":
        no_server_error(client.post(NEW, data))
    elif how == "get":  # the same values as the page's query
        no_server_error(client.get(NEW, data))
    elif how == "fields":  # and as its htmx refresh
        no_server_error(client.get(reverse("portal:ticket_new_fields"), data, headers={"HX-Request": "true"}))
    else:
        no_server_error(client.get(reverse("portal:ticket_list"), {"q": data.get("title", ""), "page": data.get("asset", ""),
                                                                  "status": data.get("category", "")}))


@FUZZ
@given(query=fields(
    date_from=date_text, date_to=date_text, page=number_text, tab=text, q=text, status=text, kind=text,
    priority=text, team=number_text, assignee=number_text, department=number_text,
))
@example(query={"date_from": "9999-12-31", "date_to": "9999-12-31"})  # the probe
@example(query={"date_from": "0001-01-01", "date_to": "0001-01-01", "assignee": "9" * 30, "page": "²"})
@example(query={"date_to": "2026-02-30", "team": "٣"})
@example(query={"q": "#²"})  # "²".isdigit() is true; int("²") is an error
def test_the_queue_filters_never_fail(org, kept_client_for, query):
    no_server_error(kept_client_for(org.desk_agent).get(QUEUE, query))


@FUZZ
@given(data=fields(
    reporter=number_text, reporter_name=text, reporter_department=number_text, contact_phone=text,
    channel=text, kind=st.sampled_from(["fault", "support", "x"]), title=text, description=text,
    asset=number_text, asset_other=text, category=number_text, priority=text, requested_by=datetime_text,
), lookup=st.booleans())
@example(data={"reporter_name": "방문객", "reporter_department": "1", "channel": "phone", "kind": "support", "title": "설치",
               "priority": "normal", "requested_by": "9999-12-31T23:59"}, lookup=False)
@example(data={"reporter_name": "방문객", "reporter_department": "1", "channel": "phone", "kind": "support", "title": "설치",
               "priority": "normal", "requested_by": "0001-01-01T00:00"}, lookup=False)
@example(data={"reporter": "²"}, lookup=True)
def test_the_desk_intake_never_fails(org, standard, kept_client_for, data, lookup):
    client = kept_client_for(org.desk_agent)
    if lookup:
        no_server_error(client.get(INTAKE, {"q": data.get("title", ""), "reporter": data.get("reporter", "")}))
    else:
        no_server_error(client.post(INTAKE, data))
