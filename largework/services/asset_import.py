"""The plan's asset list from a file (BS2: the scope names its assets): a CSV
as Korean offices save it (UTF-8 with or without a BOM, or CP949/EUC-KR from
Excel) or an .xlsx workbook, with a header row naming the columns.

Every bad line is named with its line number and nothing is imported until the
whole file is right: a half-imported list would silently leave assets out of
the scope the approver approves.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from helpdesk.core.errors import ActionRefused
from tickets.models import Asset
from tickets.uploads import upload_check

FIELD = "asset_file"
MAX_ROWS = 2000
# Bad lines named in the message; the rest are counted.
MAX_NAMED = 20
# Header names in either language (compared lower-cased, spaces and underscores alike).
TAG_HEADERS = {"asset_tag", "자산번호"}
NOTE_HEADERS = {"note", "비고"}

Row = tuple[int, list[str]]  # (line number in the file, cells)


def _refuse(message: str) -> ActionRefused:
    return ActionRefused(message, field=FIELD)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        # Excel stores a numeric tag such as 1024 as 1024.0.
        return str(int(value))
    return str(value).strip()


def _csv_text(raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # CP949 is a superset of EUC-KR: what Korean Excel writes as "CSV".
        return raw.decode("cp949")
    except UnicodeDecodeError:
        raise _refuse(_("The file could not be read as text: save it as CSV (UTF-8) or as an Excel workbook.")) from None


def _csv_rows(file: UploadedFile) -> Iterator[Row]:
    text = _csv_text(file.read())
    first_line = text.split("\n", 1)[0]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for cells in reader:
            yield reader.line_num, [_cell_text(c) for c in cells]
    except csv.Error:
        raise _refuse(
            _("Line %(line)s of the file could not be read as CSV.") % {"line": reader.line_num}
        ) from None


def _xlsx_rows(file: UploadedFile) -> Iterator[Row]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise _refuse(_("The file could not be read as an Excel workbook (.xlsx).")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _rows(file: UploadedFile) -> Iterator[Row]:
    extension = PurePath(file.name or "").suffix.lower()
    if extension == ".csv":
        return _csv_rows(file)
    if extension == ".xlsx":
        return _xlsx_rows(file)
    raise _refuse(_("Upload the asset list as a CSV file or an Excel workbook (.xlsx)."))


def _header_key(text: str) -> str:
    return text.strip().lower().replace(" ", "_")


def _columns(header: list[str]) -> tuple[int, int | None]:
    keys = [_header_key(h) for h in header]
    tag = next((i for i, k in enumerate(keys) if k in TAG_HEADERS), None)
    if tag is None:
        raise _refuse(
            _(
                "The first row must name the columns: asset_tag (자산번호), and optionally note (비고). "
                "Found: %(found)s."
            )
            % {"found": ", ".join(h for h in header if h) or _("nothing")}
        )
    note = next((i for i, k in enumerate(keys) if k in NOTE_HEADERS), None)
    return tag, note


def _listed(problems: list[tuple[int, str]]) -> str:
    problems.sort(key=lambda p: p[0])
    named = [text for _line, text in problems[:MAX_NAMED]]
    rest = len(problems) - len(named)
    if rest:
        named.append(ngettext("…and %(n)s more line.", "…and %(n)s more lines.", rest) % {"n": rest})
    return "\n".join([_("The asset list was not imported; correct these lines and upload it again:"), *named])


def assets_from_file(file: UploadedFile) -> list[tuple[Asset, str]]:
    """The (asset, note) pairs of an uploaded asset list, in the file's order;
    ActionRefused(field="asset_file") naming every bad line otherwise."""
    try:
        upload_check(file)
    except ActionRefused as exc:
        raise _refuse(exc.message) from None
    rows = _rows(file)
    header: list[str] | None = None
    entries: list[tuple[int, str, str]] = []  # (line, tag, note)
    problems: list[tuple[int, str]] = []
    tag_at = note_at = None
    for line, cells in rows:
        if not any(cells):
            continue  # blank lines (Excel leaves them at the end) say nothing
        if header is None:
            header = cells
            tag_at, note_at = _columns(cells)
            continue
        if len(entries) + len(problems) >= MAX_ROWS:
            raise _refuse(
                _("The list has more than %(n)s rows; import at most %(n)s assets at a time.") % {"n": f"{MAX_ROWS:,}"}
            )
        assert tag_at is not None
        tag = cells[tag_at] if tag_at < len(cells) else ""
        note = cells[note_at] if note_at is not None and note_at < len(cells) else ""
        if not tag:
            problems.append((line, _("Line %(line)s: the asset tag is empty.") % {"line": line}))
            continue
        entries.append((line, tag, note))
    if header is None:
        raise _refuse(_("The file is empty: it needs a header row and one asset per row."))
    if not entries and not problems:
        raise _refuse(_("The file has no assets below its header row."))
    first_line: dict[str, int] = {}
    for line, tag, _note in entries:
        if tag in first_line:
            problems.append(
                (line, _("Line %(line)s: %(tag)s is already on line %(first)s.") % {"line": line, "tag": tag, "first": first_line[tag]})
            )
        else:
            first_line[tag] = line
    known = {a.tag: a for a in Asset.objects.filter(tag__in=list(first_line))}
    for tag, line in first_line.items():
        if tag not in known:
            problems.append((line, _("Line %(line)s: no asset has the tag %(tag)s.") % {"line": line, "tag": tag}))
    if problems:
        raise _refuse(_listed(problems))
    return [(known[tag], note[:200]) for line, tag, note in entries if first_line[tag] == line]
