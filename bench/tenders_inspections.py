"""Benchmark: construction quality inspections (工程施工查核) at city scale in PostgreSQL — 5,000
tenders (about 3,000 works) with 12 months of progress, 20,000 inspections over four years and
about 60,000 deficiencies found.

Issue 6 sets no figure for inspections; we hold the pages' computations to the control report's
floor (3 s). Prints p50 and max for the RDEC (every agency) of: the year's coverage, the planning
ranking (every work under execution scored), the year's deficiency statistics, and the statistics
with their .xlsx built — the same calls the pages and files make — and the ratio of the max to 3 s.

The database (default postgres://postgres@127.0.0.1:5432/rdec_bench_inspections) is created and
filled on the first run and reused afterwards; --fresh rebuilds it.

    .venv/bin/python bench/tenders_inspections.py [--tenders 5000] [--inspections 20000] [--runs 5] [--fresh]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "support"))
sys.path.insert(0, str(ROOT / "bench"))

import databases  # noqa: E402 - bench/support
import tenders_control_report as base  # noqa: E402 - the tenders benchmark's COPY filler
from databases import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_inspections"
SECRET = "bench-tenders-inspections-secret-key-not-for-production-0123456789"  # noqa: S105 - bench DB only
FLOOR_S = 3.0


def fill_inspections(count: int, last_day: datetime.date) -> float:
    from rdec.tenders import inspection_rules
    from rdec.tenders.models import Deficiency, Finding, ImprovementReport, Inspection, Tender

    if Inspection.objects.exists():
        return 0.0
    started = time.monotonic()
    rng = random.Random(66)
    works = list(Tender.objects.filter(type=Tender.Type.WORKS).values_list("id", flat=True))
    codes = list(Deficiency.objects.filter(is_active=True))
    rule = inspection_rules.InspectionRuleBook().on(last_day)
    first_day = last_day.replace(year=last_day.year - 3, month=1, day=1)
    span = (last_day - first_day).days
    rows = []
    for _i in range(count):
        score = Decimal(str(round(min(max(rng.gauss(78, 7), 50), 96), 1)))
        rows.append(
            Inspection(
                tender_id=rng.choice(works),
                inspected_on=first_day + datetime.timedelta(days=rng.randint(0, span)),
                work_type=rng.choice(Inspection.WorkType.values),
                members="委員甲\n委員乙",
                score=score,
                grade=inspection_rules.grade(rule, score),
            )
        )
    Inspection.objects.bulk_create(rows, batch_size=5000)
    findings, reports = [], []
    for inspection in rows:
        parties = set()
        for d in rng.sample(codes, rng.randint(0, 6)):
            findings.append(Finding(inspection=inspection, deficiency=d, points=d.points, party=d.party))
            parties.add(d.party)
        due = inspection.inspected_on + datetime.timedelta(days=30)
        for party in sorted(parties):
            done = rng.random() < 0.85
            reports.append(
                ImprovementReport(
                    inspection=inspection, party=party, due_on=due,
                    submitted_on=due - datetime.timedelta(days=3) if done else None,
                )
            )  # fmt: skip
    Finding.objects.bulk_create(findings, batch_size=10000)
    ImprovementReport.objects.bulk_create(reports, batch_size=10000)
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("tenders_inspection", "tenders_finding", "tenders_improvementreport"):
            cursor.execute(f"ANALYZE {table}")
    return time.monotonic() - started


def timed(fn, runs: int) -> list[float]:
    out = []
    for _run in range(runs):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--tenders", type=int, default=5000)
    parser.add_argument("--inspections", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    ensure_database(args.database_url, args.fresh)
    databases.setup_django(args.database_url, SECRET)
    base.prepare()
    last = datetime.date(2025, 12, 1)
    seconds = base.fill(args.tenders, 12, last)
    today = datetime.date(2025, 12, 15)
    seconds += fill_inspections(args.inspections, today)

    from rdec.tenders import inspection_reports, inspection_selectors
    from rdec.tenders.models import Finding, Inspection, Tender

    user = base.officer()
    print(
        f"inspections at scale (PostgreSQL): {Tender.objects.filter(type='works').count():,} works, "
        f"{Inspection.objects.count():,} inspections, {Finding.objects.count():,} deficiencies found"
        + (f"; generated in {seconds:.1f} s" if seconds else "; database reused")
    )
    cov = inspection_selectors.coverage(user, today.year, today)
    plan = inspection_selectors.planning(user, today)
    stats = inspection_selectors.statistics(user, today.year, today)
    print(
        f"  {today.year}: {cov.inspections:,} inspections of {cov.works:,} works ({cov.ratio_pct} %); "
        f"top suggestion {plan[0].points} points; {stats.findings:,} findings, "
        f"{len(stats.award_candidates):,} award candidates"
    )
    cases = (
        ("coverage", lambda: inspection_selectors.coverage(user, today.year, today)),
        ("planning", lambda: inspection_selectors.planning(user, today)),
        ("statistics", lambda: inspection_selectors.statistics(user, today.year, today)),
        (
            "statistics + .xlsx",
            lambda: inspection_reports.build_statistics(
                inspection_selectors.statistics(user, today.year, today), "xlsx"
            ),
        ),
    )
    for name, fn in cases:
        values = timed(fn, args.runs)
        print(
            f"  {name:<19} p50 {statistics.median(values) * 1000:8.1f} ms  max {max(values) * 1000:8.1f} ms  "
            f"floor {FLOOR_S:.0f} s  ratio {max(values) / FLOOR_S:.3f}  (n={len(values)})"
        )


if __name__ == "__main__":
    main()
