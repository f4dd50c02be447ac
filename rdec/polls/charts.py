"""The poll report's charts, drawn on the server as inline SVG (as the analytics report and the tenders'
S-curve are): the page and the PDF show the same picture with no chart library. Every bar carries a
<title> (shown on hover, read by screen readers) and the chart a <desc> listing its figures."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

FONT = "'Noto Sans CJK TC', 'Noto Sans TC', sans-serif"
COLOURS = ("#1f6f8b", "#b8431c", "#6b8e23")


def _open(slug: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="chart" role="img" aria-labelledby="{slug}-t {slug}-d" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" font-family="{FONT}" data-chart="{slug}">',
        f'<title id="{slug}-t">{escape(title)}</title><desc id="{slug}-d">{escape(desc)}</desc>',
    ]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def percent_bars(rows: list[tuple[str, float | None]], *, slug: str, title: str) -> SafeString:
    """Horizontal bars of percentages (0–100) with their value beside each bar: a question's weighted
    frequencies."""
    rows = [(label, value) for label, value in rows if value is not None]
    if not rows:
        return mark_safe("")  # noqa: S308 - constant
    label_w, width, bar_h, gap = 200, 640, 14, 8
    height = 8 + (bar_h + gap) * len(rows)
    scale = (width - label_w - 60) / 100
    parts = _open(slug, width, height, title, "；".join(f"{label} {_pct(v)}" for label, v in rows))
    for i, (label, value) in enumerate(rows):
        y = 6 + i * (bar_h + gap)
        parts.append(
            f'<g class="bar" data-value="{value:.4f}"><title>{escape(label)}：{_pct(value)}</title>'
            f'<text x="{label_w - 6}" y="{y + bar_h - 3}" font-size="12" text-anchor="end">'
            f"{escape(str(label)[:16])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{max(value * scale, 1):.1f}" height="{bar_h}" fill="{COLOURS[0]}"/>'
            f'<text x="{label_w + value * scale + 4:.1f}" y="{y + bar_h - 3}" font-size="11">{_pct(value)}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def sample_bars(rows: list[dict], *, slug: str, title: str) -> SafeString:
    """Per category three thin bars: the sample (unweighted), the population target and the weighted
    sample, in percent."""
    if not rows:
        return mark_safe("")  # noqa: S308 - constant
    series = [
        ("sample_pct", _("Sample (unweighted)")),
        ("population_pct", pgettext("poll", "Population")),
        ("weighted_pct", _("Weighted sample")),
    ]
    series = [(key, name) for key, name in series if any(r[key] is not None for r in rows)]
    label_w, width, bar_h, gap = 120, 640, 6, 8
    group_h = bar_h * len(series) + gap
    height = 30 + group_h * len(rows)
    peak = max((r[key] or 0) for r in rows for key, _name in series) or 1
    scale = (width - label_w - 60) / peak
    desc = "；".join(
        f"{r['category']} " + "、".join(f"{name} {_pct(r[key])}" for key, name in series) for r in rows
    )
    parts = _open(slug, width, height, title, desc)
    for i, r in enumerate(rows):
        y = 4 + i * group_h
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h * len(series) - 1}" font-size="11" text-anchor="end" '
            'translate="no">'
            f"{escape(str(r['category'])[:12])}</text>"
        )
        for k, (key, name) in enumerate(series):
            value = r[key]
            if value is None:
                continue
            parts.append(
                f'<g class="bar" data-value="{value:.4f}"><title>{escape(str(r["category"]))} {escape(name)}：'
                f"{_pct(value)}</title>"
                f'<rect x="{label_w}" y="{y + k * bar_h}" width="{max(value * scale, 1):.1f}" '
                f'height="{bar_h - 1}" fill="{COLOURS[k]}"/></g>'
            )
    ly = height - 10
    for k, (_key, name) in enumerate(series):
        x = label_w + k * 150
        parts.append(
            f'<rect x="{x}" y="{ly - 8}" width="12" height="8" fill="{COLOURS[k]}"/>'
            f'<text x="{x + 16}" y="{ly}" font-size="11">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def crosstab_table(t: dict) -> SafeString:
    """One crosstab as an HTML table (built here rather than in the template: a 100-question report
    has 400 of them, and the template engine took seconds over their cells). Rows with n < 30 are
    marked ＊ and `small-base`."""
    head = "".join(f'<th scope="col" class="num">{escape(o["label"])} %</th>' for o in t["options"])
    parts = [
        f'<table class="table crosstab" data-by="{escape(t["by"])}"><thead><tr>'
        f'<th scope="col" translate="no">{escape(t["by_label"])}</th><th scope="col" class="num">n</th>{head}</tr></thead><tbody>'
    ]
    for row in t["rows"]:
        cells = "".join(f'<td class="num">{o["weighted_pct"]:.1f}</td>' for o in row["options"])
        mark, cls = ("＊", ' class="small-base"') if row["warning"] else ("", "")
        parts.append(
            f'<tr{cls}><td translate="no">{escape(row["category"])}</td>'
            f'<td class="num">{row["n"]}{mark}</td>{cells}</tr>'
        )
    parts.append("</tbody></table>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def attach_charts(report: dict) -> dict:
    """Put the report's charts beside their figures: `chart` on each weighting variable of the sample
    section and on each question's frequencies (the page and the PDF print them there), and each
    crosstab's table as `html`."""
    for q in report["crosstabs"]:
        for t in q["tables"]:
            t["html"] = crosstab_table(t)
    for i, s in enumerate(report["sample"]):
        s["chart"] = sample_bars(
            s["rows"],
            slug=f"chart-sample-{i}",
            title=_("%(variable)s: sample, population and weighted sample (%%)") % {"variable": s["label"]},
        )
    for i, r in enumerate(report["frequencies"]):
        r["chart"] = percent_bars(
            [(o["label"], o["weighted_pct"]) for o in r["options"]],
            slug=f"chart-q-{i}",
            title=_("%(question)s: weighted %%") % {"question": r["question"]},
        )
    return report
