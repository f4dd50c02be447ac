"""Tracking in the browser: a 行動市政會議 from its creation to its resolutions, the agency's progress
report, the RDEC's review and 解除列管, and the public meeting page showing it (no login)."""

from __future__ import annotations

import datetime
import re
import uuid
from zoneinfo import ZoneInfo

from playwright.sync_api import expect


def test_a_mobile_meeting_from_creation_to_release_and_the_public_page(
    page, base_url, login, check_a11y, shot, tr
):
    tag = uuid.uuid4().hex[:6]
    title = f"瀏覽器測試大甲區行動市政會議 {tag}"
    resolution_text = f"請協助順天路拓寬工程用地取得 {tag}"
    report_text = f"用地已全數取得並完成拓寬 {tag}"
    today = datetime.datetime.now(ZoneInfo("Asia/Taipei")).date()
    yesterday = today - datetime.timedelta(days=1)
    deadline = today + datetime.timedelta(days=60)

    # 1. The RDEC officer records the meeting.
    login(page, base_url, "rdec")
    page.goto(base_url + "/tracking/board/")
    expect(page.locator("main h1")).to_be_visible()
    shot(page, "tracking-board")
    check_a11y(page)
    page.goto(base_url + "/tracking/meetings/new/")
    check_a11y(page)
    page.select_option("#id_type", "mobile")
    page.fill("#id_title", title)
    page.fill("#id_held_at", f"{yesterday.isoformat()}T14:00")
    page.fill("#id_place", "大甲區公所禮堂")
    page.select_option("#id_district", label="大甲區")
    page.fill("#id_chair_name", "市長")
    page.check("#id_chair_is_mayoral")
    page.select_option("#id_agencies", label=["臺中市政府建設局", "臺中市政府觀光旅遊局"])
    page.fill("#id_representatives", "區長 陳志明\n里長 林美華 朝陽里\n議員 張文雄")
    with page.expect_navigation():
        page.click("[data-testid=meeting-form] button[type=submit]")
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.get_by_test_id("minutes-state")).not_to_be_empty()
    meeting_url = page.url

    # 2. Its resolution is put under control for 建設局.
    page.select_option("#resolution_kind", "suggestion")
    page.fill("#resolution_text", resolution_text)
    page.fill("#resolution_proposer", "朝陽里 林里長")
    page.select_option("#resolution_owner", label="臺中市政府建設局")
    page.fill("#resolution_deadline", deadline.isoformat())
    with page.expect_navigation():
        page.click("[data-testid=resolution-form] button[type=submit]")
    row = page.get_by_test_id("resolution-row").filter(has_text=resolution_text)
    expect(row).to_have_count(1)
    number = row.locator("a").first.inner_text().strip()
    assert re.fullmatch(r"\d{3}-\d{5}", number)
    shot(page, "tracking-meeting")
    check_a11y(page)

    # 3. 建設局 reports progress and proposes release.
    page.context.clear_cookies()
    login(page, base_url, "staff")
    page.goto(f"{base_url}/tracking/items/{number}/")
    expect(page.get_by_test_id("item-owner")).to_contain_text("建設局")
    page.fill("#report_text", report_text)
    page.fill("#report_percent", "100")
    page.check("#report_propose_release")
    with page.expect_navigation():
        page.click("[data-testid=report-form] button[type=submit]")
    expect(page.get_by_test_id("timeline")).to_contain_text(report_text)
    expect(page.get_by_test_id("item-status")).to_have_text(tr("Release proposed"))
    expect(page.get_by_test_id("review-form")).to_have_count(0)
    check_a11y(page)

    # 4. The RDEC reviews the report and releases the item from control.
    page.context.clear_cookies()
    login(page, base_url, "rdec")
    page.goto(f"{base_url}/tracking/items/{number}/")
    page.check("#review_decision_0")  # release from control
    page.fill("#review_comment", "辦理完竣，同意解除列管。")
    # 解除列管 cannot be undone: a dialog names the item; 取消 keeps the page as it was.
    page.click("[data-testid=review-form] button[type=submit]")
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(number)
    check_a11y(page)
    dialog.get_by_role("button", name=tr("Cancel")).click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_test_id("item-status")).to_have_text(tr("Release proposed"))
    page.click("[data-testid=review-form] button[type=submit]")
    with page.expect_navigation():
        page.locator("dialog.confirm-dialog [data-confirm-ok]").click()
    expect(page.get_by_test_id("item-status")).to_have_text(tr("Released from control"))
    expect(page.get_by_test_id("review")).to_contain_text("同意解除列管")
    shot(page, "tracking-item-released")
    check_a11y(page)
    page.goto(meeting_url)
    public_url = page.get_by_test_id("public-link").get_attribute("href")

    # 5. Anyone sees the decision and its progress on the public page — not the review comment.
    page.context.clear_cookies()
    page.goto(base_url + public_url)
    expect(page.locator("main h1")).to_have_text(title)
    decision = page.get_by_test_id("public-resolution").filter(has_text=resolution_text)
    expect(decision).to_contain_text(report_text)
    expect(decision).to_contain_text(tr("Released from control"))
    expect(page.locator("main")).not_to_contain_text("同意解除列管")
    expect(page.get_by_test_id("public-meeting")).to_contain_text("林美華")
    shot(page, "tracking-public-meeting")
    check_a11y(page)
    assert page.js_errors == []
