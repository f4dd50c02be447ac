"""The shipped population table (data/taichung-districts-population.csv, 內政部戶政司, 政府資料開放授權條款第1版)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "taichung-districts-population.csv"
VINTAGE = "115/09"  # the month of `pop_11509`
SOURCE = "內政部戶政司 ODRP014 (115年9月), 政府資料開放授權條款第1版"


@lru_cache(maxsize=1)
def districts() -> tuple[dict, ...]:
    """One row per district in TOWNCODE order: {"towncode", "district", "population", ...age bands}."""
    with DATA.open(encoding="utf-8", newline="") as f:
        rows = []
        for row in csv.DictReader(f):
            rows.append(
                {
                    "towncode": row["towncode"],
                    "district": row["district"],
                    "population": int(row["pop_11509"]),
                    **{
                        k: int(row[k])
                        for k in ("age_0_14", "age_15_24", "age_25_44", "age_45_64", "age_65_plus")
                    },
                }
            )
        return tuple(rows)


# The five regions Taichung's polls commonly report by (the old city's centre, the three 屯 districts, the
# 屯區 of the former county, 山線 and 海線): the project's grouping for the report's crosstabs, not a rule
# of any authority — edit here if the RDEC prefers another (docs/polls.md).
REGIONS = {
    "中心區": ("中區", "東區", "南區", "西區", "北區"),
    "三屯區": ("西屯區", "南屯區", "北屯區"),
    "屯區": ("太平區", "大里區", "霧峰區", "烏日區"),
    "山線": ("豐原區", "后里區", "神岡區", "潭子區", "大雅區", "東勢區", "石岡區", "新社區", "和平區"),
    "海線": ("大甲區", "大安區", "外埔區", "清水區", "梧棲區", "沙鹿區", "龍井區", "大肚區"),
}
_REGION_OF = {district: region for region, members in REGIONS.items() for district in members}


def region_of(district: str) -> str:
    """The region (REGIONS) of a district name; "" for none or an unknown one."""
    return _REGION_OF.get(str(district or ""), "")


def district_populations() -> dict[str, int]:
    """{district name: population 115/09}."""
    return {row["district"]: row["population"] for row in districts()}


def district_shares() -> dict[str, float]:
    pops = district_populations()
    total = sum(pops.values())
    return {k: v / total for k, v in pops.items()}


def district_name(value: str) -> str | None:
    """A district given by name (北屯區, 北屯) or TOWNCODE (66000140) → its name; None if unknown."""
    text = str(value).strip()
    for row in districts():
        if text in (row["district"], row["towncode"], row["district"].removesuffix("區")):
            return row["district"]
    return None
