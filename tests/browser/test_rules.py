"""The RDEC's list of every module's dated, cited rule sets (/rules/)."""

from playwright.sync_api import expect


def test_the_rdec_officer_reaches_every_rule_set_from_the_navigation(page, base_url, login, check_a11y):
    login(page, base_url, "rdec")
    page.locator("[data-nav-group=system] summary").click()  # the 系統 menu
    with page.expect_navigation():
        page.click("nav.primary-nav a[href='/rules/']")
    expect(page.locator("h1")).to_have_text("規則設定")
    # tenders (control and inspection rules), documents, open data, analytics, petitions, strategy
    assert page.get_by_test_id("rule-set").count() >= 7
    shipped = page.locator("[id='tenders.ruleversion'] [data-testid=rule-version-row]")
    expect(shipped.first).to_contain_text("政府採購法施行細則第111條")
    expect(shipped.first).to_contain_text("未經研考會確認")
    check_a11y(page)


def test_agency_staff_have_no_rule_set_entry_and_are_refused(page, base_url, login):
    login(page, base_url, "staff")
    expect(page.locator("nav.primary-nav a[href='/rules/']")).to_have_count(0)
    response = page.goto(base_url + "/rules/")
    assert response.status == 403
