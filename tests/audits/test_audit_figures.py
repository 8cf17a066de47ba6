"""CR2 figures: reports received and cases closed per period, in SQL."""
from __future__ import annotations

import time_machine

from audits.figures import audit_figures
from audits.models import Decision
from audits.services import case_decide, case_take, misconduct_report
from tests.helpers.clock import kst


def test_cr2_reports_and_closed_cases_per_month(org, auditor, django_assert_num_queries):
    march, april = kst(2026, 3, 31, 23, 30), kst(2026, 4, 1, 0, 30)
    with time_machine.travel(march, tick=False):
        first = misconduct_report(reporter=org.customer, accused_name="a", statement="b").case
        misconduct_report(reporter=org.customer, accused_name="c", statement="d")
        case_take(case=first, actor=auditor)
    with time_machine.travel(april, tick=False):
        case_decide(case=first, actor=auditor, decision=Decision.SUBSTANTIATED, findings="f", action_taken="징계")
    with django_assert_num_queries(2):
        rows = audit_figures(kst(2026, 3, 1), kst(2026, 5, 1))
    assert [(r.period.month, r.reported, r.closed, r.substantiated) for r in rows] == [(3, 2, 0, 0), (4, 0, 1, 1)]
