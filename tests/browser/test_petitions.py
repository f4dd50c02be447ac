"""Petitions in the browser: the citizen form → confirmation → tracking page, and the agency inbox →
case → reply → supervisor approval. Each test files its own case through the pages (the demo's seeded
petitions are not relied on)."""

from __future__ import annotations

import re
import uuid

import pytest
from leaflet_hook import CATCH_LEAFLET_MAP
from playwright.sync_api import expect


@pytest.fixture(scope="module")
def categories(server):
    """The category tree (idempotent; the demo may already have loaded it)."""
    server.manage("load_petition_categories")


def file_through_the_form(page, base_url, subject: str) -> tuple[str, str, str]:
    """Fill in the citizen form as a person would; returns (case number, code, tracking link)."""
    page.add_init_script(CATCH_LEAFLET_MAP)
    page.goto(base_url + "/petitions/file/")
    page.select_option("#id_category_group", "road")
    page.select_option("#id_category", "pothole")
    page.fill("#id_subject", subject)
    page.fill("#id_description", "文心路與市政路口的機車道有一個大坑洞，晚上很危險。")
    # The place: a click on the map sets the coordinates and selects the district.
    expect(page.locator("#case-map svg path.leaflet-interactive").first).to_be_attached()
    page.wait_for_function("window.__rdecMap && window.__rdecMap._loaded")
    page.locator("#case-map").scroll_into_view_if_needed()
    point = page.evaluate("(() => window.__rdecMap.latLngToContainerPoint([24.1615, 120.6469]))()")
    box = page.locator("#case-map").bounding_box()
    page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
    expect(page.locator("#id_lat")).not_to_have_value("")
    expect(page.locator("#map-status")).to_contain_text("西屯區")
    page.fill("#id_address", "西屯區文心路二段")
    page.fill("#id_petitioner_name", "黃測試")
    page.fill("#id_petitioner_phone", "0912-000-111")
    page.fill("#id_petitioner_email", "test@example.tw")
    page.check("#id_confidential")
    page.wait_for_timeout(3200)  # the form refuses a submission within 3 s of being shown
    with page.expect_navigation():
        page.click("#case-form button[type=submit]")
    number = page.get_by_test_id("case-number").inner_text().strip()
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    link = page.get_by_test_id("tracking-link").get_attribute("href")
    return number, code, link


def test_citizen_files_a_petition_and_tracks_it(page, base_url, categories, check_a11y, shot):
    subject = f"瀏覽器測試坑洞 {uuid.uuid4().hex[:6]}"
    page.goto(base_url + "/petitions/file/")
    check_a11y(page)
    number, code, link = file_through_the_form(page, base_url, subject)
    assert re.fullmatch(r"\d{3}-\d{7}", number)
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    shot(page, "petitions-confirmation")
    check_a11y(page)

    page.goto(base_url + "/petitions/track/")
    check_a11y(page)
    page.fill("#id_number", number)
    page.fill("#id_code", "WRONGCODE")
    page.click("main form button[type=submit]")
    expect(page.locator("#form-errors")).to_be_visible()
    page.fill("#id_code", code)
    page.click("main form button[type=submit]")
    expect(page.locator("main h1")).to_contain_text(number)
    expect(page.get_by_test_id("public-case")).to_contain_text(subject)
    expect(page.get_by_test_id("public-case")).to_contain_text("建設局")
    expect(page.locator("main")).not_to_contain_text("黃測試")
    expect(page.locator("main")).not_to_contain_text("0912")
    shot(page, "petitions-tracking")
    check_a11y(page)

    page.goto(link)
    expect(page.locator("main h1")).to_contain_text(number)
    assert page.js_errors == []


def test_staff_replies_and_the_supervisor_approves(page, base_url, categories, login, check_a11y, shot):
    subject = f"瀏覽器測試回覆 {uuid.uuid4().hex[:6]}"
    number, code, _link = file_through_the_form(page, base_url, subject)

    login(page, base_url, "staff")
    page.goto(base_url + "/petitions/inbox/?q=" + number)
    row = page.get_by_test_id("inbox-row").filter(has_text=number)
    expect(row).to_have_count(1)
    expect(row.locator(".tag")).to_have_text(re.compile(r"\S+・"))  # a text label, not colour alone
    expect(row).to_contain_text("黃測試")  # the handler sees the petitioner in clear
    shot(page, "petitions-inbox")
    check_a11y(page)

    row.get_by_role("link", name=number).click()
    expect(page.locator("main h1")).to_contain_text(number)
    page.click("form[action$='/start/'] button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    page.fill("#reply_body", "已派員於今日修補完成，謝謝您的通報。")
    page.fill("#reply_internal_note", "內部：由第二工務隊處理")
    page.click("#reply-form button[value=submit]")
    expect(page.get_by_test_id("reply")).to_contain_text("已派員於今日修補完成")
    shot(page, "petitions-case-staff")
    check_a11y(page)

    page.context.clear_cookies()
    login(page, base_url, "supervisor")
    page.goto(f"{base_url}/petitions/cases/{number}/")
    expect(page.locator("#approve-form")).to_be_visible()
    page.select_option("#approve_reply_decision", "approve")
    page.click("#approve-form button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_contain_text(re.compile("已回覆|Replied"))
    shot(page, "petitions-case-approved")
    check_a11y(page)

    page.context.clear_cookies()
    page.goto(base_url + "/petitions/track/")
    page.fill("#id_number", number)
    page.fill("#id_code", code)
    page.click("main form button[type=submit]")
    expect(page.get_by_test_id("public-reply")).to_contain_text("已派員於今日修補完成")
    expect(page.locator("main")).not_to_contain_text("第二工務隊")
    assert page.js_errors == []


def test_call_agent_files_by_keyboard_in_the_console(page, base_url, categories, login, check_a11y, shot):
    login(page, base_url, "agent")
    page.goto(base_url + "/petitions/console/")
    assert page.evaluate("document.activeElement.id") == "id_petitioner_phone"
    check_a11y(page)
    page.keyboard.type("0933-222-111")
    expect(page.get_by_test_id("caller-cases")).to_be_visible()  # looked up as the agent types
    page.keyboard.press("Tab")
    page.keyboard.type("陳先生")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_category"
    page.select_option("#id_category", "light-out")
    page.keyboard.press("Tab")
    page.keyboard.type("路燈不亮")
    page.keyboard.press("Tab")
    page.keyboard.type("崇德路二段的路燈整排不亮。")
    page.keyboard.press("Tab")
    page.keyboard.type("北屯區崇德路二段")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    filed = page.get_by_test_id("console-filed")
    expect(filed).to_be_visible()
    expect(filed.get_by_test_id("tracking-code")).to_have_text(re.compile(r"^[A-Z2-9]{8}$"))
    page.fill("#kb-q", "路燈")
    expect(page.locator("#kb-results")).not_to_be_empty()
    shot(page, "petitions-console")
    check_a11y(page)
    assert page.js_errors == []


def test_knowledge_base_search_and_article(page, base_url, login, check_a11y, shot):
    login(page, base_url, "agent")
    page.goto(base_url + "/petitions/kb/")
    page.fill("#kb-q", "路燈")
    hits = page.locator("#kb-results details.kb-hit")
    expect(hits.first).to_be_visible()
    expect(hits.first.locator("summary")).to_contain_text("路燈")
    hits.first.locator("summary").click()
    expect(hits.first.locator(".reply-body")).to_be_visible()
    shot(page, "kb-search")
    check_a11y(page)
    hits.first.locator("a[href*='/petitions/kb/']").click()
    expect(page).to_have_url(re.compile(r"/petitions/kb/\d+/$"))
    expect(page.locator("main h1")).to_contain_text("路燈")
    shot(page, "kb-article")
    check_a11y(page)


def test_duty_contacts_and_inbox_export(page, base_url, login, check_a11y, shot):
    login(page, base_url, "staff")
    page.goto(base_url + "/petitions/contacts/")
    expect(page.locator("main table")).to_be_visible()
    shot(page, "duty-contacts")
    check_a11y(page)
    page.goto(base_url + "/petitions/inbox/")
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    assert download.value.suggested_filename.endswith(".csv")
