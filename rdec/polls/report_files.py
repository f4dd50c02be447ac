"""The poll report's files: the spreadsheets (.xlsx via openpyxl, .ods via odfpy: one sheet per section,
numbers as numbers) and the PDF (WeasyPrint, A4, the Noto CJK font, the same SVG charts and the same
template body as the page). All read one `rdec.polls.report.build_report()`."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import spreadsheets

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

CJK_FONT = "Noto Sans CJK TC"
MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]


def _r(value, digits: int = 2):
    return "" if value is None else round(float(value), digits)


def conclusion(test: dict | None) -> str:
    if not test:
        return ""
    if test["significant"]:
        return _("The sample differs significantly from the population")
    return _("No significant difference between the sample and the population")


def tables(report: dict) -> list[Table]:
    m = report["method"]
    rates = m["rates"] or {}
    method_rows = [
        [_("Target population"), m["population"]],
        [_("Sampling frames"), m["frames"]],
        [_("Modes"), m["modes"]],
        [_("Fieldwork starts"), m["field_start"].isoformat() if m["field_start"] else ""],
        [_("Fieldwork ends"), m["field_end"].isoformat() if m["field_end"] else ""],
        [_("Sponsor agency"), m["sponsor"]],
        [_("Contractor"), m["contractor"]],
        [_("Cases in the fieldwork file"), m["cases"]],
        [_("Complete interviews"), m["completes"]],
        *[[_("Complete interviews") + f" ({frame})", k] for frame, k in m["by_frame"]],
        [_("Maximum sampling error at 95% (percentage points)"), _r(m["max_error"], 3)],
        [_("Design effect"), _r(m["design_effect"], 4)],
        [_("Effective sample size"), _r(m["effective_n"], 1)],
        [_("Maximum sampling error at 95% with the design effect (percentage points)"), _r(m["max_error_deff"], 3)],
        *[[f"{t['label']}：{category}", _r(share, 2)] for t in m["targets"] for category, share in t["shares"]],
        *[[name, _r(value, 4) if not isinstance(value, dict) else str(value)] for name, value in rates.items()],
        *[[f"AAPOR {group}", int(k)] for group, k in m["counts"].items()],
    ]  # fmt: skip
    sample_rows, test_rows = [], []
    for s in report["sample"]:
        for r in s["rows"]:
            sample_rows.append(
                [s["label"], r["category"], r["n"], _r(r["sample_pct"]), _r(r["population_pct"]), _r(r["weighted_pct"])]
            )  # fmt: skip
        for stage, test in ((_("Before weighting"), s["before"]), (_("After weighting"), s["after"])):
            if test:
                test_rows.append(
                    [s["label"], stage, _r(test["statistic"], 4), test["df"], _r(test["p_value"], 4), conclusion(test)]
                )  # fmt: skip
    freq_rows = [
        [r["question"], o["code"], o["label"], o["n"], _r(o["weighted_pct"]), _r(o["ci_low"]), _r(o["ci_high"])]
        for r in report["frequencies"]
        for o in r["options"]
    ]  # fmt: skip
    # the crosstabs as blocks, as a printed 交叉列表 reads: per question and variable a row naming the
    # answers, then one row per category with its n and the weighted row % under each answer
    cross_rows = []
    for q in report["crosstabs"]:
        for t in q["tables"]:
            test = t["test"] or {}
            cross_rows.append([q["question"], t["by_label"], "", "", "", *[o["label"] for o in t["options"]]])
            for row in t["rows"]:
                cross_rows.append(
                    [q["question"], t["by_label"], row["category"], row["n"], _("yes") if row["warning"] else "",
                     *[_r(o["weighted_pct"]) for o in row["options"]]]
                )  # fmt: skip
            cross_rows.append(
                [q["question"], t["by_label"], _("Rao–Scott chi-square"), "", "", _r(test.get("statistic"), 4),
                 _("Degrees of freedom"), test.get("df", ""), _("p-value"), _r(test.get("p_value"), 4)]
            )  # fmt: skip
    return [
        _padded(t)
        for t in [
            Table(
                "findings",
                _("Summary of findings"),
                [
                    _("Question"),
                    _("Wording"),
                    _("Leading answer"),
                    _("Weighted %"),
                    _("Margin of error (points)"),
                    "n",
                ],
                [
                    [
                        f["question"],
                        f["wording"],
                        f["label"],
                        _r(f["weighted_pct"]),
                        _r(f["margin_of_error"]),
                        f["n"],
                    ]
                    for f in report["findings"]
                ],
            ),  # fmt: skip
            Table("method", _("Research method"), [_("Item"), _("Value")], method_rows),
            Table(
                "sample",
                _("Sample distribution"),
                [_("Variable"), _("Category"), "n", _("Sample %"), _("Population %"), _("Weighted %")],
                sample_rows,
            ),
            Table(
                "sample_tests",
                _("Sample checks"),
                [
                    _("Variable"),
                    _("Stage"),
                    _("Chi-square"),
                    _("Degrees of freedom"),
                    _("p-value"),
                    _("Conclusion"),
                ],
                test_rows,
            ),
            Table(
                "frequencies",
                _("Frequency tables"),
                [
                    _("Question"),
                    _("Code"),
                    _("Answer"),
                    "n",
                    _("Weighted %"),
                    _("CI low (%)"),
                    _("CI high (%)"),
                ],
                freq_rows,
            ),
            Table(
                "crosstabs",
                _("Crosstabulations"),
                [
                    _("Question"),
                    _("Variable"),
                    _("Category"),
                    "n",
                    _("n < 30"),
                    _("Weighted row % by answer"),
                ],
                cross_rows,
            ),  # fmt: skip
            Table(
                "questionnaire",
                _("Questionnaire"),
                [_("Question"), _("Wording"), _("Code"), _("Answer")],
                [
                    [q["code"], q["wording"], code, label]
                    for q in report["questionnaire"]
                    for code, label in (q["options"] or [("", "")])
                ],
            ),  # fmt: skip
        ]
    ]


def _padded(table: Table) -> Table:
    """Every row as wide as the widest (the crosstabs' rows vary with the answers)."""
    width = max([len(table.headers), *(len(row) for row in table.rows)])
    headers = [*table.headers, *[""] * (width - len(table.headers))]
    return Table(table.key, table.title, headers, [[*row, *[""] * (width - len(row))] for row in table.rows])


def to_xlsx(report: dict) -> bytes:
    return spreadsheets.to_xlsx(tables(report), max_width=80)


def to_ods(report: dict) -> bytes:
    return spreadsheets.to_ods(tables(report))


PARALLEL_FROM = 20  # questions: a longer report's PDF is rendered in two parts at once (pdf_render)


def _split(report: dict) -> int:
    """Where to cut the crosstabs so that both parts take about as long: part one the sections 1–4 and
    the first crosstabs, part two (rendered by a process that must first start) the other crosstabs and
    the questionnaire. Costs in table cells (WeasyPrint's time goes with them; measured on the benchmark's
    report, a crosstab question took ten times its frequency table and chart)."""
    front = sum(6 * (len(r["options"]) + 1) for r in report["frequencies"])
    front += sum(6 * (len(s["rows"]) + 1) for s in report["sample"]) + 200
    start = 1500  # the second process's start (an interpreter importing WeasyPrint)
    tail = sum(2 * (len(q["options"]) + 1) for q in report["questionnaire"]) + start
    costs = [
        sum((len(t["rows"]) + 1) * (len(t["options"]) + 2) for t in q["tables"]) for q in report["crosstabs"]
    ]
    total = front + sum(costs) + tail
    done, k = front, 0
    while k < len(costs) and done + costs[k] / 2 < total / 2:
        done += costs[k]
        k += 1
    return k


def to_pdf(report: dict) -> bytes:
    """The report as an A4 PDF: the page's sections and charts (`charts.attach_charts`) in the Noto CJK
    font, numbered n / N. From `PARALLEL_FROM` questions on, in two parts rendered at once."""
    from rdec.polls import pdf_render
    from rdec.polls.charts import attach_charts

    attach_charts(report)
    made = timezone.localtime()

    def html(data: dict, part: dict | None) -> str:
        return render_to_string(
            "polls/report_pdf.html",
            {"report": data, "part": part, "numbered": part is None, "font": CJK_FONT, "made": made},
        )

    if len(report["questionnaire"]) < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
        return pdf_render.render(html(report, None))
    k = _split(report)
    first = html(
        dict(report, crosstabs=report["crosstabs"][:k]),
        {"front": True, "crosstab_heading": True, "questionnaire": False},
    )
    second = html(
        dict(report, crosstabs=report["crosstabs"][k:]),
        {"front": False, "crosstab_heading": False, "questionnaire": True},
    )
    return pdf_render.render_parts([first, second])


def build(report: dict, fmt: str) -> bytes:
    return {"pdf": to_pdf, "xlsx": to_xlsx, "ods": to_ods}[fmt](report)
