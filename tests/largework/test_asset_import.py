"""The plan's asset list from a file: CSV as Korean Excel saves it (CP949) or
UTF-8, or an .xlsx workbook; every bad line named with its number and nothing
imported until the whole file is right."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from helpdesk.core.errors import ActionRefused
from largework.services.asset_import import assets_from_file
from tests import factories as f
from tests.largework.staff_steps import PDF, csv_file, xlsx_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def pcs(org):
    return [f.AssetFactory(department=org.customer_dept, tag=f"QA-{n:03d}") for n in range(1, 4)]


def refusal(file) -> str:
    with pytest.raises(ActionRefused) as caught:
        assets_from_file(file)
    assert caught.value.field == "asset_file"
    return caught.value.message


def test_a_cp949_csv_with_korean_headers_is_read(pcs):
    file = csv_file([["자산번호", "비고"], ["QA-001", "3층 창가"], ["QA-002", ""]], encoding="cp949")
    assert file.read().startswith("자산번호".encode("cp949"))
    file.seek(0)
    assert assets_from_file(file) == [(pcs[0], "3층 창가"), (pcs[1], "")]


def test_a_utf8_csv_with_a_bom_and_english_headers_is_read(pcs):
    file = csv_file([["note", "asset_tag"], ["회의실", "QA-003"]], encoding="utf-8-sig")
    assert assets_from_file(file) == [(pcs[2], "회의실")]


def test_an_xlsx_list_is_read_and_blank_rows_are_skipped(pcs):
    file = xlsx_file([["자산번호", "비고"], ["QA-002", "교체"], [None, None], ["QA-001", None]])
    assert assets_from_file(file) == [(pcs[1], "교체"), (pcs[0], "")]


def test_each_bad_line_is_named_and_nothing_is_imported(pcs):
    file = csv_file(
        [["자산번호", "비고"], ["QA-001", ""], ["QA-999", "없는 자산"], ["", "번호 없음"], ["QA-001", "중복"]],
        encoding="cp949",
    )
    message = refusal(file)
    assert "not imported" in message
    assert "Line 3: no asset has the tag QA-999." in message
    assert "Line 4: the asset tag is empty." in message
    assert "Line 5: QA-001 is already on line 2." in message
    # In the order of the file.
    assert message.index("Line 3") < message.index("Line 4") < message.index("Line 5")


def test_past_twenty_bad_lines_the_rest_are_counted(pcs):
    rows = [["asset_tag"]] + [[f"NOPE-{n}"] for n in range(25)]
    message = refusal(csv_file(rows))
    assert "Line 21:" in message and "Line 22:" not in message
    assert "…and 5 more lines." in message


def test_a_list_without_the_tag_column_says_which_columns_it_needs(pcs):
    message = refusal(csv_file([["번호", "비고"], ["QA-001", ""]]))
    assert "asset_tag (자산번호)" in message and "번호, 비고" in message


def test_more_than_two_thousand_rows_are_refused(pcs):
    rows = [["asset_tag"]] + [[f"QA-{n:05d}"] for n in range(2001)]
    assert "more than 2,000 rows" in refusal(csv_file(rows))


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("assets.pdf", PDF, "application/pdf"), "CSV file or an Excel workbook"),
        (SimpleUploadedFile("assets.txt", b"asset_tag\nQA-001\n", "text/plain"), "CSV file or an Excel workbook"),
        (SimpleUploadedFile("assets.xlsx", b"PK\x03\x04 not a workbook", "application/octet-stream"), "could not be read as an Excel workbook"),
        (SimpleUploadedFile("assets.exe", b"MZ", "application/octet-stream"), "cannot be attached"),
        (SimpleUploadedFile("assets.csv", b"", "text/csv"), "is empty"),
        (SimpleUploadedFile("assets.csv", b"\n\n", "text/csv"), "The file is empty"),
        (SimpleUploadedFile("assets.csv", b"asset_tag\n", "text/csv"), "no assets below its header"),
        (SimpleUploadedFile("assets.csv", "asset_tag\nQA-001\n".encode("utf-16"), "text/csv"), "does not look like"),
        (SimpleUploadedFile("assets.csv", b"asset_tag\n\xff\xfe\xfd\n", "text/csv"), "could not be read as text"),
    ],
)
def test_a_file_that_is_not_an_asset_list_is_refused(pcs, file, message):
    assert message in refusal(file)
