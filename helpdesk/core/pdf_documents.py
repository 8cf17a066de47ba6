"""What every PDF charterdesk writes shares: the Korean font, paragraph text
escaped for reportlab's markup, and an A4 document whose every page carries the
department's contacts (CT1) and a page label. Used by the large-work completion
report (largework.exports) and the monthly charter report (charter.scoreboard)."""
from __future__ import annotations

import io
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.conf import settings

CID_FONT = "HYSMyeongJo-Medium"


@cache
def pdf_font(path: str) -> str:
    """The registered name of the report's Korean font: the TrueType file at
    `path` when there is one, otherwise reportlab's built-in Korean CID font
    (which every PDF reader with Asian fonts shows)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    if path and Path(path).is_file():
        name = f"Report-{Path(path).stem}"
        try:
            pdfmetrics.registerFont(TTFont(name, path))
            return name
        except TTFError:
            pass  # not a usable TrueType file: fall back rather than fail the download
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def para_text(text: Any) -> str:
    """Text for a reportlab Paragraph, which reads a small XML markup: escaped,
    its line breaks kept."""
    return escape(str(text)).replace("\n", "<br/>")


def a4_pdf(
    story: list[Any],
    *,
    title: str,
    footer: str,
    page_label: Callable[[int], str],
    font: str,
    margin_mm: float,
    footer_size: float = 8,
) -> bytes:
    """The story laid out on A4 with the contacts and `page_label(page)` at the foot of every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    margin = margin_mm * mm

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, footer_size)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.setStrokeColor(colors.HexColor("#9aa5b1"))
        canvas.line(margin, 15 * mm, A4[0] - margin, 15 * mm)
        canvas.drawString(margin, 10 * mm, footer)
        canvas.drawRightString(A4[0] - margin, 10 * mm, page_label(doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=22 * mm,
        title=title,
        author=settings.SERVICE_CONTACT_NAME,
    )
    document.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
