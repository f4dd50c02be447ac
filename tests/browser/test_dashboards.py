"""The dashboards in Chromium: the RDEC overview with its figures (refreshed by htmx), an agency's
own view, and the hotspot map whose time slider loads an earlier week's hotspots and recolours the
districts."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_the_rdec_overview_and_the_agency_view(page, base_url, login, check_a11y, shot):
    login(page, base_url, "rdec")
    page.goto(base_url + "/analytics/dashboard/")
    expect(page.get_by_test_id("open-count")).to_have_text(re.compile(r"^\d+$"))
    rows = page.get_by_test_id("by-agency").locator("tbody tr")
    assert rows.count() >= 2  # the demo's cases are spread over several agencies
    # the figures are a fragment the page asks for again by itself (htmx)
    with page.expect_response(lambda r: "/analytics/dashboard/figures/" in r.url and r.status == 200):
        page.evaluate(
            "htmx.ajax('GET', '/analytics/dashboard/figures/', {target: '#dashboard-figures', swap: 'outerHTML'})"
        )
    expect(page.get_by_test_id("open-count")).to_be_visible()
    shot(page, "analytics-dashboard-rdec")
    check_a11y(page)
    assert page.js_errors == []

    page.context.clear_cookies()
    login(page, base_url, "staff")
    page.goto(base_url + "/analytics/dashboard/")
    agencies = page.get_by_test_id("by-agency").locator("tbody th")
    expect(agencies).to_have_count(1)
    expect(agencies.first).to_have_text("建設局")


def test_the_hotspot_map_goes_back_week_by_week(page, base_url, login, check_a11y, shot):
    login(page, base_url, "rdec")
    page.goto(base_url + "/analytics/hotspots/")
    expect(page.locator("#map path.leaflet-interactive").first).to_be_attached(timeout=30_000)
    # every district drawn (a week's hot places are drawn as markers on top of them)
    assert page.locator("#map path.map-district").count() == 29
    section = page.get_by_test_id("hotspot-week")
    latest = section.get_attribute("data-week")
    slider = page.locator("#week-slider")
    with page.expect_response(lambda r: "/analytics/hotspots/week/" in r.url and r.status == 200):
        slider.focus()
        page.keyboard.press("ArrowLeft")  # one week back: input, then change
        slider.dispatch_event("change")
    expect(page.get_by_test_id("hotspot-week")).not_to_have_attribute("data-week", latest)
    label = page.locator("#week-label").text_content()
    assert label and label != ""
    expect(page.get_by_test_id("hotspots")).to_be_visible()
    shot(page, "analytics-hotspot-map")
    check_a11y(page)
    assert page.js_errors == []


def test_hot_words_and_topics_of_the_last_days(page, base_url, login, check_a11y, shot):
    login(page, base_url, "rdec")
    page.goto(base_url + "/analytics/dashboard/")
    page.get_by_role("link", name=re.compile("熱門詞|Hot words")).click()
    expect(page.get_by_test_id("topics-texts")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("hot-words")).not_to_be_empty()
    assert page.get_by_test_id("topic").count() >= 1  # the demo's week of petitions falls into topics
    shot(page, "analytics-topics")
    check_a11y(page)
    assert page.js_errors == []
