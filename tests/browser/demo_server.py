"""The real `rdec demo` in a subprocess on its own data, and the browser it is driven with.

Shared by the browser tests (conftest.py, through pytest fixtures) and scripts/screenshots.py; nothing here
depends on pytest. The server sets itself up (migrate, reference data, demo accounts, demo content) in the
data dir given, on SQLite, or on a fresh PostgreSQL database when a DATABASE_URL is given.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT = 300  # seconds (the demo builds its data while the other test worker runs)

DEMO_PASSWORD = "rdec-demo-2026"  # noqa: S105 - the documented demo-only password (rdec.core.demo)
# accounts a test makes for itself (reviewers, clerks): a password no made-up username resembles, so the
# password validators never refuse it whatever random tag the username carries
PROBE_PASSWORD = "Kumquat-Plywood-Syzygy"  # noqa: S105 - test-only

# username -> (display name, role value, agency short name or None); mirrors rdec.core.demo.DEMO_ACCOUNTS
DEMO_USERS = {
    "admin": ("吳建宏", "admin", "研考會"),
    "rdec": ("林怡君", "rdec_officer", "研考會"),
    "agent": ("陳美玲", "call_agent", "研考會"),
    "staff": ("王俊傑", "agency_staff", "建設局"),
    "supervisor": ("張文華", "supervisor", "建設局"),
    "staff-env": ("李佳蓉", "agency_staff", "環保局"),
    "citizen": ("黃小明", "citizen", None),
}


class DemoServerError(RuntimeError):
    """The demo server did not start, or a management command against its data failed."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _with_dbname(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _admin_connection(database_url: str):
    import psycopg

    # psycopg does not take the "postgis://" or "postgresql+..." flavours; plain libpq URLs only.
    url = _with_dbname(database_url, "postgres")
    if url.startswith("postgis://"):
        url = "postgres://" + url[len("postgis://") :]
    return psycopg.connect(url, autocommit=True)


def create_database(database_url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(database_url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - http://127.0.0.1 only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


class DemoServer:
    def __init__(self, url: str, env: dict[str, str], rdec: Path, log: Path):
        self.url = url
        self.env = env
        self.rdec = rdec
        self.log = log

    def manage(self, *args: str, timeout: float = 120) -> str:
        """Run an `rdec` management command against the server's own data (database, data dir)."""
        result = subprocess.run(  # noqa: S603 - our own console script
            [str(self.rdec), *args],
            env=self.env,
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise DemoServerError(
                f"rdec {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout


@contextmanager
def demo_server(
    data_dir: Path,
    log_path: Path,
    *,
    size: int | None = 2000,
    database_url: str = "",
    server_class: type[DemoServer] = DemoServer,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> Iterator[DemoServer]:
    """`rdec demo --port N [--size S]` on `data_dir`, its output in `log_path`; stopped (and its PostgreSQL
    database dropped) on exit. `size=None` seeds the standard demo (each module's own default)."""
    rdec = Path(sys.executable).parent / "rdec"
    if not rdec.exists():
        raise DemoServerError(
            f"the rdec console script is missing next to {sys.executable}; pip install -e ."
        )
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(RDEC_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", SITE_URL=f"http://127.0.0.1:{port}")

    dbname = None
    if database_url:
        dbname = f"rdec_browser_{os.getpid()}"
        create_database(database_url, dbname)
        env["DATABASE_URL"] = _with_dbname(database_url, dbname)
    else:
        env.pop("DATABASE_URL", None)

    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w", encoding="utf-8")
    log.write(f"# rdec demo --port {port}; data dir {data_dir}; database {dbname or 'SQLite'}\n")
    log.flush()
    args = [str(rdec), "demo", "--port", str(port)]
    if size is not None:
        args += ["--size", str(size)]
    proc = subprocess.Popen(  # noqa: S603 - our own console script
        args, env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while True:
            if proc.poll() is not None:
                log.flush()
                raise DemoServerError(
                    f"rdec demo exited with code {proc.returncode} before it served:\n"
                    + log_path.read_text(encoding="utf-8", errors="replace")
                )
            try:
                status, body = http_get(url + "/healthz")
                if status == 200 and json.loads(body).get("status") == "ok":
                    break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                log.flush()
                raise DemoServerError(
                    f"rdec demo did not answer /healthz within {startup_timeout:.0f} s:\n"
                    + log_path.read_text(encoding="utf-8", errors="replace")
                )
            time.sleep(0.25)
        yield server_class(url, env, rdec, log_path)
    finally:
        stop(proc)
        log.close()
        if dbname:
            drop_database(database_url, dbname)


def launch_chromium(playwright):
    """Debian's Chromium, headless, offline-friendly."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def login(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form; on success the browser lands on the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
