"""A customer's ticket handled by the engineer, and the misconduct report the
customer made about that engineer (CR2)."""
from __future__ import annotations

import pytest
from django.utils import timezone

from audits.models import AuditCase
from audits.services import misconduct_report
from tests.helpers.ticket_steps import open_ticket


@pytest.fixture
def handled_ticket(org):
    return open_ticket(org, timezone.now(), assign=org.engineer)


@pytest.fixture
def case(org, handled_ticket, auditor) -> AuditCase:
    """The customer reports that the engineer asked for money; the auditor exists to be told."""
    report = misconduct_report(
        reporter=org.customer,
        accused_name="박준호",
        statement="수리를 빨리 해주는 대가로 5만원을 요구했습니다.",
        ticket=handled_ticket,
    )
    return report.case
