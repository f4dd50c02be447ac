"""Benchmark: document timeliness (公文時效) at a year's scale in PostgreSQL.

Floors (issue 6, "Speed and scale"): with 3 million document records, the monthly KPIs of every
agency in < 5 s; the import of 1 million rows in < 3 min.

1. KPIs: `rdec.documents.selectors.monthly_kpis` for the RDEC (every ranked agency, all classes —
   the call the page and GET /api/v1/documents/kpis/ make) for a month in the middle of the data;
   p50 and max of --runs, and the ratio of the max to the 5 s floor. Also timed: one class's ranking.
2. Import: a 1,000,000-row CSV (UTF-8, ROC dates, agencies by short name, about 10 % pending)
   written to a temporary file and imported with `importer.import_file` — the code behind
   `rdec import_documents FILE` — read, checked, counted, COPY'd and upserted in one transaction;
   the seconds and the ratio to the 180 s floor; then the same file again (every row an update).
   The imported rows are deleted afterwards (not timed) so the database keeps its 3 million rows.

The database (default postgres://postgres@127.0.0.1:5432/rdec_bench_documents) is created and
filled on the first run — 3,000,000 documents of the 71 ranked agencies received over twelve
months, counted by rules.count_document and written with COPY (about two minutes) — and reused
afterwards; --fresh rebuilds it; drop it with `dropdb rdec_bench_documents`.

    .venv/bin/python bench/documents.py [--documents 3000000] [--import-rows 1000000] [--runs 5] [--fresh]
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "support"))

import databases  # noqa: E402 - bench/support
from databases import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_documents"
SECRET = "bench-documents-kpis-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 - bench DB only
KPI_FLOOR_S = 5.0
IMPORT_FLOOR_S = 180.0
FIRST = datetime.date(2025, 11, 1)
LAST = datetime.date(2026, 10, 31)
KPI_MONTH = datetime.date(2026, 5, 1)
SPEEDS = [("ordinary", 70), ("urgent", 15), ("most_urgent", 5), ("time_limited", 10)]
CLASSES = [("general", 74), ("countersign", 13), ("application", 10), ("appeal", 3)]
CLASS_ZH = {"general": "一般公文", "countersign": "受會公文", "application": "申請案件", "appeal": "訴願答辯"}
SPEED_ZH = {"ordinary": "普通件", "urgent": "速件", "most_urgent": "最速件", "time_limited": "限期"}


def prepare() -> None:
    from django.core.management import call_command

    from rdec.core import reference
    from rdec.core.models import Agency

    call_command("migrate", interactive=False, verbosity=0)
    if not Agency.objects.exists():
        reference.load_bundled("66000")


def officer():
    from rdec.core.models import Agency, Role, User

    user = User.objects.filter(username="bench-officer").first()
    if user is None:
        user = User(username="bench-officer", role=Role.RDEC_OFFICER, agency=Agency.objects.get(code="rdec"))
        user.set_unusable_password()
        user.save()
    return user


def documents(n: int, seed: int, prefix: str):
    """n realistic documents: (agency, doc_no, class, speed, received, deadline, closed). The
    queries run here, before the first row is asked for (not inside a COPY on the connection)."""
    from rdec.core.models import Agency
    from rdec.documents import rules, selectors

    rng = random.Random(seed)
    index = rules.WorkingDayIndex()
    agencies = list(Agency.objects.filter(evaluation_group__in=selectors.GROUPS).order_by("pk"))
    return _documents(n, rng, index, agencies, prefix)


def _documents(n, rng, index, agencies, prefix):
    late_p = {a.pk: rng.choice([0.002, 0.005, 0.01, 0.02, 0.05]) for a in agencies}
    working = [
        datetime.date.fromordinal(o) for o in index.working if FIRST.toordinal() <= o <= LAST.toordinal()
    ]
    speeds, speed_w = zip(*SPEEDS, strict=True)
    classes, class_w = zip(*CLASSES, strict=True)
    limits = {"ordinary": 6, "urgent": 3, "most_urgent": 1, "time_limited": 6}
    for i in range(n):
        agency = agencies[i % len(agencies)]
        received = rng.choice(working)
        speed = rng.choices(speeds, speed_w)[0]
        late = rng.random() < late_p[agency.pk]
        deadline = None
        limit = limits[speed]
        days = limit + rng.randint(1, 5) if late else rng.randint(0, limit)
        closed = index.add(received, days) if days else received
        if speed == "time_limited":
            deadline = received + datetime.timedelta(days=rng.randint(5, 20))
        if closed is None or closed > LAST or rng.random() < 0.1:
            closed = None
        yield agency, f"{prefix}{i:08d}", rng.choices(classes, class_w)[0], speed, received, deadline, closed


def fill(n: int) -> float:
    """COPY n counted documents (only when the table is empty)."""
    from django.db import connection

    from rdec.documents import importer, rules
    from rdec.documents.models import Document

    if Document.objects.exists():
        return 0.0
    started = time.monotonic()
    book, index = rules.RuleBook(), rules.WorkingDayIndex()
    columns = ", ".join(importer.FIELDS)
    rows = documents(n, 3, "B")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY documents_document ({columns}) FROM STDIN") as copy:
            for agency, doc_no, doc_class, speed, received, deadline, closed in rows:
                c = rules.count_document(
                    book.on(received), index, speed=speed, received_on=received, closed_on=closed,
                    deadline_on=deadline,
                )  # fmt: skip
                copy.write_row(
                    (agency.pk, doc_no, "", doc_class, speed, received, deadline, closed, 0, "",
                     c.due_on, c.days_used, c.counted_days, c.is_overdue)
                )  # fmt: skip
        cursor.execute("VACUUM ANALYZE documents_document")
    return time.monotonic() - started


def roc(day: datetime.date | None) -> str:
    return "" if day is None else f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("doc_no,agency,doc_class,speed,received_on,due_on,closed_on\n")
        for agency, doc_no, doc_class, speed, received, deadline, closed in documents(n, 7, "I"):
            out.write(
                f"{doc_no},{agency.short_name},{CLASS_ZH[doc_class]},{SPEED_ZH[speed]},{roc(received)},"
                f"{roc(deadline)},{roc(closed)}\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--documents", type=int, default=3_000_000)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    reused = ensure_database(args.url, args.fresh)
    databases.setup_django(args.url, SECRET)
    prepare()
    from django.db import connection

    from rdec.documents import importer, selectors
    from rdec.documents.models import Document

    filled = fill(args.documents)
    count = Document.objects.count()
    print(f"database {args.url.rsplit('/', 1)[1]} ({'reused' if reused and not filled else 'filled'}"
          f"{f' in {filled:.0f} s' if filled else ''}): {count:,} documents")  # fmt: skip
    user = officer()

    times, class_times = [], []
    kpis = None
    for _ in range(args.runs):
        started = time.monotonic()
        kpis = selectors.monthly_kpis(user, KPI_MONTH)
        times.append(time.monotonic() - started)
        started = time.monotonic()
        selectors.monthly_kpis(user, KPI_MONTH, doc_class="application")
        class_times.append(time.monotonic() - started)
    closed = sum(k.closed for k in kpis.rows)
    print(
        f"monthly KPIs {KPI_MONTH:%Y-%m}, {len(kpis.rows)} agencies, {closed:,} documents closed, "
        f"{len(kpis.flagged)} flagged: p50 {statistics.median(times):.2f} s, max {max(times):.2f} s "
        f"(floor {KPI_FLOOR_S:.0f} s, ratio {max(times) / KPI_FLOOR_S:.2f})"
    )
    print(
        f"  one class's ranking (申請案件): p50 {statistics.median(class_times):.2f} s, max {max(class_times):.2f} s"
    )

    with tempfile.TemporaryDirectory(prefix="rdec-bench-documents-") as tmp:
        path = Path(tmp) / "documents.csv"
        write_csv(path, args.import_rows)
        size = path.stat().st_size
        for label in ("import", "re-import (every row updated)"):
            started = time.monotonic()
            result = importer.import_file(path.read_bytes(), path.name)
            seconds = time.monotonic() - started
            print(
                f"{label} of {result.rows:,} rows ({size / 1e6:.0f} MB CSV): {seconds:.1f} s, "
                f"{result.created:,} added, {result.updated:,} updated "
                f"(floor {IMPORT_FLOOR_S:.0f} s, ratio {seconds / IMPORT_FLOOR_S:.2f})"
            )
    Document.objects.filter(doc_no__startswith="I").delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE documents_document")


if __name__ == "__main__":
    main()
