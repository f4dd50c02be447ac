"""Benchmark: concurrent Open311 POSTs (issue 13, item 6) on SQLite and on PostgreSQL.

The app runs under gunicorn (2 workers × 4 threads, gthread, as docs/operations.md runs it) on a
SQLite file in a fresh data dir, then on PostgreSQL
(postgres://postgres@127.0.0.1:5432/rdec_bench_open311, created and dropped), without a broker: the
receipts are sent in-process after the commit, as on the demo, which is where "database is locked"
used to surface after the case was committed. 30 clients post N service requests at once, each
with its own Idempotency-Key; a client whose POST fails (5xx or no answer) retries it once with the
same key, as a careful client would.

Printed per database: answers by status (5xx counted), requests accepted (201, or 200 for a retry
that found its case), cases filed, and duplicates (cases filed twice for one request) — the aim is
0 × 5xx and 0 duplicates, every accepted request exactly one case.

    .venv/bin/python bench/open311_concurrency.py [--posts 529] [--clients 30] [--only sqlite|postgres]
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PG_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_open311"
SERVICES = ["pothole", "light-out", "litter", "sidewalk"]
XITUN = {"lat": "24.1615", "long": "120.6469"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(data_dir: str, database_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "SECRET_KEY_FILE"}}
    for name in ("REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)  # no broker: the receipts run in the request, after the commit
    env.update(RDEC_DATA_DIR=data_dir, PYTHONUNBUFFERED="1", API_KEY_CACHE_SECONDS="30")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def recreate_pg(drop_only: bool = False) -> None:
    import psycopg

    base, _sep, name = PG_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def rdec(env: dict, *args: str) -> str:
    out = subprocess.run([str(BIN / "rdec"), *args], env=env, check=True, capture_output=True, text=True)  # noqa: S603
    return out.stdout


def post(port: int, key: str, index: int, idem: str) -> tuple[int, str]:
    body = urllib.parse.urlencode(
        {
            "api_key": key,
            "service_code": SERVICES[index % len(SERVICES)],
            "description": f"路面坑洞，請派員處理。bench-open311-{index:05d}",
            "email": f"bench{index}@example.org",  # so that a receipt is sent after the commit
            **XITUN,
        }
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": idem}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/open311/v2/requests.json", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        number = ""
        if resp.status in (200, 201):
            number = json.loads(data)[0]["service_request_id"]
        return resp.status, number
    except (OSError, http.client.HTTPException, ValueError):
        return 0, ""
    finally:
        conn.close()


def fire(port: int, key: str, posts: int, clients: int, run: str) -> dict:
    statuses: collections.Counter = collections.Counter()
    accepted: dict[int, str] = {}
    lock = threading.Lock()
    counter = [0]
    barrier = threading.Barrier(clients)

    def client() -> None:
        barrier.wait()  # all 30 start together
        while True:
            with lock:
                if counter[0] >= posts:
                    return
                index = counter[0]
                counter[0] += 1
            idem = f"{run}-{index}"
            for _attempt in range(2):  # one retry, with the same key, after a failure
                status, number = post(port, key, index, idem)
                with lock:
                    statuses[status] += 1
                    if number:
                        accepted[index] = number
                if status < 500 and status != 0:
                    break

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"statuses": statuses, "accepted": accepted, "seconds": time.monotonic() - started}


def count_cases(env: dict) -> tuple[int, int, int]:
    """(cases filed by the benchmark, requests filed more than once, cases whose receipt was sent)."""
    script = (
        "import collections,re;from rdec.petitions.models import Case;"
        "d=[m.group(0) for m in (re.search(r'bench-open311-\\d+',x) for x in "
        "Case.objects.filter(description__contains='bench-open311-').values_list('description',flat=True)) if m];"
        "c=collections.Counter(d);"
        "r=Case.objects.filter(description__contains='bench-open311-',notifications__isnull=False).distinct().count();"
        "print(len(d),sum(1 for v in c.values() if v>1),r)"
    )
    filed, dupes, receipts = rdec(env, "shell", "-c", script).split()[-3:]
    return int(filed), int(dupes), int(receipts)


def run(engine: str, posts: int, clients: int, workers: int, threads: int) -> dict:
    data_dir = tempfile.mkdtemp(prefix=f"rdec-bench-open311-{engine}-")
    database_url = None
    if engine == "postgres":
        recreate_pg()
        database_url = PG_URL
    env = environment(data_dir, database_url)
    server = None
    try:
        rdec(env, "migrate", "--noinput")
        rdec(env, "load_reference")
        rdec(env, "shell", "-c", "from rdec.petitions.reference import load_categories; load_categories()")
        key = rdec(env, "create_api_key", "--name", "bench-open311").strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "rdec.wsgi",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(data_dir) / "gunicorn.log", "w"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/open311/v2/services.json")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        result = fire(port, key, posts, clients, run=f"{engine}-{int(time.time())}")
        server.terminate()
        server.wait(timeout=30)
        server = None
        filed, dupes, receipts = count_cases(env)
        log = (Path(data_dir) / "gunicorn.log").read_text(errors="replace")
        errors = log.count("database is locked")
        if os.environ.get("BENCH_SHOW_ERRORS"):
            print(log[-6000:])
        return {**result, "filed": filed, "duplicates": dupes, "receipts": receipts, "locked_in_log": errors}
    finally:
        if server is not None:
            server.kill()
        shutil.rmtree(data_dir, ignore_errors=True)
        if engine == "postgres":
            recreate_pg(drop_only=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=529)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    args = parser.parse_args()
    engines = [args.only] if args.only else ["sqlite", "postgres"]
    print(
        f"{args.posts} Open311 POSTs from {args.clients} clients; gunicorn {args.workers} workers × "
        f"{args.threads} threads; no broker (receipts in-process)"
    )
    print(
        f"{'database':<10} {'5xx':>5} {'no answer':>9} {'accepted':>8} {'filed':>6} {'dupes':>6} "
        f"{'receipts':>8} {'locked':>6} {'s':>6}  statuses"
    )
    for engine in engines:
        r = run(engine, args.posts, args.clients, args.workers, args.threads)
        five = sum(n for code, n in r["statuses"].items() if code >= 500)
        print(
            f"{engine:<10} {five:>5} {r['statuses'].get(0, 0):>9} {len(r['accepted']):>8} {r['filed']:>6} "
            f"{r['duplicates']:>6} {r['receipts']:>8} {r['locked_in_log']:>6} {r['seconds']:>6.1f}  "
            f"{dict(sorted(r['statuses'].items()))}"
        )


if __name__ == "__main__":
    main()
