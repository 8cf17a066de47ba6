"""Every dashboard list as Excel (openpyxl, write-only) or CSV.

Rows are streamed from the database with `.iterator()` and written as they
come, so an export never holds the list in memory; it is capped at
`EXPORT_LIMIT` rows (a note row says so) to keep one request bounded.
CSV carries a UTF-8 byte-order mark so Excel opens Korean text correctly.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.core.spreadsheets import safe_cell_text, sheet_title
from helpdesk.core.times import LOCAL_TEXT

EXPORT_LIMIT = 50_000
FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        # Excel has no time zones: local (Seoul) time, as people read it.
        return timezone.localtime(value).replace(tzinfo=None)
    if value is None:
        return ""
    return value


def _limited(rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
    for i, row in enumerate(rows):
        if i >= EXPORT_LIMIT:
            yield [_("Only the first %(n)s rows are exported; narrow the filters for the rest.") % {"n": EXPORT_LIMIT}]
            return
        yield row


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([str(h) for h in headers])
        for row in _limited(rows):
            yield writer.writerow([_text(_cell(v)) for v in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime(LOCAL_TEXT)  # already local: _cell made it so
    if isinstance(value, str):
        return safe_cell_text(value)  # a title typed as "=cmd|…" stays text
    return str(value)


def xlsx_response(headers: Sequence[str], rows: Iterable[Sequence[Any]], filename: str, *, title: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=sheet_title(title))
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        cell = WriteOnlyCell(sheet, value=safe_cell_text(h))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in _limited(rows):
        cells = []
        for value in row:
            value = _cell(value)
            if isinstance(value, str):
                value = safe_cell_text(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_response(
    fmt: str,
    *,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    filename: str,
    title: str,
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        return xlsx_response(headers, rows, filename, title=title)
    return csv_response(headers, rows, filename)


RowMaker = Callable[[Any], Sequence[Any]]
