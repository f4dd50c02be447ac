"""Concurrent Open311 POSTs on a real server (issue 13, item 6): 54 of 529 posts from 30 clients
answered 500 "database is locked" on SQLite, 17 of them after the case was committed (the receipt,
sent in-process after the commit, waited for the lock), so a retry filed the case twice.

The server is gunicorn (2 workers × 16 threads, so that the 30 clients really are concurrent) on a
SQLite file in a fresh data dir (WAL needs a file; the test database is in memory), without a
broker, as the demo runs — and on PostgreSQL too when DATABASE_URL is set (a throwaway database).
Every answer must be 201, every 201 exactly one case, and a retry with the same Idempotency-Key the
same service request, filed once. bench/open311_concurrency.py measures the same at larger scale."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from rdec.core.tests.installations import BIN, ENGINES, REPO, environment, run_rdec, throwaway_database

CLIENTS = 30
POSTS = 300
XITUN = {"lat": "24.1615", "long": "120.6469"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rdec(env: dict, *args: str) -> str:
    return run_rdec(env, *args, timeout=300).stdout


@pytest.fixture(params=ENGINES)
def server(request, tmp_path):
    engine = request.param
    # No broker: receipts are sent in-process after the commit, as on the demo.
    env = environment(tmp_path / "data")
    with contextlib.ExitStack() as stack:
        if engine == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(throwaway_database(f"rdec_open311_{os.getpid()}"))
        yield from _serve(engine, env, tmp_path)


def _serve(engine: str, env: dict, tmp_path):
    _rdec(env, "migrate", "--noinput")
    _rdec(env, "load_reference")
    _rdec(env, "shell", "-c", "from rdec.petitions.reference import load_categories; load_categories()")
    key = _rdec(env, "create_api_key", "--name", "open311-load").strip().splitlines()[-1]
    port = _free_port()
    log = (tmp_path / "gunicorn.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "rdec.wsgi",
            "--workers",
            "2",
            "--threads",
            "16",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/open311/v2/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "services.json", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "gunicorn.log"
                ).read_text()
                time.sleep(0.3)
        yield {"url": url, "key": key, "env": env, "engine": engine, "data": tmp_path / "data"}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def _post(server, marker: str, idempotency_key: str) -> tuple[int, str]:
    body = urllib.parse.urlencode(
        {"api_key": server["key"], "service_code": "pothole", "description": f"路面坑洞 {marker}", **XITUN}
    ).encode()
    req = urllib.request.Request(  # noqa: S310 - loopback
        server["url"] + "requests.json",
        data=body,
        headers={"Idempotency-Key": idempotency_key},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as response:  # noqa: S310
            return response.status, json.loads(response.read())[0]["service_request_id"]
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def _cases(server) -> dict[str, list[str]]:
    """marker → the numbers of the cases filed with it."""
    script = (
        "import json;from rdec.petitions.models import Case;"
        "print(json.dumps(list(Case.objects.filter(description__contains='load-').values_list('description','number'))))"
    )
    found: dict[str, list[str]] = {}
    for description, number in json.loads(
        _rdec(server["env"], "shell", "-c", script).strip().splitlines()[-1]
    ):
        found.setdefault(description.rsplit(" ", 1)[-1], []).append(number)
    return found


def test_30_concurrent_clients_get_no_5xx_and_each_201_is_one_case(server):
    if server["engine"] == "sqlite":
        with sqlite3.connect(server["data"] / "rdec.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    answers: dict[str, tuple[int, str]] = {}
    lock = threading.Lock()
    pending = [f"load-{i:04d}" for i in range(POSTS)]
    barrier = threading.Barrier(CLIENTS)

    def client():
        barrier.wait()
        while True:
            with lock:
                if not pending:
                    return
                marker = pending.pop()
            answer = _post(server, marker, idempotency_key=marker)
            with lock:
                answers[marker] = answer

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    statuses = sorted({status for status, _number in answers.values()})
    assert statuses == [201], {s: sum(1 for a in answers.values() if a[0] == s) for s in statuses}
    cases = _cases(server)
    assert len(cases) == POSTS
    assert all(cases[marker] == [number] for marker, (_s, number) in answers.items())

    # a client that did not see the answer retries with the same key: the same request, filed once
    marker, (_status, number) = next(iter(answers.items()))
    again = _post(server, marker, idempotency_key=marker)
    assert again == (200, number)
    assert _cases(server)[marker] == [number]
