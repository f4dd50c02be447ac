"""The header's navigation for each role, on a desk (1366 px) and a phone (390 px): menus grouped
by task, opened and closed by click and by keyboard, the phone's 選單 button, breadcrumbs, axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

DESK = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# the menus each role sees (rdec.core.registry; group keys in order) and one inner page to visit
EXPECTED = {
    None: (["petitions", "tracking", "participation", "opendata", "system"], "/agencies/"),
    "citizen": (["petitions", "tracking", "participation", "opendata", "system"], "/petitions/mine/"),
    "agent": (["petitions", "tracking", "participation", "opendata", "system"], "/petitions/kb/"),
    "staff": (
        [
            "petitions",
            "tracking",
            "participation",
            "strategy",
            "tenders",
            "documents",
            "opendata",
            "analytics",
            "system",
        ],
        "/tracking/items/",
    ),
    "rdec": (
        [
            "petitions",
            "tracking",
            "participation",
            "strategy",
            "tenders",
            "documents",
            "opendata",
            "analytics",
            "system",
        ],
        "/tracking/items/",
    ),
}
ROLES = list(EXPECTED)


def sign_in(page, base_url, login, username) -> None:
    if username:
        login(page, base_url, username)
    else:
        page.goto(base_url + "/")


def header_width(page) -> int:
    """How wide the header and breadcrumbs are drawn (the page's own content is checked elsewhere)."""
    return page.evaluate(
        "Math.max(...[...document.querySelectorAll('header.site-header, header.site-header *, nav.breadcrumbs')]"
        ".map((el) => Math.max(el.scrollWidth, el.getBoundingClientRect().right)))"
    )


def menu_keys(page) -> list[str]:
    return page.locator("nav.primary-nav [data-nav-group]").evaluate_all(
        "(items) => items.map((li) => li.dataset.navGroup)"
    )


@pytest.mark.parametrize("username", ROLES, ids=[u or "anonymous" for u in ROLES])
def test_desk_menus_by_role(page, base_url, login, check_a11y, shot, username):
    page.set_viewport_size(DESK)
    sign_in(page, base_url, login, username)
    groups, inner = EXPECTED[username]
    assert menu_keys(page) == groups
    nav = page.locator("nav.primary-nav")
    expect(page.get_by_test_id("nav-menu-button")).to_be_hidden()
    # the row of menus fits the width: nothing sticks out of the page or wraps onto a second row
    assert header_width(page) <= DESK["width"]
    tops = nav.locator(".nav-top").evaluate_all(
        "(els) => new Set(els.map((e) => e.getBoundingClientRect().top)).size"
    )
    assert tops == 1, "the menus take one row"
    # the citizen's actions for citizens and visitors; the API for staff
    petitions = nav.locator("[data-nav-group=petitions] a")
    hrefs = petitions.evaluate_all("(links) => links.map((a) => a.getAttribute('href'))")
    assert ("/petitions/file/" in hrefs) == (username in (None, "citizen"))
    api = nav.locator("a[href='/api/docs/']")
    expect(api).to_have_count(1 if username in ("staff", "rdec") else 0)
    # 地方創生: the proposals for the RDEC (and district offices), the schemes for all staff
    expect(nav.locator("a[href='/programs/revitalisation/']")).to_have_count(1 if username == "rdec" else 0)
    expect(nav.locator("a[href='/programs/revitalisation/schemes/']")).to_have_count(
        1 if username in ("staff", "rdec") else 0
    )
    # 資訊安全 (in the 系統 menu): agency staff and the RDEC only
    for href in ("/security/assets/", "/security/findings/", "/security/cpe/"):
        expect(nav.locator(f"[data-nav-group=system] a[href='{href}']")).to_have_count(
            1 if username in ("staff", "rdec") else 0
        )

    # click opens a menu, a second click elsewhere closes it; only one menu open at a time
    menu = nav.locator("[data-nav-group=system] details")
    summary = menu.locator("summary")
    expect(summary).to_have_attribute("aria-expanded", "false")
    summary.click()
    expect(summary).to_have_attribute("aria-expanded", "true")
    expect(menu.locator("a[href='/agencies/']")).to_be_visible()
    shot(page, f"nav-desk-{username or 'anonymous'}-open")
    check_a11y(page)
    opendata = nav.locator("[data-nav-group=opendata] summary")
    opendata.click()
    expect(opendata).to_have_attribute("aria-expanded", "true")
    expect(summary).to_have_attribute("aria-expanded", "false")
    page.locator("footer.site-footer").click()  # a click outside the menus
    expect(opendata).to_have_attribute("aria-expanded", "false")
    expect(menu.locator("a[href='/agencies/']")).to_be_hidden()

    # the keyboard: Enter opens, Tab reaches the items, Escape closes and gives the focus back
    summary.focus()
    page.keyboard.press("Enter")
    expect(summary).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(menu.locator("a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(summary).to_have_attribute("aria-expanded", "false")
    expect(summary).to_be_focused()
    page.keyboard.press("Space")
    expect(summary).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(summary).to_have_attribute("aria-expanded", "false")

    # an inner page has breadcrumbs: 首頁 › menu › entry, the current page marked
    page.goto(base_url + inner)
    crumbs = page.get_by_test_id("breadcrumbs")
    expect(crumbs).to_be_visible()
    expect(crumbs).to_have_attribute("aria-label", "麵包屑")
    expect(crumbs.locator("li").first).to_have_text("首頁")
    expect(crumbs.locator("[aria-current=page]")).to_have_count(1)
    current_menu = nav.locator(".nav-menu.is-current")
    expect(current_menu).to_have_count(1)
    expect(nav.locator(f"a[href='{inner}'][aria-current=page]")).to_have_count(1)
    check_a11y(page)
    # no breadcrumbs on the home page
    page.goto(base_url + "/")
    expect(page.get_by_test_id("breadcrumbs")).to_have_count(0)


@pytest.mark.parametrize("username", ROLES, ids=[u or "anonymous" for u in ROLES])
def test_phone_menu_by_role(page, base_url, login, check_a11y, shot, username):
    page.set_viewport_size(PHONE)
    sign_in(page, base_url, login, username)
    groups, inner = EXPECTED[username]
    button = page.get_by_test_id("nav-menu-button")
    menus = page.get_by_test_id("nav-menus")
    expect(button).to_be_visible()
    expect(button).to_have_text("選單")
    expect(menus).to_be_hidden()
    assert header_width(page) <= PHONE["width"]
    check_a11y(page)

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menus).to_be_visible()
    assert menu_keys(page) == groups
    # each menu opens in place, under the one above it
    system = page.locator("nav.primary-nav [data-nav-group=system] summary")
    system.click()
    link = page.locator("nav.primary-nav a[href='/agencies/']")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert header_width(page) <= PHONE["width"]
    shot(page, f"nav-phone-{username or 'anonymous'}-open")
    check_a11y(page)

    # Escape closes the open menu, then the whole menu, the focus back on the button
    page.keyboard.press("Escape")
    expect(system).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Escape")
    expect(menus).to_be_hidden()
    expect(button).to_be_focused()
    # and by keyboard again
    page.keyboard.press("Enter")
    expect(menus).to_be_visible()
    with page.expect_navigation():
        system.click()
        link.click()
    expect(page.get_by_test_id("breadcrumbs")).to_be_visible()
    expect(page.get_by_test_id("nav-menus")).to_be_hidden()  # a new page starts with the menu closed

    page.goto(base_url + inner)
    expect(page.get_by_test_id("breadcrumbs")).to_be_visible()
    assert header_width(page) <= PHONE["width"]
    check_a11y(page)


def test_the_menus_work_without_scripts(browser, base_url):
    """<details> menus: a visitor without JavaScript opens them and the phone menu too."""
    for viewport in (DESK, PHONE):
        context = browser.new_context(locale="zh-TW", viewport=viewport, java_script_enabled=False)
        page = context.new_page()
        page.goto(base_url + "/")
        if viewport is PHONE:
            page.get_by_test_id("nav-menu-button").click()
        page.locator("[data-nav-group=system] summary").click()
        expect(page.locator("nav.primary-nav a[href='/agencies/']")).to_be_visible()
        context.close()


def test_favicon_answers_and_the_emblem_shows(page, base_url):
    response = page.request.get(base_url + "/favicon.ico")
    assert response.status == 200 and response.headers["content-type"] == "image/x-icon"
    failed = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(base_url + "/agencies/")
    emblem = page.locator("header img.brand-emblem")
    expect(emblem).to_be_visible()
    assert emblem.evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert page.locator("link[rel=icon]").get_attribute("href").endswith("favicon.svg")
    assert not failed, failed


def test_the_longest_menu_row_fits_a_desk_in_english(page, base_url, login, check_a11y):
    login(page, base_url, "rdec")
    # in zh-Hant, the nine menus take one row down to a tablet's 800 px
    page.set_viewport_size({"width": 800, "height": 900})
    tops = page.locator("nav.primary-nav .nav-top").evaluate_all(
        "(els) => new Set(els.map((e) => e.getBoundingClientRect().top)).size"
    )
    assert tops == 1
    page.set_viewport_size(DESK)
    page.goto(base_url + "/en/tracking/items/")
    nav = page.locator("nav.primary-nav")
    expect(nav.locator("[data-nav-group=tracking] summary")).to_have_text("Tracking")
    tops = nav.locator(".nav-top").evaluate_all(
        "(els) => new Set(els.map((e) => e.getBoundingClientRect().top)).size"
    )
    assert tops == 1, "the menus take one row"
    crumbs = page.get_by_test_id("breadcrumbs")
    expect(crumbs.locator("li")).to_have_text(["Home", "Tracking", "Tracked items"])
    check_a11y(page)


@pytest.mark.parametrize("username", ["citizen", "staff", "rdec"])
def test_the_innovation_entries_by_role(page, base_url, login, username):
    """簡政創新: the RDEC manages the digests; agency staff answer their referrals (the RDEC reads
    them), record process reforms and enter the review; a citizen sees none of it."""
    page.set_viewport_size(DESK)
    login(page, base_url, username)
    hrefs = page.locator("nav.primary-nav [data-nav-group=opendata] a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    assert ("/programs/innovation/digests/" in hrefs) == (username == "rdec")
    assert ("/programs/innovation/referrals/" in hrefs) == (username in ("staff", "rdec"))
    assert ("/programs/innovation/reforms/" in hrefs) == (username in ("staff", "rdec"))
    assert ("/programs/innovation/reviews/" in hrefs) == (username in ("staff", "rdec"))


@pytest.mark.parametrize("username", ["citizen", "staff", "rdec"])
def test_the_review_engine_entries_by_role(page, base_url, login, username):
    """The engine: the calls list for the RDEC; "My reviews" for agency staff and the RDEC (and any
    account with a reviewer assignment, which the demo citizen has not)."""
    page.set_viewport_size(DESK)
    login(page, base_url, username)
    hrefs = page.locator("nav.primary-nav [data-nav-group=opendata] a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    assert ("/programs/calls/" in hrefs) == (username == "rdec")
    assert ("/programs/reviews/" in hrefs) == (username in ("staff", "rdec"))
