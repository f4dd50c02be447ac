"""Benchmark: router training on 1 million texts (issue 4, "Speed and scale": < 5 min on 2 cores).

The texts are made in memory the way the demo makes its petitions (bench/analytics_kaohsiung.py's
demo_corpus: subject = district, road and category name; body = a real 1999 wording of the category
or a template), 1,000,000 by default. Timed: routing.train as `rdec train_router` calls it (1 % held
out and measured), plus the categories' vocabulary. Then, with the model so trained:
- its accuracy on the 80 hand-written petitions (routing.handwritten(); floor top-1 ≥ 80 %, top-3
  ≥ 95 % at the agency level) and on the 34,868 mapped real Kaohsiung texts (for comparison with
  bench/analytics_kaohsiung.py, which trains on 30,000);
- the model file's size (joblib, compress=3, as services.train_router writes it);
- route suggestion latency with the model loaded back from that file: p50 / p95 of 500 single-text
  suggestions (floor p95 < 50 ms). bench/analytics_report.py --router times the same through the
  selector on a 1 million-case database (PostgreSQL or SQLite).
The model file is kept (--keep PATH) for that.

    .venv/bin/python bench/analytics_train.py [--texts 1000000] [--keep var/bench-router-1m.joblib]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "bench" / "support"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rdec.settings")
os.environ.setdefault("SECRET_KEY", "bench-analytics-train-0123456789-0123456789-0123456789-0123456789")

import analytics_kaohsiung as kaohsiung  # noqa: E402 - the demo-made texts and the real ones
from caller_texts import TEXTS  # noqa: E402 - bench/support

FLOORS = {"train_1m_s": 300.0, "route_p95_ms": 50.0}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--texts", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="PATH", help="keep the model file there")
    args = parser.parse_args()
    import django

    django.setup()
    import joblib

    from rdec.analytics import routing

    agency_of, _ = kaohsiung.categories()
    started = time.monotonic()
    texts, labels, _seen = kaohsiung.demo_corpus(agency_of, random.Random(1), args.texts)  # noqa: S311
    made_s = time.monotonic() - started
    print(
        f"router training on {len(texts):,} demo-made texts ({len(set(texts)):,} distinct, made in {made_s:.0f} s; "
        f"{os.cpu_count()} cores)"
    )
    started = time.monotonic()
    router, metrics = routing.train(texts, labels, [agency_of[c] for c in labels], agency_of, holdout=0.01)
    train_s = time.monotonic() - started
    print(
        f"  training: {train_s:.0f} s ({metrics['trained_on']:,} trained on, {metrics['tested_on']:,} held out: "
        f"agency top-1 {metrics['agency_top1']:.1%}; {router.pipeline[-1].n_iter_} epochs, "
        f"{len(router.pipeline[0].vocabulary_):,} n-grams) floor {FLOORS['train_1m_s']:.0f} s for 1,000,000 "
        f"texts ratio {train_s / FLOORS['train_1m_s']:.3f}"
        + ("" if args.texts >= 1_000_000 else " — fewer texts than the floor states")
    )
    cases = routing.handwritten()
    hand = routing.evaluate(
        router, [c["text"] for c in cases], [c["category"] for c in cases], [c["agency"] for c in cases]
    )
    print(kaohsiung.router_figures(f"{len(cases)} hand-written petitions", hand))
    real = [r for r in kaohsiung.load() if r["code"] in agency_of]
    kao = routing.evaluate(
        router,
        [routing.text_of("", r["description"]) for r in real],
        [r["code"] for r in real],
        [agency_of[r["code"]] for r in real],
    )
    print(kaohsiung.router_figures("mapped real Kaohsiung texts", kao))

    path = (
        Path(args.keep)
        if args.keep
        else Path(tempfile.mkdtemp(prefix="rdec-bench-router-")) / "router.joblib"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    joblib.dump(router, path, compress=3)
    dump_s = time.monotonic() - started
    started = time.monotonic()
    loaded = joblib.load(path)
    load_s = time.monotonic() - started
    print(
        f"  model file: {path.stat().st_size / 1e6:.1f} MB (written in {dump_s:.1f} s, loaded in {load_s:.1f} s)"
    )
    latencies = []
    for i in range(500):
        t = time.perf_counter()
        loaded.suggest(TEXTS[i % len(TEXTS)])
        latencies.append((time.perf_counter() - t) * 1000)
    p95 = statistics.quantiles(latencies, n=100)[94]
    print(
        f"  route suggestion with this model: p50 {statistics.median(latencies):.1f} ms p95 {p95:.1f} ms "
        f"floor {FLOORS['route_p95_ms']:.0f} ms ratio {p95 / FLOORS['route_p95_ms']:.3f}"
    )
    if not args.keep:
        path.unlink()
        path.parent.rmdir()


if __name__ == "__main__":
    main()
