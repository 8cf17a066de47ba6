"""The monthly charter report as files (IM1): an Excel workbook (the whole
department's promises, the worst items and what was done on the first sheet,
every team's figures on the second) and an A4 PDF in Korean, both drawn from
one `ReportContent` (`charter.scoreboard.report`).

In the workbook the figures are numbers (a rate formatted as a percentage),
so they can be charted and compared; every text is written as text through
`safe_cell_text`, so nothing anyone typed (a reason, a subject) can become a
formula.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from helpdesk.core.pdf_documents import a4_pdf, para_text, pdf_font
from helpdesk.core.spreadsheets import safe_cell_text, sheet_title
from helpdesk.core.times import local_text

from .report import REPORT_LANGUAGE, Line, ReportContent

# How a figure reads in Excel, by the measure's kind (the number stays a number).
NUMBER_FORMATS = {"rate": '0.0"%"', "mean": "0.00", "median": "0", "p90": "0", "count": "0"}
TEAM_COLUMNS = 4  # teams side by side in one PDF table; more teams make another table below


# --- Excel -------------------------------------------------------------------------------------------


class _Sheet:
    """Writes rows top-down: text always as text, numbers as numbers."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.sheet = sheet
        self.row = 1
        self.bold = Font(bold=True)
        self.heading = Font(bold=True, size=12)
        self.header_fill = PatternFill("solid", fgColor="DDE5F0")
        self.missed_font = Font(bold=True, color="B00020")
        self.wrap = Alignment(wrap_text=True, vertical="top")

    def put(
        self, col: int, value: Any, *, font: Any = None, fill: Any = None, number_format: str | None = None
    ) -> None:
        cell = self.sheet.cell(row=self.row, column=col)
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            cell.value = value
            if number_format:
                cell.number_format = number_format
        elif value is None:
            cell.value = None
        else:
            cell.value = safe_cell_text(value)
            cell.data_type = "s"  # never a formula, whatever the text
        cell.alignment = self.wrap
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill

    def header(self, texts: list[str], *, start: int = 1) -> None:
        for col, text in enumerate(texts, start=start):
            self.put(col, text, font=self.bold, fill=self.header_fill)
        self.row += 1

    def texts(self, values: list[str], *, start: int = 1) -> None:
        for col, text in enumerate(values, start=start):
            self.put(col, text)
        self.row += 1

    def line(self, line: Line, *, start: int = 1) -> None:
        fmt = NUMBER_FORMATS[line.measure.kind]
        self.put(start, line.clause)
        self.put(start + 1, line.label)
        self.put(start + 2, line.figure, number_format=fmt)
        self.put(start + 3, line.target, number_format=fmt)
        self.put(start + 4, line.verdict_text, font=self.missed_font if line.verdict == "missed" else None)
        self.put(start + 5, line.previous, number_format=fmt)
        self.put(start + 6, line.counted_text)
        self.put(start + 7, line.missed)
        self.row += 1

    def widths(self, widths: list[int]) -> None:
        from openpyxl.utils import get_column_letter

        for i, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(i)].width = width


def report_xlsx(content: ReportContent) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    with translation.override(REPORT_LANGUAGE):
        workbook = Workbook()
        main = _Sheet(workbook.active)
        main.sheet.title = sheet_title(_("Monthly charter report"), default="report")
        main.put(1, content.title, font=Font(bold=True, size=14))
        main.row += 2
        for label, value in content.facts:
            main.put(1, label, font=main.bold)
            main.put(2, value)
            main.row += 1
        main.row += 1
        main.put(1, _("Every promise, the whole department"), font=main.heading)
        main.row += 1
        main.header(content.line_header)
        for line in content.lines:
            main.line(line)

        main.row += 1
        main.put(1, _("Missed promises, furthest from the target first"), font=main.heading)
        main.row += 1
        if not content.worst:
            main.texts([_("No promise with a target was missed this month.")])
        for item in content.worst:
            main.put(1, item.line.clause, font=main.bold)
            main.put(2, item.line.label, font=main.bold)
            main.put(3, item.line.figure_text)
            main.put(4, item.line.target_text)
            main.put(5, item.gap_text)
            main.row += 1
            if item.rows:
                main.header(content.row_header, start=2)
                for r in item.rows:
                    main.texts([local_text(r.when), r.ref, r.subject, r.team, r.person, r.detail], start=2)
            main.row += 1

        main.put(1, _("What was done about them"), font=main.heading)
        main.row += 1
        for group in content.actions:
            main.put(1, group.title, font=main.bold)
            main.put(2, group.count)
            main.row += 1
            if group.examples:
                main.header(content.action_header, start=2)
                for example in group.examples:
                    main.texts(example, start=2)
            main.row += 1
        main.put(1, content.contact_line)
        main.widths([16, 42, 14, 14, 24, 16, 18, 30])

        teams = _Sheet(workbook.create_sheet(sheet_title(_("By team"), default="teams")))
        teams.header([_("Team"), *content.line_header])
        for table in content.teams:
            for line in table.lines:
                teams.put(1, table.team)
                teams.line(line, start=2)
        teams.widths([18, 8, 42, 12, 12, 12, 12, 16, 10])
        teams.sheet.freeze_panes = "A2"

        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


# --- PDF ---------------------------------------------------------------------------------------------


def report_pdf(content: ReportContent) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    font = pdf_font(settings.REPORT_FONT_PATH)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=11)
    missed = ParagraphStyle("missed", parent=cell, textColor=colors.HexColor("#b00020"))
    head = ParagraphStyle("head", parent=cell, textColor=colors.white)
    title = ParagraphStyle(
        "title", parent=body, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=4 * mm
    )
    heading = ParagraphStyle(
        "heading",
        parent=body,
        fontSize=11.5,
        leading=16,
        spaceBefore=5 * mm,
        spaceAfter=2 * mm,
        textColor=colors.HexColor("#0b3d91"),
    )
    subheading = ParagraphStyle(
        "subheading", parent=body, fontSize=9.5, leading=13, spaceBefore=3 * mm, spaceAfter=1 * mm
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
    width = A4[0] - 30 * mm

    def table(header: list[str], rows: list[list[Any]], widths: list[float]) -> Table:
        data: list[list[Any]] = [[Paragraph(para_text(h), head) for h in header]]
        data += [[v if isinstance(v, Paragraph) else Paragraph(para_text(v), cell) for v in row] for row in rows]
        t = Table(data, colWidths=[w * width for w in widths], repeatRows=1)
        t.setStyle(grid)
        return t

    def verdict(line: Line) -> Paragraph:
        return Paragraph(para_text(line.verdict_text), missed if line.verdict == "missed" else cell)

    with translation.override(REPORT_LANGUAGE):
        story: list[Any] = [Paragraph(para_text(content.title), title)]
        facts = Table(
            [[Paragraph(para_text(k), cell), Paragraph(para_text(v), cell)] for k, v in content.facts],
            colWidths=[0.22 * width, 0.78 * width],
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
        if not content.has_data:
            story.append(Spacer(1, 3 * mm))
            story.append(Paragraph(para_text(_("No figures were counted for this month.")), body))

        story.append(Paragraph(para_text(_("Every promise, the whole department")), heading))
        story.append(
            table(
                content.line_header[:6],
                [
                    [
                        line.clause,
                        line.label,
                        line.figure_text,
                        line.target_text,
                        verdict(line),
                        line.previous_text,
                    ]
                    for line in content.lines
                ],
                [0.08, 0.44, 0.12, 0.12, 0.11, 0.13],
            )
        )

        if content.teams:
            story.append(Paragraph(para_text(_("By team")), heading))
            story.append(Paragraph(para_text(_("Figures in red missed their target.")), cell))
            for start in range(0, len(content.teams), TEAM_COLUMNS):
                chunk = content.teams[start : start + TEAM_COLUMNS]
                share = 0.6 / len(chunk)
                rows = []
                for i, line in enumerate(content.lines):
                    row: list[Any] = [f"{line.clause} {line.label}"]
                    for team in chunk:
                        t = team.lines[i]
                        row.append(Paragraph(para_text(t.figure_text), missed if t.verdict == "missed" else cell))
                    rows.append(row)
                story.append(Spacer(1, 2 * mm))
                story.append(
                    table([_("Promise"), *[t.team for t in chunk]], rows, [0.4, *[share] * len(chunk)])
                )

        story.append(Paragraph(para_text(_("Missed promises, furthest from the target first")), heading))
        if not content.worst:
            story.append(Paragraph(para_text(_("No promise with a target was missed this month.")), body))
        for item in content.worst:
            line = item.line
            summary = Paragraph(
                para_text(f"{line.clause} {line.label} — {line.figure_text} ({line.target_text}) · {item.gap_text}"),
                subheading,
            )
            block: list[Any] = [summary]
            if item.rows:
                block.append(
                    table(
                        content.row_header,
                        [
                            [local_text(r.when), r.ref, r.subject, r.team, r.person, r.detail]
                            for r in item.rows
                        ],
                        [0.15, 0.1, 0.27, 0.13, 0.1, 0.25],
                    )
                )
            story.append(KeepTogether(block))

        story.append(Paragraph(para_text(_("What was done about them")), heading))
        for group in content.actions:
            count = _("%(value)s cases") % {"value": group.count}
            block = [Paragraph(para_text(f"{group.title}: {count}"), subheading)]
            if group.examples:
                block.append(table(content.action_header, group.examples, [0.15, 0.1, 0.13, 0.1, 0.52]))
            story.append(KeepTogether(block))

        month = f"{content.month:%Y-%m}"
        page_text = _("Monthly charter report %(month)s · page %(page)s")
        return a4_pdf(
            story,
            title=f"{content.title} {month}",
            footer=content.contact_line,
            page_label=lambda page: page_text % {"month": month, "page": page},
            font=font,
            margin_mm=15,
            footer_size=7.5,
        )
