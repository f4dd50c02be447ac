"""Benchmark: petition analytics at scale, on the petitions benchmark's PostgreSQL database
(bench/petitions_scale.py builds it: 2,000,000 cases over about a year; run that first).

Floors (issue 4, "Speed and scale", stated for 1 million cases; measured here on 2 million):
- hotspot scoring for a month over all districts × categories < 5 s;
- route suggestion p95 < 50 ms;
- router training on 1 million texts < 5 min on 2 cores (here on --train-cases texts, 200,000 by
  default; pass --train-cases 1000000 for the full figure).
Prints each figure and its ratio to the floor (below 1.0 meets it).

    .venv/bin/python bench/analytics.py [--database-url URL] [--train-cases 200000] [--runs 5]
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import petitions_scale as scale  # noqa: E402 - the petitions benchmark's database and helpers
from caller_texts import TEXTS  # noqa: E402 - bench/support

FLOORS = {"hotspots_month": 5.0, "route_p95_ms": 50.0, "train_1m_s": 300.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=scale.DEFAULT_URL)
    parser.add_argument("--train-cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not scale.ensure_database(args.database_url, False):
        sys.exit("run bench/petitions_scale.py first: it builds the 2 million-case database")
    scale.setup_django(args.database_url)
    scale.prepare_reference()
    people = scale.users()
    from django.db.models import Max

    from rdec.analytics import selectors, services
    from rdec.petitions.models import Case

    officer, agent = people["bench-officer"], people["bench-agent"]
    last = Case.objects.aggregate(last=Max("received_at"))["last"].date()
    end = last.replace(day=1) - datetime.timedelta(days=1)
    start = end.replace(day=1)
    times = []
    for _run in range(args.runs):
        started = time.perf_counter()
        found = selectors.hotspots(officer, start=start, end=end)
        times.append(time.perf_counter() - started)
    hotspot_s = statistics.median(times)

    started = time.perf_counter()
    model = services.train_router(actor=None, limit=args.train_cases, holdout=0.05)
    train_s = time.perf_counter() - started
    latencies = []
    for i in range(200):
        t = time.perf_counter()
        selectors.route_suggestions(agent, text=TEXTS[i % len(TEXTS)])
        latencies.append((time.perf_counter() - t) * 1000)
    route_p95 = statistics.quantiles(latencies, n=100)[94]

    print(f"petition analytics on {Case.objects.count():,} cases (PostgreSQL)")
    print(
        f"  hotspots {start}..{end}: {hotspot_s:.2f} s median of {args.runs} ({len(found)} hotspots) "
        f"floor {FLOORS['hotspots_month']:.0f} s ratio {hotspot_s / FLOORS['hotspots_month']:.3f}"
    )
    print(
        f"  route suggestion: p50 {statistics.median(latencies):.1f} ms p95 {route_p95:.1f} ms "
        f"floor {FLOORS['route_p95_ms']:.0f} ms ratio {route_p95 / FLOORS['route_p95_ms']:.3f}"
    )
    print(
        f"  router training on {model.trained_on + model.tested_on:,} texts: {train_s:.0f} s "
        f"(floor {FLOORS['train_1m_s']:.0f} s for 1,000,000 texts; ratio {train_s / FLOORS['train_1m_s']:.3f}"
        f"{'' if args.train_cases >= 1_000_000 else ' — fewer texts than the floor states'}); "
        f"held-out agency top-1 {model.agency_top1:.1%}"
    )


if __name__ == "__main__":
    main()
