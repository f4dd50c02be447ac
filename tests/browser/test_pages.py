"""The main pages: agencies, districts (map and resolver), the office calendar, the audit trail, API docs."""

import datetime
import re
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from leaflet_hook import CATCH_LEAFLET_MAP
from playwright.sync_api import expect


def test_agency_tree(page, base_url, check_a11y, shot):
    page.goto(base_url + "/agencies/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.locator("main h1")).to_have_text("機關")
    tree = page.get_by_role("tree")
    expect(tree.get_by_text("建設局", exact=True)).to_be_visible()
    expect(tree.get_by_text("西屯區公所", exact=True)).to_be_visible()
    # A tree: the district offices and bureaus hang under the city government.
    expect(tree.locator("[role=treeitem] [role=group] [role=treeitem]").first).to_be_attached()
    assert tree.locator("[role=treeitem]").count() > 50
    shot(page, "agencies")
    check_a11y(page)


def test_districts_table_map_and_resolver(page, base_url, check_a11y, shot):
    page.goto(base_url + "/districts/")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(29)
    expect(rows.filter(has_text="西屯區")).to_have_count(1)
    expect(page.locator("main table caption")).to_contain_text("29")

    # Leaflet draws every district's boundary from the public API as an SVG path.
    paths = page.locator("#map svg path.leaflet-interactive")
    expect(paths.first).to_be_attached()
    assert paths.count() >= 29

    page.fill("#lat", "24.1615")
    page.fill("#lon", "120.6469")
    url_before = page.url
    page.click("#resolve-form button[type=submit]")
    place = page.get_by_test_id("place")
    expect(place).to_contain_text("西屯區")
    expect(place).to_have_text(re.compile(r"^西屯區 \S+里$"))
    assert page.url == url_before, "the resolver answers in place (HTMX), without leaving the page"
    shot(page, "districts")
    check_a11y(page)
    assert page.js_errors == []


def test_district_map_click_fills_the_resolver(page, base_url):
    page.add_init_script(CATCH_LEAFLET_MAP)
    page.goto(base_url + "/districts/")
    expect(page.locator("#map svg path.leaflet-interactive").first).to_be_attached()
    page.wait_for_function("window.__rdecMap && window.__rdecMap._loaded")
    # 豐原區 (Fengyuan), far from the form's preset point in 西屯區.
    lat, lon = 24.2527, 120.7220
    point = page.evaluate(f"(() => window.__rdecMap.latLngToContainerPoint([{lat}, {lon}]))()")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])

    expect(page.get_by_test_id("place")).to_contain_text("豐原區")
    got_lat, got_lon = float(page.input_value("#lat")), float(page.input_value("#lon"))
    assert abs(got_lat - lat) < 0.01 and abs(got_lon - lon) < 0.01, (got_lat, got_lon)
    expect(page.get_by_test_id("place")).to_have_text(re.compile(r"^豐原區 \S+里$"))


def test_district_detail(page, base_url, check_a11y, shot):
    page.goto(base_url + "/districts/")
    page.locator("main table tbody tr", has_text="西屯區").get_by_role("link").click()
    expect(page.locator("main h1")).to_contain_text("西屯區")
    assert page.locator("main ul.columns li").count() > 10
    shot(page, "district-detail")
    check_a11y(page)


def test_calendar_month_grid_and_navigation(page, base_url, check_a11y, shot):
    # A fixed month whose grid starts and ends with other months' days (2026-12-01 is a Tuesday), so
    # that the quieter out-of-month cells are always on the page when axe-core checks the contrast.
    page.goto(base_url + "/calendar/?year=2026&month=12")
    grid = page.locator("table.calendar")
    expect(grid.locator("thead th")).to_have_count(7)
    expect(grid.locator("td:not(.out)")).to_have_count(31)
    assert grid.locator("td.out").count() >= 2, "the grid shows November's and January's days around December"
    title = page.locator("#month-title")
    expect(title).to_contain_text("115")
    expect(title).to_contain_text(re.compile(r"\b12\b"))
    # A loaded month marks its days off and its working days.
    assert grid.locator("td.off").count() >= 8
    assert grid.locator("td.work").count() >= 10
    shot(page, "calendar")
    check_a11y(page)

    with page.expect_navigation():
        page.click("a[rel=prev]")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"year": ["2026"], "month": ["11"]}
    expect(title).to_contain_text("115")
    expect(title).to_contain_text(re.compile(r"\b11\b"))
    expect(grid.locator("td:not(.out)")).to_have_count(30)
    check_a11y(page)


def test_calendar_opens_on_todays_month(page, base_url):
    """Without a month the page shows the server's current month with today marked (whatever today is)."""
    page.goto(base_url + "/calendar/")
    grid = page.locator("table.calendar")
    today_cell = grid.locator("td.today")
    expect(today_cell).to_have_count(1)
    expect(today_cell).to_have_attribute("aria-current", "date")
    # Read the day back from the page rather than the test's clock, so a run across midnight cannot fail.
    day = int(today_cell.locator(".daynum").inner_text())
    now = datetime.datetime.now(ZoneInfo("Asia/Taipei")).date()
    assert day in {now.day, (now - datetime.timedelta(days=1)).day}


def test_calendar_lunar_new_year_2026(page, base_url):
    page.goto(base_url + "/calendar/?year=2026&month=2")
    grid = page.locator("table.calendar")
    expect(grid.locator("td:not(.out)")).to_have_count(28)
    # 2026-02-14 .. 02-22: the Lunar New Year break, nine days off in a row.
    off = [int(t) for t in grid.locator("td.off:not(.out) .daynum").all_inner_texts()]
    assert set(range(14, 23)) <= set(off), off
    # Days off are told in words too, not by colour alone (WCAG 1.4.1).
    off_cells = grid.locator("td.off:not(.out)")
    expect(off_cells.locator(".visually-hidden", has_text="放假日")).to_have_count(off_cells.count())
    expect(grid.locator("td.work .visually-hidden")).to_have_count(0)


def test_working_day_calculator(page, base_url, check_a11y, shot):
    page.goto(base_url + "/calendar/?year=2026&month=2")
    url_before = page.url
    page.fill("#id_start", "2026-02-13")
    page.fill("#id_days", "1")
    page.click("#calc-title ~ form button[type=submit]")
    result = page.get_by_test_id("calc-result")
    expect(result).to_contain_text("115年2月23日")
    expect(result).to_contain_text("115年2月13日")
    assert page.url == url_before, "the calculator answers in place (HTMX), without leaving the page"
    shot(page, "calendar-calculator")
    check_a11y(page)

    # Counting backwards works too: one working day before 2026-02-23 is 2026-02-13.
    page.fill("#id_start", "2026-02-23")
    page.fill("#id_days", "-1")
    page.click("#calc-title ~ form button[type=submit]")
    expect(result).to_contain_text("115年2月13日", use_inner_text=True)


def test_audit_trail_for_rdec_officer(page, base_url, login, check_a11y, shot):
    login(page, base_url, "rdec")
    page.locator("[data-nav-group=system] summary").click()  # the 系統 menu
    page.click("nav.primary-nav a[href='/audit/']")
    expect(page.locator("main h1")).to_have_text("稽核軌跡")
    rows = page.locator("main table tbody tr")
    expect(rows.first.locator("a[href^='/audit/']")).to_be_visible()
    # The demo's petitions fill the first pages: filter to the accounts' records.
    page.select_option("#id_target_type", "core.user")  # a select of record types by name (使用者)
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"target_type=core\.user"))
    assert rows.count() >= 7
    # The demo set-up recorded the creation of every demo account.
    for name in ("林怡君", "王俊傑", "黃小明"):
        expect(rows.filter(has_text=name).filter(has_text="建立使用者帳號").first).to_be_visible()
    shot(page, "audit-list")
    check_a11y(page)

    rows.filter(has_text="王俊傑").filter(has_text="建立使用者帳號").first.locator("a").click()
    expect(page).to_have_url(re.compile(r"/audit/\d+/$"))
    expect(page.locator("main")).to_contain_text("王俊傑")
    shot(page, "audit-detail")
    check_a11y(page)


def test_audit_trail_forbidden_to_agency_staff(page, base_url, login, check_a11y):
    login(page, base_url, "staff")
    expect(page.locator("nav.primary-nav a[href='/audit/']")).to_have_count(0)
    response = page.goto(base_url + "/audit/")
    assert response.status == 403
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.locator("main table")).to_have_count(0)
    check_a11y(page)


def test_audit_trail_sends_anonymous_to_login(page, base_url):
    page.goto(base_url + "/audit/")
    assert page.url == f"{base_url}/accounts/login/?next=/audit/"
    expect(page.locator("#id_username")).to_be_visible()


def test_api_docs(page, base_url, check_a11y, shot):
    hosts = set()
    page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
    page.goto(base_url + "/api/docs/")
    ops = page.locator(".swagger-ui .opblock")
    expect(ops.first).to_be_visible(timeout=30_000)
    assert ops.count() >= 5
    expect(
        page.locator(".swagger-ui .opblock-summary-path", has_text="/api/v1/districts/").first
    ).to_be_visible()
    assert hosts <= {urlsplit(base_url).netloc}, f"the API docs must load only local files, got {hosts}"
    expect(page.locator("html")).to_have_attribute("lang", "en")  # Swagger UI speaks English only
    shot(page, "api-docs")
    check_a11y(page)


def test_skip_link_for_keyboard_users(page, base_url):
    page.goto(base_url + "/districts/")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
