"""Saying when unsure: in the 1999 console, a text the router is unsure of (a tax question the demo's
router, trained on the demo's 1999 cases, has never seen the like of) shows 「建議人工分案」 above the
suggestions instead of a confident agency; the RDEC's router accuracy page is in the analytics menu."""

from __future__ import annotations

from playwright.sync_api import expect


def test_an_unsure_suggestion_shows_manual_routing_in_the_console(
    page, base_url, login, check_a11y, shot, tr
):
    login(page, base_url, "agent")
    page.goto(base_url + "/petitions/console/")
    page.fill("#id_subject", "詢問地價稅")
    page.fill("#id_description", "請問今年地價稅的繳納期限是哪一天？可以分期繳納嗎？")
    manual = page.get_by_test_id("route-manual")
    expect(manual).to_be_visible()
    expect(manual).to_contain_text("建議人工分案")
    expect(page.get_by_test_id("route-hints")).to_be_visible()  # the hints stay, as hints
    shot(page, "routing-manual")
    check_a11y(page)
    assert page.js_errors == []


def test_the_rdec_opens_the_router_accuracy_page(page, base_url, login, check_a11y, tr):
    login(page, base_url, "rdec")
    page.goto(base_url + "/analytics/router/")
    expect(page.locator("h1")).to_have_text(tr("Router accuracy"))
    check_a11y(page)
    assert page.js_errors == []


def test_the_console_suggests_the_knowledge_base_article_next_to_the_agency(
    page, base_url, login, check_a11y
):
    """Issue 15, item 5: the same text understanding suggests the agency and the article that answers."""
    login(page, base_url, "agent")
    page.goto(base_url + "/petitions/console/")
    page.fill("#id_subject", "路燈一直閃")
    page.fill("#id_description", "巷口的路燈晚上一直閃爍不亮，要怎麼報修？")
    articles = page.get_by_test_id("kb-suggestions")
    expect(articles).to_be_visible()
    expect(articles.locator("summary").first).to_contain_text("路燈不亮或閃爍要怎麼報修？")
    expect(page.get_by_test_id("route-hints")).to_be_visible()
    articles.locator("summary").first.click()  # the answer, to read to the caller
    expect(articles.locator(".reply-body").first).to_contain_text("桿號")
    check_a11y(page)
    assert page.js_errors == []
