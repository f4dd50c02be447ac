"""Screenshots of the main pages, per role, at 1366 px (a desk) and 390 px (a phone), for reviewers who do not
run the product: docs/screenshots/<name>-<width>.png and docs/screenshots/README.md listing them.

    python scripts/screenshots.py            # or: make screenshots
    python scripts/screenshots.py --only home-citizen case-page --widths 390
    python scripts/screenshots.py --data-dir var/screenshots-demo   # keep the demo: the next run starts in seconds

Starts the standard demo (`rdec demo`, each module's default size) in a temporary data dir through the same
code as the browser tests (tests/browser/demo_server.py), logs in as each demo account in Debian's Chromium
and saves each page at the top: a capture at most MAX_HEIGHT_FACTOR viewport heights tall, reduced to a
256-colour palette (Pillow) so the folder stays small. Nothing is frozen: dates are the day it runs.
A page that fails is reported and skipped, and the script then exits with 1 (README.md is rewritten, and
pictures of pages no longer listed removed, only after a complete run). Measured: 85 s of CPU time (most of
it seeding the standard demo: 30,000 petitions and the case router's training), 5.5 minutes of wall time on
a 2-core machine busy with other work (load 10); with --data-dir kept, the second run takes the pictures only.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "browser"))

from demo_server import DemoServerError, demo_server, launch_chromium, login  # noqa: E402

OUT = REPO / "docs" / "screenshots"
WIDTHS = {1366: 768, 390: 844}  # viewport width -> height
MAX_HEIGHT_FACTOR = 2  # a capture is at most this many viewport heights
STARTUP_TIMEOUT = 900  # seconds: the standard demo seeds 30,000 petitions and trains the case router


@dataclass(frozen=True)
class Shot:
    name: str
    user: str | None  # a demo account (tests/browser/demo_server.DEMO_USERS), None: not logged in
    path: str  # a URL path, or "@receipt", "@tracking", "@case", "@report": found through the pages
    what: str


SHOTS = [
    Shot("home-public", None, "/", "the home page of a visitor who is not logged in"),
    Shot("home-citizen", "citizen", "/", "a citizen's home page"),
    Shot("home-agent", "agent", "/", "a 1999 call agent's home page"),
    Shot("home-staff", "staff", "/", "an agency case officer's home page (建設局): the queue"),
    Shot("home-supervisor", "supervisor", "/", "an agency supervisor's home page (建設局)"),
    Shot("home-rdec", "rdec", "/", "an RDEC officer's home page"),
    Shot("home-admin", "admin", "/", "the system administrator's home page"),
    Shot("petition-form", None, "/petitions/file/", "the citizen's petition form (我要陳情)"),
    Shot("petition-receipt", None, "@receipt", "the receipt after filing: case number, code, tracking link"),
    Shot("case-tracking", None, "@tracking", "the public tracking page of that case (案件查詢)"),
    Shot("case-page", "staff", "@case", "a case page as the agency case officer sees it"),
    Shot("console", "agent", "/petitions/console/", "the 1999 call console"),
    Shot("tracking-list", "rdec", "/tracking/items/", "the list of tracked items (列管事項)"),
    Shot("strategy", "rdec", "/strategy/", "the policy strategies and their plans (施政策略)"),
    Shot("strategy-summary", "rdec", "/strategy/summary/", "the strategy dashboard: targets and progress"),
    Shot("tenders", "rdec", "/tenders/", "the tenders under progress control (標案)"),
    Shot("documents", "rdec", "/documents/", "document-handling performance (公文)"),
    Shot("opendata", None, "/opendata/", "the open data catalogue (開放資料)"),
    Shot("analytics-report", "rdec", "@report", "an analytics report"),
    Shot("hotspots", "rdec", "/analytics/hotspots/", "the hotspot map of petitions"),
    Shot("calendar", "rdec", "/calendar/", "the government work calendar (辦公日曆)"),
    Shot("districts-map", None, "/districts/", "the districts map"),
    Shot("styleguide", "admin", "/styleguide/", "the living style guide of the design system (staff only)"),
]


def _settle(page) -> None:
    """Let the page finish: network idle (bounded: some pages poll) and Leaflet maps drawn."""
    try:
        page.wait_for_load_state("networkidle", timeout=4000)
    except Exception:  # noqa: BLE001, S110 - a page that keeps polling is still worth a picture
        pass
    page.wait_for_timeout(250)


def _save_png(png: bytes, path: Path) -> int:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    small.save(path, format="PNG", optimize=True)
    return path.stat().st_size


def _capture(page, path: Path, viewport_height: int) -> int:
    height = page.evaluate("document.documentElement.scrollHeight")
    width = page.viewport_size["width"]
    clip = {"x": 0, "y": 0, "width": width, "height": min(height, viewport_height * MAX_HEIGHT_FACTOR)}
    return _save_png(page.screenshot(full_page=True, clip=clip, animations="disabled"), path)


def _file_petition(page, base_url: str) -> str:
    """File a petition through the citizen form; the page ends on the receipt. Returns the tracking link."""
    page.goto(base_url + "/petitions/file/")
    if page.locator("#id_category_group").count():
        page.select_option("#id_category_group", "road")
    page.select_option("#id_category", "pothole")
    page.fill("#id_subject", "文心路二段機車道坑洞")
    page.fill("#id_description", "文心路二段與市政路口的機車道有一個大坑洞，晚上騎車經過很危險，請儘速修補。")
    page.fill("#id_address", "西屯區文心路二段與市政路口")
    district = page.locator("#id_district")
    if district.count() and district.is_visible():
        district.select_option(label="西屯區")
    page.fill("#id_petitioner_name", "陳美玲")
    page.fill("#id_petitioner_phone", "0912-345-678")
    page.fill("#id_petitioner_email", "meiling.chen@example.tw")
    for box in page.locator("#case-form input[type=checkbox][required]").all():
        box.check()  # e.g. the personal-data notice read
    page.wait_for_timeout(3200)  # the form refuses a submission within 3 s of being shown
    with page.expect_navigation():
        page.click("#case-form button[type=submit]")
    return page.get_by_test_id("tracking-link").get_attribute("href")


def _first_link(page, base_url: str, listing: str, selector: str) -> str:
    page.goto(base_url + listing)
    href = page.locator(selector).first.get_attribute("href")
    if not href:
        raise RuntimeError(f"no link {selector!r} on {listing}")
    return href if href.startswith("http") else base_url + href


def _open(page, base_url: str, shot: Shot, state: dict) -> None:
    """Bring the page of `shot` into `page` (state keeps the tracking link of the petition filed)."""
    if shot.path == "@receipt":
        if state.get("receipt_on_screen") and page.url.endswith("/petitions/file/done/"):
            return  # the same receipt, reflowed: it is shown once, a reload leads back to the form
        state["tracking_link"] = _file_petition(page, base_url)
        state["receipt_on_screen"] = True
        return
    state["receipt_on_screen"] = False
    if shot.path == "@tracking":
        if not state.get("tracking_link"):
            state["tracking_link"] = _file_petition(page, base_url)
        page.goto(state["tracking_link"])
    elif shot.path == "@case":
        page.goto(_first_link(page, base_url, "/petitions/inbox/", "main a[href*='/petitions/cases/']"))
    elif shot.path == "@report":
        page.goto(_first_link(page, base_url, "/analytics/reports/", "main a[href*='/analytics/reports/']"))
    else:
        page.goto(base_url + shot.path)


def take(base_url: str, shots: list[Shot], widths: dict[int, int]):
    """Take the screenshots; returns (taken: [(shot, width, bytes)], failed: ["name-width: why"]).
    A page that fails is reported and skipped, the others are still taken."""
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Shot, int, int]] = []
    failed: list[str] = []
    state: dict = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        for user in dict.fromkeys(shot.user for shot in shots):
            context = browser.new_context(locale="zh-TW", viewport={"width": 1366, "height": 768})
            context.set_default_timeout(20_000)
            page = context.new_page()
            mine = [s for s in shots if s.user == user]
            try:
                if user:
                    login(page, base_url, user)
            except Exception as exc:  # noqa: BLE001 - reported, the other roles go on
                failed += [f"{s.name}-{w}: login as {user} failed: {exc}" for s in mine for w in widths]
                context.close()
                continue
            for shot in mine:
                for width, height in widths.items():
                    began = time.monotonic()
                    try:
                        page.set_viewport_size({"width": width, "height": height})
                        _open(page, base_url, shot, state)
                        _settle(page)
                        size = _capture(page, OUT / f"{shot.name}-{width}.png", height)
                    except Exception as exc:  # noqa: BLE001 - reported, the other pages go on
                        failed.append(f"{shot.name}-{width}: {exc}")
                        print(f"  FAILED {shot.name}-{width}: {str(exc).splitlines()[0]}")
                        continue
                    done.append((shot, width, size))
                    print(
                        f"  {shot.name}-{width}.png  {size // 1024} KB  {time.monotonic() - began:.1f} s  "
                        + page.url.removeprefix(base_url)
                    )
            context.close()
        browser.close()
    return done, failed


def write_readme(done: list[tuple[Shot, int, int]], widths: dict[int, int]) -> None:
    names = {shot.name: shot for shot, _w, _s in done}
    lines = [
        "# Screenshots",
        "",
        "The main pages of the standard demo, in Traditional Chinese, at 1366 px (a desk) and 390 px (a phone),",
        f"each from the top of the page, at most {MAX_HEIGHT_FACTOR} screen heights. Regenerate them all with",
        "`make screenshots` (`python scripts/screenshots.py`: it starts its own demo server and Chromium). The demo",
        "accounts are those of `rdec demo`; dates are the day the pictures were taken.",
        "",
        "| page | who | " + " | ".join(f"{w} px" for w in widths) + " |",
        "| --- | --- | " + " | ".join("---" for _ in widths) + " |",
    ]
    for shot in SHOTS:
        if shot.name not in names:
            continue
        cells = [f"[{shot.name}-{w}.png]({shot.name}-{w}.png)" for w in widths]
        lines.append(f"| {shot.what} | {shot.user or 'not logged in'} | " + " | ".join(cells) + " |")
    (OUT / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", nargs="*", help="names of the screenshots to take (default: all)")
    parser.add_argument("--widths", nargs="*", type=int, default=list(WIDTHS), help="viewport widths")
    parser.add_argument("--size", type=int, default=None, help="demo size (default: the standard demo)")
    parser.add_argument("--url", help="use a server already running at this URL instead of starting the demo")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="the demo's data dir, kept (a second run reuses its data and starts in seconds); default: a new one",
    )
    args = parser.parse_args()
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    widths = {w: WIDTHS.get(w, 844) for w in args.widths}
    started = time.monotonic()
    if args.url:
        done, failed = take(args.url.rstrip("/"), shots, widths)
    else:
        with tempfile.TemporaryDirectory(prefix="rdec-screenshots-") as tmp:
            data_dir = args.data_dir.resolve() if args.data_dir else Path(tmp)
            data_dir.mkdir(parents=True, exist_ok=True)
            log = Path(tmp) / "server.log"
            try:
                with demo_server(data_dir, log, size=args.size, startup_timeout=STARTUP_TIMEOUT) as server:
                    print(f"demo ready at {server.url} after {time.monotonic() - started:.0f} s")
                    done, failed = take(server.url, shots, widths)
            except DemoServerError as exc:
                print(exc, file=sys.stderr)
                return 1
    if not args.only and set(widths) == set(WIDTHS) and not failed:
        write_readme(done, widths)
        taken = {f"{shot.name}-{width}.png" for shot, width, _size in done}
        for old in OUT.glob("*.png"):
            if old.name not in taken:
                old.unlink()  # a page no longer in SHOTS
    total = sum(size for _s, _w, size in done)
    print(f"{len(done)} screenshots, {total / 1e6:.1f} MB, in {time.monotonic() - started:.0f} s -> {OUT}")
    if failed:
        print(f"{len(failed)} failed:", *failed, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
