"""The report's charts, drawn on the server as inline SVG (as tenders' S-curve): the page and the
PDF show the same picture with no chart library. Each bar and point carries a <title> (shown on
hover and read by screen readers) and is focusable, so the figures behind a chart can be read."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rdec.core.dates import roc_month

FONT = "'Noto Sans CJK TC', 'Noto Sans TC', sans-serif"
CURRENT, COMPARE, LAST_YEAR = "#1f6f8b", "#b9c7d0", "#b8431c"


def _open(slug: str, width: int, height: int, title: str, desc: str, shown: str = "100%") -> list[str]:
    return [
        f'<svg class="chart" role="img" aria-labelledby="{slug}-t {slug}-d" viewBox="0 0 {width} {height}" '
        f'width="{shown}" xmlns="http://www.w3.org/2000/svg" font-family="{FONT}" data-chart="{slug}">',
        f'<title id="{slug}-t">{escape(title)}</title><desc id="{slug}-d">{escape(desc)}</desc>',
    ]


def bars(
    rows: list[dict], *, slug: str, title: str, compare: str | None = "previous", limit: int = 12
) -> SafeString:
    """Horizontal bars of rows' `current` (largest first), with a thin bar of `compare`
    ("previous" or "last_year") under each."""
    rows = rows[:limit]
    if not rows:
        return mark_safe("")  # noqa: S308 - constant
    label_w, width, bar_h, gap = 190, 720, 14, 10
    row_h = bar_h + (6 if compare else 0) + gap
    height = 28 + row_h * len(rows)
    top = max(max(r["current"], r.get(compare, 0) if compare else 0) for r in rows) or 1
    scale = (width - label_w - 70) / top
    compare_label = _("previous period") if compare == "previous" else _("same period last year")
    desc = "；".join(f"{r['name']} {r['current']:,}" for r in rows)
    parts = _open(slug, width, height, title, desc)
    for i, r in enumerate(rows):
        y = 8 + i * row_h
        tip = f"{r['name']}：{r['current']:,}"
        if compare:
            tip += f"（{compare_label} {r.get(compare, 0):,}）"
        parts.append(f'<g class="bar" tabindex="0" data-value="{r["current"]}"><title>{escape(tip)}</title>')
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 3}" font-size="12" text-anchor="end">'
            f"{escape(str(r['name'])[:14])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{max(r["current"] * scale, 1):.1f}" height="{bar_h}" fill="{CURRENT}"/>'
            f'<text x="{label_w + r["current"] * scale + 4:.1f}" y="{y + bar_h - 3}" font-size="11">{r["current"]:,}</text>'
        )
        if compare:
            parts.append(
                f'<rect x="{label_w}" y="{y + bar_h + 1}" width="{max(r.get(compare, 0) * scale, 1):.1f}" '
                f'height="4" fill="{COMPARE}"/>'
            )
        parts.append("</g>")
    ly = height - 10
    # gettext outside the f-strings: makemessages cannot see a string inside an f-string's braces.
    this_period = escape(_("this period"))
    parts.append(
        f'<rect x="{label_w}" y="{ly - 8}" width="12" height="8" fill="{CURRENT}"/>'
        f'<text x="{label_w + 16}" y="{ly}" font-size="11">{this_period}</text>'
    )
    if compare:
        parts.append(
            f'<rect x="{label_w + 110}" y="{ly - 6}" width="12" height="4" fill="{COMPARE}"/>'
            f'<text x="{label_w + 126}" y="{ly}" font-size="11">{escape(compare_label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def trend(series: list[dict], *, slug: str, title: str) -> SafeString:
    """Cases per month (and the same months a year earlier) as two lines."""
    if not series:
        return mark_safe("")  # noqa: S308 - constant
    width, height, left, right, top_pad, bottom = 720, 260, 56, 20, 14, 46
    n = len(series)
    peak = max(max(p["count"], p["last_year"]) for p in series) or 1
    pw, ph = width - left - right, height - top_pad - bottom

    def x(i):
        return left + (pw * i / (n - 1) if n > 1 else pw / 2)

    def y(v):
        return top_pad + ph * (1 - v / peak)

    # gettext outside the f-strings: makemessages cannot see a string inside an f-string's braces.
    per_month, year_earlier = _("cases per month"), _("a year earlier")
    months = [roc_month(p["month"]) for p in series]
    ticks = [roc_month(p["month"], short=True) for p in series]
    desc = "；".join(f"{months[i]} {p['count']:,}" for i, p in enumerate(series))
    parts = _open(slug, width, height, title, desc)
    for k in range(5):
        v = peak * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#d5dde3"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">{round(v):,}</text>'
        )
    step = max(1, -(-n // 12))
    for i in range(n):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{height - bottom + 16}" font-size="10" text-anchor="middle">{ticks[i]}</text>'
            )
    for key, colour, dash in (("last_year", LAST_YEAR, ' stroke-dasharray="5 3"'), ("count", CURRENT, "")):
        coords = " ".join(f"{x(i):.1f},{y(p[key]):.1f}" for i, p in enumerate(series))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.2"{dash}/>')
        for i, p in enumerate(series):
            tip = f"{months[i]}（{year_earlier}）" if key == "last_year" else months[i]
            parts.append(
                f'<circle cx="{x(i):.1f}" cy="{y(p[key]):.1f}" r="3.5" fill="{colour}" tabindex="0">'
                f"<title>{escape(tip)}：{p[key]:,}</title></circle>"
            )
    ly = height - 8
    parts.append(
        f'<rect x="{left}" y="{ly - 8}" width="12" height="4" fill="{CURRENT}"/>'
        f'<text x="{left + 16}" y="{ly - 3}" font-size="11">{escape(per_month)}</text>'
        f'<rect x="{left + 130}" y="{ly - 8}" width="12" height="4" fill="{LAST_YEAR}"/>'
        f'<text x="{left + 146}" y="{ly - 3}" font-size="11">{escape(year_earlier)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def ratings(distribution: list[dict], *, slug: str, title: str) -> SafeString:
    """Columns of the ratings 1–5."""
    total = sum(d["count"] for d in distribution)
    if not total:
        return mark_safe("")  # noqa: S308 - constant
    width, height, left, bottom = 360, 200, 30, 30
    peak = max(d["count"] for d in distribution) or 1
    col_w = (width - left - 10) / len(distribution)
    desc = "；".join(f"{d['score']}：{d['count']:,}" for d in distribution)
    parts = _open(slug, width, height, title, desc, shown=str(width))
    for i, d in enumerate(distribution):
        h = (height - bottom - 20) * d["count"] / peak
        xx = left + i * col_w + 6
        colour = LAST_YEAR if d["score"] <= 2 else CURRENT
        parts.append(
            f'<g class="bar" tabindex="0" data-value="{d["count"]}"><title>{d["score"]}：{d["count"]:,}</title>'
            f'<rect x="{xx:.1f}" y="{height - bottom - h:.1f}" width="{col_w - 12:.1f}" height="{h:.1f}" fill="{colour}"/>'
            f'<text x="{xx + (col_w - 12) / 2:.1f}" y="{height - bottom - h - 4:.1f}" font-size="11" '
            f'text-anchor="middle">{d["count"]:,}</text>'
            f'<text x="{xx + (col_w - 12) / 2:.1f}" y="{height - bottom + 16}" font-size="11" '
            f'text-anchor="middle">{d["score"]}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above


def report_charts(figures: dict) -> dict[str, SafeString]:
    """The charts of a 質量分析報告, by name (the page, its fragments and the PDF use these)."""
    by = figures["by"]
    return {
        "trend": trend(figures["monthly"], slug="chart-trend", title=_("Cases per month")),
        "channel": bars(by["channel"], slug="chart-channel", title=_("By channel")),
        "group": bars(by["group"], slug="chart-group", title=_("By category group")),
        "category": bars(by["category"], slug="chart-category", title=_("By category"), compare="last_year"),
        "district": bars(by["district"], slug="chart-district", title=_("By district"), limit=40),
        "village": bars(by["village"], slug="chart-village", title=_("By village"), limit=15),
        "agency": bars(by["agency"], slug="chart-agency", title=_("By agency"), limit=40),
        "ratings": ratings(
            figures["satisfaction"]["distribution"], slug="chart-ratings", title=_("Ratings (1–5)")
        ),
    }
