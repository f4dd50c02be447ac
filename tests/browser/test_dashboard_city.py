"""The city dashboard in Chromium: the RDEC officer sees every module's components with the time
each was computed; moving one up persists after a reload; the public dashboard opens without login
on a phone."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_rdec_officer_reorders_the_city_dashboard(page, base_url, login, check_a11y, shot):
    login(page, base_url, "rdec")
    page.goto(base_url + "/dashboard/")
    tiles = page.locator("[data-testid=dashboard-components] > li[data-component]")
    names = tiles.evaluate_all("(els) => els.map((el) => el.dataset.component)")
    for name in ("petitions.overdue", "tracking.by_agency", "strategy.lights", "tenders.execution",
                 "documents.ranking", "opendata.datasets", "polls.latest"):  # fmt: skip
        assert name in names
    expect(page.get_by_test_id("computed-petitions.overdue")).to_be_visible()
    check_a11y(page)
    shot(page, "dashboard-city")

    page.get_by_test_id(f"up-{names[1]}").click()
    page.reload()
    moved = tiles.evaluate_all("(els) => els.map((el) => el.dataset.component)")
    assert moved[:2] == [names[1], names[0]]
    page.get_by_role("button", name="回到預設儀表板").click()  # leave the demo as it was
    assert tiles.evaluate_all("(els) => els.map((el) => el.dataset.component)") == names
    assert page.js_errors == []


def test_the_public_dashboard_on_a_phone(page, base_url, check_a11y):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/dashboard/public/")
    expect(page.get_by_test_id("public-months").locator("tbody tr")).to_have_count(12)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # the table scrolls in its own region; the page does not
    check_a11y(page)
