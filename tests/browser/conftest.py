"""Browser tests: a real `rdec demo` server in a subprocess, driven by Debian's Chromium through Playwright.

No Django test database is used: the server sets itself up (migrate, reference data, demo accounts) in a
temporary data dir, on SQLite, or on a fresh PostgreSQL database when DATABASE_URL is set (as in CI).
Screenshots go to test-artifacts/screenshots/, the server's output to test-artifacts/browser-server.log.
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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_TIMEOUT = 150  # seconds

DEMO_PASSWORD = "rdec-demo-2026"  # noqa: S105 - the documented demo-only password (rdec.core.demo)

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

# An extra account made for the lockout test, so that locking it never gets in the way of other tests.
LOCKOUT_USER = "lockout-probe"


# --- marker ---------------------------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# --- the server -----------------------------------------------------------------------------------


def _free_port() -> int:
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


def _create_database(database_url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_database(database_url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(database_url) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - http://127.0.0.1 only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


class Server:
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
            pytest.fail(
                f"rdec {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """The real demo (`rdec demo --port N`) in a subprocess, on its own data; stopped at the end."""
    rdec = Path(sys.executable).parent / "rdec"
    if not rdec.exists():
        pytest.fail(f"the rdec console script is missing next to {sys.executable}; pip install -e .")
    data_dir = tmp_path_factory.mktemp("rdec-data")
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "SECRET_KEY_FILE", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(RDEC_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", SITE_URL=f"http://127.0.0.1:{port}")

    database_url = os.environ.get("DATABASE_URL", "")
    dbname = None
    if database_url:
        dbname = f"rdec_browser_{os.getpid()}"
        _create_database(database_url, dbname)
        env["DATABASE_URL"] = _with_dbname(database_url, dbname)
    else:
        env.pop("DATABASE_URL", None)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / "browser-server.log"
    log = log_path.open("w", encoding="utf-8")
    log.write(f"# rdec demo --port {port}; data dir {data_dir}; database {dbname or 'SQLite'}\n")
    log.flush()
    proc = subprocess.Popen(  # noqa: S603 - our own console script
        [str(rdec), "demo", "--port", str(port), "--size", "2000"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while True:
            if proc.poll() is not None:
                log.flush()
                pytest.fail(
                    f"rdec demo exited with code {proc.returncode} before it served:\n"
                    + log_path.read_text(encoding="utf-8", errors="replace"),
                    pytrace=False,
                )
            try:
                status, body = _get(url + "/healthz")
                if status == 200 and json.loads(body).get("status") == "ok":
                    break
            except (OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    f"rdec demo did not answer /healthz within {STARTUP_TIMEOUT} s:\n"
                    + log_path.read_text(encoding="utf-8", errors="replace"),
                    pytrace=False,
                )
            time.sleep(0.25)
        yield Server(url, env, rdec, log_path)
    finally:
        _stop(proc)
        log.close()
        if dbname:
            _drop_database(database_url, dbname)


@pytest.fixture(scope="session")
def base_url(server) -> str:
    return server.url


@pytest.fixture(scope="session")
def lockout_user(server) -> str:
    """A citizen account made only to be locked out (the demo accounts stay usable)."""
    server.manage(
        "shell",
        "-c",
        "from rdec.core import services; from rdec.core.models import Role, User\n"
        f"User.objects.filter(username={LOCKOUT_USER!r}).exists() or services.create_user("
        f"username={LOCKOUT_USER!r}, password={DEMO_PASSWORD!r}, role=Role.CITIZEN, "
        "display_name='鎖定測試', actor=None)",
    )
    return LOCKOUT_USER


# --- the browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Screenshots show this run only.
    if SCREENSHOTS.exists():
        for old in SCREENSHOTS.glob("*.png"):
            old.unlink()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-TW", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    refused: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(msg) -> None:
        # a script, style or fetch refused by the Content-Security-Policy is a script error too
        if msg.type == "error" and "Content Security Policy" in msg.text:
            errors.append(msg.text)
            refused.append(f"{pg.url}: {msg.text}")

    pg.on("console", on_console)
    pg.js_errors = errors  # tests may assert that no script failed
    pg.csp_refusals = refused  # any left at the end fails the test (test_xss empties it on purpose)
    yield pg
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        try:
            shot(pg, f"FAILED-{request.node.name}")
        except Exception:  # noqa: BLE001, S110 - a failure screenshot is best effort
            pass
    context.close()
    if refused and report is not None and report.passed:
        pytest.fail("the Content-Security-Policy refused something on our pages:\n" + "\n".join(refused))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


# --- helpers --------------------------------------------------------------------------------------


def login(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form; on success the browser lands on the home page."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def check_a11y(page, *, exclude: list[str] | None = None, disable: list[str] | None = None) -> None:
    """Run axe-core on the page; fail on any violation of impact serious or critical.

    `exclude`: CSS selectors of parts not to check; `disable`: axe rule ids not to run (say why where used).
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # evaluated through DevTools, not added as an inline <script>: the pages' CSP refuses those
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
    result = page.evaluate(
        """async ([exclude, disable]) => await axe.run(
            exclude.length ? {exclude: exclude.map((sel) => [sel])} : document,
            {
                resultTypes: ["violations"],
                rules: Object.fromEntries(disable.map((id) => [id, {enabled: false}])),
            },
        )""",
        [exclude or [], disable or []],
    )
    bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    if bad:
        lines = [f"axe: {len(bad)} serious/critical accessibility violation(s) on {page.url}"]
        for v in bad:
            lines.append(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
            for node in v["nodes"][:10]:
                lines.append(f"    at {' '.join(map(str, node['target']))}")
                lines.append(f"       {node['html'][:200]}")
                summary = (node.get("failureSummary") or "").replace("\n", "\n         ")
                lines.append(f"       {summary}")
            if len(v["nodes"]) > 10:
                lines.append(f"    ... and {len(v['nodes']) - 10} more")
        message = "\n".join(lines)
        print(message)
        pytest.fail(message, pytrace=False)


def tr(message: str, language: str = "zh-hant") -> str:
    """What the server shows for `message` in `language` with the catalogue as it is now compiled
    (rdec/locale): tests that must hold before and after the zh-Hant catalogue is filled in use it."""
    from django.utils import translation

    with translation.override(language):
        return str(translation.gettext(message))


def role_label(role: str, language: str = "zh-hant") -> str:
    from django.utils import translation

    from rdec.core.models import Role

    with translation.override(language):
        return str(Role(role).label)


def shot(page, name: str) -> Path:
    """A full-page PNG in test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(name="login")
def _login_helper():
    return login


@pytest.fixture(name="check_a11y")
def _check_a11y_helper():
    return check_a11y


@pytest.fixture(name="shot")
def _shot_helper():
    return shot


@pytest.fixture(name="tr")
def _tr_helper():
    return tr


@pytest.fixture(name="role_label")
def _role_label_helper():
    return role_label


@pytest.fixture(name="demo_users")
def _demo_users():
    return DEMO_USERS
