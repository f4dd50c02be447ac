"""The S-curve of a tender (planned vs actual cumulative progress by month), drawn on the server as
inline SVG so the page and a PDF show the same picture and no chart library is needed."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from rdec.core.dates import roc_month

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 28, 16, 44
MAX_LABELS = 8
PLANNED, ACTUAL = "#1f6f8b", "#b8431c"


def s_curve(points) -> SafeString:
    """points: selectors.ProgressPoint in month order. An accessible SVG with a title, a
    description giving the last month's figures, both lines, and dots on every month."""
    if not points:
        return mark_safe("")  # noqa: S308 - constant
    n = len(points)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(pct) -> float:
        return TOP + plot_h * (1 - float(pct) / 100)

    last = points[-1].progress
    title = escape(_("S-curve: planned and actual progress"))
    desc = escape(
        _("%(month)s: planned %(planned)s %%, actual %(actual)s %%.")
        % {"month": roc_month(last.month), "planned": last.planned_pct, "actual": last.actual_pct}
    )
    parts = [
        f'<svg class="s-curve" role="img" aria-labelledby="s-curve-title s-curve-desc" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="s-curve-title">{title}</title><desc id="s-curve-desc">{desc}</desc>',
    ]
    for pct in range(0, 101, 20):
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(pct):.1f}" y2="{y(pct):.1f}" stroke="#d5dde3"/>'
            f'<text x="{LEFT - 6}" y="{y(pct) + 4:.1f}" font-size="11" text-anchor="end">{pct}%</text>'
        )
    step = -(-n // MAX_LABELS)  # ceil: at most MAX_LABELS month labels
    for i, p in enumerate(points):
        if i % step == 0 and (i == n - 1 or n - 1 - i >= step / 2) or i == n - 1:
            parts.append(
                f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="10" '
                f'text-anchor="middle">{roc_month(p.progress.month, short=True)}</text>'
            )
    for attr, colour, dash in (
        ("planned_pct", PLANNED, ""),
        ("actual_pct", ACTUAL, ' stroke-dasharray="6 3"'),
    ):
        coords = " ".join(f"{x(i):.1f},{y(getattr(p.progress, attr)):.1f}" for i, p in enumerate(points))
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.5"{dash} '
            f'data-series="{attr}"/>'
        )
        parts.extend(
            f'<circle cx="{x(i):.1f}" cy="{y(getattr(p.progress, attr)):.1f}" r="3" fill="{colour}"/>'
            for i, p in enumerate(points)
        )
    legend_y = HEIGHT - 10
    planned_label, actual_label = escape(_("Planned progress")), escape(_("Actual progress"))
    parts.append(
        f'<rect x="{LEFT}" y="{legend_y - 9}" width="14" height="4" fill="{PLANNED}"/>'
        f'<text x="{LEFT + 20}" y="{legend_y - 4}" font-size="11">{planned_label}</text>'
        f'<rect x="{LEFT + 110}" y="{legend_y - 9}" width="14" height="4" fill="{ACTUAL}"/>'
        f'<text x="{LEFT + 130}" y="{legend_y - 4}" font-size="11">{actual_label}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text is escaped above
