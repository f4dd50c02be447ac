"""Benchmark: a popular proposal (issue 16) — 200 supports (附議) a second for 60 s from distinct
citizen accounts through POST /api/v1/participation/proposals/{id}/endorsements/, each with its own
session (cookie + CSRF token, as a browser sends), counted exactly (no lost or double count),
p99 < 300 ms, on PostgreSQL, as a ratio to the bare-Django floor measured in the same run.

What it does:
1. A fresh PostgreSQL database (postgres://postgres@127.0.0.1:5432/rdec_bench_participation_endorse,
   created and dropped), migrated, with the reference data; a bench-only rule version with a
   threshold no run reaches (so the proposal stays open), proposals open for support, and enough
   verified citizen accounts with a signed-in session each (made in bulk, not through the login).
2. The app under gunicorn (2 workers × 4 threads, gthread), the floor (/bench/floor/, a bare Django
   JSON view, bench/support/intake_urls.py) served by the same processes.
3. Capacity, in interleaved rounds: floor, supports, floor, … — each segment 8 keep-alive
   connections posting back to back for --capacity-seconds; the supports' rate as a ratio to the
   floor's of the same round (median of the rounds), each round on its own proposal.
4. The paced run: --rate supports a second for --seconds (open loop: request i is due at
   start + i / rate and its latency counts from then, so a server falling behind shows), from distinct
   accounts, plus --duplicates of them sent again by an account that already supported (each must be
   a 409); then the same paced load on the floor for the latency ratio.
5. Exactness: the proposal's endorsement_count = the supports stored = the 201 answers, and every
   duplicate answered 409.

All requests come from 127.0.0.1: past the burst rule (20 from one network in 10 minutes) the supports
are flagged for review — counted, as in production — so the flagging query is in the measured path.

    .venv/bin/python bench/participation_endorse.py [--seconds 60] [--rate 200] [--rounds 3]
        [--capacity-seconds 5] [--concurrency 32] [--workers 2] [--threads 4]
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import secrets
import shutil
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
DB_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_participation_endorse"
SECRET = "bench-endorse-secret-key-0123456789-0123456789-0123456789"  # noqa: S105 - bench only
P99_MS = 300.0
# one scratch directory for the run, shared with the --prepare child (removed at the end)
DATA_DIR = os.environ.get("RDEC_BENCH_ENDORSE_DIR") or tempfile.mkdtemp(prefix="rdec-bench-endorse-")
CSRF = "a" * 32  # the cookie's CSRF secret; the header repeats it (Django accepts the unmasked secret)


def env() -> dict:
    e = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "CELERY_BROKER_URL"}}
    e.update(
        DATABASE_URL=DB_URL,
        SECRET_KEY=SECRET,
        PYTHONPATH=f"{ROOT / 'bench' / 'support'}:{ROOT}",
        RDEC_DATA_DIR=DATA_DIR,
        RDEC_BENCH_ENDORSE_DIR=DATA_DIR,
    )
    return e


def recreate_db(drop_only: bool = False) -> None:
    databases.recreate_database(DB_URL, drop_only)


def rdec(*args: str) -> str:
    return databases.run_rdec(env(), *args)


# --- the data (runs in a child process with Django set up) ----------------------------------------------


def prepare(out: str, accounts: int, proposals: int) -> None:
    """Accounts (verified citizens, joined a day ago) with one session each, and open proposals."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "rdec.settings"
    django.setup()
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from rdec.core.models import Role, User
    from rdec.participation.models import ProposalRule
    from rdec.participation.services import proposals as services

    now = timezone.now()
    ProposalRule.objects.create(
        effective_from=timezone.localdate() - datetime.timedelta(days=1),
        source="bench only: a threshold no run reaches, so the proposal stays open",
        threshold=10_000_000,
    )
    password = make_password(None)
    officer = User.objects.create(username="bench-officer", role=Role.RDEC_OFFICER, password=password)
    proposer = User.objects.create(
        username="bench-proposer",
        role=Role.CITIZEN,
        password=password,
        phone_verified_at=now,
        email_verified_at=now,
    )
    ids = []
    for i in range(proposals):
        p = services.submit_proposal(
            actor=proposer, title=f"熱門提案 {i}", content="建議延長捷運營運時間。", benefits="便利夜間通勤。"
        )
        services.check_proposal(p, actor=officer, accept=True)
        ids.append(p.pk)
    joined = now - datetime.timedelta(days=1)
    User.objects.bulk_create(
        [
            User(
                username=f"bench-citizen-{i}",
                role=Role.CITIZEN,
                password=f"!{secrets.token_hex(20)}",
                phone_verified_at=joined,
                email_verified_at=joined,
                date_joined=joined,
            )
            for i in range(accounts)
        ],
        batch_size=2000,
    )
    store = SessionStore()
    expire = now + datetime.timedelta(days=1)
    sessions, keys = [], []
    for user in User.objects.filter(username__startswith="bench-citizen-").order_by("pk").iterator():
        key = secrets.token_hex(16)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        keys.append(key)
    Session.objects.bulk_create(sessions, batch_size=2000)
    Path(out).write_text(json.dumps({"proposals": ids, "sessions": keys}))


def final_counts(proposal_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """proposal → (endorsement_count, supports stored, supports under review), read in SQL."""
    import psycopg

    with psycopg.connect(DB_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT p.id, p.endorsement_count, count(e.id), count(e.id) FILTER (WHERE e.review = 'pending') "
            "FROM participation_proposal p LEFT JOIN participation_endorsement e ON e.proposal_id = p.id "
            "WHERE p.id = ANY(%s) GROUP BY p.id, p.endorsement_count",
            [proposal_ids],
        ).fetchall()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


# --- load ------------------------------------------------------------------------------------------------


def _headers(session: str | None) -> dict:
    h = {"Accept": "application/json", "Accept-Language": "zh-hant"}
    if session:
        h["Cookie"] = f"sessionid={session}; csrftoken={CSRF}"
        h["X-CSRFToken"] = CSRF
    return h


def _send(conn, path, session):
    try:
        conn.request("POST", path, body=b"", headers=_headers(session))
        resp = conn.getresponse()
        resp.read()
        return conn, resp.status
    except (OSError, http.client.HTTPException):
        conn.close()
        return None, 0


def drive(port, path, jobs, seconds, rate, concurrency, queue):
    """In its own process. `jobs`: the session of each request in order (None for the floor).
    rate None: closed loop (each connection sends back to back) for `seconds`; otherwise open loop,
    request i due at start + i / rate, latency counted from that moment."""
    lock = threading.Lock()
    nxt = [0]
    results: list[tuple[float, int, int]] = []  # (latency ms, status, job index)
    start = time.perf_counter() + 0.2
    stop = start + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = nxt[0]
                if i >= len(jobs):
                    break
                nxt[0] += 1
            if rate is None:
                if time.perf_counter() >= stop:
                    break
                due = time.perf_counter()
            else:
                due = start + i / rate
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn, code = _send(conn, path, jobs[i])
            results.append(((time.perf_counter() - due) * 1000, code, i))
        if conn is not None:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    used = os.times()
    queue.put((time.perf_counter() - start, results, used.user + used.system))


def cpu_times() -> list[int]:
    return [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]


SERVER_PID: list[int] = []  # the gunicorn master, once started
TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def bench_ticks() -> int:
    """CPU ticks used so far by the bench's own server side: the gunicorn master and workers and the
    PostgreSQL sessions on the bench database (the load driver reports its own)."""
    pids = [*SERVER_PID, *(c for p in SERVER_PID for c in _children(p))]
    name = DB_URL.rpartition("/")[2].encode()
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if name in (proc / "cmdline").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                continue
    total = 0
    for pid in set(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total


def segment(port, path, jobs, seconds, rate, concurrency) -> dict:
    queue = multiprocessing.Queue()
    before, ours_before, wall = cpu_times(), bench_ticks(), time.perf_counter()
    proc = multiprocessing.Process(target=drive, args=(port, path, jobs, seconds, rate, concurrency, queue))
    proc.start()
    elapsed, results, driver_cpu = queue.get()
    proc.join()
    delta = [b - a for a, b in zip(before, cpu_times(), strict=True)]
    ours = (bench_ticks() - ours_before) / TICKS + driver_cpu  # CPU seconds
    wall = time.perf_counter() - wall
    busy = sum(d for k, d in enumerate(delta) if k not in (3, 4)) / TICKS  # all but idle and iowait
    latencies = [r[0] for r in results]
    codes: dict[int, int] = {}
    for _lat, code, _i in results:
        codes[code] = codes.get(code, 0) + 1
    ok = codes.get(200, 0) + codes.get(201, 0)
    return {
        "elapsed": elapsed,
        "results": results,
        "codes": codes,
        "ok": ok,
        "per_second": ok / elapsed,
        "p50": statistics.median(latencies) if latencies else 0.0,
        "p95": statistics.quantiles(latencies, n=100)[94] if len(latencies) > 1 else 0.0,
        "p99": statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else 0.0,
        "max": max(latencies) if latencies else 0.0,
        # the machine is shared: the CPUs (of os.cpu_count()) used by the bench (server, its database
        # sessions, the load driver) and by everything else meanwhile
        "cpus_bench": ours / wall,
        "cpus_other": max(0.0, busy - ours) / wall,
        "cpu_ms": 1000 * ours / max(1, len(results)),  # the bench's CPU time per request
        "steal": 100 * delta[7] / max(1, sum(delta)) if len(delta) > 7 else 0.0,
        "idle": 100 * (delta[3] + delta[4]) / max(1, sum(delta)),
    }


def wait_for(port: int) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60, help="length of the paced run")
    parser.add_argument("--rate", type=float, default=200, help="supports a second in the paced run")
    parser.add_argument("--duplicates", type=float, default=0.01, help="share of second supports (409)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved capacity rounds (floor, supports)")
    parser.add_argument("--capacity-seconds", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=32, help="connections of the paced run")
    parser.add_argument("--capacity-concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--accounts", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--proposals", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(args.prepare, args.accounts, args.proposals)
        return

    paced_n = int(args.rate * args.seconds)
    accounts = max(paced_n, 6000)
    recreate_db()
    server = None
    proposals: list[int] = []
    counts: dict[int, tuple[int, int, int]] = {}
    try:
        t0 = time.perf_counter()
        rdec("migrate", "--verbosity", "0")
        rdec("load_reference")
        data_file = Path(DATA_DIR) / "bench-data.json"
        subprocess.run(  # noqa: S603
            [
                sys.executable,
                __file__,
                "--prepare",
                str(data_file),
                "--accounts",
                str(accounts),
                "--proposals",
                str(args.rounds + 2),
            ],
            env=env(),
            check=True,
            cwd=ROOT,
        )
        data = json.loads(data_file.read_text())
        sessions, proposals = data["sessions"], data["proposals"]
        print(
            f"  set-up: {accounts} verified accounts with sessions, {len(proposals)} proposals "
            f"({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
        port = free_port()
        server = databases.start_intake_server(env(), port, args.workers, args.threads)
        SERVER_PID.append(server.pid)
        wait_for(port)
        url = "/api/v1/participation/proposals/{}/endorsements/"
        floor = "/bench/floor/"
        # warm-up (each worker thread opens its database connection): the floor and a few supports on
        # a proposal of its own (proposals: one per capacity round, the paced run's, the warm-up's)
        segment(port, floor, [None] * 400, 3, None, args.capacity_concurrency)
        warm = segment(port, url.format(proposals[-1]), sessions[-200:], 3, None, args.capacity_concurrency)

        capacity = {"floor": [], "supports": []}
        for rnd in range(args.rounds):
            f = segment(
                port, floor, [None] * 1_000_000, args.capacity_seconds, None, args.capacity_concurrency
            )
            s = segment(
                port,
                url.format(proposals[rnd]),
                sessions,
                args.capacity_seconds,
                None,
                args.capacity_concurrency,
            )
            capacity["floor"].append(f)
            capacity["supports"].append(s)
            print(
                f"  round {rnd + 1}: floor {f['per_second']:7.1f} /s, supports {s['per_second']:7.1f} /s "
                f"(ratio {s['per_second'] / f['per_second']:.3f}; CPU a request: floor {f['cpu_ms']:.2f} ms, "
                f"supports {s['cpu_ms']:.2f} ms; CPUs used by the bench {s['cpus_bench']:.2f}, "
                f"by other processes {s['cpus_other']:.2f}; steal {s['steal']:.1f} %)",
                flush=True,
            )

        # the paced run: distinct accounts, plus a few second supports by accounts already counted
        target = proposals[args.rounds]
        every = int(1 / args.duplicates) if args.duplicates > 0 else 0
        jobs = []
        for i, session in enumerate(sessions[:paced_n]):
            jobs.append(session)
            if every and i >= 100 and i % every == 0:
                jobs.append(sessions[i - 100])  # an account that supported half a second before
        n_dup = len(jobs) - paced_n
        paced = segment(port, url.format(target), jobs, args.seconds + 30, args.rate, args.concurrency)
        paced_floor = segment(port, floor, [None] * paced_n, args.seconds + 30, args.rate, args.concurrency)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        try:
            if proposals:
                counts = final_counts(proposals)
        finally:  # the database and the scratch directory go, whatever happened
            recreate_db(drop_only=True)
            shutil.rmtree(DATA_DIR, ignore_errors=True)

    count, stored, pending = counts[target]
    created = paced["codes"].get(201, 0)
    conflicts = paced["codes"].get(409, 0)
    others = {c: n for c, n in paced["codes"].items() if c not in (201, 409)}
    exact = count == stored == created and conflicts == n_dup and not others
    caps = [
        s["per_second"] / f["per_second"]
        for f, s in zip(capacity["floor"], capacity["supports"], strict=True)
    ]
    for proposal, s in [*zip(proposals, capacity["supports"], strict=False), (proposals[-1], warm)]:
        c, st, _p = counts[proposal]
        exact = exact and c == st == s["codes"].get(201, 0)
    achieved = len(paced["results"]) / paced["elapsed"]
    sustained = achieved >= 0.98 * args.rate and paced["p99"] < P99_MS
    print(
        f"participation supports (gunicorn {args.workers}×{args.threads} gthread, PostgreSQL, session + CSRF per "
        f"citizen, {os.cpu_count()} CPUs); target {args.rate:.0f}/s for {args.seconds:.0f} s, p99 < {P99_MS:.0f} ms"
    )
    print(
        f"  paced: {len(jobs)} requests ({paced_n} distinct accounts + {n_dup} second supports) at "
        f"{args.rate:.0f}/s → {created} × 201, {conflicts} × 409, other {others or 'none'}; "
        f"achieved {achieved:.1f} requests/s ({created / paced['elapsed']:.1f} supports/s counted) over "
        f"{paced['elapsed']:.1f} s; p50 {paced['p50']:.1f} ms, p95 {paced['p95']:.1f} ms, p99 {paced['p99']:.1f} ms, "
        f"max {paced['max']:.0f} ms (from each request's due time) → "
        f"{'SUSTAINED' if sustained else 'NOT SUSTAINED'} (≥ 98 % of the rate and p99 < {P99_MS:.0f} ms); "
        f"CPU a request {paced['cpu_ms']:.2f} ms; CPUs used by the bench {paced['cpus_bench']:.2f}, by other "
        f"processes {paced['cpus_other']:.2f} "
        f"(of {os.cpu_count()}), idle {paced['idle']:.0f} %, steal {paced['steal']:.1f} %"
    )
    print(
        f"  floor at the same pace: achieved {len(paced_floor['results']) / paced_floor['elapsed']:.1f} "
        f"requests/s; p50 {paced_floor['p50']:.1f} ms, p95 {paced_floor['p95']:.1f} ms, "
        f"p99 {paced_floor['p99']:.1f} ms (other processes {paced_floor['cpus_other']:.2f} CPUs); "
        f"p99 ratio supports/floor {paced['p99'] / max(paced_floor['p99'], 0.001):.2f}, "
        f"p99 / target {paced['p99'] / P99_MS:.3f}"
    )
    print(
        f"  count: endorsement_count {count}, supports stored {stored} ({pending} flagged under review: one "
        f"network), 201 answers {created} → {'EXACT' if exact else 'MISMATCH'}"
    )
    print(
        f"  capacity (closed loop, {args.capacity_concurrency} connections, {args.rounds} interleaved rounds of "
        f"{args.capacity_seconds:.0f} s): supports {statistics.median(s['per_second'] for s in capacity['supports']):.1f} /s, "
        f"floor {statistics.median(f['per_second'] for f in capacity['floor']):.1f} /s, ratio to floor "
        f"{statistics.median(caps):.3f} (rounds: {', '.join(f'{c:.3f}' for c in caps)}); "
        f"supports p99 {statistics.median(s['p99'] for s in capacity['supports']):.1f} ms; CPU a request "
        f"(server, database sessions, load driver): supports "
        f"{statistics.median(s['cpu_ms'] for s in capacity['supports']):.2f} ms, floor "
        f"{statistics.median(f['cpu_ms'] for f in capacity['floor']):.2f} ms; other processes "
        f"{statistics.median(s['cpus_other'] for s in [*capacity['supports'], *capacity['floor']]):.2f} CPUs"
    )
    if not exact:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
