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


def test_the_rdec_builds_a_quarterly_report_and_downloads_its_files(page, base_url, login, check_a11y, shot):
    """質量分析報告: ask for last quarter's city report, wait for the job's progress to finish,
    see the summary and the charts, switch the breakdown (htmx), download the three files."""
    import datetime
    import io
    from zoneinfo import ZoneInfo

    from openpyxl import load_workbook

    login(page, base_url, "rdec")
    page.goto(base_url + "/analytics/reports/")
    check_a11y(page)
    day = datetime.datetime.now(ZoneInfo("Asia/Taipei")).date().replace(day=1) - datetime.timedelta(days=1)
    page.select_option("#id_period", "quarter")
    page.fill("#id_day", day.isoformat())
    page.get_by_test_id("report-form").locator("button[type=submit]").click(
        no_wait_after=True
    )  # building takes a while
    expect(page.get_by_test_id("report-summary")).to_be_visible(timeout=90_000)
    expect(page.locator("svg.chart").first).to_be_visible()
    assert page.locator("svg.chart").count() >= 3
    page.get_by_test_id("dim-channel").click()
    expect(page.locator('[data-chart="chart-channel"]')).to_be_visible()
    expect(page.get_by_test_id("dim-channel")).to_have_attribute("aria-pressed", "true")
    shot(page, "analytics-report")
    check_a11y(page)
    files = {}
    for fmt in ("pdf", "xlsx", "ods"):
        with page.expect_download() as download:
            page.get_by_test_id(f"download-{fmt}").click()
        files[fmt] = download.value.path().read_bytes()
    assert files["pdf"].startswith(b"%PDF-")
    assert files["ods"].startswith(b"PK")
    wb = load_workbook(io.BytesIO(files["xlsx"]))
    total = wb.worksheets[1].cell(2, 4).value
    assert total == int(page.get_by_test_id("key-figures").locator("td").first.inner_text())
    assert page.js_errors == []
