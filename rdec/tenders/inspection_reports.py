"""The inspection statistics as a workbook (.xlsx; .ods from the same tables): the most frequent
deficiency codes overall and by agency, contractor and work type, the quarters, the 金質獎
candidates. Callers check permissions first (the statistics come from inspection_selectors)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rdec.tenders import reports
from rdec.tenders.inspection_selectors import Statistics
from rdec.tenders.models import Deficiency, Inspection

MIME = reports.MIME


def _num(value):
    return float(value) if value is not None else ""


def statistics_tables(stats: Statistics) -> list[reports.Table]:
    grade_labels = dict(Inspection.Grade.choices)
    categories = dict(Deficiency.Category.choices)
    top = reports.Table(
        _("Most frequent deficiencies"),
        [_("Code"), _("Deficiency"), _("Times found"), _("Points")],
        [[c.code, c.description, c.count, _num(c.points)] for c in stats.top_codes],
    )

    def grouped(title, label):
        rows = []
        for g in title_rows[title]:
            codes = g.top or [None]
            for rank, c in enumerate(codes, start=1):
                rows.append(
                    [g.label, g.inspections, g.findings, rank if c else "", c.code if c else "",
                     c.description if c else "", c.count if c else ""]
                )  # fmt: skip
        return reports.Table(
            title,
            [label, _("Inspections"), _("Findings"), _("Rank"), _("Code"), _("Deficiency"), _("Times found")],
            rows,
        )

    title_rows = {
        _("By agency"): stats.by_agency,
        _("By contractor"): stats.by_contractor,
        _("By work type"): stats.by_work_type,
    }
    by_agency = grouped(_("By agency"), _("Agency"))
    by_contractor = grouped(_("By contractor"), _("Contractor"))
    by_type = grouped(_("By work type"), _("Work type"))
    quarter_headers = [
        _("Quarter"), _("Inspections"), _("Average score"), *(str(grade_labels[g]) for g in grade_labels),
        _("Findings"), *(str(v) for v in categories.values()),
    ]  # fmt: skip
    quarters = reports.Table(
        _("Quarters"),
        quarter_headers,
        [
            [
                q.quarter,
                q.inspections,
                _num(q.average),
                *(q.grades.get(g, 0) for g in grade_labels),
                q.findings,
                *(q.categories.get(k, 0) for k in categories),
            ]
            for q in stats.quarters
        ],  # fmt: skip
    )
    awards = reports.Table(
        _("Excellent-quality award candidates"),
        [
            _("Tender number"),
            _("Tender"),
            _("Agency"),
            _("Contractor"),
            _("Inspected on"),
            pgettext("inspection", "Score"),
        ],
        [
            [
                c.tender.number,
                c.tender.name,
                c.tender.agency.name,
                c.tender.contractor,
                c.inspection.inspected_on.isoformat(),
                _num(c.inspection.score),
            ]
            for c in stats.award_candidates
        ],  # fmt: skip
    )
    return [top, by_agency, by_contractor, by_type, quarters, awards]


def build_statistics(stats: Statistics, fmt: str) -> bytes:
    tables = statistics_tables(stats)
    if fmt == "ods":
        return reports.to_ods(tables)
    return reports.to_xlsx(tables)
