"""Benchmark: the open data catalog at 5,000 datasets / 20,000 resources in PostgreSQL.

Floors (issue 7, "Speed and scale"):
- `package_search` p95 < 100 ms (CKAN Action API, through the view as a client calls it);
- the full nightly quality run over 20,000 linked resources served from a local HTTP server in
  < 15 min on 2 cores, with bounded concurrency and per-host politeness;
- a 100 MB CSV validated without loading it whole into memory.
Prints each figure and its ratio to the floor (below 1.0 meets it).

The database (default postgres://postgres@127.0.0.1:5432/rdec_bench_opendata) is built on the first
run — Taichung's real 2018 catalog (1,136 datasets) imported, then grown with bulk inserts to
--datasets datasets with 4 linked CSV resources each — and reused afterwards; --fresh rebuilds it.
The resources point at --hosts loopback addresses (127.0.0.1 … 127.0.0.N, port --port) served by
this script: most files are good UTF-8 CSVs, some Big5 declared as UTF-8, some with a column not
declared, some HTML landing pages and some missing (404), so the run computes every badge.

    .venv/bin/python bench/opendata.py [--datasets 5000] [--hosts 4] [--concurrency 4]
        [--delay 0.02] [--skip-run] [--csv-mb 100] [--runs 50] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "support"))

import databases  # noqa: E402 - bench/support
from databases import ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_opendata"
SECRET = "bench-opendata-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 - bench DB only
FLOORS = {"package_search_p95_ms": 100.0, "quality_run_s": 15 * 60.0}
FIELDS = "區域(行政區名稱)、人口數(該區設籍人口)"
GOOD = "區域,人口數\n北屯區,297000\n西屯區,233000\n南屯區,178000\n".encode()
EXTRA = "區域,人口數,備註\n北屯區,297000,\n".encode()
WORDS = ["交通", "停車", "人口", "公園", "空氣", "垃圾", "路燈", "觀光", "醫療", "學校", "圖書館", "預算"]


class Files(BaseHTTPRequestHandler):
    """/good/N.csv, /big5/N.csv, /extra/N.csv, /page/N.html, anything else 404."""

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802
        kind = self.path.split("/")[1] if self.path.count("/") >= 2 else ""
        body, ctype = {
            "good": (GOOD, "text/csv"),
            "big5": (GOOD.decode().encode("cp950"), "text/csv"),
            "extra": (EXTRA, "text/csv"),
            "page": ("<html><body>下載頁</body></html>".encode(), "text/html; charset=utf-8"),
        }.get(kind, (None, ""))
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(hosts: int, port: int) -> list[ThreadingHTTPServer]:
    servers = []
    for i in range(1, hosts + 1):
        server = ThreadingHTTPServer((f"127.0.0.{i}", port), Files)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def setup_django(url: str) -> None:
    databases.setup_django(url, SECRET)
    from django.conf import settings

    settings.RDEC_OPENDATA_FETCH_PRIVATE = True  # the benchmark serves its own files on 127.0.0.x


def build(datasets: int, hosts: int, port: int) -> None:
    from django.core.management import call_command

    from rdec.core import reference
    from rdec.core.models import Agency
    from rdec.opendata.models import Dataset, Resource

    call_command("migrate", interactive=False, verbosity=0)
    if not Agency.objects.exists():
        reference.load_bundled("66000")
    from django.db import connection

    fresh = not Dataset.objects.exists()
    started = time.monotonic()
    if fresh:
        build_catalog(datasets, hosts, port)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would after a bulk load: the planner needs the counts
    if not fresh:
        return
    print(
        f"built {Dataset.objects.count():,} datasets, "
        f"{Resource.objects.filter(state='active').count():,} active resources in {time.monotonic() - started:.0f} s"
    )


def build_catalog(datasets: int, hosts: int, port: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from rdec.core.models import Agency
    from rdec.opendata import importer
    from rdec.opendata.models import Dataset, Resource
    from rdec.opendata.search import search_text

    importer.import_file(importer.BUNDLED)
    rng = random.Random(7)
    agencies = list(Agency.objects.filter(parent__isnull=False)[:30]) or list(Agency.objects.all()[:30])
    base = Dataset.objects.order_by("pk").first()
    now = timezone.now()
    existing = Dataset.objects.count()
    made = []
    for n in range(existing, datasets):
        agency = agencies[n % len(agencies)]
        word, other = rng.sample(WORDS, 2)
        title = f"臺中市{word}{other}統計第{n}號"
        description = f"{agency.name}提供之{word}與{other}相關統計資料，每月更新。"
        made.append(
            Dataset(
                agency=agency,
                identifier=f"387000000B-{n:06d}",
                name=f"bench-{n:06d}",
                title=title,
                description=description,
                category=rng.choice(["A00", "E00", "I00", "900", "B00"]),
                field_description=FIELDS,
                update_frequency=rng.choice(["每月", "每年", "不定期", "即時"]),
                contact_name=base.contact_name or "承辦人",
                contact_phone=base.contact_phone or "04-22289111",
                contact_email=base.contact_email or "opendata@taichung.gov.tw",
                published_on=base.published_on,
                metadata_modified=now,
                created_at=now,
                search_text=search_text(title, description, word, agency.name),
            )
        )
    with transaction.atomic():
        Dataset.objects.bulk_create(made, batch_size=1000)
        kinds = ["good"] * 14 + ["big5", "extra", "page", "missing"]
        resources = []
        for i, dataset in enumerate(Dataset.objects.order_by("pk").iterator(chunk_size=2000)):
            for number in range(1, 5):
                kind = kinds[(i * 4 + number) % len(kinds)]
                host = f"127.0.0.{(i * 4 + number) % hosts + 1}"
                ext = "html" if kind == "page" else "csv"
                resources.append(
                    Resource(
                        dataset=dataset,
                        number=number + 100,  # apart from the imported catalog's own numbers
                        description=f"資料資源{number}",
                        url=f"http://{host}:{port}/{kind}/{i}-{number}.{ext}",
                        format="CSV",
                        encoding="UTF-8",
                        field_description=FIELDS,
                        modified_at=now,
                        created_at=now,
                    )
                )
        Resource.objects.filter(number__lt=100).update(state=Resource.State.DELETED)
        Resource.objects.bulk_create(resources, batch_size=2000)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_search(runs: int) -> float:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from rdec.opendata.api import ckan
    from rdec.opendata.models import Dataset

    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    org = Dataset.objects.values_list("agency__code", flat=True).first()
    # (label, parameters, counted against the floor): the floor is for searches as people and
    # ckanapi's search make them (rows <= 20); harvester pages of 50-100 full packages are shown apart.
    queries = [
        ("default", {}, True),
        ("q=交通", {"q": "交通"}, True),
        ("q=停車 rows=20", {"q": "停車", "rows": "20"}, True),
        (
            "organization + 4 facets",
            {"fq": f"organization:{org}", "facet.field": '["organization","groups","res_format","tags"]'},
            True,
        ),
        (
            "harvester page (rows=100 start=2000 sort=id asc)",
            {"rows": "100", "start": "2000", "sort": "id asc"},
            False,
        ),
        (
            "fq metadata_modified range, rows=50",
            {"fq": "metadata_modified:[2020-01-01T00:00:00Z TO *]", "rows": "50"},
            False,
        ),
    ]
    counted: list[float] = []
    print(f"package_search ({runs} calls each):")
    for label, params, floor in queries:
        times = []
        for _ in range(runs):
            request = factory.get("/opendata/api/3/action/package_search", params)
            request.user = AnonymousUser()
            started = time.perf_counter()
            response = ckan.action(request, "package_search")
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
        if floor:
            counted += times
        print(
            f"  {label:52s} p50 {statistics.median(times):6.1f} ms  p95 {percentile(times, 95):6.1f} ms"
            + ("" if floor else "  (not counted: a page of full packages)")
        )
    p95 = percentile(counted, 95)
    print(
        f"  searches (rows <= 20): p95 {p95:.1f} ms  (floor 100 ms, ratio {p95 / FLOORS['package_search_p95_ms']:.2f})"
    )
    return p95


def bench_run(concurrency: int, delay: float) -> float:
    from django.db import connection

    from rdec.opendata import quality_run
    from rdec.opendata.models import QualityCheck

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE opendata_qualitycheck")
    QualityCheck.objects.all().delete()
    started = time.monotonic()
    result = quality_run.run(concurrency=concurrency, delay=delay, notify=False)
    seconds = time.monotonic() - started
    quality_run.take_snapshot()
    print(
        f"quality run: {result.checked:,} resources in {seconds:.0f} s "
        f"({result.checked / seconds:.1f}/s; concurrency {concurrency}, {delay} s between requests to one host); "
        f"badges {dict(sorted(result.badges.items()))}  (floor 900 s, ratio {seconds / FLOORS['quality_run_s']:.2f})"
    )
    return seconds


# The Table Schema the 100 MB file declares: every cell of 人口數 and 日期 is type-checked.
SCHEMA = {
    "fields": [
        {"name": "區域", "type": "string", "constraints": {"required": True}},
        {"name": "人口數", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "日期", "type": "date"},
        {"name": "說明", "type": "string"},
    ]
}


def bench_big_csv(megabytes: int) -> None:
    from rdec.opendata import quality

    row = "北屯區,297000,2026-01-01,一般說明文字填充欄位資料\n".encode()
    header = "區域,人口數,日期,說明\n".encode()
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as tmp:
        tmp.write(header)
        block = row * 10_000
        written = len(header)
        while written < megabytes * 1024 * 1024:
            tmp.write(block)
            written += len(block)
        path = tmp.name
    try:
        declared = [
            {"name": "區域", "title": "", "description": ""},
            {"name": "人口數", "title": "", "description": ""},
            {"name": "日期", "title": "", "description": ""},
            {"name": "說明", "title": "", "description": ""},
        ]
        tracemalloc.start()
        started = time.monotonic()
        with open(path, "rb") as stream:
            report = quality.check_file(
                stream, format="CSV", declared_encoding="UTF-8", declared_fields=declared, schema=SCHEMA
            )
        seconds = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{written / 1024 / 1024:.0f} MB CSV: {report.rows:,} rows checked in {seconds:.1f} s, badge {report.badge}, "
            f"peak Python memory {peak / 1024 / 1024:.1f} MB (ratio to the file {peak / written:.3f}: streamed)"
        )
    finally:
        os.unlink(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--datasets", type=int, default=5000)
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--delay", type=float, default=0.02)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--csv-mb", type=int, default=100)
    parser.add_argument("--skip-run", action="store_true", help="skip the quality run (the slow part)")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    build(args.datasets, args.hosts, args.port)
    bench_search(args.runs)
    if not args.skip_run:
        servers = serve(args.hosts, args.port)
        try:
            bench_run(args.concurrency, args.delay)
        finally:
            for server in servers:
                server.shutdown()
                server.server_close()
    bench_big_csv(args.csv_mb)


if __name__ == "__main__":
    main()
