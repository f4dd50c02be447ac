"""Benchmark: sustained case intake through the REST API (Api-Key auth): POST /api/v1/cases/
(filed at once, the number in the answer) and POST /api/v1/submissions/ (the queued intake: checked
and stored at once, filed by a Celery worker running meanwhile; the filing rate is reported too).

Floor (issue 3): creates/s as a ratio to a bare Django JSON endpoint served the same way (the
floor, /bench/floor/, added by bench/support/intake_urls.py — not in the product); aim ≥ 0.4 of the
floor, with p99 < 200 ms.

The app runs under gunicorn (2 workers × 4 threads, gthread) against PostgreSQL
(postgres://postgres@127.0.0.1:5432/rdec_bench_petitions_intake, created and dropped), with Redis
as the Celery broker so the receipts are queued as in production (no worker runs; the queue in
Redis db 15 is flushed afterwards). The load comes from a separate process on loopback: 8
keep-alive connections, each sending requests back to back, bounded by --requests and --seconds.

    .venv/bin/python bench/petitions_intake.py [--requests 3000] [--seconds 30] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DB_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_petitions_intake"
REDIS = "redis://127.0.0.1:6379/15"
CATEGORIES = ["pothole", "light-out", "litter", "garbage", "noise-business", "illegal-parking", "sidewalk"]
FLOOR_RATIO = 0.4
P99_MS = 200.0
DATA_DIR = tempfile.mkdtemp(prefix="rdec-bench-intake-")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env() -> dict:
    e = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    e.update(
        DATABASE_URL=DB_URL,
        REDIS_URL=REDIS,
        CELERY_BROKER_URL=REDIS,
        SECRET_KEY="bench-intake-secret-key-0123456789-0123456789-0123456789",  # noqa: S106 - bench only
        PYTHONPATH=f"{ROOT / 'bench' / 'support'}:{ROOT}",
        RDEC_DATA_DIR=DATA_DIR,
    )
    return e


def recreate_db(drop_only: bool = False) -> None:
    import psycopg

    base, _sep, name = DB_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def rdec(*args: str) -> str:
    out = subprocess.run(  # noqa: S603
        [str(BIN / "rdec"), *args], env=env(), check=True, capture_output=True, text=True
    )
    return out.stdout


def client(port, path, key, n_total, deadline, counter, lock, latencies, statuses, seed):
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", "Authorization": f"Api-Key {key}"}
    while time.monotonic() < deadline:
        with lock:
            if counter[0] >= n_total:
                break
            counter[0] += 1
            i = counter[0]
        body = json.dumps(
            {
                "category": rng.choice(CATEGORIES),
                "subject": f"壓力測試案件 {i}",
                "description": "渠反映該處路燈不亮，建請查處。（bench）",
                "lat": 24.16 + rng.random() * 0.03,
                "lon": 120.64 + rng.random() * 0.03,
                "petitioner_name": "測試民眾",
                "petitioner_phone": f"0900000{i % 1000:03d}",
            }
        )
        started = time.perf_counter()
        try:
            conn.request("POST", path, body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            code = resp.status
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            code = 0
        latencies.append((time.perf_counter() - started) * 1000)
        statuses.append(code)
    conn.close()


def drive(port, path, key, n_total, seconds, concurrency, queue):
    """Runs in its own process: `concurrency` keep-alive connections posting back to back."""
    counter, lock = [0], threading.Lock()
    latencies: list[float] = []
    statuses: list[int] = []
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=client, args=(port, path, key, n_total, deadline, counter, lock, latencies, statuses, i)
        )
        for i in range(concurrency)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    queue.put((time.monotonic() - started, latencies, statuses))


def run_load(port, path, key, args) -> dict:
    queue = multiprocessing.Queue()
    # a short warm-up, then the measured run
    for n, secs in ((min(200, args.requests), 10), (args.requests, args.seconds)):
        proc = multiprocessing.Process(target=drive, args=(port, path, key, n, secs, args.concurrency, queue))
        proc.start()
        elapsed, latencies, statuses = queue.get()
        proc.join()
    ok = [lat for lat, code in zip(latencies, statuses, strict=True) if code in (200, 201, 202)]
    q = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "ok": len(ok),
        "errors": len(latencies) - len(ok),
        "per_second": len(ok) / elapsed,
        "p50": statistics.median(latencies),
        "p99": q[98],
    }


def wait_until_filed(expected: int, started: float) -> dict:
    """Wait for the worker to file every submission; the filing rate counts from the start of the
    load (warm-up included) to the moment the last submission was filed."""
    import psycopg

    deadline = time.monotonic() + 600
    with psycopg.connect(DB_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        while time.monotonic() < deadline:
            pending, filed = conn.execute(
                "SELECT count(*) FILTER (WHERE status = 'pending'), count(*) FILTER (WHERE status = 'filed') "
                "FROM petitions_submission"
            ).fetchone()
            if pending == 0:
                break
            time.sleep(0.2)
        lag = conn.execute(
            "SELECT EXTRACT(EPOCH FROM percentile_cont(0.99) WITHIN GROUP (ORDER BY filed_at - received_at)) "
            "FROM petitions_submission WHERE status = 'filed'"
        ).fetchone()[0]
    elapsed = time.monotonic() - started
    return {"filed": filed, "pending": pending, "per_second": filed / elapsed, "lag_p99": float(lag or 0)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    recreate_db()
    server = None
    try:
        rdec("migrate", "--verbosity", "0")
        rdec("load_reference")
        rdec("load_petition_categories")
        key = rdec("create_api_key", "--name", "bench-intake", "--agency", "rdec").strip().splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "intake_wsgi",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--worker-class",
                "gthread",
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env(),
            cwd=ROOT / "bench" / "support",
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.2)
        floor = run_load(port, "/bench/floor/", key, args)
        api = run_load(port, "/api/v1/cases/", key, args)
        # the queued intake, with one Celery worker filing the submissions while they arrive
        # at a lower CPU priority, as docs/operations.md runs it: taking submissions comes first
        worker = subprocess.Popen(  # noqa: S603
            [
                shutil.which("nice") or "/usr/bin/nice",
                "-n",
                "10",
                str(BIN / "celery"),
                "-A",
                "rdec",
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "WARNING",
            ],
            env=env(),
            cwd=ROOT,
        )
        time.sleep(5)
        started = time.monotonic()
        queued = run_load(port, "/api/v1/submissions/", key, args)
        accepted_for = time.monotonic() - started
        filed = wait_until_filed(queued["ok"], started)
        worker.terminate()
        worker.wait(timeout=30)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        recreate_db(drop_only=True)
        try:
            import redis

            redis.Redis.from_url(REDIS).flushdb()
        except Exception as exc:  # noqa: BLE001
            print(f"(could not flush {REDIS}: {exc})")
    print(
        f"petitions intake (gunicorn {args.workers}×{args.threads} gthread, PostgreSQL, {args.concurrency} connections), "
        f"floor: bare Django JSON endpoint; target ratio ≥ {FLOOR_RATIO}, p99 < {P99_MS:.0f} ms"
    )
    for name, r in (
        ("bare JSON (floor)", floor),
        ("POST /api/v1/cases/", api),
        ("POST /api/v1/submissions/", queued),
    ):
        print(
            f"  {name:<26} {r['per_second']:7.1f} /s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
            f"({r['ok']} ok, {r['errors']} errors)  ratio to floor {r['per_second'] / floor['per_second']:.3f}, "
            f"p99 ratio {r['p99'] / P99_MS:.3f}"
        )
    print(
        f"  queued intake filed by one worker meanwhile: {filed['filed']} cases, {filed['per_second']:.1f} /s "
        f"from first submission to last filing (ratio to floor {filed['per_second'] / floor['per_second']:.3f}); "
        f"submission → case p99 {filed['lag_p99']:.1f} s; {filed['pending']} left waiting; "
        f"acceptance took {accepted_for:.1f} s"
    )


if __name__ == "__main__":
    main()
