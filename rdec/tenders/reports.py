"""Files for the monthly 標案進度管制會報 and the agencies' workbook template.

One definition (`report_tables()`) feeds the .xlsx (openpyxl), .ods (odfpy) and PDF (WeasyPrint,
Noto CJK embedded). Callers check permissions first (the report comes from selectors.control_report).
"""

from __future__ import annotations

import io
import logging

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.spreadsheets import Table, safe_row, to_ods, to_xlsx
from rdec.tenders import importer
from rdec.tenders.models import Tender
from rdec.tenders.selectors import ControlReport

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CJK_FONT = "Noto Sans CJK TC"
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def roc_month(month) -> str:
    return f"{month.year - 1911}年{month.month}月"


def report_title(report: ControlReport) -> str:
    return _("Tender progress control meeting, %(month)s") % {"month": roc_month(report.month)}


def _pct(value) -> float | str:
    return "" if value is None else float(value)


def report_tables(report: ControlReport) -> list[Table]:
    agencies = Table(
        _("Agency performance"),
        [
            _("Agency"),
            _("Number of tenders"),
            _("Execution performance (%)"),
            _("Under the threshold"),
            _("Lagging tenders"),
            _("Entered late"),
            _("Not entered"),
        ],
        [
            [
                a.agency.name,
                a.tenders,
                _pct(a.performance),
                _("Yes") if a.below_threshold else "",
                len(a.lagging),
                a.late,
                len(a.missing),
            ]
            for a in report.agencies
        ],
    )
    lag_headers = [
        _("Agency"),
        _("Tender number"),
        _("Tender name"),
        _("Planned (%)"),
        _("Actual (%)"),
        _("Lag (points)"),
        _("Class"),
        _("Reason for the delay"),
    ]

    def lag_cells(r) -> list:
        return [
            r.agency.name,
            r.tender_no,
            r.name,
            float(r.planned_pct),
            float(r.actual_pct),
            float(r.lag),
            r.klass_label,
            r.reason,
        ]

    flagged = Table(
        _("Lagging tenders of agencies under the threshold"),
        lag_headers,
        [lag_cells(r) for a in report.flagged for r in a.lagging],
    )
    serious = Table(
        _("Seriously lagging tenders"), lag_headers, [lag_cells(r) for r in report.seriously_lagging]
    )
    return [agencies, flagged, serious]


def to_pdf(report: ControlReport, tables: list[Table]) -> bytes:
    import weasyprint

    html = render_to_string(
        "tenders/control_report_pdf.html",
        {
            "title": report_title(report),
            "report": report,
            "tables": tables,
            "font": CJK_FONT,
            "made": timezone.localtime(),
        },
    )
    return weasyprint.HTML(string=html).write_pdf()


def build_control_report(report: ControlReport, fmt: str) -> bytes:
    tables = report_tables(report)
    if fmt == "pdf":
        return to_pdf(report, tables)
    return {"xlsx": to_xlsx, "ods": to_ods}[fmt](tables)


def progress_template(tenders, month, *, due_day: int = 10) -> bytes:
    """The agencies' monthly workbook: the importer's columns, one row per open tender given (its
    number, agency, name, type and amount filled in, the month set, the percentages to fill), and a
    sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    type_labels = {Tender.Type.WORKS: "工程", Tender.Type.GOODS: "財物", Tender.Type.SERVICES: "勞務"}
    wb = Workbook()
    ws = wb.active
    ws.title = "progress"
    ws.append(list(importer.COLUMNS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for t in tenders:
        ws.append(
            safe_row(
                [
                    t.number,
                    t.agency.short_name,
                    t.name,
                    type_labels.get(t.type, t.type),
                    int(t.contract_amount) if t.contract_amount is not None else None,
                    f"{month:%Y-%m}",
                    None,
                    None,
                    None,
                ]
            )  # text that starts like a formula is neutralised
        )
    for column, width in zip("ABCDEFGHI", (18, 14, 40, 8, 16, 10, 12, 12, 40), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    help_sheet = wb.create_sheet(_("Instructions")[:31])
    lines = [
        _("Fill in one row per tender and month; the first sheet's header row must stay as it is."),
        _("tender_no: the tender number. A number not yet in the platform creates the tender."),
        _("agency: the agency's code, short name (建設局) or full name."),
        _("name, type (工程/財物/勞務), contract_amount: needed for a new tender only."),
        _("month: YYYY-MM, for example 2025-03."),
        _("planned_pct, actual_pct: cumulative progress in %, between 0 and 100."),
        _("reason: required when the actual progress is below the plan."),
        _("Progress is due by day %(day)s of the next month. A file with any error is not imported at all.")
        % {"day": due_day},
    ]
    for line in lines:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def agenda_text(report: ControlReport) -> str:
    """The agenda of the city's control meeting, built from the report: agencies under the
    threshold with their lagging tenders, every seriously lagging tender case by case, and the
    items needing city-level or cross-agency coordination (raised by the agencies)."""
    lines = [
        _("1. Agencies whose execution performance is under %(t)s %% review their lagging tenders:")
        % {"t": report.rule.performance_threshold_pct}
    ]
    for a in report.flagged:
        lines.append(
            "  "
            + _("%(agency)s (performance %(performance)s %%)")
            % {"agency": a.agency.name, "performance": a.performance}
        )
        lines.extend(
            "    "
            + _("%(number)s %(name)s: planned %(planned)s %%, actual %(actual)s %%")
            % {"number": r.tender_no, "name": r.name, "planned": r.planned_pct, "actual": r.actual_pct}
            for r in a.lagging
        )
    if not report.flagged:
        lines.append("  " + _("None."))
    lines.append(_("2. Seriously lagging tenders, case by case:"))
    for index, r in enumerate(report.seriously_lagging, start=1):
        lines.append(
            "  "
            + _(
                "(%(n)s) %(number)s %(name)s (%(agency)s): planned %(planned)s %%, actual %(actual)s %%, %(lag)s points behind; reason: %(reason)s"
            )
            % {
                "n": index,
                "number": r.tender_no,
                "name": r.name,
                "agency": r.agency.short_name,
                "planned": r.planned_pct,
                "actual": r.actual_pct,
                "lag": r.lag,
                "reason": r.reason or "—",
            }
        )
    if not report.seriously_lagging:
        lines.append("  " + _("None."))
    lines.append(_("3. Matters needing city-level or cross-agency coordination (raised by the agencies)."))
    return "\n".join(lines)
