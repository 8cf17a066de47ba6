"""HTML-only mail turned into readable text with the standard library's parser.

Paragraphs and line breaks become lines, list items "- ", table cells are
separated by " | ", scripts, styles and the head are dropped, and a
<blockquote> (how Gmail, Naver and Apple Mail quote the message replied to)
becomes lines starting with "> ", so that quoting.reply_trim can cut it like
a plain-text quote. Entities are decoded. Never raises: what the parser cannot
make sense of is text.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "table", "tr", "ul", "ol", "h1", "h2", "h3",
    "h4", "h5", "h6", "pre", "hr", "address", "center", "dl", "dt", "dd", "form", "fieldset",
}
_SKIPPED = {"script", "style", "head", "title", "template", "noscript", "xml"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.quote_depth = 0
        self.in_pre = 0

    def _break(self, *, blank: bool = False) -> None:
        """End the current line; an empty one is kept only where a <br> or a
        paragraph's end asked for it (`blank`), not between two blocks."""
        line = "".join(self.current)
        if not self.in_pre:
            line = _SPACES.sub(" ", line).strip()
        if not line and not blank and not self.in_pre:
            self.current = []
            return
        self.lines.append(("> " * self.quote_depth) + line if line else ("> " * self.quote_depth).rstrip())
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self._break(blank=True)
        elif tag == "blockquote":
            self._break()
            self.quote_depth += 1
        elif tag == "li":
            self._break()
            self.current.append("- ")
        elif tag in ("td", "th") and self.current:
            self.current.append(" | ")
        elif tag == "pre":
            self._break()
            self.in_pre += 1
        elif tag in _BLOCKS:
            self._break()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._break(blank=tag == "br")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "blockquote":
            self._break()
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag == "pre":
            self._break()
            self.in_pre = max(0, self.in_pre - 1)
        elif tag in _BLOCKS or tag == "li":
            self._break()
            if tag == "p":
                self._break(blank=True)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.in_pre:
            parts = data.split("\n")
            for i, part in enumerate(parts):
                if i:
                    self._break()
                self.current.append(part)
            return
        self.current.append(data.replace("\n", " "))

    def text(self) -> str:
        self._break()
        out: list[str] = []
        for line in self.lines:
            # One blank line at most between paragraphs.
            if not line.strip(" >") and out and not out[-1].strip(" >"):
                continue
            out.append(line.rstrip())
        return "\n".join(out).strip("\n")


def html_to_text(html: str) -> str:
    parser = _TextParser()
    try:
        parser.feed(html or "")
        parser.close()
    except Exception:  # html.parser is lenient; whatever still trips it is read as text
        return re.sub(r"<[^>]*>", " ", html or "").strip()
    return parser.text()
