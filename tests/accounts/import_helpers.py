"""Import files made in the test (CSV in any encoding, .xlsx) and one run of
helpdesk.accounts.imports.runs.import_run; the assets' tests use them too."""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from helpdesk.accounts.imports.kinds import import_kind
from helpdesk.accounts.imports.runs import ImportReport, import_run


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8", bom: bool = False, delimiter: str = ",") -> bytes:
    text = io.StringIO(newline="")
    csv.writer(text, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (codecs.BOM_UTF8 if bom else b"") + text.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, sheet: str = "Sheet1") -> bytes:
    book = Workbook()
    book.active.title = sheet
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def run(kind: str, content: bytes, file_name: str = "file.csv", *, dry_run: bool = False) -> ImportReport:
    found = import_kind(kind)
    assert found is not None
    return import_run(kind=found, content=content, file_name=file_name, dry_run=dry_run)


def outcome(report: ImportReport) -> list[tuple[int, str, str]]:
    """(line, action, key) of every row: what a preview shows at a glance."""
    return [(row.line, row.action, row.key) for row in report.rows]
