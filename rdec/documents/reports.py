"""The half-year report to the mayor (公文時效半年報告): one definition (`report_tables()`) feeds the
web page, the .xlsx (openpyxl), the .ods (odfpy) and the PDF (WeasyPrint, Noto CJK embedded).
Callers check permissions first (the report comes from selectors.half_year_report)."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.dates import roc_date
from rdec.core.models import Agency
from rdec.core.spreadsheets import Table, to_ods, to_xlsx
from rdec.documents.selectors import HalfYearReport

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CJK_FONT = "Noto Sans CJK TC"
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


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
                    roc_date(r.received_on) if r.received_on else _("Not yet received"),
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
