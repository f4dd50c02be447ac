"""In the browser: the personal-data notice (個資告知) stands before the petition form's submit button
and fits a phone; the full notice is public and accessible; the hotspot map opens on a week with
the demo's emerging issue (塗城路's street lights, 大里區) instead of an empty week."""

from __future__ import annotations

from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}


def test_the_petition_form_shows_the_notice_before_sending_on_a_phone(page, base_url, check_a11y, shot):
    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}/petitions/file/")
    notice = page.get_by_test_id("privacy-notice")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("一六七 陳情、請願、檢舉案件處理")
    expect(notice).to_contain_text("請求刪除")
    below = page.evaluate(
        """() => {
            const n = document.querySelector('[data-testid=privacy-notice]').getBoundingClientRect();
            const b = document.querySelector('#case-form button[type=submit]').getBoundingClientRect();
            return n.bottom <= b.top;
        }"""
    )
    assert below, "the notice comes before the submit button"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide"
    shot(page, "petition-form-privacy-notice-390")
    check_a11y(page)
    notice.get_by_role("link").click()
    expect(page).to_have_url(f"{base_url}/privacy/#petition")
    expect(page.locator("h1")).to_have_text("個人資料蒐集告知")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    check_a11y(page)


def test_the_hotspot_map_opens_on_the_demos_emerging_issue(page, base_url, login, check_a11y, shot):
    login(page, base_url, "rdec")
    page.goto(f"{base_url}/analytics/hotspots/")
    # The map opens on a week with hotspots, never on an empty one (which week depends on the day the
    # demo was built and the time: on a Monday this week may already have another hotspot).
    expect(page.get_by_test_id("no-hotspots")).to_have_count(0)
    week = page.get_by_test_id("hotspot-week")
    expect(week.get_by_test_id("hotspots").locator("tbody td.num").first).to_be_attached()
    # The demo's emerging issue (rising over the last two weeks) is found in one of the latest weeks.
    weeks = page.get_attribute("#week-slider", "data-weeks").split(",")
    found = []
    for monday in reversed(weeks[-3:]):
        page.goto(f"{base_url}/analytics/hotspots/?week={monday}")
        text = page.get_by_test_id("hotspots").inner_text()
        if "大里區" in text and "路燈" in text:
            found.append(monday)
            break
    assert found, f"the emerging issue (大里區, 路燈不亮) is a hotspot in none of the weeks {weeks[-3:]}"
    shot(page, "hotspot-map-emerging-issue")
    check_a11y(page, exclude=["#map"])
