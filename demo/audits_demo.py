"""The demo's misconduct case (CR2): the demo customer reports that the
engineer of one of their tickets asked for money; only `auditor` sees it.
Written through the audits services; safe to run twice."""
from __future__ import annotations

from audits.models import MisconductReport
from audits.services import case_findings_record, case_take, misconduct_report
from helpdesk.accounts.models import User
from tickets.models import Ticket

DEMO_STATEMENT = "방문 수리 때 담당자가 빨리 처리해 주겠다며 식사비 명목으로 5만원을 요구했습니다."


def audits_demo_ensure(people: dict[str, User]) -> None:
    customer, auditor = people["customer"], people["auditor"]
    if MisconductReport.objects.filter(reporter=customer, statement=DEMO_STATEMENT).exists():
        return
    ticket = Ticket.objects.filter(reporter=customer, assignee=people["engineer"]).order_by("pk").first()
    report = misconduct_report(
        reporter=customer,
        accused_name=people["engineer"].display_name,
        statement=DEMO_STATEMENT,
        ticket=ticket,
    )
    case = case_take(case=report.case, actor=auditor)
    case_findings_record(case=case, actor=auditor, findings="신고자 면담 완료. 해당 직원 면담 일정 조율 중.")
