"""The completion report (BS3) as files to hand on: a PDF in Korean, A4, with
the department's contacts in every page's footer, and an Excel workbook with
the same content on one sheet.

Both are drawn from one `ReportContent`, read with `plan_detail` (a fixed
number of queries), in the language of the request that asks for them.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from helpdesk.core.pdf_documents import a4_pdf, para_text, pdf_font
from helpdesk.core.spreadsheets import safe_cell_text
from helpdesk.core.times import local_hm, local_text

from .models import CompletionReport, WorkPlan
from .selectors import plan_detail

# --- The content, once for both files ----------------------------------------------------


@dataclass(frozen=True)
class ReportContent:
    title: str
    facts: list[tuple[str, str]]
    window_header: list[str]
    windows: list[list[str]]
    sections: list[tuple[str, str]]
    asset_header: list[str]
    assets: list[list[str]]
    attachments: list[str]


def contact_line() -> str:
    """The department's contacts (CT1), as the page footer shows them."""
    name = settings.SERVICE_CONTACT_NAME_EN if get_language() == "en" else settings.SERVICE_CONTACT_NAME
    return f"{name} · {_('Tel.')} {settings.SERVICE_CONTACT_PHONE} · {_('E-mail')} {settings.SERVICE_CONTACT_EMAIL}"


def _span(start: datetime, end: datetime) -> str:
    same_day = timezone.localtime(start).date() == timezone.localtime(end).date()
    return f"{local_text(start)}–{local_hm(end) if same_day else local_text(end)}"


def report_content(plan: WorkPlan) -> ReportContent:
    detail = plan_detail(plan)
    report: CompletionReport | None = detail["report"]  # type: ignore[assignment]
    if report is None:
        raise ValueError(f"plan {plan.pk} has no completion report")
    version = detail["version"]
    ticket = plan.ticket
    if report.due_at is None:
        timeliness = "—"
    elif report.on_time:
        timeliness = _("On time (due %(when)s)") % {"when": local_text(report.due_at)}
    else:
        timeliness = _("Late (due %(when)s)") % {"when": local_text(report.due_at)}
    facts = [
        (_("Request"), f"{ticket.number} {ticket.title}"),
        (_("Plan"), f"{version.title} (v{version.number})"),
        (_("Customer departments"), ", ".join(d.name for d in detail["departments"])),
        (_("Supervising department"), plan.supervising_department.name),
        (_("Plan owner"), plan.owner.display_name),
        (_("Customer contact"), plan.contact.display_name),
        (_("Seats or assets"), str(version.seats)),
        (_("Submitted"), f"{local_text(report.submitted_at)} · {report.submitted_by.display_name}"),
        (_("Report due"), timeliness),
    ]
    windows = [
        [
            str(number),
            _span(w.starts_at, w.ends_at),
            w.what,
            w.get_state_display(),
            w.note,
        ]
        for number, w in enumerate(detail["windows"], start=1)
    ]
    sections = [
        (_("What was done"), report.summary),
        (_("Per department or asset"), report.by_department),
        (_("Exceptions"), report.exceptions or "—"),
        (_("Follow-ups"), report.follow_ups or "—"),
    ]
    assets = [
        [a.asset.tag, a.asset.model_name or a.asset.get_asset_type_display(), a.asset.department.name, a.note]
        for a in detail["assets"]
    ]
    return ReportContent(
        title=version.title,
        facts=facts,
        window_header=[_("No."), _("When"), _("What happens"), _("Outcome"), _("Note")],
        windows=windows,
        sections=sections,
        asset_header=[_("Asset tag"), _("Model"), _("Department"), _("Note")],
        assets=assets,
        attachments=[f"{a.original_name} ({filesizeformat(a.size)})" for a in report.attachments.all()],
    )


# --- PDF ---------------------------------------------------------------------------------

def report_pdf(plan: WorkPlan) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    content = report_content(plan)
    font = pdf_font(settings.REPORT_FONT_PATH)
    # Korean is written with spaces between words: it wraps at them, as the site does
    # (word-break: keep-all); a word longer than its line is still split (splitLongWords).
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=12)
    head = ParagraphStyle("head", parent=cell, textColor=colors.white)
    title = ParagraphStyle("title", parent=body, fontSize=17, leading=24, alignment=TA_CENTER, spaceAfter=2 * mm)
    subtitle = ParagraphStyle("subtitle", parent=body, fontSize=12, leading=17, alignment=TA_CENTER, spaceAfter=5 * mm)
    heading = ParagraphStyle(
        "heading", parent=body, fontSize=11.5, leading=16, spaceBefore=5 * mm, spaceAfter=2 * mm,
        textColor=colors.HexColor("#0b3d91"),
    )
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0b3d91")),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
    )
    width = A4[0] - 36 * mm

    def table(header: list[str], rows: list[list[str]], widths: list[float]) -> Table:
        data = [[Paragraph(para_text(h), head) for h in header]]
        data += [[Paragraph(para_text(v), cell) for v in row] for row in rows]
        t = Table(data, colWidths=[w * width for w in widths], repeatRows=1)
        t.setStyle(grid)
        return t

    story: list[object] = [
        Paragraph(para_text(_("Completion report of large-scale work")), title),
        Paragraph(para_text(content.title), subtitle),
    ]
    facts = Table(
        [[Paragraph(para_text(k), cell), Paragraph(para_text(v), cell)] for k, v in content.facts],
        colWidths=[0.25 * width, 0.75 * width],
    )
    facts.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#eef2f7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(facts)
    story.append(Paragraph(para_text(_("Work windows")), heading))
    story.append(table(content.window_header, content.windows, [0.06, 0.26, 0.34, 0.12, 0.22]))
    for label, text in content.sections:
        story.append(Paragraph(para_text(label), heading))
        story.append(Paragraph(para_text(text), body))
    if content.assets:
        story.append(Paragraph(para_text(_("Assets in scope")), heading))
        story.append(table(content.asset_header, content.assets, [0.2, 0.3, 0.25, 0.25]))
    story.append(Paragraph(para_text(_("Attached documents")), heading))
    story.append(Paragraph(para_text("\n".join(content.attachments) or "—"), body))
    story.append(Spacer(1, 4 * mm))

    request_number = plan.ticket.number
    return a4_pdf(
        story,
        title=f"{_('Completion report')} {request_number} {content.title}",
        footer=contact_line(),
        page_label=lambda page: _("%(number)s · page %(page)s") % {"number": request_number, "page": page},
        font=font,
        margin_mm=18,
    )


# --- Excel -------------------------------------------------------------------------------

# A cell that starts with one of these is a formula to Excel or LibreOffice
# (CSV/DDE injection); user text starting so gets a leading space.
def report_xlsx(plan: WorkPlan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    content = report_content(plan)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Completion report")[:31]
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE5F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 1

    def put(col: int, value: str, *, font: Font | None = None, fill: PatternFill | None = None) -> None:
        target = sheet.cell(row=row, column=col)
        target.value = safe_cell_text(value)
        target.data_type = "s"  # never a formula, whatever the text
        target.alignment = wrap
        if font is not None:
            target.font = font
        if fill is not None:
            target.fill = fill

    put(1, _("Completion report of large-scale work"), font=Font(bold=True, size=14))
    row += 1
    put(1, content.title, font=Font(bold=True, size=12))
    row += 2
    for label, value in content.facts:
        put(1, label, font=bold)
        put(2, value)
        row += 1

    def block(heading: str, header: list[str], rows: list[list[str]]) -> None:
        nonlocal row
        row += 1
        put(1, heading, font=Font(bold=True, size=12))
        row += 1
        for col, text in enumerate(header, start=1):
            put(col, text, font=bold, fill=header_fill)
        row += 1
        for values in rows:
            for col, text in enumerate(values, start=1):
                put(col, text)
            row += 1

    block(_("Work windows"), content.window_header, content.windows)
    row += 1
    for label, text in content.sections:
        put(1, label, font=bold)
        put(2, text)
        row += 1
    if content.assets:
        block(_("Assets in scope"), content.asset_header, content.assets)
    row += 1
    put(1, _("Attached documents"), font=bold)
    put(2, "\n".join(content.attachments) or "—")
    row += 2
    put(1, contact_line())
    for letter, width in zip("ABCDE", (24, 60, 40, 14, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
