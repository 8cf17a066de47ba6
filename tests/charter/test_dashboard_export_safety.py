"""Exports never carry a formula from user text, and every list's Excel export
opens, whatever its title holds (a title with ":" once broke three of them)."""
from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest

from charter.dashboard.selectors import LIST_NAMES
from helpdesk.core.spreadsheets import safe_cell_text, sheet_title
from tests.charter.dashboard_helpers import URL, ticket
from tests.charter.repeat_helpers import faults
from tests.helpers.clock import NOW

pytestmark = pytest.mark.usefixtures("frozen", "dashboard_live", "standard")

EVIL = "=cmd|' /C calc'!A0"


def test_a_formula_typed_as_a_title_stays_text_in_csv_and_excel(org, client_for) -> None:
    ticket(org, title=EVIL, resolve_by=NOW - timedelta(hours=1))
    client = client_for(org.lead)
    body = b"".join(client.get(f"{URL}list/overdue/?format=csv").streaming_content).decode("utf-8-sig")
    assert EVIL in body and f",{EVIL}" not in body and f'"{EVIL}' not in body
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{URL}list/overdue/?format=xlsx").content))
    values = [cell.value for row in book.active.iter_rows() for cell in row if isinstance(cell.value, str)]
    found = [v for v in values if EVIL in v]
    assert found and all(not v.startswith(("=", "+", "-", "@")) for v in found)
    assert all(cell.data_type != "f" for row in book.active.iter_rows() for cell in row)


@pytest.mark.parametrize("name", LIST_NAMES)
def test_every_list_exports_to_excel_and_csv(org, client_for, name) -> None:
    ticket(org, title="보통 제목", resolve_by=NOW - timedelta(hours=1), escalation_level=2)
    faults(org, 3)
    client = client_for(org.lead)
    query = "&level=2" if name == "escalated" else ""
    response = client.get(f"{URL}list/{name}/?format=xlsx{query}")
    assert response.status_code == 200, name
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active.max_row >= 1
    response = client.get(f"{URL}list/{name}/?format=csv{query}")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")


def test_the_helpers_keep_text_plain_and_titles_legal() -> None:
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert safe_cell_text(f"{start}SUM(A1)").startswith(" ")
    assert safe_cell_text("-") == " -" and safe_cell_text("보통") == "보통"
    assert sheet_title("Repeat faults: escalated [MT5]/x?*") == "Repeat faults  escalated  MT5"[:31]
    assert len(sheet_title("가" * 40)) == 31 and sheet_title(":::") == "list"
