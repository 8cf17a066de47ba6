"""Steps the staff page tests of large-scale work take through the services:
the plan approved, its windows recorded, its report filed, and asset lists
made as Korean offices save them."""
from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from largework.models import CompletionReport, PlanWindow, WorkPlan
from largework.services import plan_approve, plan_submit, report_submit, window_record

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def approve(plan: WorkPlan, org, approver) -> WorkPlan:
    """The plan's current version submitted by the lead and approved."""
    plan_submit(plan=plan, actor=org.lead)
    plan_approve(plan=plan, actor=approver)
    plan.refresh_from_db()
    return plan


def windows_of(plan: WorkPlan) -> list[PlanWindow]:
    return list(PlanWindow.objects.filter(version=plan.current_id).order_by("starts_at"))


def record_all(plan: WorkPlan, org, frozen) -> WorkPlan:
    """Every window of the approved plan done, the clock moved to the end of each."""
    for window in windows_of(plan):
        frozen.move_to(window.ends_at)
        window_record(window=window, actor=org.lead, done=True)
    plan.refresh_from_db()
    return plan


def file_report(plan: WorkPlan, org) -> CompletionReport:
    return report_submit(
        plan=plan, actor=org.lead, summary="40대 교체 완료\n데이터 이전 확인", by_department="품질관리부 40대",
        exceptions="1대 부품 대기", follow_ups="다음 주 재방문",
        attachments=[SimpleUploadedFile("완료 보고서.pdf", PDF, "application/pdf")],
    )


def csv_file(rows: list[list[str]], *, name: str = "assets.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), "text/csv")


def xlsx_file(rows: list[list[object]], *, name: str = "assets.xlsx") -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile(name, data.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
