"""The 質量分析報告's files: one definition of its tables (`tables()`) feeds the spreadsheet
(.xlsx via openpyxl, .ods via odfpy: one sheet per table) and the PDF (WeasyPrint, Noto CJK
embedded, with the same SVG charts as the page)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rdec.core import spreadsheets
from rdec.core.dates import roc_date, roc_month

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


def _v(value):
    return "" if value is None else value


def title_of(figures: dict) -> str:
    return _("Petition analysis report: %(period)s, %(scope)s") % {
        "period": figures["period"]["label"],
        "scope": figures["scope"]["name"],
    }


def tables(figures: dict, summary: list[str]) -> list[Table]:
    compare = [
        _("Cases"),
        _("Share") + " (%)",
        _("Previous period"),
        _("Change on previous period") + " (%)",
        _("Same period last year"),
        _("Change on last year") + " (%)",
    ]

    def dim(key: str, title: str) -> Table:
        return Table(
            key,
            title,
            [_("Code"), _("Item"), *compare],
            [
                [r["code"], r["name"], r["current"], _v(r["share_pct"]), r["previous"], _v(r["vs_previous_pct"]),
                 r["last_year"], _v(r["vs_last_year_pct"])]
                for r in figures["by"][key]
            ],
        )  # fmt: skip

    vol = figures["volume"]
    t = figures["timeliness"]
    s = figures["satisfaction"]
    rep = figures["repeat"]
    timely = [
        _("Code"), _("Item"), _("Replied"), _("On time"), _("On-time rate") + " (%)", _("Average working days"),
        _("Replied late"), _("Extended"),
    ]  # fmt: skip
    return [
        Table("summary", _("Summary"), [_("Summary")], [[line] for line in summary]),
        Table(
            "volume",
            _("Volume"),
            [_("Period"), _("From"), _("To"), _("Cases")],
            [
                [
                    figures["period"]["label"],
                    figures["period"]["start"],
                    figures["period"]["end"],
                    vol["current"],
                ],
                [
                    figures["previous"]["label"],
                    figures["previous"]["start"],
                    figures["previous"]["end"],
                    vol["previous"],
                ],
                [
                    figures["last_year"]["label"],
                    figures["last_year"]["start"],
                    figures["last_year"]["end"],
                    vol["last_year"],
                ],
            ],
        ),  # fmt: skip
        Table(
            "monthly",
            _("Monthly trend"),
            [_("Month"), _("Cases"), _("Same month last year")],
            [[m["month"], m["count"], m["last_year"]] for m in figures["monthly"]],
        ),
        dim("channel", _("By channel")),
        dim("group", _("By category group")),
        dim("category", _("By category")),
        dim("district", _("By district")),
        dim("village", _("By village")),
        dim("agency", _("By agency")),
        Table(
            "timeliness_agency",
            _("Timeliness by agency"),
            [*timely, _("Open past due"), _("On-time rate, previous period") + " (%)"],
            [
                [
                    r["code"],
                    r["name"],
                    r["replied"],
                    r["on_time"],
                    _v(r["on_time_pct"]),
                    _v(r["avg_working_days"]),
                    r["late"],
                    r["extended"],
                    r["open_overdue"],
                    _v(r.get("previous_on_time_pct")),
                ]
                for r in t["by_agency"]
            ],
        ),  # fmt: skip
        Table(
            "timeliness_category",
            _("Timeliness by category"),
            timely,
            [
                [
                    r["code"],
                    r["name"],
                    r["replied"],
                    r["on_time"],
                    _v(r["on_time_pct"]),
                    _v(r["avg_working_days"]),
                    r["late"],
                    r["extended"],
                ]
                for r in t["by_category"]
            ],
        ),  # fmt: skip
        Table(
            "satisfaction",
            _("Satisfaction"),
            [pgettext("rating", "Score"), _("Ratings")],
            [[d["score"], d["count"]] for d in s["distribution"]],
        ),
        Table(
            "reasons",
            _("Reasons for dissatisfaction"),
            [_("Reason"), _("Ratings")],
            [[r["name"], r["count"]] for r in s["reasons"]]
            + [[_("Category") + "：" + r["name"], r["count"]] for r in s["dissatisfied_by_category"]],
        ),
        Table(
            "repeat_petitioners",
            _("Repeat petitioners"),
            [_("Petitioner (pseudonym)"), _("Cases"), _("Categories"), _("Category")],
            [[r["id"], r["cases"], r["categories"], r["category"]] for r in rep["top_petitioners"]],
        ),
        Table(
            "repeat_places",
            _("Repeat places"),
            [_("Place"), _("Latitude"), _("Longitude"), _("Cases"), _("Categories"), _("Category")],
            [
                [r["place"], r["lat"], r["lon"], r["cases"], r["categories"], r["category"]]
                for r in rep["top_places"]
            ],
        ),
        Table(
            "hot",
            _("Hot issues"),
            [_("Code"), _("Item"), _("Finding"), *compare],
            [
                [
                    r["code"],
                    r["name"],
                    flag_label(r["flag"]),
                    r["current"],
                    _v(r["share_pct"]),
                    r["previous"],
                    _v(r["vs_previous_pct"]),
                    r["last_year"],
                    _v(r["vs_last_year_pct"]),
                ]
                for r in figures["hot"]["rising"]
            ]
            + [
                ["", r["subject"], _("Frequent subject"), r["current"], "", r["previous"], "", "", ""]
                for r in figures["hot"]["subjects"]
            ],
        ),  # fmt: skip
        Table(
            "hotspots",
            _("Hotspots"),
            [
                _("District"),
                _("Category"),
                _("Week of"),
                _("Cases"),
                _("Expected"),
                pgettext("hotspot", "Score"),
            ],
            [
                [h["district"], h["category"], h["week"], h["count"], h["expected"], h["score"]]
                for h in figures["hotspots"]
            ],
        ),
    ]


def flag_label(flag: str) -> str:
    return {
        "last_year": _("Up on the same period last year"),
        "seasonal": _("Seasonal rise"),
        "previous": _("Up on the previous period"),
    }.get(flag, flag)


def to_xlsx(tabs: list[Table]) -> bytes:
    return spreadsheets.to_xlsx(tabs, max_width=80)


def to_ods(tabs: list[Table]) -> bytes:
    return spreadsheets.to_ods(tabs)


def _for_reading(table: Table) -> Table:
    """The table as the PDF prints it: dates in ROC, and without the Code column when it holds the
    system's English slugs (water-resources, phone): people read the names; the spreadsheets keep the
    codes for joins. Numeric codes (a village's 11 digits) stay."""
    rows = [[_readable_cell(cell) for cell in row] for row in table.rows]
    if table.headers[:1] == [_("Code")] and any(re.search(r"[A-Za-z]", str(row[0])) for row in rows if row):
        return Table(table.key, table.title, table.headers[1:], [row[1:] for row in rows])
    return Table(table.key, table.title, table.headers, rows)


def _readable_cell(cell):
    """ISO dates and months (kept so in the spreadsheets, which sort them) read in ROC in the PDF."""
    if isinstance(cell, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        return roc_date(cell)
    if isinstance(cell, str) and re.fullmatch(r"\d{4}-\d{2}", cell):
        return roc_month(cell)
    return cell


def to_pdf(figures: dict, summary: list[str], tabs: list[Table], charts: dict) -> bytes:
    import weasyprint

    html = render_to_string(
        "analytics/report_pdf.html",
        {
            "title": title_of(figures),
            "figures": figures,
            "summary": summary,
            "tables": [_for_reading(t) for t in tabs if t.key != "summary"],
            "charts": charts,
            "font": CJK_FONT,
            "made": timezone.localtime(),
        },
    )
    return weasyprint.HTML(string=html).write_pdf()
