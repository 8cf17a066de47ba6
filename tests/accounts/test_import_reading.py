"""Reading an import file (helpdesk.accounts.imports.reading): the same table
from UTF-8 with or without its mark, CP949/EUC-KR, UTF-16 and .xlsx; every row
with its line in the file; a clear refusal for a file that cannot be read."""
from __future__ import annotations

import codecs
import re
from datetime import date, datetime

import pytest

from helpdesk.accounts.imports.reading import import_table_read
from helpdesk.core.errors import ActionRefused
from tests.accounts.import_helpers import csv_bytes, xlsx_bytes

COLUMNS = ["username", "employee_no", "last_name", "first_name", "department", "installed_on"]
ALIASES = {"아이디": "username", "사번": "employee_no", "성": "last_name", "이름": "first_name", "부서코드": "department"}
ROWS = [["아이디", "사번", "성", "이름", "부서코드"], ["minji.kim", "20190001", "김", "민지", "QA"], ["gildong.hong", "20150007", "홍", "길동", "SVC"]]


def read(content: bytes, name: str = "people.csv", *, required=("username", "last_name")):
    return import_table_read(content=content, file_name=name, columns=COLUMNS, required=required, aliases=ALIASES)


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (csv_bytes(ROWS), "UTF-8"),
        (csv_bytes(ROWS, bom=True), "UTF-8"),  # Excel's "CSV UTF-8"
        (csv_bytes(ROWS, encoding="cp949"), "CP949 (EUC-KR)"),  # Korean Excel's plain "CSV"
        (csv_bytes(ROWS, encoding="euc-kr"), "CP949 (EUC-KR)"),  # older Korean systems
        (codecs.BOM_UTF16_LE + csv_bytes(ROWS, encoding="utf-16-le", delimiter="\t"), "UTF-16"),  # Excel's "Unicode text"
        (csv_bytes(ROWS, delimiter=";"), "UTF-8"),
    ],
    ids=["utf8", "utf8-bom", "cp949", "euc-kr", "utf16-tab", "semicolons"],
)
def test_every_encoding_gives_the_same_korean_table(content, encoding):
    table = read(content)

    assert table.encoding == encoding
    assert table.headers == ["username", "employee_no", "last_name", "first_name", "department"]
    assert table.rows == [["minji.kim", "20190001", "김", "민지", "QA"], ["gildong.hong", "20150007", "홍", "길동", "SVC"]]
    assert table.lines == [2, 3]


def test_headings_match_without_case_or_spaces_and_unknown_columns_are_ignored():
    table = read(csv_bytes([["User Name", "LAST-NAME", "비고", "first_name"], ["a", "김", "메모", "민지"]]), required=())
    assert table.headers == ["last_name", "first_name"]
    assert table.ignored == ["User Name", "비고"]


def test_a_row_keeps_its_line_blank_lines_and_multi_line_cells_counted():
    content = b"username,last_name\r\n\r\nminji.kim,\"Kim\r\nsecond line\"\r\n,\r\ngildong.hong,Hong\r\n"
    table = read(content)
    assert table.lines == [3, 6]
    assert table.rows[1] == ["gildong.hong", "Hong"]


def test_an_excel_workbook_reads_numbers_and_dates_as_people_typed_them():
    content = xlsx_bytes(
        [
            ["username", "employee_no", "last_name", "installed_on"],
            [None, None, None, None],
            ["minji.kim", 20190001, "김", datetime(2024, 3, 15)],
            ["gildong.hong", 20150007.0, "홍", date(2023, 1, 2)],
        ]
    )
    table = read(content, "people.xlsx")
    assert table.encoding == "Excel"
    assert table.lines == [3, 4]
    assert table.rows == [["minji.kim", "20190001", "김", date(2024, 3, 15)], ["gildong.hong", "20150007", "홍", date(2023, 1, 2)]]


def test_control_characters_are_dropped_from_cells():
    table = read(csv_bytes([["username", "last_name"], ["min\x00ji", "김\x07"]]))
    assert table.rows == [["minji", "김"]]


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        ("name,city\nMüller,Köln\nJosé,São Paulo\n".encode("cp1252"), "people.csv", "characters cannot be read"),
        (b"", "people.csv", "empty"),
        (b"\xd0\xcf\x11\xe0 old excel", "people.xls", "Old Excel files (.xls)"),
        (b"%PDF-1.4", "people.pdf", "Upload a CSV file or an Excel workbook"),
        (b"PK not really a workbook", "people.xlsx", "Excel workbook cannot be opened"),
        (csv_bytes([["username", "first_name"], ["a", "b"]]), "people.csv", "it lacks last_name"),
        (csv_bytes([["username", "last_name"]]), "people.csv", "no rows below its first row"),
        (csv_bytes([["username", "아이디", "last_name"], ["a", "a", "b"]]), "people.csv", "column username appears twice"),
    ],
    ids=["latin1", "empty", "xls", "pdf", "bad-xlsx", "missing-column", "header-only", "twice"],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(content, name, says):
    with pytest.raises(ActionRefused, match=re.escape(says)):
        read(content, name)


def test_the_size_and_row_limits(settings):
    settings.DIRECTORY_IMPORT_MAX_ROWS = 2
    with pytest.raises(ActionRefused, match="more than 2 rows"):
        read(csv_bytes([["username", "last_name"], ["a", "x"], ["b", "y"], ["c", "z"]]))
    settings.DIRECTORY_IMPORT_MAX_BYTES = 10
    with pytest.raises(ActionRefused, match="larger than"):
        read(csv_bytes([["username", "last_name"], ["a", "x"]]))
