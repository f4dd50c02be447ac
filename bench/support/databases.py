"""The benchmarks' own PostgreSQL databases and Django setup (helpers, not benchmarks)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def ensure_database(url: str, fresh: bool) -> bool:
    """Create the database named by `url` unless it exists (and --fresh was not asked).
    Returns True when an existing database is reused."""
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not fresh:
            return True
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return False


def setup_django(url: str, secret: str) -> None:
    """Point the product's settings at the benchmark database and start Django."""
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = secret
    os.environ.setdefault("RDEC_DATA_DIR", tempfile.mkdtemp(prefix="rdec-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "rdec.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def recreate_database(url: str, drop_only: bool = False) -> None:
    """Drop the database named by `url` (closing its sessions) and, unless `drop_only`, create it
    empty: the throwaway databases of the load benchmarks."""
    import psycopg

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def run_rdec(env: dict, *args: str) -> str:
    """`rdec ARGS…` of this virtualenv with the benchmark's environment; its standard output."""
    import subprocess

    out = subprocess.run(  # noqa: S603
        [str(Path(sys.executable).parent / "rdec"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout


def start_intake_server(env: dict, port: int, workers: int, threads: int):
    """gunicorn (gthread) serving the app and the benchmark floor (bench/support/intake_wsgi.py) on
    127.0.0.1:`port`; the caller waits for it to answer and stops it."""
    import subprocess

    return subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "intake_wsgi",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT / "bench" / "support",
    )
