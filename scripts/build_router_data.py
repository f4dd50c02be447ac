#!/usr/bin/env python
"""Build the router's shipped training data (rdec/analytics/data/router-*.csv.gz) from the shared copies:

- router-faq.csv.gz: Taipei's FAQ questions (taiwan-city-faq-routing/faq-routing.csv) with the Taichung agency
  code of their `tc_agency` (rows without a Taichung counterpart, and 區公所 rows, whose office depends on the
  place, are left out).
- router-kaohsiung.csv.gz: the Kaohsiung 1999 cases of bench/data/kaohsiung-1999.csv.gz that map to an rdec
  category (receipt time, category code, text).

Run once by a developer; the product never reads ../shared.

    .venv/bin/python scripts/build_router_data.py /work/shared/data/taiwan-city-faq-routing/faq-routing.csv
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rdec/analytics/data"
TAICHUNG = {
    "勞工局": "labor",
    "交通局": "transportation",
    "衛生局": "health",
    "社會局": "social-affairs",
    "經濟發展局": "economic-development",
    "地方稅務局": "tax",
    "教育局": "education",
    "環境保護局": "environment",
    "民政局": "civil-affairs",
    "地政局": "land",
    "農業局": "agriculture",
    "文化局": "culture",
    "警察局": "police",
    "都市發展局": "urban-development",
    "建設局": "construction",
    "人事處": "personnel",
    "法制局": "legal",
    "水利局": "water-resources",
    "觀光旅遊局": "tourism",
    "研究發展考核委員會": "rdec",
    "消防局": "fire",
    "運動局": "sports",
    "秘書處": "secretariat",
    "財政局": "finance",
    "主計處": "accounting",
    "原住民族事務委員會": "indigenous",
    "客家事務委員會": "hakka",
}


def main(faq: str) -> None:
    kept = 0
    with (
        open(faq, encoding="utf-8") as f,
        gzip.open(OUT / "router-faq.csv.gz", "wt", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(["id", "text", "agency"])
        for r in csv.DictReader(f):
            code = TAICHUNG.get(r["tc_agency"])
            if code and r["text"].strip():
                writer.writerow([r["id"], r["text"].strip(), code])
                kept += 1
    print(f"FAQ: {kept} questions")
    kept = 0
    source = ROOT / "bench/data/kaohsiung-1999.csv.gz"
    with (
        gzip.open(source, "rt", encoding="utf-8") as f,
        gzip.open(OUT / "router-kaohsiung.csv.gz", "wt", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(["case_no", "received_at", "category", "text"])
        for r in csv.DictReader(f):
            if r["code"]:
                writer.writerow([r["case_no"], r["received_at"][:10], r["code"], r["description"]])
                kept += 1
    print(f"Kaohsiung: {kept} cases")


if __name__ == "__main__":
    main(sys.argv[1])
