"""Steps the demo stories call for large-scale work (BS2–BS4), through the real
services: the plan written and submitted by the lead, approved by the
supervising department's approver, its windows done, and the report filed."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from helpdesk.accounts.models import User
from largework.models import PlanWindow, WindowState, WorkPlan
from largework.services import (
    WindowData,
    plan_approve,
    plan_create,
    plan_save,
    plan_submit,
    report_submit,
    window_record,
)
from standards.selectors import calendar_for, current_standard
from tickets.models import Ticket

Step = Callable[[Ticket, User, dict[str, User]], object]

# A one-page PDF (the demo's scanned report): enough for the upload checks.
REPORT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _business_mornings(start: datetime, count: int) -> list[datetime]:
    """The 10:00 of the next `count` business days after `start`, in Seoul."""
    cal = calendar_for(current_standard())
    mornings: list[datetime] = []
    day = timezone.localtime(start, cal.tz).date()
    while len(mornings) < count:
        day += timedelta(days=1)
        if cal.is_business_day(day):
            mornings.append(datetime(day.year, day.month, day.day, 10, tzinfo=cal.tz))
    return mornings


def plan_written(*, seats: int, windows: int, off_hours: bool = False, submit: bool = True) -> Step:
    """The lead opens the plan with `windows` two-hour windows on the next business days."""

    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        plan = plan_create(ticket=ticket, actor=actor, contact=ticket.reporter or actor)
        starts = _business_mornings(timezone.now(), windows)
        plan_save(
            plan=plan,
            actor=actor,
            title=ticket.title,
            departments=[ticket.reporter_department],
            scope=ticket.description or ticket.title,
            seats=seats,
            staffing="PC지원팀 3명, 네트워크팀 1명",
            risks="데이터 이전 실패 시 기존 PC를 보관해 두었다가 1시간 안에 원복합니다.",
            customer_notice="작업 시간 동안 좌석을 비워 주시고, 개인 파일은 전날까지 서버에 저장해 주십시오.",
            windows=[
                WindowData(
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    what=f"{n}차 교체 ({seats // windows}석)",
                    seats_out_minutes=40,
                    off_hours_requested=off_hours,
                )
                for n, start in enumerate(starts, start=1)
            ],
        )
        if submit:
            plan_submit(plan=plan, actor=actor)
        return plan

    return run


def plan_approved() -> Step:
    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        return plan_approve(plan=WorkPlan.objects.get(ticket=ticket), actor=actor)

    return run


def windows_done() -> Step:
    """The lead records every window that has begun by now as done."""

    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        plan = WorkPlan.objects.get(ticket=ticket)
        begun = PlanWindow.objects.filter(
            version=plan.current, state=WindowState.PLANNED, starts_at__lte=timezone.now()
        ).order_by("starts_at")
        for window in begun:
            window_record(window=window, actor=actor, done=True)
        return plan

    return run


def report_filed() -> Step:
    def run(ticket: Ticket, actor: User, people: dict[str, User]) -> object:
        plan = WorkPlan.objects.get(ticket=ticket)
        return report_submit(
            plan=plan,
            actor=actor,
            summary=f"{plan.current.title}: 계획한 {plan.current.seats}석 작업을 모두 마쳤습니다.",
            by_department=f"{ticket.reporter_department}: {plan.current.seats}석 완료, 미완료 없음",
            exceptions="",
            follow_ups="교체 후 1주일간 사용자 문의를 우선 처리합니다.",
            attachments=[SimpleUploadedFile("완료보고서.pdf", REPORT_PDF, "application/pdf")],
        )

    return run
