"""What every export to Excel or CSV does to text: nothing a user typed may
become a formula, and a sheet title is one Excel accepts."""
from __future__ import annotations

import re

# A cell starting with one of these is read as a formula by Excel and
# LibreOffice (CSV injection); a leading space makes it plain text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters an .xlsx cannot hold (openpyxl refuses them).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
# Excel refuses these in a sheet's title, and titles longer than 31 characters.
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def safe_cell_text(value: object) -> str:
    """`value` as text that no spreadsheet takes for a formula."""
    text = _ILLEGAL.sub("", str(value))
    return f" {text}" if text.startswith(FORMULA_STARTS) else text


def sheet_title(title: str, *, default: str = "list") -> str:
    cleaned = _TITLE_FORBIDDEN.sub(" ", str(title)).strip().strip("'")[:31].strip()
    return cleaned or default
