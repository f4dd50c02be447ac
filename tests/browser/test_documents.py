"""Document timeliness in the browser: the RDEC uploads an export of the document system in which
和平區公所 closed twenty 最速件 documents of last month late; the upload reports the rows imported,
the monthly KPI table ranks the district offices and flags 和平區公所 for an improvement report,
and its drill-down lists the late documents. A file with a bad cell is refused by row and column."""

from __future__ import annotations

import datetime
import uuid
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

HEADER = "doc_no,agency,doc_class,speed,received_on,due_on,closed_on\n"


def _last_month() -> datetime.date:
    today = datetime.datetime.now(ZoneInfo("Asia/Taipei")).date()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _roc(day: datetime.date) -> str:
    return f"{day.year - 1911}/{day.month:02d}/{day.day:02d}"


def test_the_rdec_uploads_an_export_and_the_kpi_table_flags_the_agency(
    page, base_url, login, check_a11y, shot
):
    tag = uuid.uuid4().hex[:6]
    month = _last_month()
    received, closed = month.replace(day=2), month.replace(day=16)  # 14 days: ≥ 2 working days
    rows = "".join(
        f"BR{tag}{n:02d},和平區公所,一般公文,最速件,{_roc(received)},,{_roc(closed)}\n" for n in range(20)
    )

    login(page, base_url, "rdec")
    page.goto(base_url + "/documents/upload/")
    check_a11y(page)
    page.set_input_files(
        "input[name=file]",
        files=[
            {
                "name": "bad.csv",
                "mimeType": "text/csv",
                "buffer": (HEADER + f"X{tag},和平區公所,一般公文,快件,{_roc(received)},,\n").encode(),
            }
        ],
    )
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.get_by_test_id("upload-errors")).to_contain_text("speed")

    page.set_input_files(
        "input[name=file]",
        files=[{"name": "export.csv", "mimeType": "text/csv", "buffer": (HEADER + rows).encode()}],
    )
    with page.expect_navigation():
        page.click("[data-testid=upload-form] button[type=submit]")
    expect(page.get_by_test_id("upload-result")).to_contain_text("20")

    page.goto(f"{base_url}/documents/?month={month:%Y-%m}")
    row = page.locator("tr[data-agency=district-office-66000290]")
    expect(row).to_have_class("flagged")
    expect(row.get_by_test_id("flag")).to_be_visible()
    check_a11y(page)
    shot(page, "documents-kpis")

    with page.expect_navigation():
        row.locator("a").first.click()
    expect(page.get_by_test_id("late-table")).to_contain_text(f"BR{tag}00")
    check_a11y(page)
