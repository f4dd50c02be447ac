#!/usr/bin/env python
"""Build bench/data/kaohsiung-1999.csv.gz, the real-data evaluation set of bench/analytics_kaohsiung.py,
from the real Kaohsiung 1999 cases (shared data): every case with a description, its receipt time,
district, Kaohsiung category and handling unit, and — where one corresponds — rdec's category code
(the mapping of scripts/build_demo_complaints.py). Texts are cleaned as the demo's are (HTML entities,
line breaks, 養工處 → 建設局, 高雄市 → 本市); the source masked phone numbers and IDs already.
Run once by a developer; the product and the benchmark never read ../shared.

    .venv/bin/python scripts/build_kaohsiung_eval.py /work/shared/data/kaohsiung-1999/open1999-2016-2017.csv
"""

from __future__ import annotations

import csv
import gzip
import html
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_demo_complaints import MAPPING, REPLACE, split  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "bench/data/kaohsiung-1999.csv.gz"
COLUMNS = ["case_no", "received_at", "district", "category", "handling_unit", "code", "description"]


def main(source: str) -> None:
    kept = 0
    with open(source, encoding="utf-8") as f, gzip.open(OUT, "wt", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for r in csv.DictReader(f):
            text = html.unescape(r["description"]).replace("\r", "").replace("\n", "").strip()
            if not text:
                continue
            for old, new in REPLACE.items():
                text = text.replace(old, new)
            code = MAPPING.get(r["category"])
            code = split(code, text) if code else ""
            writer.writerow(
                [r["case_no"], r["received_at"], r["district"], r["category"], r["handling_unit"], code, text]
            )
            kept += 1
    print(f"{kept} cases → {OUT} ({OUT.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main(sys.argv[1])
