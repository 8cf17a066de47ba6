"""A large-scale work request of the customer department, supervised by the
IT strategy department whose approver decides on its plan (BS2)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk.accounts.models import Department
from largework.services import plan_approve, plan_create, plan_save, plan_submit
from tests import factories as f
from tests.helpers.clock import kst
from tests.helpers.large_work import content
from tickets.lifecycle import Status
from tickets.models import Kind


@pytest.fixture
def frozen_at():
    # Tuesday 3 March 2026, 09:00 in Seoul.
    return kst(2026, 3, 3, 9)


@pytest.fixture
def supervised(org, approver) -> Department:
    org.customer_dept.supervisor = approver.department
    org.customer_dept.save(update_fields=["supervisor"])
    return approver.department


@pytest.fixture
def work(org, supervised, frozen):
    return f.TicketFactory(
        kind=Kind.LARGE_WORK, reporter=org.customer, team=org.team, assignee=org.lead,
        status=Status.DIAGNOSING, title="품질관리부 PC 일괄 교체",
    )


@pytest.fixture
def plan(work, org):
    plan = plan_create(ticket=work, actor=org.lead, contact=org.customer)
    plan_save(plan=plan, actor=org.lead, **content(org))
    plan.refresh_from_db()
    return plan


@pytest.fixture
def one_hour():
    return timedelta(hours=1)


@pytest.fixture
def approved(plan, org, approver):
    """The plan submitted by the lead and approved by the supervising department."""
    plan_submit(plan=plan, actor=org.lead)
    plan_approve(plan=plan, actor=approver)
    plan.refresh_from_db()
    return plan
