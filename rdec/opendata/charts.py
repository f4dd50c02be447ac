"""Charts and maps where a tabular resource allows them, from the rows its preview reads (the first
64 KB of the file, at most ROWS rows):

- a map when it has latitude and longitude columns (緯度/經度, lat/lon/lng, latitude/longitude,
  Y/X …): the points inside Taiwan's bounds are drawn with Leaflet over the district boundaries
  (no tile server);
- a bar chart by district when it has a district column (行政區, 區域, 鄉鎮市區, district …) whose
  values are district names (…區, …鄉, …鎮, …市): the sum of the first numeric column per district,
  else the number of rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

ROWS = 1000
LAT = ("緯度", "lat", "latitude", "y", "wgs84緯度", "wgs84_lat", "py")
LON = ("經度", "lon", "lng", "long", "longitude", "x", "wgs84經度", "wgs84_lon", "px")
DISTRICT = ("行政區", "區域", "鄉鎮市區", "區別", "行政區域", "district", "town", "area", "區")
# Taiwan, Penghu, Kinmen and Matsu.
BOUNDS = (21.5, 26.5, 118.0, 122.5)
DISTRICT_VALUE = re.compile(r"^\S{1,6}[區鄉鎮市]$")
MAX_POINTS = 1000
MAX_BARS = 30


@dataclass
class Visual:
    points: list[dict] = field(default_factory=list)
    bars: list[tuple[str, float]] = field(default_factory=list)
    bar_label: str = ""
    rows: int = 0


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    cleaned = [re.sub(r"[\s()（）_-]", "", h).lower() for h in header]
    for name in names:
        for i, label in enumerate(cleaned):
            if label == name:
                return i
    for name in names:
        if len(name) >= 2 and not name.isascii():
            for i, label in enumerate(cleaned):
                if name in label:
                    return i
    return None


def _number(value: str) -> float | None:
    try:
        return float(str(value).replace(",", "").strip())
    except ValueError:
        return None


def analyse(header: list[str], rows: list[list[str]]) -> Visual:
    visual = Visual(rows=len(rows))
    lat, lon = _column(header, LAT), _column(header, LON)
    if lat is not None and lon is not None and lat != lon:
        label = 0 if lat != 0 and lon != 0 else None
        for row in rows:
            if len(row) <= max(lat, lon):
                continue
            y, x = _number(row[lat]), _number(row[lon])
            if y is None or x is None:
                continue
            if BOUNDS[0] <= y <= BOUNDS[1] and BOUNDS[2] <= x <= BOUNDS[3]:
                visual.points.append({"lat": y, "lon": x, "label": row[label] if label is not None else ""})
            if len(visual.points) >= MAX_POINTS:
                break
    district = _column(header, DISTRICT)
    if district is not None:
        values = [r[district].strip() for r in rows if len(r) > district]
        if values and sum(bool(DISTRICT_VALUE.match(v)) for v in values) >= 0.8 * len(values):
            numeric = None
            for i, _label in enumerate(header):
                if i in (district, lat, lon):
                    continue
                cells = [r[i] for r in rows if len(r) > i and r[i].strip()]
                if cells and all(_number(c) is not None for c in cells):
                    numeric = i
                    break
            totals: dict[str, float] = {}
            for row in rows:
                if len(row) <= district or not DISTRICT_VALUE.match(row[district].strip()):
                    continue
                name = row[district].strip()
                amount = _number(row[numeric]) if numeric is not None and len(row) > numeric else 1.0
                totals[name] = totals.get(name, 0.0) + (amount or 0.0)
            visual.bar_label = header[numeric] if numeric is not None else ""
            visual.bars = sorted(totals.items(), key=lambda kv: -kv[1])[:MAX_BARS]
    return visual


def bar_svg(bars: list[tuple[str, float]], title: str) -> str:
    """A horizontal bar chart as inline SVG (values printed beside each bar)."""
    if not bars:
        return ""
    top = max(v for _n, v in bars) or 1.0
    row, label_w, bar_w = 22, 90, 320
    height = row * len(bars) + 10

    def fmt(v: float) -> str:
        return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"

    items = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="13">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="#0b5a8a"></rect>'
        '<text x="{}" y="{}" font-size="12">{}</text>',
        (
            (
                label_w - 6,
                i * row + 16,
                name,
                label_w,
                i * row + 4,
                f"{max(1.0, v / top * bar_w):.1f}",
                row - 8,
                label_w + max(1.0, v / top * bar_w) + 4,
                i * row + 16,
                fmt(v),
            )
            for i, (name, v) in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="od-bars" role="img" aria-label="{}" width="{}" height="{}" viewBox="0 0 {} {}">{}</svg>',
        title,
        label_w + bar_w + 80,
        height,
        label_w + bar_w + 80,
        height,
        items,
    )
