"""The route hint in the 1999 console: as the agent types, the likeliest agencies and categories
appear next to the category field, and choosing one sets the category."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_console_suggests_the_category_from_the_text(page, base_url, login, check_a11y, shot):
    login(page, base_url, "agent")
    page.goto(base_url + "/petitions/console/")
    page.fill("#id_subject", "垃圾車沒來")
    page.fill("#id_description", "這個禮拜垃圾車都沒有來收垃圾，家裡堆滿了。")
    hints = page.get_by_test_id("route-hints")
    expect(hints).to_be_visible()
    expect(hints.locator("li").first).to_contain_text("環保局")
    hints.locator("button").first.click()
    assert page.eval_on_selector("#id_category", "el => el.value") == "garbage"
    shot(page, "analytics-route-hint")
    check_a11y(page)
    assert page.js_errors == []
