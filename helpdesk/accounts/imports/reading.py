"""An uploaded file as a table: its columns, its rows, and the line each row was on.

CSV comes from everywhere: Excel's "CSV UTF-8" (with a byte-order mark),
plain UTF-8, Korean systems' and Korean Excel's own CSV in CP949/EUC-KR, and
Excel's "Unicode text" (UTF-16, tab-separated). The encoding is detected —
UTF-8 and UTF-16 by their marks and a strict decode, the Korean code pages by
charset-normalizer limited to them — never guessed from the user's choice.
Workbooks (.xlsx) are read with openpyxl, the first sheet.

Every row keeps the line it was on in the file (the header is line 1, as in a
spreadsheet), blank lines counted, so that a refused row can be named the way
its author finds it. The header's names are matched without regard to case,
spaces or a Korean alias (사번 → employee_no): each resource lists its own.
Anything wrong with the file as a whole is an ActionRefused with a translated
message; rows are judged later, one by one, by the resource.
"""
from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

import tablib
from charset_normalizer import from_bytes
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from helpdesk.core.errors import ActionRefused

# Control characters (PostgreSQL refuses NUL in text; the rest are noise in a name or a tag).
_CONTROL = dict.fromkeys(range(32))


@dataclass(frozen=True)
class ImportTable:
    """The file's known columns (canonical names) and its data rows, each with its line."""

    headers: list[str]
    rows: list[list[Any]]
    lines: list[int]
    encoding: str
    ignored: list[str] = field(default_factory=list)

    def dataset(self) -> tablib.Dataset:
        return tablib.Dataset(*self.rows, headers=self.headers)


def column_key(name: str) -> str:
    """`Employee No`, ` employee-no ` and `EMPLOYEE_NO` are one column."""
    return "_".join(str(name).translate(_CONTROL).strip().lstrip("\ufeff").lower().replace("-", " ").split())


def cell_value(value: Any) -> Any:
    """A cell as the resources read it: text trimmed, whole numbers without
    ".0" (Excel stores 20190001 and 1012345678 as numbers), dates as dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).translate(_CONTROL).strip()


def text_decode(content: bytes) -> tuple[str, str]:
    """(text, encoding name) of a CSV file, or ActionRefused."""
    if content.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8-sig", "UTF-8")]
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = [("utf-16", "UTF-16")]
    else:
        candidates = [("utf-8", "UTF-8")]
    for codec, name in candidates:
        try:
            return content.decode(codec), name
        except UnicodeDecodeError:
            pass
    if candidates[0][1] == "UTF-8" and not content.startswith(codecs.BOM_UTF8):
        # Not UTF-8: a Korean code page, if charset-normalizer reads it as one without mess.
        best = from_bytes(content, cp_isolation=["cp949", "euc_kr"]).best()
        if best is not None:
            return str(best), "CP949 (EUC-KR)"
    raise ActionRefused(
        _(
            "The file's characters cannot be read. Save it as CSV UTF-8, or as an Excel workbook (.xlsx); "
            "CSV from Korean systems in CP949/EUC-KR is read as well."
        ),
        field="file",
    )


def csv_records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of each record, blank ones left out but counted."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if any(d in first_line for d in ",;\t") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                yield line, record
            line = reader.line_num + 1
    except csv.Error as error:
        raise ActionRefused(
            _("Line %(line)d of the file is not CSV that can be read (%(error)s).") % {"line": line, "error": error},
            field="file",
        ) from error


def xlsx_records(content: bytes) -> Iterator[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ActionRefused(
            _("The Excel workbook cannot be opened; save it again as .xlsx (Excel 2007 or later)."), field="file"
        ) from error
    try:
        sheet = book.worksheets[0]
        for line, record in enumerate(sheet.iter_rows(values_only=True), start=1):
            if any(value not in (None, "") for value in record):
                yield line, record
    finally:
        book.close()


def import_table_read(
    *, content: bytes, file_name: str, columns: Iterable[str], required: Iterable[str], aliases: Mapping[str, str]
) -> ImportTable:
    """The table in `content` (a CSV or .xlsx file named `file_name`) with the
    `columns` a resource knows; ActionRefused when it cannot be read, lacks a
    `required` column, or holds no rows."""
    suffix = PurePath(file_name or "").suffix.lower()
    if not content:
        raise ActionRefused(_("The file is empty."), field="file")
    if len(content) > settings.DIRECTORY_IMPORT_MAX_BYTES:
        raise ActionRefused(
            _("The file is larger than %(size)s; split it into smaller files.")
            % {"size": filesizeformat(settings.DIRECTORY_IMPORT_MAX_BYTES)},
            field="file",
        )
    if suffix in (".csv", ".txt", ".tsv"):
        text, encoding = text_decode(content)
        records: Iterator[tuple[int, Sequence[Any]]] = csv_records(text)
    elif suffix in (".xlsx", ".xlsm"):
        records, encoding = xlsx_records(content), "Excel"
    elif suffix == ".xls":
        raise ActionRefused(
            _("Old Excel files (.xls) cannot be read; save the file as an Excel workbook (.xlsx) or as CSV."),
            field="file",
        )
    else:
        raise ActionRefused(_("Upload a CSV file or an Excel workbook (.xlsx)."), field="file")

    known = {column_key(c): c for c in columns} | {column_key(a): c for a, c in aliases.items()}
    try:
        _header_line, header = next(records)
    except StopIteration:
        raise ActionRefused(_("The file is empty."), field="file") from None
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        text = cell_value(name)
        column = known.get(column_key(str(text)))
        if column is None:
            if str(text).strip():
                ignored.append(str(text))
            continue
        if column in positions:
            raise ActionRefused(
                _("The column %(column)s appears twice in the first row.") % {"column": column}, field="file"
            )
        positions[column] = index
    missing = [c for c in required if c not in positions]
    if missing:
        raise ActionRefused(
            _(
                "The first row must name the columns; it lacks %(columns)s. "
                "The columns are listed on the import page and in the README."
            )
            % {"columns": ", ".join(missing)},
            field="file",
        )
    headers = list(positions)
    rows: list[list[Any]] = []
    lines: list[int] = []
    for line, record in records:
        rows.append([cell_value(record[i]) if i < len(record) else "" for i in positions.values()])
        lines.append(line)
        if len(rows) > settings.DIRECTORY_IMPORT_MAX_ROWS:
            raise ActionRefused(
                _("The file has more than %(n)d rows; split it into smaller files.")
                % {"n": settings.DIRECTORY_IMPORT_MAX_ROWS},
                field="file",
            )
    if not rows:
        raise ActionRefused(_("The file has no rows below its first row (the column names)."), field="file")
    return ImportTable(headers=headers, rows=rows, lines=lines, encoding=encoding, ignored=ignored)
