"""The half-year report to the mayor (公文時效半年報告): one definition (`report_tables()`) feeds the
web page, the .xlsx (openpyxl), the .ods (odfpy) and the PDF (WeasyPrint, Noto CJK embedded).
Callers check permissions first (the report comes from selectors.half_year_report)."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.models import Agency
from rdec.documents.selectors import HalfYearReport

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CJK_FONT = "Noto Sans CJK TC"
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


def report_title(report: HalfYearReport) -> str:
    half = _("first half") if report.half == 1 else _("second half")
    return _("Document timeliness of the city's agencies, %(year)s %(half)s (report to the mayor)") % {
        "year": f"{report.year - 1911}年",
        "half": half,
    }


def _num(value) -> float | str:
    return "" if value is None else float(value)


def _roc_month(month) -> str:
    return f"{month.year - 1911}/{month.month:02d}"


def report_tables(report: HalfYearReport) -> list[Table]:
    headers = [
        _("Rank"),
        _("Agency"),
        _("Documents closed"),
        _("Closed late"),
        _("Overdue ratio") + " (%)",
        _("Average days used"),
        _("On-time rate") + " (%)",
        _("Months over the threshold"),
    ]
    tables = []
    for group, label in (
        (Agency.EvaluationGroup.AGENCY, _("Agency group")),
        (Agency.EvaluationGroup.DISTRICT, _("District office group")),
    ):
        tables.append(
            Table(
                label,
                headers,
                [
                    [
                        k.rank or "",
                        k.agency.name,
                        k.closed,
                        k.overdue,
                        _num(k.overdue_ratio),
                        _num(k.avg_days),
                        _num(k.on_time_rate),
                        "、".join(_roc_month(m) for m in report.flagged_months.get(k.agency.pk, [])),
                    ]
                    for k in report.group(group)
                ],
            )
        )
    tables.append(
        Table(
            _("Improvement reports"),
            [_("Month"), _("Agency"), _("Overdue ratio") + " (%)", _("Report received on")],
            [
                [
                    _roc_month(r.month),
                    r.agency.name,
                    float(r.overdue_ratio),
                    r.received_on.isoformat() if r.received_on else _("Not yet received"),
                ]
                for r in report.reports
            ],
        )
    )
    tables.append(
        Table(
            _("Bottom of the ordinary performance (candidates for on-site checks)"),
            [_("Group"), _("Rank"), _("Agency"), _("Overdue ratio") + " (%)"],
            [
                [
                    _("Agency group")
                    if group == Agency.EvaluationGroup.AGENCY
                    else _("District office group"),
                    k.rank,
                    k.agency.name,
                    _num(k.overdue_ratio),
                ]
                for group, rows in report.bottom.items()
                for k in rows
            ],
        )
    )
    return tables


def to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    for index, table in enumerate(tables, start=1):
        ws = wb.create_sheet(f"{index} {table.title}"[:31])
        ws.append(table.headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append(row)
        for col, header in enumerate(table.headers, start=1):
            width = max([len(str(header)), *(len(str(r[col - 1])) for r in table.rows[:300])]) + 2
            ws.column_dimensions[get_column_letter(col)].width = min(max(width * 1.6, 8), 60)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_ods(tables: list[Table]) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table as OdfTable
    from odf.table import TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for index, table in enumerate(tables, start=1):
        sheet = OdfTable(name=f"{index} {table.title}"[:31])
        for values in [table.headers, *table.rows]:
            tr = TableRow()
            for value in values:
                if isinstance(value, int | float) and not isinstance(value, bool):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            sheet.addElement(tr)
        doc.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(report: HalfYearReport, tables: list[Table]) -> bytes:
    import weasyprint

    html = render_to_string(
        "documents/half_year_pdf.html",
        {
            "title": report_title(report),
            "report": report,
            "tables": tables,
            "font": CJK_FONT,
            "threshold": f"{report.rule.overdue_threshold_pct} %",
            "made": timezone.localtime(),
        },
    )
    return weasyprint.HTML(string=html).write_pdf()


def build_half_year_report(report: HalfYearReport, fmt: str) -> bytes:
    tables = report_tables(report)
    if fmt == "pdf":
        return to_pdf(report, tables)
    return {"xlsx": to_xlsx, "ods": to_ods}[fmt](tables)
