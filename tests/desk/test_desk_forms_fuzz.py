"""No input causes a server error (issue 16): the desk's pages — answering a
call, a callback memo, a walk-in, the directory, the diagnosis and the ticket
picked for a call — fed arbitrary text, numbers and ids (hypothesis)."""
from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from desk.services import call_record
from tests.helpers.fuzz import FUZZ, fields, no_server_error, number_text, text

pytestmark = pytest.mark.django_db

ids = st.one_of(number_text, st.sampled_from(["1", "2", "3"]))
lookup = fields(caller=ids, visitor=ids, q=text, page=number_text, scope=text)


@FUZZ
@given(data=fields(
    rings=number_text, seconds_to_answer=number_text, caller=ids, caller_number=text, caller_name=text,
    caller_department=ids,
), query=lookup, post=st.booleans())
@example(data={"rings": "9" * 30, "caller": "²"}, query={"caller": "²"}, post=True)
@example(data={}, query={"caller": "²", "page": "9" * 5000}, post=False)
def test_answering_a_call_never_fails(org, kept_client_for, data, query, post):
    client = kept_client_for(org.desk_agent)
    no_server_error(client.post(reverse("desk:phone"), data) if post else client.get(reverse("desk:phone"), query))


@FUZZ
@given(data=fields(handler=ids, caller_name=text, department=ids, phone=st.one_of(text, number_text), matter=text,
                   caller=ids),
       query=lookup, page=st.sampled_from(["desk:callbacks", "desk:callback_new", "post"]))
def test_callback_memos_never_fail(org, kept_client_for, data, query, page):
    client = kept_client_for(org.desk_agent)
    if page == "post":
        no_server_error(client.post(reverse("desk:callback_new"), data))
    else:
        no_server_error(client.get(reverse(page), query))


@FUZZ
@given(data=fields(visitor=ids, visitor_name=text, department=ids, matter=text, handler=ids, ticket=number_text),
       query=lookup, page=st.sampled_from(["desk:walk_ins", "desk:directory", "post"]))
@example(data={"visitor": "²", "ticket": "9" * 30, "handler": "٣"}, query={}, page="post")
@example(data={}, query={"q": "\x00", "visitor": "²"}, page="desk:directory")
def test_walk_ins_and_the_directory_never_fail(org, kept_client_for, data, query, page):
    client = kept_client_for(org.desk_agent)
    if page == "post":
        no_server_error(client.post(reverse("desk:walk_ins"), data))
    else:
        no_server_error(client.get(reverse(page), query))


@FUZZ
@given(ticket=number_text, diagnosis=fields(findings=text, duration=number_text, unit=text, ask_consent=text),
       attach=st.booleans())
def test_a_call_linked_to_any_ticket_number_and_any_diagnosis_never_fail(
    org, phone_fault, kept_client_for, ticket, diagnosis, attach
):
    if attach:
        call, _ = call_record(agent=org.desk_agent, rings=1)
        no_server_error(kept_client_for(org.desk_agent).post(reverse("desk:call_attach", args=[call.pk]), {"ticket": ticket}))
    else:
        url = reverse("desk:diagnosis_record", args=[phone_fault.pk])
        no_server_error(kept_client_for(org.engineer).post(url, diagnosis))
