"""Date fields in zh-Hant come up filled and submit ISO: the platform's one date widget
(rdec.core.forms.DateInput). Django's zh-Hant DATE_INPUT_FORMATS start with 2026/11/01, which an
<input type=date> rejects, so before the widget these fields were blank. Fixed dates only."""

import re

from playwright.sync_api import expect


def test_the_audit_filter_keeps_its_dates_and_submits_them(page, base_url, login, check_a11y):
    login(page, base_url, "rdec")
    page.goto(base_url + "/audit/?since=2026-11-01&until=2026-11-30")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    since, until = page.locator("#id_since"), page.locator("#id_until")
    expect(since).to_have_attribute("type", "date")
    expect(since).to_have_value("2026-11-01")
    expect(until).to_have_value("2026-11-30")
    since.fill("2026-10-01")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"since=2026-10-01"))
    expect(page.locator("#id_since")).to_have_value("2026-10-01")
    expect(page.locator("#id_until")).to_have_value("2026-11-30")
    check_a11y(page)


def test_a_date_typed_the_roc_way_in_the_address_comes_back_in_iso(page, base_url, login):
    """A link or a bookmark written 115/11/01 (as offices write dates) fills the field too."""
    login(page, base_url, "rdec")
    page.goto(base_url + "/audit/?since=115/11/01&until=2026/11/30")
    expect(page.locator("#id_since")).to_have_value("2026-11-01")
    expect(page.locator("#id_until")).to_have_value("2026-11-30")


def test_the_report_form_comes_up_with_its_day_filled(page, base_url, login):
    login(page, base_url, "rdec")
    page.goto(base_url + "/analytics/reports/")
    day = page.locator("#id_day")
    expect(day).to_have_attribute("type", "date")
    # The first day of last month, whatever today is: filled, in ISO.
    expect(day).to_have_value(re.compile(r"^\d{4}-\d{2}-01$"))
