"""Whole installations for tests that run rdec as an operator does: subprocesses of the `rdec`
command (and gunicorn) on their own data dir, on SQLite or on a throwaway PostgreSQL database when
DATABASE_URL is set. Used by the backup round trip and the Open311 concurrency test."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
RDEC = BIN / "rdec"

# Both engines; PostgreSQL only where the run has one (CI runs the suite on both).
ENGINES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            not os.environ.get("DATABASE_URL"), reason="PostgreSQL runs when DATABASE_URL is set (as in CI)"
        ),
    ),
]


def environment(data_dir: Path, *, drop: tuple[str, ...] = ()) -> dict[str, str]:
    """This process's environment for a separate installation in `data_dir`: no secret key, settings
    module, database, cache or broker of ours (no broker: jobs run in-process, as on the demo)."""
    leave_out = {"SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    leave_out |= {"CELERY_BROKER_URL", *drop}
    env = {k: v for k, v in os.environ.items() if k not in leave_out}
    env.update(RDEC_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    return env


def run_rdec(env: dict, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
    """`rdec ARGS` in the installation of `env`; with check, a failure shows its output."""
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(RDEC), *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout
    )
    if check:
        assert result.returncode == 0, f"rdec {args[0]}: {result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def pg_url(name: str) -> str:
    """DATABASE_URL with another database name."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def pg_execute(sql: str) -> None:
    """One statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(pg_url("postgres").replace("postgis://", "postgres://"), autocommit=True) as conn:
        conn.execute(sql)


@contextlib.contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """A fresh PostgreSQL database named `name` (its URL), dropped afterwards."""
    pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    pg_execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url(name)
    finally:
        pg_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
