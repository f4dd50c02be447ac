"""資訊安全 in the browser (issue 21, item 2): 建設局's staff imports an inventory file and sees its
findings with their remediation deadlines (Apache HTTP Server 2.4.49: CVE-2021-41773, on CISA's KEV
list, due 2021-11-17 — 110年11月17日), and only its own agency's; then the RDEC officer sees the
findings of every agency (the demo's district-office PCs on Windows 7 among them). axe-core on the pages."""

from __future__ import annotations

import uuid

from demo_server import DEMO_PASSWORD
from playwright.sync_api import expect


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_an_agency_imports_its_inventory_and_the_rdec_sees_every_agency(
    page, base_url, login, check_a11y, shot, tmp_path
):
    name = f"建設局公文伺服器 {uuid.uuid4().hex[:6]}"
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(
        "機關,名稱,類型,主機名稱,作業系統,負責人,CPE\n"
        f"construction,{name},主機,doc01,Ubuntu 20.04,資訊股,cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*\n"
        f"construction,{name},主機,doc01,Ubuntu 20.04,資訊股,cpe:2.3:a:php:php:7.3.5:*:*:*:*:*:*:*\n",
        encoding="utf-8",
    )

    page.context.clear_cookies()
    login(page, base_url, "staff", DEMO_PASSWORD)
    page.goto(base_url + "/security/assets/")
    check_a11y(page)
    form = page.get_by_test_id("inventory-import-form")
    form.locator("input[type=file]").set_input_files(str(inventory))
    submit(page, form.locator("button[type=submit]"))

    # the finding list of the agency: the new server's findings with their deadlines
    assert page.url.endswith("/security/findings/")
    rows = page.get_by_test_id("finding-row").filter(has_text=name)
    kev = rows.filter(has_text="CVE-2021-41773")
    expect(kev).to_have_count(1)
    expect(kev.get_by_test_id("deadline")).to_contain_text("110年11月17日")
    expect(kev.get_by_test_id("deadline")).to_contain_text("逾期")
    expect(rows.filter(has_text="CVE-2019-11043")).to_have_count(1)
    # only 建設局's findings: no other agency's asset
    expect(page.get_by_test_id("finding-row").filter(has_text="區公所")).to_have_count(0)
    shot(page, "security-agency-findings")
    check_a11y(page)

    # the RDEC officer: every agency's findings, the district offices' old PCs among them
    page.context.clear_cookies()
    login(page, base_url, "rdec", DEMO_PASSWORD)
    page.goto(base_url + "/security/findings/")
    all_rows = page.get_by_test_id("finding-row")
    expect(all_rows.filter(has_text=name).filter(has_text="CVE-2021-41773")).to_have_count(1)
    expect(all_rows.filter(has_text="和平區公所").filter(has_text="CVE-2019-0708").first).to_be_visible()
    expect(all_rows.filter(has_text="環保局").first).to_be_visible()
    # narrowed to one district office
    page.locator("#f-agency").select_option(label="和平區公所")
    submit(page, page.get_by_test_id("finding-filters").locator("button[type=submit]"))
    expect(all_rows.filter(has_text="建設局")).to_have_count(0)
    expect(all_rows.filter(has_text="CVE-2019-0708")).to_have_count(1)
    shot(page, "security-rdec-findings")
    check_a11y(page)
