"""Benchmark: how long `rdec demo` takes to come up on a fresh data dir, and on a second run.

Floor (issue 2): the demo must come up in under 120 s on this machine. Prints the figures and the
ratio to the floor (below 1.0 is within it). "Up" means /healthz answers 200 on the served port.

    .venv/bin/python bench/demo_startup.py [--database-url postgres://...]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

FLOOR_SECONDS = 120.0
RDEC = str(Path(sys.executable).with_name("rdec"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_to_up(data_dir: str, database_url: str | None) -> float:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY"}}
    env["RDEC_DATA_DIR"] = data_dir
    if database_url:
        env["DATABASE_URL"] = database_url
    started = time.monotonic()
    proc = subprocess.Popen(  # noqa: S603
        [RDEC, "demo", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        while time.monotonic() - started < FLOOR_SECONDS * 2:
            if proc.poll() is not None:
                raise SystemExit(f"rdec demo exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.2)
        raise SystemExit("rdec demo did not come up")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def fresh_postgres_database(url: str) -> None:
    """Drop and create the database named in `url` (connecting to the server's `postgres` DB)."""
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--database-url", default=None, help="postgres://.../NAME (NAME is dropped and created)"
    )
    args = parser.parse_args()
    if args.database_url:
        fresh_postgres_database(args.database_url)
    with tempfile.TemporaryDirectory() as data_dir:
        first = time_to_up(data_dir, args.database_url)
        second = time_to_up(data_dir, args.database_url)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"demo startup ({engine}), floor {FLOOR_SECONDS:.0f} s")
    print(
        f"  first run (migrate, reference data, accounts, demo content): {first:6.1f} s  ratio {first / FLOOR_SECONDS:.3f}"
    )
    print(
        f"  second run (reuses the data):                               {second:6.1f} s  ratio {second / FLOOR_SECONDS:.3f}"
    )


if __name__ == "__main__":
    main()
