"""No input causes a server error on the notice settings page: any text in any
box, boxes that do not exist, a list where one value is expected (hypothesis);
and what cannot be read saves nothing."""
from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from helpdesk.notifications.models import NoticePreference
from tests.helpers.fuzz import FUZZ, fields, no_server_error, text

pytestmark = pytest.mark.django_db

boxes = {name: st.one_of(text, st.sampled_from(["on", "", "true", "0"])) for name in (
    "customer_visits__sms", "customer_delay__sms", "staff_assigned__email", "staff_deadlines__email", "digest",
    "no_such__email",
)}


@FUZZ
@given(data=fields(**boxes), staff=st.booleans())
@example(data={"customer_visits__sms": "\x00"}, staff=False)
@example(data={"digest": "on", "staff_deadlines__email": ""}, staff=False)
def test_the_settings_page_never_fails(org, kept_client_for, data, staff):
    response = kept_client_for(org.engineer if staff else org.customer).post(reverse("notifications:settings"), data)
    no_server_error(response)
    if response.status_code == 400:
        assert not NoticePreference.objects.exists()
    NoticePreference.objects.all().delete()
