"""Which district (and village) an address names, and whether it agrees with the place on the map.

The rules (docs/maps.md):

- An address names a district when it contains the district's full name (西屯區), in any width or
  with 台 for 臺, spaces ignored. A two-character name (中區, 東區, 西區, 南區, 北區) counts only at the
  start, after 市/縣/省, or after a character that is not a Chinese character (a postal code, a
  bracket): "臺中區監理所" does not name 中區.
- The pre-2010 county form counts too: "臺中縣沙鹿鎮" names 沙鹿區 (縣 + the name without 區 + 鄉/鎮/市).
- Where two names overlap, the longer wins; an address may name several districts (a crossing on a
  border), and then the place agrees with it when it lies in any of them.
- A village is named by its full name (惠來里) within the named district.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

LEADERS = set("市縣省")
LEGACY_SUFFIXES = "鄉鎮市"


def normalise(text: str) -> str:
    """Full-width to half-width, 台 to 臺, no spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    return re.sub(r"\s+", "", text.replace("台", "臺"))


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    name: str


def _matches(text: str, name: str) -> list[_Match]:
    found = []
    short = len(name) <= 2
    for m in re.finditer(re.escape(name), text):
        before = text[m.start() - 1] if m.start() > 0 else ""
        if short and before and _is_cjk(before) and before not in LEADERS:
            continue
        found.append(_Match(m.start(), m.end(), name))
    if name.endswith("區") and len(name) >= 3:
        base = re.escape(name[:-1])
        for m in re.finditer(f"縣({base})[{LEGACY_SUFFIXES}]", text):
            found.append(_Match(m.start(1), m.end(), name))
    return found


def districts_named(address: str, names: Iterable[str]) -> list[str]:
    """The district names (from `names`) that `address` names, in the order they appear."""
    text = normalise(address)
    if not text:
        return []
    candidates = [m for name in set(names) if name for m in _matches(text, normalise(name))]
    by_normal = {normalise(n): n for n in names if n}
    taken: list[_Match] = []
    for m in sorted(candidates, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    ordered = []
    for m in sorted(taken, key=lambda m: m.start):
        name = by_normal[m.name]
        if name not in ordered:
            ordered.append(name)
    return ordered


def village_named(address: str, names: Iterable[str]) -> str | None:
    """The first village name (from `names`, e.g. one district's villages) that `address` contains."""
    text = normalise(address)
    hits = [(text.find(normalise(n)), -len(n), n) for n in names if n and normalise(n) in text]
    return min(hits)[2] if hits else None


def disagrees(address: str, place_district: str | None, names: Iterable[str]) -> list[str]:
    """The districts the address names when the place lies in none of them; [] when they agree,
    when the address names no district, or when there is no place."""
    if not place_district:
        return []
    named = districts_named(address, names)
    return named if named and place_district not in named else []


# --- with the loaded districts -------------------------------------------------------------------


def district_names() -> list[str]:
    from rdec.core import selectors

    return list(selectors.districts_public().values_list("name", flat=True))


def named_districts(address: str):
    """The District rows the address names, in order."""
    from rdec.core import selectors

    names = districts_named(address, district_names())
    rows = {d.name: d for d in selectors.districts_public().filter(name__in=names)}
    return [rows[n] for n in names if n in rows]


def locate(address: str) -> dict | None:
    """A point for an address from the reference data alone (no geocoder): inside the village the
    address names, else inside its district. None when it names no district. Returns
    {"district", "village", "lat", "lon", "precision": "village" | "district"}."""
    from shapely.geometry import shape

    from rdec.core.models import District, Village

    named = named_districts(address)
    if not named:
        return None
    district = District.objects.get(pk=named[0].pk)
    villages = list(Village.objects.filter(district=district).defer("geometry"))
    village_name = village_named(address, [v.name for v in villages])
    village = next((v for v in villages if v.name == village_name), None)
    if village is not None:
        geometry = Village.objects.filter(pk=village.pk).values_list("geometry", flat=True).get()
    else:
        geometry = district.geometry
    point = shape(geometry).representative_point()
    return {
        "district": district,
        "village": village,
        "lat": round(point.y, 6),
        "lon": round(point.x, 6),
        "precision": "village" if village else "district",
    }
