"""Benchmark: load and faults on the production stack (issue 13).

Starts gunicorn (gthread) + PostgreSQL (a throwaway database, rdec_bench_load, on the machine's
cluster at 127.0.0.1:5432) + its own Redis (a redis-server on a free port with an append-only file,
so the machine's Redis is left alone) + one Celery worker + Celery beat; seeds the demo
(`rdec demo --no-serve --size N`); runs locust headless (bench/locustfile.py: public pages, staff
sessions, Open311 GET/POST, REST reads and POST /api/v1/submissions/); and, during the load:

1. kills the Celery worker with SIGKILL and restarts it after --worker-down seconds;
2. stops Redis for --redis-down seconds (60) and starts it again;
3. restarts PostgreSQL (`pg_ctlcluster 15 main restart`; --no-postgres-restart to skip).

The web, the worker and the beat are supervised as systemd's `Restart=always` does with the units
of docs/operations.md: a process that exits by itself is started again, and each restart is printed.

/healthz is asked every second throughout; its answers during each fault are printed. A fault's
window runs from the fault until /healthz says "ok" again (plus --grace seconds).

Asserted and printed: no failed request outside the fault windows; every 201/202 the load was given
is a case at the end (Open311 by case number, REST by submission token: filed with its case); /healthz
named what was degraded in each fault; it answers "ok" at the end by itself. Achieved rates are
printed with their ratio to PRODUCT.md's figures (a public burst of 500 req/s on public pages,
2,000 staff sessions, 10 minutes) — the defaults; this 2-core machine cannot reach them, so the
recorded run is a short configuration (see README).

    .venv/bin/python bench/load_faults.py [--duration 600] [--public-users 500] [--staff-users 2000]
        [--api-users 20] [--size N] [--public-page-cache 30] [--no-faults]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench" / "support"))

import databases  # noqa: E402 - bench/support

BIN = Path(sys.executable).parent
DB_URL = "postgres://postgres@127.0.0.1:5432/rdec_bench_load"
PUBLIC_FLOOR = 500.0  # req/s, PRODUCT.md
STAFF_FLOOR = 2000  # sessions
DURATION_FLOOR = 600.0  # s
WORK = Path(tempfile.mkdtemp(prefix="rdec-bench-load-"))
STAFF_ACCOUNTS = [
    {"username": "staff", "agency": "construction"},
    {"username": "supervisor", "agency": "construction"},
    {"username": "staff-env", "agency": "environment"},
    {"username": "rdec", "agency": "all"},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    def __init__(self, args):
        self.args = args
        self.redis_port = free_port()
        self.web_port = free_port()
        self.redis = self.web = self.worker = self.beat = None
        self.held: set[str] = set()  # processes the fault phase stops on purpose (not restarted)
        self.restarts: list[tuple[float, str, int]] = []  # (when, which, exit code)
        self.supervising = threading.Event()

    def env(self) -> dict:
        e = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "REDIS_URL"}}
        e.update(
            DATABASE_URL=DB_URL,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            CELERY_BROKER_URL=f"redis://127.0.0.1:{self.redis_port}/1",
            SECRET_KEY="bench-load-secret-key-0123456789-0123456789-0123456789",  # noqa: S106 - bench only
            RDEC_DATA_DIR=str(WORK / "data"),
            DEBUG="False",
            ALLOWED_HOSTS="127.0.0.1,localhost",
            PYTHONPATH=str(ROOT),
            # anonymous public pages from the shared cache, as docs/operations.md runs production
            RDEC_PUBLIC_PAGE_CACHE_SECONDS=str(self.args.public_page_cache),
        )
        return e

    def rdec(self, *args: str) -> str:
        out = subprocess.run(  # noqa: S603
            [str(BIN / "rdec"), *args], env=self.env(), check=True, capture_output=True, text=True, cwd=ROOT
        )
        return out.stdout

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(WORK),
                "--appendonly",
                "yes",
                "--save",
                "",
                "--logfile",
                str(WORK / "redis.log"),
            ],  # fmt: skip
        )
        for _ in range(50):
            try:
                with socket.create_connection(("127.0.0.1", self.redis_port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)

    def stop_redis(self) -> None:
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(timeout=30)
            self.redis = None

    def start_web(self) -> None:
        log = open(WORK / "gunicorn.log", "ab")  # noqa: SIM115
        self.web = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "rdec.wsgi",
                "--workers",
                str(self.args.workers),
                "--threads",
                str(self.args.threads),
                "--worker-class",
                "gthread",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
            ],  # fmt: skip
            env=self.env(),
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )

    def start_worker(self) -> None:
        log = open(WORK / "worker.log", "ab")  # noqa: SIM115
        self.worker = subprocess.Popen(  # noqa: S603
            [
                shutil.which("nice") or "/usr/bin/nice",
                "-n",
                "10",
                str(BIN / "celery"),
                "-A",
                "rdec",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
            ],  # fmt: skip
            env=self.env(),
            cwd=ROOT,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def supervise(self) -> None:
        """Restart the web, the worker and the beat when they exit, as systemd's Restart=always
        does with the units of docs/operations.md (a thread; each restart is recorded)."""
        starters = {"web": self.start_web, "worker": self.start_worker, "beat": self.start_beat}
        while self.supervising.is_set():
            for name, start in starters.items():
                proc = getattr(self, name)
                if name in self.held or proc is None or proc.poll() is None:
                    continue
                self.restarts.append((time.time(), name, proc.returncode))
                print(f"  [{time.strftime('%H:%M:%S')}] supervisor: {name} exited ({proc.returncode}), "
                      "restarted (Restart=always)", flush=True)  # fmt: skip
                time.sleep(1)
                start()
            time.sleep(0.5)

    def kill_worker(self) -> None:
        """SIGKILL to the worker's whole process group (the main process and its pool child)."""
        self.held.add("worker")
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=30)
        self.worker = None

    def start_beat(self) -> None:
        log = open(WORK / "beat.log", "ab")  # noqa: SIM115
        self.beat = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "celery"),
                "-A",
                "rdec",
                "beat",
                "--loglevel",
                "WARNING",
                "--schedule",
                str(WORK / "celerybeat-schedule"),
            ],  # fmt: skip
            env=self.env(),
            cwd=ROOT,
            stdout=log,
            stderr=log,
        )

    def health(self) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/healthz", timeout=5) as r:  # noqa: S310
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            try:
                return e.code, json.loads(e.read())
            except ValueError:
                return e.code, {}
        except (OSError, ValueError) as e:
            return 0, {"error": type(e).__name__}

    def stop_all(self) -> None:
        self.supervising.clear()
        time.sleep(1)
        for proc in (self.web, self.beat):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if self.worker is not None and self.worker.poll() is None:
            os.killpg(self.worker.pid, signal.SIGTERM)
            try:
                self.worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.worker.pid, signal.SIGKILL)
        self.stop_redis()


def pg(sql: str, params=()) -> list:
    import psycopg

    with psycopg.connect(DB_URL) as conn:
        return conn.execute(sql, params).fetchall()


def recreate_db(drop_only: bool = False) -> None:
    databases.recreate_database(DB_URL, drop_only)


def postgres_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def bench_data(stack: Stack) -> dict:
    cases: dict[str, list[str]] = {}
    for code in ("construction", "environment"):
        rows = pg(
            "SELECT c.number FROM petitions_case c JOIN core_agency a ON a.id = c.agency_id "
            "WHERE a.code = %s ORDER BY c.id DESC LIMIT 300",
            [code],
        )
        cases[code] = [r[0] for r in rows]
    cases["all"] = [r[0] for r in pg("SELECT number FROM petitions_case ORDER BY id DESC LIMIT 300")]
    datasets = [r[0] for r in pg("SELECT name FROM opendata_dataset ORDER BY id LIMIT 300")]
    _status, services = 0, []
    with urllib.request.urlopen(f"http://127.0.0.1:{stack.web_port}/open311/v2/services.json") as r:  # noqa: S310
        services = [s["service_code"] for s in json.loads(r.read())]
    write_key = (
        stack.rdec("create_api_key", "--name", "bench-load-write", "--agency", "rdec")
        .strip()
        .splitlines()[-1]
    )
    try:
        read_key = (
            stack.rdec("create_api_key", "--name", "bench-load-read", "--oversight").strip().splitlines()[-1]
        )
    except subprocess.CalledProcessError:
        read_key = write_key
    return {
        "cases": cases,
        "datasets": datasets,
        "service_codes": services[:20],
        "write_key": write_key,
        "read_key": read_key,
        "staff_accounts": STAFF_ACCOUNTS,
    }


class HealthWatch(threading.Thread):
    """/healthz every second: (time, status, answer)."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.answers: list[tuple[float, int, dict]] = []
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            started = time.time()
            status, answer = self.stack.health()
            self.answers.append((started, status, answer))
            self.stopped.wait(max(0.0, 1.0 - (time.time() - started)))

    def ok_since(self, since: float) -> float | None:
        for t, status, answer in self.answers:
            if t >= since and status == 200 and answer.get("status") == "ok":
                return t
        return None


def wait_ok(watch: HealthWatch, since: float, timeout: float) -> float | None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        t = watch.ok_since(since)
        if t is not None:
            return t
        time.sleep(0.5)
    return None


def faults(stack: Stack, watch: HealthWatch, args, windows: list[dict]) -> None:
    """The fault phase, run in a thread while locust loads the stack."""
    time.sleep(args.warmup)

    def window(name: str, started: float, restored: float) -> None:
        ok = wait_ok(watch, restored, args.recover_timeout)
        windows.append({"fault": name, "start": started, "restored": restored, "healthy": ok})
        print(f"  [{time.strftime('%H:%M:%S')}] {name}: healthy again after "
              f"{(ok - started) if ok else float('nan'):.1f} s", flush=True)  # fmt: skip

    started = time.time()
    print(f"  [{time.strftime('%H:%M:%S')}] fault: kill -9 the Celery worker", flush=True)
    stack.kill_worker()
    time.sleep(args.worker_down)
    stack.start_worker()
    stack.held.discard("worker")
    window("Celery worker killed (SIGKILL), restarted", started, time.time())
    time.sleep(args.gap)

    started = time.time()
    print(f"  [{time.strftime('%H:%M:%S')}] fault: Redis stopped for {args.redis_down:.0f} s", flush=True)
    stack.stop_redis()
    time.sleep(args.redis_down)
    stack.start_redis()
    window(f"Redis stopped {args.redis_down:.0f} s", started, time.time())
    time.sleep(args.gap)

    if args.postgres_restart:
        started = time.time()
        print(f"  [{time.strftime('%H:%M:%S')}] fault: PostgreSQL restarted", flush=True)
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=False)  # noqa: S603, S607
        window("PostgreSQL restarted (pg_ctlcluster 15 main restart)", started, time.time())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> int:  # noqa: C901, PLR0915 - one script, read top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=DURATION_FLOOR, help="seconds of load (600)")
    parser.add_argument("--public-users", type=int, default=500, help="public visitors, ~1 req/s each (500)")
    parser.add_argument("--staff-users", type=int, default=2000, help="staff sessions (2000)")
    parser.add_argument("--think-min", type=float, default=10.0)
    parser.add_argument("--think-max", type=float, default=30.0)
    parser.add_argument("--api-users", type=int, default=20, help="API clients (20)")
    parser.add_argument("--api-rate", type=float, default=2.0, help="requests/s per API client (2)")
    parser.add_argument("--spawn-rate", type=float, default=50.0, help="users started per second")
    parser.add_argument("--size", type=int, default=None, help="demo petitions (the demo's default)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument(
        "--public-page-cache",
        type=int,
        default=30,
        help="RDEC_PUBLIC_PAGE_CACHE_SECONDS for the web (30, as in production; 0 renders every page)",
    )
    parser.add_argument("--no-faults", dest="faults", action="store_false")
    parser.add_argument("--no-postgres-restart", dest="postgres_restart", action="store_false")
    parser.add_argument(
        "--warmup", type=float, default=None, help="seconds before the first fault (duration/4)"
    )
    parser.add_argument("--worker-down", type=float, default=15.0)
    parser.add_argument("--redis-down", type=float, default=60.0)
    parser.add_argument("--gap", type=float, default=20.0, help="seconds between faults")
    parser.add_argument("--grace", type=float, default=5.0, help="seconds after healthy still in the window")
    parser.add_argument("--recover-timeout", type=float, default=120.0)
    args = parser.parse_args()
    args.warmup = args.duration / 4 if args.warmup is None else args.warmup

    stack = Stack(args)
    watch = None
    locust = None
    windows: list[dict] = []
    log_path = WORK / "requests.jsonl"
    result: dict = {}
    try:
        stack.start_redis()
        recreate_db()
        t0 = time.monotonic()
        demo_args = ["demo", "--no-serve"] + (["--size", str(args.size)] if args.size else [])
        stack.rdec(*demo_args)
        print(f"demo data seeded in {time.monotonic() - t0:.0f} s", flush=True)
        stack.start_web()
        for _ in range(300):
            if stack.health()[0] in (200, 503):
                break
            time.sleep(0.2)
        stack.start_worker()
        stack.start_beat()
        data = bench_data(stack)
        stack.supervising.set()
        threading.Thread(target=stack.supervise, daemon=True).start()
        (WORK / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        cases_before = pg("SELECT count(*) FROM petitions_case")[0][0]
        watch = HealthWatch(stack)
        watch.start()
        if wait_ok(watch, 0, 60) is None:
            print(f"healthz is not ok before the load: {watch.answers[-1]}", flush=True)
        users = args.public_users + args.staff_users + args.api_users
        env = os.environ | {
            "BENCH_DATA": str(WORK / "data.json"),
            "BENCH_LOG": str(log_path),
            "BENCH_PUBLIC_USERS": str(args.public_users),
            "BENCH_STAFF_USERS": str(args.staff_users),
            "BENCH_API_USERS": str(args.api_users),
            "BENCH_API_RATE": str(args.api_rate),
            "BENCH_THINK_MIN": str(args.think_min),
            "BENCH_THINK_MAX": str(args.think_max),
        }
        print(
            f"load: {args.duration:.0f} s, {args.public_users} public visitors, {args.staff_users} staff "
            f"sessions, {args.api_users} API clients; gunicorn {args.workers}×{args.threads} gthread; "
            f"public page cache {args.public_page_cache} s",
            flush=True,
        )
        load_started = time.time()
        locust = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "--host",
                f"http://127.0.0.1:{stack.web_port}",
                "-u",
                str(users),
                "-r",
                str(args.spawn_rate),
                "-t",
                f"{int(args.duration)}s",
                "--stop-timeout",
                "10",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],  # fmt: skip
            env=env,
            cwd=ROOT,
            stdout=open(WORK / "locust.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        fault_thread = None
        if args.faults:
            fault_thread = threading.Thread(target=faults, args=(stack, watch, args, windows), daemon=True)
            fault_thread.start()
        locust.wait()
        load_ended = time.time()
        if fault_thread is not None:
            fault_thread.join()
        # after the load: the service must be healthy by itself, and every accepted submission filed
        final_ok = wait_ok(watch, load_ended, args.recover_timeout)
        records = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines() if line]
        requests = [r for r in records if "n" in r]
        accepted = [r for r in records if "accepted" in r]
        tokens = [r["id"] for r in accepted if r["accepted"] == "submission"]
        numbers = [r["id"] for r in accepted if r["accepted"] == "open311"]
        deadline = time.time() + args.recover_timeout * 2
        filed = 0
        while time.time() < deadline:
            filed = pg(
                "SELECT count(*) FROM petitions_submission WHERE token = ANY(%s) AND status = 'filed' "
                "AND case_id IS NOT NULL",
                [tokens],
            )[0][0]
            if filed == len(tokens):
                break
            time.sleep(2)
        open311_cases = pg("SELECT count(*) FROM petitions_case WHERE number = ANY(%s)", [numbers])[0][0]
        cases_after = pg("SELECT count(*) FROM petitions_case")[0][0]

        def in_window(t: float, ended: float | None = None) -> str | None:
            """The fault whose window the request overlaps (a request in flight when the fault
            begins is the fault's too)."""
            ended = t if ended is None else ended
            for w in windows:
                end = (w["healthy"] or load_ended) + args.grace
                if t <= end and ended >= w["start"]:
                    return w["fault"]
            return None

        def window_of(r: dict) -> str | None:
            return in_window(r["t"], r["t"] + r["ms"] / 1000)

        outside_errors = [r for r in requests if r["e"] and window_of(r) is None]
        inside_errors = [r for r in requests if r["e"] and window_of(r) is not None]
        measured = [r for r in requests if window_of(r) is None]
        span = max(1.0, load_ended - load_started - sum(
            ((w["healthy"] or load_ended) + args.grace - w["start"]) for w in windows))  # fmt: skip
        print("\nper page type, outside the fault windows:")
        print(f"  {'page type':<34} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
        by_name: dict[str, list[dict]] = {}
        for r in measured:
            by_name.setdefault(r["n"], []).append(r)
        per_type = {}
        for name in sorted(by_name):
            rows = by_name[name]
            times = [r["ms"] for r in rows]
            per_type[name] = {
                "requests": len(rows),
                "per_second": len(rows) / span,
                "p50_ms": percentile(times, 0.5),
                "p95_ms": percentile(times, 0.95),
                "errors": sum(r["e"] for r in rows),
            }
            p = per_type[name]
            print(f"  {name:<34} {p['requests']:>8} {p['per_second']:>7.1f} {p['p50_ms']:>7.0f} "
                  f"{p['p95_ms']:>7.0f} {p['errors']:>6}")  # fmt: skip
        public_rate = sum(p["per_second"] for n, p in per_type.items() if n.startswith("public:"))
        statuses_outside: dict[str, int] = {}
        for r in outside_errors:
            key = f"{r['n']} {r['s']}"
            statuses_outside[key] = statuses_outside.get(key, 0) + 1
        print("\nfault windows (from the fault until /healthz says ok):")
        for w in windows:
            end = w["healthy"] or load_ended
            kinds: dict[str, list] = {}  # the answer without the queue length -> [count, max queue]
            for t, status, answer in watch.answers:
                if w["start"] <= t <= end:
                    shown = {k: v for k, v in answer.items() if k != "queue"}
                    text = f"{status} {json.dumps(shown, ensure_ascii=False, sort_keys=True)}"
                    kind = kinds.setdefault(text, [0, None])
                    kind[0] += 1
                    if isinstance(answer.get("queue"), int):
                        kind[1] = max(kind[1] or 0, answer["queue"])
            answers = [
                f"{text} ×{n}" + (f" (queue up to {q})" if q is not None else "")
                for text, (n, q) in kinds.items()
            ]
            errs = [r for r in inside_errors if window_of(r) == w["fault"]]
            w["healthz_answers"] = answers
            w["errors"] = len(errs)
            w["seconds"] = end - w["start"]
            print(f"  {w['fault']}: {w['seconds']:.0f} s, {len(errs)} failed requests; /healthz said:")
            for text in answers:
                print(f"      {text}")
        ok_at_end = final_ok is not None
        result = {
            "duration_s": load_ended - load_started,
            "public_rate": public_rate,
            "public_ratio": public_rate / PUBLIC_FLOOR,
            "staff_sessions": args.staff_users,
            "staff_ratio": args.staff_users / STAFF_FLOOR,
            "duration_ratio": (load_ended - load_started) / DURATION_FLOOR,
            "requests": len(requests),
            "errors_outside_windows": len(outside_errors),
            "errors_outside_by_type": statuses_outside,
            "errors_inside_windows": len(inside_errors),
            "accepted_submissions": len(tokens),
            "submissions_filed": filed,
            "accepted_open311": len(numbers),
            "open311_cases_found": open311_cases,
            "cases_added": cases_after - cases_before,
            "healthy_at_end": ok_at_end,
            "supervisor_restarts": [(t, name, code) for t, name, code in stack.restarts],
            "windows": windows,
            "per_type": per_type,
            "machine": f"{os.cpu_count()} cores, shared",
            "public_page_cache_s": args.public_page_cache,
        }
        print(
            f"\nachieved: public {public_rate:.1f} req/s ({public_rate / PUBLIC_FLOOR:.3f} of the 500 req/s burst), "
            f"{args.staff_users} staff sessions ({args.staff_users / STAFF_FLOOR:.3f} of 2,000), "
            f"{result['duration_s']:.0f} s ({result['duration_ratio']:.3f} of 10 minutes)"
        )
        print(f"requests: {len(requests)}; failed outside the fault windows: {len(outside_errors)} {statuses_outside}; "
              f"inside: {len(inside_errors)}")  # fmt: skip
        print(f"accepted: {len(tokens)} submissions (202) → {filed} filed as cases; "
              f"{len(numbers)} Open311 (201) → {open311_cases} cases found")  # fmt: skip
        print(f"/healthz ok at the end by itself: {ok_at_end}")
        for t, name, code in stack.restarts:
            print(f"supervisor restarted {name} at {time.strftime('%H:%M:%S', time.localtime(t))} "
                  f"(it had exited with {code}; in a fault window: {in_window(t) or 'no'})")  # fmt: skip
        (ROOT / "var").mkdir(exist_ok=True)
        (ROOT / "var" / "bench-load-faults.json").write_text(json.dumps(result, indent=1, default=str))
        passed = (
            not outside_errors
            and filed == len(tokens)
            and open311_cases == len(numbers)
            and ok_at_end
            and all(w["healthy"] for w in windows)
        )
        print("RESULT:", "met (0 errors outside the faults, 0 lost, recovered)" if passed else "NOT met")
        return 0 if passed else 1
    finally:
        if locust is not None and locust.poll() is None:
            locust.terminate()
            locust.wait(timeout=30)
        if watch is not None:
            watch.stopped.set()
        stack.stop_all()
        if not postgres_up():
            subprocess.run(["pg_ctlcluster", "15", "main", "start"], check=False)  # noqa: S603, S607
        for _ in range(60):
            if postgres_up():
                break
            time.sleep(1)
        try:
            recreate_db(drop_only=True)
        except Exception as exc:  # noqa: BLE001
            print(f"(could not drop the bench database: {exc})")
        print(f"(logs in {WORK})")


if __name__ == "__main__":
    sys.exit(main())
