"""Maps that place a problem (docs/maps.md): the pin shows its district and village, an address in
another district is flagged, keyboard users type coordinates, the address places the pin, village
names appear when zoomed in, and a configured basemap is drawn (tiles from a local server here,
never the internet)."""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from leaflet_hook import CATCH_LEAFLET_MAP
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
XITUN = (24.1615, 120.6469)  # 西屯區 惠來里, near the city hall


def click_on_map(page, selector: str, lat: float, lon: float) -> None:
    page.wait_for_function("() => window.__rdecMap && window.__rdecMap._loaded")
    expect(page.locator(f"{selector} svg path.leaflet-interactive").first).to_be_attached()
    page.locator(selector).scroll_into_view_if_needed()
    point = page.evaluate(f"(() => window.__rdecMap.latLngToContainerPoint([{lat}, {lon}]))()")
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def test_the_pin_shows_its_district_and_village_and_a_district_mismatch_is_flagged(
    page, base_url, check_a11y
):
    page.add_init_script(CATCH_LEAFLET_MAP)
    page.goto(base_url + "/petitions/file/")
    # coordinates are behind a disclosure, not in the pointer user's way
    expect(page.locator("#id_lat")).to_be_hidden()
    click_on_map(page, "#case-map", *XITUN)
    status = page.locator("#map-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text(re.compile(r"西屯區 \S+里"))
    expect(status).to_contain_text("惠來里")
    expect(page.locator("#id_district")).to_have_value("66000060")
    warning = page.locator("#place-warning")
    expect(warning).to_be_hidden()  # nothing to warn about yet

    # the address names 沙鹿區 while the pin is in 西屯區: a visible warning, announced (role=status)
    page.fill("#id_address", "臺中市沙鹿區中山路")
    expect(warning).to_be_visible()
    expect(warning).to_have_attribute("role", "status")
    expect(warning).to_contain_text("沙鹿區")
    expect(warning).to_contain_text("西屯區")
    check_a11y(page)

    # "place the pin from the address" moves it into 沙鹿區: the warning goes
    page.get_by_role("button", name="依地址放置標記").click()
    expect(status).to_contain_text("沙鹿區")
    expect(warning).to_be_hidden()
    assert 24.1 < float(page.input_value("#id_lat")) < 24.4
    assert page.js_errors == []


def test_the_server_sends_a_disagreeing_address_and_pin_back_with_a_way_to_confirm(
    page, base_url, check_a11y
):
    page.add_init_script(CATCH_LEAFLET_MAP)
    page.goto(base_url + "/petitions/file/")
    page.select_option("#id_category_group", "road")
    page.select_option("#id_category", "pothole")
    page.fill("#id_subject", "地圖測試坑洞")
    page.fill("#id_description", "路面有坑洞。")
    click_on_map(page, "#case-map", *XITUN)
    expect(page.locator("#map-status")).to_contain_text("西屯區")
    page.fill("#id_address", "沙鹿區中山路")
    page.fill("#id_petitioner_name", "黃測試")
    page.fill("#id_petitioner_phone", "0912-000-111")
    page.wait_for_timeout(3200)  # the form refuses a submission within 3 s of being shown
    with page.expect_navigation():
        page.click("#case-form button[type=submit]")
    error = page.locator("#id_address_error, .errorlist").filter(has_text="沙鹿區").first
    expect(error).to_contain_text("西屯區")
    confirm = page.get_by_label(re.compile("地址與地點都正確"))
    expect(confirm).to_be_visible()
    # the pin is kept where it was
    expect(page.locator("#map-status")).to_contain_text("西屯區")
    check_a11y(page)


def test_keyboard_users_type_the_coordinates(page, base_url, check_a11y):
    page.goto(base_url + "/petitions/file/")
    summary = page.locator("details.place-coordinates > summary")
    summary.focus()
    page.keyboard.press("Enter")
    lat = page.get_by_label("緯度")
    expect(lat).to_be_visible()
    lat.focus()
    page.keyboard.type(str(XITUN[0]))
    page.keyboard.press("Tab")
    expect(page.get_by_label("經度")).to_be_focused()
    page.keyboard.type(str(XITUN[1]))
    page.keyboard.press("Tab")
    expect(page.locator("#map-status")).to_have_text(re.compile(r"西屯區 惠來里"))
    expect(page.locator("#id_district")).to_have_value("66000060")
    check_a11y(page)


def test_the_console_flags_an_address_in_another_district_than_the_chosen_one(page, base_url, login):
    login(page, base_url, "agent")
    page.goto(base_url + "/petitions/console/")
    page.select_option("#id_district", label="沙鹿區")
    page.fill("#id_address", "北屯區崇德路二段")
    warning = page.locator("#place-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("北屯區")
    expect(warning).to_contain_text("沙鹿區")
    page.select_option("#id_district", label="北屯區")
    expect(warning).to_be_hidden()


def test_village_names_appear_when_zoomed_in(page, base_url, check_a11y):
    page.add_init_script(CATCH_LEAFLET_MAP)
    page.goto(base_url + "/districts/")
    page.wait_for_function("() => window.__rdecMap && window.__rdecMap._loaded")
    expect(page.locator("#map svg path.leaflet-interactive").first).to_be_attached()
    assert page.locator(".village-label").count() == 0  # the whole city: district outlines only
    page.evaluate(f"window.__rdecMap.setView([{XITUN[0]}, {XITUN[1]}], 15)")
    label = page.locator(".village-label", has_text="惠來里")
    expect(label).to_be_visible(timeout=30_000)
    # names are text, never HTML
    assert page.locator(".village-label img, .village-label script").count() == 0
    assert page.locator(".village-label").count() > 3
    assert page.locator("#map path.map-village").count() > 3  # the village outlines, not clickable
    assert page.locator("#map path.map-village.leaflet-interactive").count() == 0
    check_a11y(page)
    page.evaluate("window.__rdecMap.setZoom(10)")
    expect(page.locator(".village-label")).to_have_count(0)
    expect(page.locator("#map path.map-village")).to_have_count(0)
    assert page.js_errors == []


# --- the basemap setting, with tiles from a local server ------------------------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000201a5d4a1e90000000049454e44ae426082"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def tiles():
    """A tile server on 127.0.0.1 answering every /tiles/{z}/{y}/{x}.png with a 1-pixel PNG."""
    asked: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(PNG)))
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    httpd.shutdown()


@pytest.fixture(scope="module")
def basemap_site(server, tiles):
    """The same demo data served a second time, with RDEC_BASEMAP_URL set to the local tiles."""
    port = _free_port()
    env = dict(server.env, RDEC_BASEMAP_URL=tiles[0] + "/tiles/{z}/{y}/{x}.png")
    env["RDEC_BASEMAP_ATTRIBUTION"] = "測試圖磚 <b>tiles</b>"
    env["SITE_URL"] = f"http://127.0.0.1:{port}"
    log = (REPO / "test-artifacts" / "browser-basemap-server.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(  # noqa: S603 - our own console script
        [str(server.rdec), "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2):  # noqa: S310 - local
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "the second server did not start; see test-artifacts/browser-basemap-server.log"
                    )
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        log.close()


def test_a_configured_basemap_draws_its_tiles_under_the_outlines(page, basemap_site, tiles, check_a11y):
    tile_url, asked = tiles
    page.goto(basemap_site + "/districts/")
    tile = page.locator("#map img.leaflet-tile").first
    expect(tile).to_be_attached()
    assert tile.get_attribute("src").startswith(tile_url + "/tiles/")
    expect(page.locator("#map img.leaflet-tile-loaded").first).to_be_attached()
    assert any(re.fullmatch(r"/tiles/\d+/\d+/\d+\.png", p) for p in asked)
    # the outlines are still drawn over the tiles
    expect(page.locator("#map svg path.leaflet-interactive").first).to_be_attached()
    # the attribution is shown as text (the configured wording is not HTML)
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("測試圖磚 <b>tiles</b>")
    expect(attribution).to_contain_text("內政部 鄉鎮市區界線")
    # the Content-Security-Policy lets the tile host in (a refusal fails the page fixture)
    csp = page.request.get(basemap_site + "/districts/").headers["content-security-policy"]
    assert re.search(r"img-src [^;]*" + re.escape(tile_url), csp)
    check_a11y(page)
    assert page.js_errors == [] and page.csp_refusals == []


def test_without_a_basemap_no_tile_is_asked_for(page, base_url):
    page.goto(base_url + "/districts/")
    expect(page.locator("#map svg path.leaflet-interactive").first).to_be_attached()
    assert page.locator("#map img.leaflet-tile").count() == 0
    csp = page.request.get(base_url + "/districts/").headers["content-security-policy"]
    assert re.search(r"img-src 'self' data:(;|$)", csp), csp


def test_the_place_picker_fits_a_phone(page, base_url, check_a11y):
    page.set_viewport_size({"width": 360, "height": 800})
    page.add_init_script(CATCH_LEAFLET_MAP)
    page.goto(base_url + "/petitions/file/")
    click_on_map(page, "#case-map", *XITUN)
    expect(page.locator("#map-status")).to_contain_text("西屯區")
    page.fill("#id_address", "沙鹿區中山路")
    expect(page.locator("#place-warning")).to_be_visible()
    page.locator("details.place-coordinates > summary").click()
    picker = page.locator("#place-picker").bounding_box()
    assert picker["x"] >= 0 and picker["x"] + picker["width"] <= 360, picker
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    check_a11y(page)
