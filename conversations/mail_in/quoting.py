"""A reply without the message it replies to: what a comment keeps of a mail.

Cut at the first line where the quoted message begins:

- our reply marker ("##- … -##", in any language: the notice's footer and the
  top of its HTML carry it);
- "On <date>, <name> wrote:" and Korean Gmail's "<date>, <name>님이 작성:"
  (which clients may wrap onto two lines);
- Outlook's "-----Original Message-----" / "-----원본 메시지-----", and its
  header block "From:/보낸 사람:" followed by "Sent:/Date:/보낸 날짜:/날짜:" or
  "To:/받는 사람:" or "Subject:/제목:" within the next lines;

then drop the lines still quoted with ">" (an answer written between quoted
lines keeps the answer), and trailing separators and blank lines. When that
would leave nothing (someone wrote only below the quote), the text is kept
whole rather than lost.
"""
from __future__ import annotations

import re

_MARKER = re.compile(r"^\s*(?:>\s*)*##-.*-##\s*$")
_WROTE = re.compile(r"^\s*(?:On\s.+\swrote|.+님이\s*작성)\s*:?\s*$", re.IGNORECASE)
_WROTE_START = re.compile(r"^\s*(?:On\s|\d{4}[-./년])", re.IGNORECASE)
_ORIGINAL = re.compile(r"^\s*-{2,}\s*(?:Original Message|Forwarded message|원본 메시지|원본 메일|전달된 메시지)\s*-{2,}\s*$", re.IGNORECASE)
_FROM = re.compile(r"^\s*\**(?:From|보낸\s*사람)\s*\**\s*:", re.IGNORECASE)
_HEADER_AFTER_FROM = re.compile(
    r"^\s*\**(?:Sent|Date|To|Cc|Subject|보낸\s*날짜|날짜|받는\s*사람|참조|제목)\s*\**\s*:", re.IGNORECASE
)
_SEPARATOR = re.compile(r"^\s*(?:_{5,}|-{5,}|={5,})\s*$")
_QUOTED = re.compile(r"^\s*>")


def _quote_starts(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _MARKER.match(line) or _ORIGINAL.match(line):
        return True
    if _WROTE.match(line) and _WROTE_START.match(line):
        return True
    # "On Tue, 10 Mar 2026 at 10:00, 홍길동 <a@b.c>" / "wrote:" wrapped onto two lines.
    if i + 1 < len(lines) and _WROTE_START.match(line) and not _QUOTED.match(line):
        joined = f"{line.rstrip()} {lines[i + 1].strip()}"
        if _WROTE.match(joined) and len(joined) < 300:
            return True
    if _FROM.match(line):
        following = [ln for ln in lines[i + 1 : i + 5] if ln.strip()]
        return any(_HEADER_AFTER_FROM.match(ln) for ln in following)
    return False


def reply_trim(text: str) -> str:
    """The new part of a reply (see the module's docstring)."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    cut = next((i for i in range(len(lines)) if _quote_starts(lines, i)), len(lines))
    kept = [line.rstrip() for line in lines[:cut] if not _QUOTED.match(line)]
    while kept and (not kept[-1].strip() or _SEPARATOR.match(kept[-1])):
        kept.pop()
    while kept and not kept[0].strip():
        kept.pop(0)
    trimmed = "\n".join(kept)
    return trimmed if trimmed.strip() else (text or "").strip()
