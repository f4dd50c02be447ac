"""Benchmark: sustained case intake through the REST API (Api-Key auth): POST /api/v1/cases/
(filed at once, the number in the answer) and POST /api/v1/submissions/ (the queued intake: checked
and stored durably at once, filed by a Celery worker; the filing rate is reported too).

Floor (issue 3): creates/s as a ratio to a bare Django JSON endpoint served the same way (the
floor, /bench/floor/, added by bench/support/intake_urls.py — not in the product); aim ≥ 0.4 of the
floor, with p99 < 200 ms.

The app runs under gunicorn (2 workers × 4 threads, gthread) against PostgreSQL
(postgres://postgres@127.0.0.1:5432/rdec_bench_petitions_intake, created and dropped), with Redis
as the Celery broker so the receipts are queued as in production (the queue in Redis db 15 is
flushed afterwards). The load comes from a separate process on loopback: 8 keep-alive connections,
each sending requests back to back.

The machine is shared (a virtual machine whose neighbours take CPU time now and then), so the
three endpoints are measured in interleaved rounds — floor, cases, submissions, floor, … — and an
endpoint's ratio is the median of its rounds' ratios to the floor measured in the same round; the
CPU time taken by the hypervisor (steal) is printed for every segment. One Celery worker (nice 10,
as docs/operations.md runs it) sends the receipts of the cases and files the submissions: it runs
during their segments (stopped with SIGSTOP during the floor's, so it never takes CPU from the
floor) and afterwards until every submission is filed. While submissions arrive in a burst the
filing paces itself (RDEC_FILING_YIELD_RATE, RDEC_FILING_YIELD_DUTY_PERCENT; defaults), as in
production.

    .venv/bin/python bench/petitions_intake.py [--rounds 3] [--seconds 10] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import shutil
import signal
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
sys.path.insert(0, str(ROOT / "bench" / "support"))

import databases  # noqa: E402 - bench/support

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
    databases.recreate_database(DB_URL, drop_only)


def rdec(*args: str) -> str:
    return databases.run_rdec(env(), *args)


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


def cpu_times() -> list[int]:
    return [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]


def segment(port, path, key, n_total, seconds, concurrency) -> dict:
    """One stretch of load on one endpoint, with the share of CPU time the hypervisor took."""
    queue = multiprocessing.Queue()
    before = cpu_times()
    proc = multiprocessing.Process(target=drive, args=(port, path, key, n_total, seconds, concurrency, queue))
    proc.start()
    elapsed, latencies, statuses = queue.get()
    proc.join()
    delta = [b - a for a, b in zip(before, cpu_times(), strict=True)]
    ok = sum(1 for code in statuses if code in (200, 201, 202))
    return {
        "elapsed": elapsed,
        "latencies": latencies,
        "ok": ok,
        "errors": len(statuses) - ok,
        "per_second": ok / elapsed,
        "steal": 100 * delta[7] / max(1, sum(delta)) if len(delta) > 7 else 0.0,
    }


def summary(segments: list[dict], floors: list[dict]) -> dict:
    latencies = [lat for seg in segments for lat in seg["latencies"]]
    ok = sum(seg["ok"] for seg in segments)
    ratios = [seg["per_second"] / floor["per_second"] for seg, floor in zip(segments, floors, strict=True)]
    return {
        "ok": ok,
        "errors": sum(seg["errors"] for seg in segments),
        "per_second": ok / sum(seg["elapsed"] for seg in segments),
        "p50": statistics.median(latencies),
        "p99": statistics.quantiles(latencies, n=100)[98],
        "ratios": ratios,
        "ratio": statistics.median(ratios),
    }


def wait_until_filed(started: float) -> dict:
    """Let the worker file every submission; the filing rate counts the time the worker ran."""
    import psycopg

    deadline = time.monotonic() + 900
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
    return {
        "filed": filed,
        "pending": pending,
        "drain": time.monotonic() - started,
        "lag_p99": float(lag or 0),
    }


def start_worker() -> subprocess.Popen:
    """One Celery worker at a lower CPU priority, as docs/operations.md runs it."""
    return subprocess.Popen(  # noqa: S603
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


ENDPOINTS = {
    "floor": "/bench/floor/",
    "cases": "/api/v1/cases/",
    "submissions": "/api/v1/submissions/",
}
LABELS = {
    "floor": "bare JSON (floor)",
    "cases": "POST /api/v1/cases/",
    "submissions": "POST /api/v1/submissions/",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over the three endpoints")
    parser.add_argument("--seconds", type=float, default=10, help="seconds of load per endpoint per round")
    parser.add_argument("--requests", type=int, default=100_000, help="at most this many per segment")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    recreate_db()
    server = worker = None
    segments: dict[str, list[dict]] = {name: [] for name in ENDPOINTS}
    try:
        rdec("migrate", "--verbosity", "0")
        rdec("load_reference")
        rdec("load_petition_categories")
        key = rdec("create_api_key", "--name", "bench-intake", "--agency", "rdec").strip().splitlines()[-1]
        port = free_port()
        server = databases.start_intake_server(env(), port, args.workers, args.threads)
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.2)
        worker = start_worker()
        time.sleep(5)
        worker.send_signal(signal.SIGSTOP)  # it runs only while submissions arrive, and after
        for path in ENDPOINTS.values():  # warm-up
            segment(port, path, key, 200, 10, args.concurrency)
        worker_ran = 0.0
        for rnd in range(1, args.rounds + 1):
            for name, path in ENDPOINTS.items():
                if name != "floor":  # the cases' receipts are sent during their own segments
                    worker.send_signal(signal.SIGCONT)
                seg = segment(port, path, key, args.requests, args.seconds, args.concurrency)
                if name != "floor":
                    worker.send_signal(signal.SIGSTOP)
                    worker_ran += seg["elapsed"]
                segments[name].append(seg)
                print(
                    f"  round {rnd} {LABELS[name]:<26} {seg['per_second']:7.1f} /s  "
                    f"(steal {seg['steal']:4.1f} % of CPU time)",
                    flush=True,
                )
        worker.send_signal(signal.SIGCONT)
        filed = wait_until_filed(time.monotonic())
        worker_ran += filed["drain"]
        worker.terminate()
        worker.wait(timeout=30)
        worker = None
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGCONT)
            worker.terminate()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        recreate_db(drop_only=True)
        try:
            import redis

            redis.Redis.from_url(REDIS).flushdb()
        except Exception as exc:  # noqa: BLE001
            print(f"(could not flush {REDIS}: {exc})")
    floors = segments["floor"]
    print(
        f"petitions intake (gunicorn {args.workers}×{args.threads} gthread, PostgreSQL, {args.concurrency} connections, "
        f"{args.rounds} interleaved rounds of {args.seconds:.0f} s per endpoint), floor: bare Django JSON endpoint; "
        f"target ratio ≥ {FLOOR_RATIO}, p99 < {P99_MS:.0f} ms"
    )
    for name in ENDPOINTS:
        r = summary(segments[name], floors)
        rounds = ", ".join(f"{x:.3f}" for x in r["ratios"])
        print(
            f"  {LABELS[name]:<26} {r['per_second']:7.1f} /s  p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  "
            f"({r['ok']} ok, {r['errors']} errors)  ratio to floor {r['ratio']:.3f} (rounds: {rounds}), "
            f"p99 ratio {r['p99'] / P99_MS:.3f}"
        )
    queued = summary(segments["submissions"], floors)
    print(
        f"  queued intake filed by one worker (nice 10): {filed['filed']} of {queued['ok']} cases, "
        f"{filed['filed'] / worker_ran:.1f} /s over the {worker_ran:.0f} s it ran (during the cases' and "
        f"submissions' segments and after them); submission → case p99 {filed['lag_p99']:.1f} s; {filed['pending']} left waiting"
    )


if __name__ == "__main__":
    main()
