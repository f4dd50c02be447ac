"""Files people take to meetings: the written report to a council session on the execution of the
previous session's resolutions (PDF with the Noto CJK font embedded, .odt, .docx), in the
council's order, and Excel workbooks of the item and meeting lists.

One definition (`council_report()`) feeds the three formats. Callers check permissions first.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.tracking import selectors
from rdec.tracking.models import CouncilSession

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per layout step

CJK_FONT = "Noto Sans CJK TC"
MIME = {
    "pdf": "application/pdf",
    "odt": "application/vnd.oasis.opendocument.text",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Row:
    number: str
    origin: str
    title: str
    agency: str
    status: str
    text: str


@dataclass
class CouncilReport:
    title: str
    subtitle: str
    due: str
    headers: list[str]
    rows: list[Row]


def _roc(day) -> str:
    return f"{day.year - 1911}年{day.month}月{day.day}日"


def council_report(session: CouncilSession) -> CouncilReport:
    rows = []
    for entry in selectors.council_report_rows(session):
        item = entry["item"]
        rows.append(
            Row(
                number=str(item.council_number or ""),
                origin=str(item.council_session) if item.council_session_id else "",
                title=item.title,
                agency=item.owner.name,
                status=str(item.get_status_display()),
                text=entry["text"] or _("(No execution text yet.)"),
            )
        )
    return CouncilReport(
        title=_("Written report on the execution of council resolutions"),
        subtitle=str(session),
        due=_("Due to the council on %(date)s") % {"date": _roc(session.report_due_on)},
        headers=[
            _("No."),
            _("Session"),
            _("Resolution"),
            _("Responsible agency"),
            _("Status"),
            _("Execution"),
        ],
        rows=rows,
    )


def _cells(row: Row) -> list[str]:
    return [row.number, row.origin, row.title, row.agency, row.status, row.text]


def to_pdf(report: CouncilReport) -> bytes:
    import weasyprint

    html = render_to_string(
        "tracking/council_report_pdf.html",
        {"report": report, "font": CJK_FONT, "made": timezone.localtime()},
    )
    return weasyprint.HTML(string=html).write_pdf()


def to_docx(report: CouncilReport) -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = CJK_FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    style.font.size = Pt(11)
    document.add_heading(report.title, level=1)
    document.add_paragraph(report.subtitle)
    document.add_paragraph(report.due)
    table = document.add_table(rows=1, cols=len(report.headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, report.headers, strict=True):
        cell.text = header
    for row in report.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, _cells(row), strict=True):
            cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_odt(report: CouncilReport) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.style import FontFace, ParagraphProperties, Style, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, P

    doc = OpenDocumentText()
    doc.fontfacedecls.addElement(FontFace(name=CJK_FONT, fontfamily=CJK_FONT))
    body_style = Style(name="Body", family="paragraph")
    body_style.addElement(
        TextProperties(fontname=CJK_FONT, fontnameasian=CJK_FONT, fontsize="11pt", fontsizeasian="11pt")
    )
    doc.styles.addElement(body_style)
    heading = Style(name="Title1", family="paragraph")
    heading.addElement(
        TextProperties(
            fontname=CJK_FONT,
            fontnameasian=CJK_FONT,
            fontsize="16pt",
            fontsizeasian="16pt",
            fontweight="bold",
        )
    )
    heading.addElement(ParagraphProperties(marginbottom="0.3cm"))
    doc.styles.addElement(heading)
    column = Style(name="Col", family="table-column")
    column.addElement(TableColumnProperties(columnwidth="2.8cm"))
    doc.automaticstyles.addElement(column)

    doc.text.addElement(H(outlinelevel=1, stylename=heading, text=report.title))
    doc.text.addElement(P(stylename=body_style, text=report.subtitle))
    doc.text.addElement(P(stylename=body_style, text=report.due))
    table = Table(name="Resolutions")
    for _i in report.headers:
        table.addElement(TableColumn(stylename=column))

    def add_row(values):
        tr = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            for line in (value or "").splitlines() or [""]:
                cell.addElement(P(stylename=body_style, text=line))
            tr.addElement(cell)
        table.addElement(tr)

    add_row(report.headers)
    for row in report.rows:
        add_row(_cells(row))
    doc.text.addElement(table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_council_report(session: CouncilSession, fmt: str) -> bytes:
    report = council_report(session)
    return {"pdf": to_pdf, "docx": to_docx, "odt": to_odt}[fmt](report)


# --- Excel exports ---------------------------------------------------------------------------------


def workbook(title: str, headers: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from rdec.core.spreadsheets import safe_row

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(safe_row(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(safe_row(row))  # text that starts like a formula is neutralised
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header)), *(len(str(r[index - 1] or "")) for r in rows[:500])]) + 2
        ws.column_dimensions[get_column_letter(index)].width = min(max(width * 1.6, 8), 60)
    ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def items_workbook(items) -> bytes:
    headers = [
        _("Item number"),
        _("Subject"),
        _("Source"),
        _("Responsible agency"),
        _("Co-agencies"),
        _("Control level"),
        _("Deadline"),
        _("Status"),
        _("Progress (%)"),
        _("Last report"),
    ]
    rows = [
        [
            i.number,
            i.title,
            i.source_label,
            i.owner.name,
            "、".join(a.name for a in i.co_agencies.all()),
            str(i.get_level_display()),
            i.deadline.isoformat(),
            str(i.get_status_display()),
            i.percent,
            timezone.localtime(i.last_report_at).date().isoformat() if i.last_report_at else "",
        ]
        for i in items
    ]
    return workbook(str(_("Tracked items")), headers, rows)


def meetings_workbook(meetings) -> bytes:
    headers = [
        _("Date"),
        _("Meeting type"),
        _("Title"),
        _("District"),
        _("Chair"),
        _("Resolutions"),
        _("Minutes due"),
        _("Minutes published"),
    ]
    rows = [
        [
            timezone.localtime(m.held_at).strftime("%Y-%m-%d %H:%M"),
            m.type_label,
            m.title,
            m.district.name if m.district_id else "",
            m.chair_name,
            len(m.resolutions.all()),
            m.minutes_due_on.isoformat() if m.minutes_due_on else "",
            timezone.localtime(m.minutes_published_at).date().isoformat() if m.minutes_published_at else "",
        ]
        for m in meetings
    ]
    return workbook(str(_("Meetings")), headers, rows)
