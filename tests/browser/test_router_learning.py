"""The case router learns from the work (issue 15, Done when): a transfer made on the case page is a
label in the next training run's data, dated today, for the agency the case went to."""

from __future__ import annotations

import datetime
import uuid

import pytest
from playwright.sync_api import expect
from test_petitions import file_through_the_form


@pytest.fixture(scope="module")
def petition_categories(server):
    server.manage("load_petition_categories")


def test_a_transfer_on_the_case_page_is_in_the_next_training_runs_data(
    page, base_url, server, petition_categories, login, check_a11y
):
    subject = f"瀏覽器測試移文 {uuid.uuid4().hex[:6]}"
    number, _code, _link = file_through_the_form(page, base_url, subject)
    page.context.clear_cookies()
    login(page, base_url, "staff")  # 建設局
    page.goto(f"{base_url}/petitions/cases/{number}/")
    page.locator("#transfer-details summary").click()
    page.select_option("#transfer_agency", label="臺中市政府環境保護局")
    page.fill("#transfer_reason", "路面的廢棄物屬環保局清除")
    check_a11y(page)
    page.click("#transfer-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("臺中市政府環境保護局")

    printed = server.manage("retrain_router", "--dry-run", "--show", "200")
    lines = [line for line in printed.splitlines() if line.startswith(number + "\t")]
    assert len(lines) == 1, printed
    case, source, when, agency, _category, _weight, text = lines[0].split("\t")
    assert (source, agency) == ("transfer", "environment")
    # the demo server keeps Taipei time (UTC+8), as the label's date is shown
    today = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=8)
    assert when.startswith(f"{today:%Y-%m-%d}")
    assert "黃測試" not in printed and "0912-000-111" not in printed  # the petitioner is not in the data
    assert page.js_errors == []
