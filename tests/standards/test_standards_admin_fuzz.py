"""No input causes a server error (issue 16): the admin editing a service
standard — its numbers, times, start, targets and ladder — and adding closure
and open days, fed arbitrary values (hypothesis). The deadlines the standard
sets are walked on the business calendar; a value it cannot walk must be a
message on the form, and a saved standard must still open tickets."""
from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given

from tests.helpers.clock import NOW
from tests.helpers.fuzz import FUZZ, date_text, fields, no_server_error, number_text, text, time_text
from tests.helpers.standards_admin import admin_post
from tests.helpers.ticket_steps import open_ticket

pytestmark = pytest.mark.usefixtures("standard")


@FUZZ
@given(changes=fields(
    number=number_text, warning_percent=number_text, callback_due_minutes=number_text,
    visit_tolerance_minutes=number_text, visit_prompt_minutes=number_text, report_due_business_days=number_text,
    repeat_window_days=number_text, repeat_threshold=number_text, quiet_start=time_text, day_end=time_text,
    effective_from_0=date_text, effective_from_1=time_text,
    targets__0__respond_hours=number_text, targets__0__resolve_hours=number_text, levels__0__value=number_text,
    levels__0__level=number_text,
))
@example(changes={"targets__0__resolve_hours": "99999.99"})  # a ticket under it would walk 50 years
@example(changes={"effective_from_0": "9999-12-31", "callback_due_minutes": "4294967295"})
def test_editing_a_standard_never_fails(org, standard, admin_client, changes):
    response = admin_client.post(
        reverse("admin:standards_standardversion_change", args=[standard.pk]), admin_post(standard, **changes)
    )
    no_server_error(response)
    # Whatever was saved, a ticket opens under it with its deadlines computed.
    assert open_ticket(org, NOW).resolve_by is not None


@FUZZ
@given(day=date_text, reason=text)
@example(day="9999-12-31", reason="x")
def test_adding_closure_and_open_days_never_fails(admin_client, day, reason):
    client = admin_client
    for model in ("closureday", "openday"):
        no_server_error(client.post(reverse(f"admin:standards_{model}_add"), {"date": day, "reason": reason}))
