"""The strategy cycle in the browser: the RDEC opens this quarter's reporting window, staff of two
agencies (建設局, 環保局) fill in their targets, the RDEC closes the window, and the strategy page
shows the lights. The demo seeds closed windows up to last quarter, so this quarter's is free.

Expected lights (hand-computed; Q4 compares with the annual target, thresholds 100 % / 80 %):
- 3-2-1 道路刨鋪面積 (cumulative, annual 120): 130 → 108.3 % green (counted 100)
- 3-2-1 坑洞通報平均修復時數 (lower is better, annual 24): 30 → 24/30 = 80.0 % yellow
  → plan 3-2-1 = mean(100, 80) = 90.0 % yellow
- 5-1-2 PM2.5 (lower is better, level, annual 15): 15 → 100 % green;
  汰換老舊機車 (cumulative, annual 8,000): 4,000 → 50.0 % red → plan 5-1-2 = 75.0 % red
"""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import expect


def _quarter(today: datetime.date) -> tuple[int, int]:
    return today.year, (today.month - 1) // 3 + 1


def _report(page, key: str, value: str, narrative: str) -> None:
    block = page.locator(f"[data-testid=report-target][data-key='{key}']")
    block.locator("input[name$='-value']").fill(value)
    block.locator("textarea[name$='-narrative']").fill(narrative)
    with page.expect_navigation():
        block.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()


def test_a_quarter_is_opened_reported_by_two_agencies_closed_and_lit(page, base_url, login, check_a11y, shot):
    today = datetime.date.today()  # noqa: DTZ011 - the server's local date is what its pages use
    year, quarter = _quarter(today)
    period = f"{year}-Q{quarter}"
    shown = f"{year - 1911} 年第 {quarter} 季"  # the quarter as people read it (ROC)

    login(page, base_url, "rdec")
    page.goto(base_url + "/strategy/windows/")
    check_a11y(page)
    page.fill("#id_year", str(year))
    page.select_option("#id_quarter", str(quarter))
    page.fill("#id_opens_on", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_closes_on", (today + datetime.timedelta(days=14)).isoformat())
    with page.expect_navigation():
        page.click("[data-testid=open-window] button[type=submit]")
    row = page.locator(f"[data-testid=window-row][data-period='{period}']")
    expect(row).to_have_count(1)
    shot(page, "strategy-windows")

    page.context.clear_cookies()
    login(page, base_url, "staff")
    page.goto(base_url + "/strategy/report/")
    expect(page.get_by_test_id("window-info")).to_contain_text(shown)
    check_a11y(page)
    _report(page, "road-repaving", "130", "本季完成刨鋪，累計 130 萬平方公尺。")
    _report(page, "pothole-hours", "30", "雨季通報量增加，平均修復時數上升。")
    shot(page, "strategy-report-construction")

    page.context.clear_cookies()
    login(page, base_url, "staff-env")
    page.goto(base_url + "/strategy/report/")
    expect(page.locator("[data-testid=report-target][data-key='road-repaving']")).to_have_count(0)
    _report(page, "pm25", "15", "年平均濃度 15 μg/m³。")
    _report(page, "electric-scooters", "4000", "補助申請不如預期，已加強宣導。")

    page.context.clear_cookies()
    login(page, base_url, "rdec")
    page.goto(base_url + "/strategy/windows/")
    # 截止 cannot be undone: the dialog asks first, naming the period.
    page.locator(f"[data-testid=window-row][data-period='{period}'] [data-testid=close-window]").click()
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    check_a11y(page)
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    expect(page.locator(f"[data-testid=window-row][data-period='{period}']")).to_contain_text(
        re.compile("已截止|Closed")
    )

    page.goto(f"{base_url}/strategy/?year={year}&quarter={quarter}")
    road = page.locator("[data-testid=plan-row][data-code='3-2-1']")
    expect(road.locator("td").last.locator("[data-light]")).to_have_attribute("data-light", "yellow")
    expect(road.locator("td").last).to_contain_text("90.0%")
    air = page.locator("[data-testid=plan-row][data-code='5-1-2']")
    expect(air.locator("td").last.locator("[data-light]")).to_have_attribute("data-light", "red")
    expect(air.locator("td").last).to_contain_text("75.0%")
    expect(road.locator("[data-light=green]")).to_contain_text("100.0%")  # 108.3 %, shown capped
    shot(page, "strategy-tree")
    check_a11y(page)

    page.goto(f"{base_url}/strategy/plans/3-2-1/?year={year}&quarter={quarter}")
    expect(page.get_by_test_id("plan-light").locator("[data-light]")).to_have_attribute(
        "data-light", "yellow"
    )
    check_a11y(page)
    page.goto(f"{base_url}/strategy/changes/")
    expect(page.get_by_test_id("change-row").first).to_be_visible()
    check_a11y(page)

    page.goto(f"{base_url}/strategy/summary/?year={year}&quarter={quarter}")
    expect(page.get_by_test_id("summary-agencies")).to_contain_text("臺中市政府建設局")
    check_a11y(page)

    page.context.clear_cookies()
    login(page, base_url, "staff")
    page.goto(base_url + "/strategy/report/")
    expect(page.locator("[data-testid=report-target][data-key='road-repaving'] form")).to_have_count(0)
    assert page.js_errors == []


def test_subsidy_projects_monthly_report_and_public_page(page, base_url, login, check_a11y, shot):
    """建設局 reports a month of a demo subsidy project; the RDEC's list and the public page pass axe."""
    today = datetime.date.today()  # noqa: DTZ011 - the server's local date is what its pages use
    login(page, base_url, "staff")
    page.goto(base_url + "/strategy/subsidies/")
    check_a11y(page)
    page.get_by_test_id("subsidy-row").filter(has_text="塗城路").get_by_role("link").click()
    expect(page.get_by_test_id("subsidy-months")).to_be_visible()
    check_a11y(page)
    month = max(1, today.month - 1)
    form = page.get_by_test_id("month-report")
    form.locator("select[name=month]").select_option(str(month))
    form.locator("input[name=actual_progress]").fill("100")
    form.locator("input[name=actual_spend]").fill("1000")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    shot(page, "strategy-subsidy-project")

    page.context.clear_cookies()
    page.goto(f"{base_url}/strategy/subsidies/public/{today.year}/")
    expect(page.locator("main h1")).to_contain_text(str(today.year))
    check_a11y(page)
    assert page.js_errors == []
