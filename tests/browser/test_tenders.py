"""Tenders in the browser: 建設局's staff download the monthly workbook template, fill in last
month's progress of a new large works tender that is seriously behind (planned 60 %, actual 40 %:
20 points ≥ the 10 points of 巨額工程) and upload it; the tender page draws its S-curve; the
monthly control report shows the tender among the seriously lagging ones, and the RDEC sees it too.
A second upload with a bad cell is refused with its row and column."""

from __future__ import annotations

import datetime
import io
import uuid
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from playwright.sync_api import expect


def _last_month() -> str:
    today = datetime.datetime.now(ZoneInfo("Asia/Taipei")).date()
    return (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")


def test_an_agency_uploads_its_workbook_and_the_control_report_shows_the_lagging_tender(
    page, base_url, login, check_a11y, shot, tmp_path
):
    tag = uuid.uuid4().hex[:6]
    number = f"BR-{tag}"
    name = f"瀏覽器測試大里區道路改善工程 {tag}"
    month = _last_month()

    login(page, base_url, "staff")
    page.goto(base_url + "/tenders/upload/")
    expect(page.locator("main h1")).to_be_visible()
    check_a11y(page)
    with page.expect_download() as download:
        page.get_by_test_id("template-link").click()
    wb = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["tender_no", "agency", "name"]
    ws.delete_rows(2, ws.max_row)
    ws.append([number, "建設局", name, "工程", 250_000_000, month, 60, 40, "用地取得延宕"])
    out = io.BytesIO()
    wb.save(out)
    path = tmp_path / "progress.xlsx"
    path.write_bytes(out.getvalue())

    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.get_by_test_id("upload-result")).to_be_visible()
    shot(page, "tenders-upload")

    page.goto(f"{base_url}/tenders/?q={tag}")
    expect(page.get_by_test_id("tender-row")).to_have_count(1)
    check_a11y(page)

    page.goto(f"{base_url}/tenders/new/")
    expect(page.get_by_test_id("tender-form")).to_be_visible()
    check_a11y(page)

    page.goto(f"{base_url}/tenders/{number}/")
    expect(page.get_by_test_id("s-curve")).to_be_visible()
    expect(page.get_by_test_id("progress-row")).to_have_count(1)
    check_a11y(page)
    # The month's progress is the first action; change orders and extensions wait folded below it.
    actions = page.get_by_test_id("tender-actions")
    expect(actions.locator(".action-main [data-testid=progress-form]")).to_be_visible()
    expect(actions.get_by_test_id("change-order-form")).to_be_hidden()
    assert actions.evaluate(
        "s => s.querySelector('.action-main').compareDocumentPosition(s.querySelector('.action-more')) & 4"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    check_a11y(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base_url}/tenders/control-report/?month={month}")
    serious = page.get_by_test_id("serious-table")
    expect(serious.get_by_test_id("lag-row").filter(has_text=name)).to_have_count(1)
    expect(page.get_by_test_id("agency-row")).to_have_count(1)  # 建設局 only
    shot(page, "tenders-control-report")
    check_a11y(page)

    # A bad cell: nothing imported, the row and column named.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "tender_no,agency,name,type,contract_amount,month,planned_pct,actual_pct,reason\n"
        f"{number}-2,建設局,x,工程,,{month},abc,10,\n",
        encoding="utf-8",
    )
    page.goto(base_url + "/tenders/upload/")
    page.set_input_files("#id_file", str(bad))
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.get_by_test_id("upload-errors")).to_contain_text("planned_pct")

    page.goto(base_url + "/tenders/rules/")
    expect(page.get_by_test_id("rule-version").first).to_be_visible()
    check_a11y(page)

    # The RDEC sees the tender in the city-wide report.
    page.context.clear_cookies()
    login(page, base_url, "rdec")
    page.goto(f"{base_url}/tenders/control-report/?month={month}")
    expect(
        page.get_by_test_id("serious-table").get_by_test_id("lag-row").filter(has_text=name)
    ).to_have_count(1)
    assert page.get_by_test_id("agency-row").count() > 1
