"""Evaluation on real data: 36,985 real 1999 cases from Kaohsiung (Sept 2016 – Jan 2017, plus a few
from Jul–Aug 2017), the citizens' own wording (bench/data/kaohsiung-1999.csv.gz, built by
scripts/build_kaohsiung_eval.py; 資料來源：高雄市政府 Open1999派工受理案件資料, OGDL-Taiwan-1.0 — see
NOTICE.md). Kaohsiung's dispatch categories are mapped to rdec's where one corresponds (the mapping of
scripts/build_demo_complaints.py); the agency is then the category's default agency in Taichung.

1. The router as the demo ships it: trained (routing.train, as `rdec train_router` does) on texts
   made the way the demo makes its 30,000 petitions, then asked about every mapped Kaohsiung case
   whose text is not among the demo's own texts (those were taken from this very data).
2. The router trained on real wording: the mapped Kaohsiung cases received before 1 Nov 2016, tested
   on those received from 1 Nov 2016 on (a time split, as a city retraining on its closed cases).
3. Hotspots on real events: typhoons 莫蘭蒂 (14–15 Sep), 馬勒卡 (17–18 Sep) and 梅姬 (27–28 Sep 2016)
   hit Kaohsiung at the start of the data. The data begins on 10 Sep, so there is no history before
   them: each district × category cell's expected level is taken from its calm weeks (17 Oct – 25 Dec),
   placed before the weeks scored, and the weeks of 12 Sep – 9 Oct are scored by analytics.hotspots.score
   (Poisson + Benjamini–Hochberg) with a baseline of those 10 weeks instead of the usual 12. A check
   without events scores the calm weeks of 28 Nov – 25 Dec against the 6 calm weeks before them.

No database is needed; figures are printed.   .venv/bin/python bench/analytics_kaohsiung.py
"""

from __future__ import annotations

import csv
import datetime
import gzip
import json
import os
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rdec.settings")
os.environ.setdefault("SECRET_KEY", "bench-kaohsiung-0123456789-0123456789-0123456789-0123456789")
DATA = ROOT / "bench" / "data" / "kaohsiung-1999.csv.gz"
SPLIT_DAY = "2016-11-01"
DEMO_TEXTS = 30_000


def load() -> list[dict]:
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def categories() -> tuple[dict[str, str], dict[str, int]]:
    data = json.loads((ROOT / "rdec/petitions/data/categories.json").read_text(encoding="utf-8"))
    agency_of = {c["code"]: c["agency"] for c in data["categories"] if c.get("parent")}
    return agency_of, {}


def demo_corpus(
    agency_of: dict[str, str], rng: random.Random, count: int = DEMO_TEXTS
) -> tuple[list[str], list[str], set[str]]:
    """Texts made as rdec.petitions.demo makes them (subject: district, road and category name)."""
    from rdec.analytics.routing import text_of
    from rdec.petitions import demo

    complaints = json.loads((ROOT / "rdec/petitions/data/demo_complaints.json").read_text(encoding="utf-8"))
    complaints = complaints["complaints"]
    names = {
        c["code"]: c["name"]
        for c in json.loads((ROOT / "rdec/petitions/data/categories.json").read_text(encoding="utf-8"))[
            "categories"
        ]
    }
    codes = sorted(agency_of)
    weights = [demo.CATEGORY_WEIGHT.get(c, 5) for c in codes]
    districts = sorted(demo.ROADS)
    texts, labels = [], []
    for code in rng.choices(codes, weights=weights, k=count):
        district = rng.choice(districts)
        road = rng.choice(demo.ROADS[district])
        body = demo._texts_for(code, complaints, rng, district + road, district)
        texts.append(text_of(f"{district}{road} {names[code]}", body, district))
        labels.append(code)
    seen = {t for ts in complaints.values() for t in ts}
    return texts, labels, seen


def router_figures(name: str, metrics: dict) -> str:
    return (
        f"  {name}: {metrics['tested_on']:,} cases — category top-1 {metrics['category_top1']:.1%}, "
        f"top-3 {metrics['category_top3']:.1%}; agency top-1 {metrics['agency_top1']:.1%}, "
        f"top-3 {metrics['agency_top3']:.1%}"
    )


def confusion_line(metrics: dict) -> str:
    pairs = [(n, a, b) for a, row in metrics["confusion"].items() for b, n in row.items()]
    pairs.sort(reverse=True)
    return "    most frequent agency confusions (expected → suggested): " + "; ".join(
        f"{a} → {b} {n}" for n, a, b in pairs[:4]
    )


def hotspot_cells(rows, calm_from, calm_to, place_before):
    """district × category cells: the calm weeks [calm_from, calm_to] moved to end the week before
    `place_before` (their order kept), plus the weeks scored as they are."""
    from rdec.analytics.hotspots import monday

    calm = sorted(
        {
            monday(d)
            for d in (calm_from + datetime.timedelta(days=i) for i in range((calm_to - calm_from).days + 1))
        }
    )
    shift = {w: place_before - datetime.timedelta(weeks=len(calm) - i) for i, w in enumerate(calm)}
    cells = defaultdict(lambda: defaultdict(int))
    for r in rows:
        day = datetime.date.fromisoformat(r["received_at"][:10])
        week = monday(day)
        key = (r["district"], r["code"] or r["category"])
        if week in shift:
            cells[key][shift[week]] += 1
        elif week >= place_before:
            cells[key][week] += 1
    return cells


def main() -> None:
    import django

    django.setup()
    from rdec.analytics import hotspots, routing

    rows = load()
    agency_of, _ = categories()
    mapped = [r for r in rows if r["code"] in agency_of]
    print(
        f"Kaohsiung 1999 cases: {len(rows):,} with a text; {len(mapped):,} ({len(mapped) / len(rows):.0%}) in "
        f"Kaohsiung categories that correspond to {len({r['code'] for r in mapped})} of rdec's"
    )
    rng = random.Random(2016)  # noqa: S311 - a reproducible sample, not a secret

    # 1. the router as the demo ships it
    texts, labels, seen = demo_corpus(agency_of, rng)
    started = time.monotonic()
    router, _m = routing.train(texts, labels, [agency_of[c] for c in labels], agency_of, holdout=0)
    trained_in = time.monotonic() - started
    test = [r for r in mapped if r["description"] not in seen]
    m1 = routing.evaluate(
        router,
        [routing.text_of("", r["description"]) for r in test],
        [r["code"] for r in test],
        [agency_of[r["code"]] for r in test],
    )
    print(
        f"1. router trained on {len(texts):,} demo-made texts ({trained_in:.0f} s), asked about real texts it never saw"
    )
    print(router_figures("real Kaohsiung texts", m1))
    print(confusion_line(m1))

    # 2. the router trained on real wording (time split)
    before = [r for r in mapped if r["received_at"] < SPLIT_DAY]
    after = [r for r in mapped if r["received_at"] >= SPLIT_DAY]
    router2, _m = routing.train(
        [routing.text_of("", r["description"]) for r in before],
        [r["code"] for r in before],
        [agency_of[r["code"]] for r in before],
        agency_of,
        holdout=0,
    )
    m2 = routing.evaluate(
        router2,
        [routing.text_of("", r["description"]) for r in after],
        [r["code"] for r in after],
        [agency_of[r["code"]] for r in after],
    )
    print(
        f"2. router trained on the {len(before):,} real cases received before {SPLIT_DAY}, tested on the later ones"
    )
    print(router_figures("later real cases", m2))
    print(confusion_line(m2))

    # 3. hotspots on the typhoon weeks, and a check without events
    d = datetime.date
    # the baseline is the calm weeks there are (10, then 6), not the usual 12 of which some would be empty
    hotspots.BASELINE_WEEKS = 10
    storm = hotspot_cells(rows, d(2016, 10, 17), d(2016, 12, 25), d(2016, 9, 12))
    found = hotspots.score(storm, d(2016, 9, 12), d(2016, 10, 9), data_since=d(2016, 1, 1))
    found = [h for h in found if h.period_start <= d(2016, 10, 3)]
    by_category = Counter(h.category_id for h in found)
    weeks = Counter(h.period_start.isoformat() for h in found)
    print(
        f"3. typhoon weeks 12 Sep – 9 Oct 2016 scored against each cell's calm level: {len(found)} hotspots "
        f"(district × category × week, FDR 5 %)"
    )
    print("    by week: " + ", ".join(f"{w} {n}" for w, n in sorted(weeks.items())))
    print("    by category: " + ", ".join(f"{c} {n}" for c, n in by_category.most_common(8)))
    top = sorted(found, key=lambda h: -h.count)[:6]
    print(
        "    largest: "
        + "; ".join(
            f"{h.district_id} {h.category_id} week of {h.period_start} {h.count} (expected {h.expected})"
            for h in top
        )
    )
    hotspots.BASELINE_WEEKS = 6
    calm = hotspot_cells(rows, d(2016, 10, 17), d(2016, 11, 27), d(2016, 11, 28))
    quiet = hotspots.score(calm, d(2016, 11, 28), d(2016, 12, 25), data_since=d(2016, 1, 1))
    tested = sum(1 for c in calm.values() for w, n in c.items() if w >= d(2016, 11, 28) and n)
    print(
        f"    check without events (28 Nov – 25 Dec against 17 Oct – 27 Nov): {len(quiet)} hotspots among "
        f"{tested:,} non-empty cell-weeks"
        + (
            ": "
            + "; ".join(
                f"{h.district_id} {h.category_id} {h.period_start} {h.count} (exp. {h.expected})"
                for h in quiet[:5]
            )
            if quiet
            else ""
        )
    )


if __name__ == "__main__":
    main()
