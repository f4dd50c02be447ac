"""Browser tests: a real `rdec demo` server in a subprocess, driven by Debian's Chromium through Playwright.

No Django test database is used: the server sets itself up (migrate, reference data, demo accounts) in a
temporary data dir, on SQLite, or on a fresh PostgreSQL database when DATABASE_URL is set (as in CI).
Screenshots go to test-artifacts/screenshots/, the server's output to test-artifacts/browser-server*.log.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from demo_server import (  # shared with scripts/screenshots.py
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_PASSWORD,
    DEMO_USERS,
    REPO,
    DemoServer,
    DemoServerError,
    demo_server,
    launch_chromium,
    login,
)

ARTIFACTS = REPO / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "DEMO_PASSWORD", "DEMO_USERS", "login"]

# An extra account made for the lockout test, so that locking it never gets in the way of other tests.
LOCKOUT_USER = "lockout-probe"


# --- marker ---------------------------------------------------------------------------------------

# `pytest -n 2 --dist loadgroup` (make test): the browser tests form two xdist groups, each run on one
# worker against that worker's own demo server (the `server` fixture is per session, and each worker is a
# session), so the two halves run side by side. The files of the second group are listed here, chosen so
# that both halves take about as long (see `--durations` in a CI log when rebalancing); every other
# browser file is in the first group. test_zz_log_scan.py runs last in both groups (it is parametrised by
# group) so each server's log is scanned after everything that server served.
# Known issue: pytest 9.2 with pytest-xdist 3.8 ignores xdist_group marks (xdist renames `item._nodeid`,
# which pytest 9.2 no longer reads), so the tests are spread over both workers anyway; pytest 9.1 keeps them.
BROWSER_GROUPS = ("browser-1", "browser-2")
SECOND_GROUP_FILES = frozenset(
    {
        "test_crawl.py",
        "test_dashboard_city.py",
        "test_participation_conversation.py",
        "test_polls.py",
        "test_programs_innovation.py",
        "test_programs_research.py",
        "test_programs_review.py",
        "test_programs_revitalisation.py",
        "test_tracking.py",
        "test_transparency.py",
    }
)


def browser_group(item) -> str:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "browser_group" in callspec.params:
        return callspec.params["browser_group"]
    return BROWSER_GROUPS[1] if Path(str(item.path)).name in SECOND_GROUP_FILES else BROWSER_GROUPS[0]


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the xdist_group marks (--dist loadgroup)
def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    browser, rest = [], []
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group(browser_group(item)))
            browser.append(item)
        else:
            rest.append(item)
    # the browser groups first (each in file order): they are the longest units of work, so under xdist
    # each starts at once on its worker instead of waiting until every other test has been handed out
    items[:] = browser + rest


# --- the server -----------------------------------------------------------------------------------


class Server(DemoServer):
    def manage(self, *args: str, timeout: float = 120) -> str:
        try:
            return super().manage(*args, timeout=timeout)
        except DemoServerError as exc:
            pytest.fail(str(exc))


def _worker(request) -> str:
    """pytest-xdist's worker id ("gw0", "gw1", ...), or "master" without xdist."""
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


@pytest.fixture(scope="session")
def server(tmp_path_factory, request) -> Server:
    """The real demo (`rdec demo --port N --size 2000`) in a subprocess, on its own data; stopped at the end.
    One per test process: its output goes to test-artifacts/browser-server.log (browser-server-gw1.log
    and so on under xdist)."""
    worker = _worker(request)
    log_name = "browser-server.log" if worker in ("master", "gw0") else f"browser-server-{worker}.log"
    try:
        with demo_server(
            tmp_path_factory.mktemp("rdec-data"),
            ARTIFACTS / log_name,
            size=2000,
            database_url=os.environ.get("DATABASE_URL", ""),
            server_class=Server,
        ) as running:
            yield running
    except DemoServerError as exc:
        pytest.fail(str(exc), pytrace=False)


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
def browser(request):
    from playwright.sync_api import sync_playwright

    # Screenshots show this run only (cleared by the first worker: the other's shots come minutes later,
    # after its demo server has started).
    if SCREENSHOTS.exists() and _worker(request) in ("master", "gw0"):
        for old in SCREENSHOTS.glob("*.png"):
            old.unlink()
    # Playwright's sync API keeps an event loop in this thread for the rest of the session, and Django
    # refuses database calls from a thread with a running loop. Under `pytest -n 2` the worker that runs
    # the browser tests runs other (database) tests after them, so this test process allows it (the demo
    # server, a separate process, never gets the setting: demo_server.py leaves it out of its environment).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        chromium = launch_chromium(pw)
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
