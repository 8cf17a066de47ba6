"""No input causes a server error (issue 16): a plan's edit page — its content
and its window rows — fed arbitrary dates, times, numbers and text, and the
management form's counts too (hypothesis)."""
from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from tests.helpers.fuzz import FUZZ, date_text, fields, no_server_error, number_text, text, time_text

pytestmark = pytest.mark.django_db

row = fields(
    start_date=date_text, start_time=time_text, end_date=date_text, end_time=time_text, what=text,
    seats_out_minutes=number_text, off_hours_requested=text,
)


@FUZZ
@given(rows=st.lists(row, max_size=3), content=fields(title=text, seats=number_text, scope=text),
       total=st.one_of(st.none(), number_text))
@example(rows=[{"start_date": "9999-12-31", "start_time": "23:59", "end_date": "9999-12-31", "end_time": "23:59",
                "what": "교체"}], content={}, total=None)
@example(rows=[{"start_date": "0001-01-01", "start_time": "00:00", "end_time": "01:00", "what": "교체"}], content={},
         total="9" * 30)
def test_the_plan_edit_page_never_fails(plan, org, kept_client_for, rows, content, total):
    data = {
        "title": "품질관리부 PC 일괄 교체", "departments": [org.customer_dept.pk], "scope": "전 좌석 PC 교체",
        "seats": "40", "staffing": "3명", "risks": "원복", "customer_notice": "좌석을 비워 주십시오.",
        "windows-TOTAL_FORMS": str(len(rows)) if total is None else total, "windows-INITIAL_FORMS": "0",
        **content,
    }
    for i, typed in enumerate(rows):
        data.update({f"windows-{i}-{k}": v for k, v in typed.items()})
    no_server_error(kept_client_for(org.lead).post(reverse("largework:plan_edit", args=[plan.pk]), data))
