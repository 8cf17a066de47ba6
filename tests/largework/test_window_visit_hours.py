"""Booking sense for large-scale work (issue 18, item 5; BS3): a window's visit
keeps to the visits' rule on working hours, a window the customer asked to have
off hours is a visit they asked for, and a plan cannot hold a window whose
visit could never be booked."""
from __future__ import annotations

from datetime import date

import pytest

from helpdesk.core.errors import ActionRefused
from largework.models import PlanWindow
from largework.services import plan_approve, plan_save, plan_submit, window_visit_book
from standards.models import ClosureDay
from standards.selectors import standards_changed
from tests.helpers.large_work import content, windows

pytestmark = pytest.mark.django_db


def plan_windows(plan) -> list[PlanWindow]:
    return list(PlanWindow.objects.filter(version=plan.current).order_by("starts_at"))


def test_an_off_hours_window_books_a_visit_the_customer_asked_for(plan, org, approver):
    # Thursday 5 March in hours, Saturday 7 March at the customer's request.
    plan_save(plan=plan, actor=org.lead, **content(org, windows=windows(5) + windows(7, off_hours=True)))
    plan_submit(plan=plan, actor=org.lead)
    plan_approve(plan=plan, actor=approver)
    thursday, saturday = plan_windows(plan)
    window_visit_book(window=thursday, engineer=org.engineer, actor=org.lead)
    window_visit_book(window=saturday, engineer=org.engineer, actor=org.lead)
    thursday.refresh_from_db()
    saturday.refresh_from_db()
    assert not thursday.visit.off_hours_requested
    assert saturday.visit.off_hours_requested and saturday.visit.agreed_start == saturday.starts_at


def test_a_closure_announced_after_approval_stops_the_windows_visit(approved, org):
    first, _second = plan_windows(approved)
    ClosureDay.objects.create(date=date(2026, 3, 5), reason="정전 작업")
    standards_changed()
    with pytest.raises(ActionRefused, match=r"the department is closed \(정전 작업\)"):
        window_visit_book(window=first, engineer=org.engineer, actor=org.lead)
    first.refresh_from_db()
    assert first.visit is None


def test_a_window_over_lunch_needs_the_customers_request(plan, org):
    with pytest.raises(ActionRefused, match="outside working hours or on a closed day"):
        plan_save(plan=plan, actor=org.lead, **content(org, windows=windows(5, hours=(11, 14))))
    version = plan_save(plan=plan, actor=org.lead, **content(org, windows=windows(5, hours=(11, 14), off_hours=True)))
    assert version.windows.get().off_hours_requested
