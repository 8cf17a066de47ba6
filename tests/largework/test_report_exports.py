"""The completion report (BS3) as PDF and Excel: downloadable by anyone who may
read the plan once there is a report, Korean text in a Korean font with the
department's contacts on every page, and no user text an Excel formula."""
from __future__ import annotations

import io
import os
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse

from helpdesk.core.pdf_documents import CID_FONT
from helpdesk.core.spreadsheets import FORMULA_STARTS, safe_cell_text
from largework import exports
from largework.services import plan_save
from tests import factories as f
from tests.helpers.large_work import content
from tests.largework.staff_steps import approve, file_report, record_all

pytestmark = pytest.mark.django_db

FORMULA_TITLE = "=cmd|' /C calc'!A0"
# Debian's fonts-nanum, which CI installs (.ci/run): the Korean TrueType font production uses.
NANUM = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")


def url(name: str, plan) -> str:
    return reverse(f"largework:{name}", args=[plan.pk])


@pytest.fixture
def reported(plan, org, approver, frozen):
    """The plan approved, both windows done, and its report filed with one document."""
    approve(plan, org, approver)
    record_all(plan, org, frozen)
    file_report(plan, org)
    return plan


def cell_texts(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_there_is_nothing_to_download_before_the_report(plan, org, client_for):
    client = client_for(org.lead)
    assert client.get(url("report_pdf", plan)).status_code == 404
    assert client.get(url("report_xlsx", plan)).status_code == 404


def test_the_lead_downloads_the_report_as_pdf(reported, org, client_for):
    response = client_for(org.lead).get(url("report_pdf", reported))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and ".pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-") and response.content.rstrip().endswith(b"%%EOF")
    assert len(response.content) > 2000


def test_readers_of_the_plan_download_it_and_nobody_else(reported, org, approver, client_for):
    # The customer's contact, another customer of the department, and the approver read the plan.
    for reader in (org.customer, org.other_customer, approver):
        assert client_for(reader).get(url("report_xlsx", reported)).status_code == 200
    outsider = f.UserFactory(username="outsider", department=f.DepartmentFactory(division=org.division), roles=["customer"])
    for stranger in (org.other_engineer, outsider):
        assert client_for(stranger).get(url("report_pdf", reported)).status_code == 404
        assert client_for(stranger).get(url("report_xlsx", reported)).status_code == 404


def test_the_excel_report_holds_the_content_and_no_formula(plan, org, approver, frozen, client_for):
    plan_save(plan=plan, actor=org.lead, **content(org, title=FORMULA_TITLE))
    approve(plan, org, approver)
    record_all(plan, org, frozen)
    file_report(plan, org)
    response = client_for(org.lead).get(url("report_xlsx", plan))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    titles = [c for c in cells if "cmd|" in str(c.value)]
    assert titles and all(c.data_type == "s" and not str(c.value).startswith("=") for c in titles)
    assert not any(c.data_type == "f" for c in cells)
    texts = " ".join(str(c.value) for c in cells)
    assert "40대 교체 완료" in texts and "1대 부품 대기" in texts and "완료 보고서.pdf" in texts
    assert "eservice@hcnc.co.kr" in texts  # the department's contacts


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_like_a_formula_is_made_safe(start):
    assert not safe_cell_text(f"{start}1+1").startswith(FORMULA_STARTS)
    assert safe_cell_text("보통 글") == "보통 글"
    assert safe_cell_text("a\x00b\x1fc") == "abc"  # characters an .xlsx cannot hold


def test_the_pdf_is_made_with_the_built_in_korean_font_when_the_file_is_missing(reported, settings):
    settings.REPORT_FONT_PATH = "/nonexistent/NanumGothic.ttf"
    pdf = exports.report_pdf(reported)
    assert pdf.startswith(b"%PDF-") and CID_FONT.encode() in pdf


@pytest.mark.skipif(
    not NANUM.is_file() and os.environ.get("CI") != "true", reason="fonts-nanum is not installed (CI installs it)"
)
def test_the_pdf_embeds_the_korean_truetype_font_the_setting_names(reported, settings):
    settings.REPORT_FONT_PATH = str(NANUM)
    pdf = exports.report_pdf(reported)
    assert pdf.startswith(b"%PDF-") and b"NanumGothic" in pdf and CID_FONT.encode() not in pdf


def test_the_report_content_has_every_part(reported):
    report = exports.report_content(reported)
    assert report.title == "품질관리부 PC 일괄 교체"
    facts = dict(report.facts)
    assert facts["Request"].startswith(f"#{reported.ticket_id} ") and facts["Customer departments"] == "품질관리부"
    assert [row[3] for row in report.windows] == ["Done", "Done"]
    assert report.windows[0][1] == "2026-03-05 10:00–12:00"
    assert [label for label, _text in report.sections] == ["What was done", "Per department or asset", "Exceptions", "Follow-ups"]
    assert report.attachments and report.attachments[0].startswith("완료 보고서.pdf")
