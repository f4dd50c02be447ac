"""Logging in and out, the lockout after repeated failures, and the language switch."""

import re

import pytest
from playwright.sync_api import expect

ROLE_USERS = ["admin", "rdec", "agent", "staff", "supervisor", "staff-env", "citizen"]
OVERSIGHT = {"admin", "rdec"}
# The zh-Hant role names of docs/i18n/glossary-zh-hant.md.
ROLE_ZH = {
    "admin": "系統管理員",
    "rdec_officer": "研考人員",
    "call_agent": "1999話務人員",
    "agency_staff": "機關承辦人",
    "supervisor": "機關主管",
    "citizen": "市民",
}
# The core's navigation entries, in the 系統 menu (modules add their own menus before it).
NAV_ZH = ["機關", "行政區", "行政機關辦公日曆"]
NAV_EN = ["Agencies", "Districts", "Office calendar"]
API_USERS = {"admin", "rdec", "staff", "supervisor", "staff-env"}


def nav_labels(page) -> list[str]:
    """Every link of the navigation, those inside closed menus too."""
    return [text.strip() for text in page.locator("nav.primary-nav a").all_text_contents()]


def assert_nav_has(page, expected: list[str]) -> None:
    """The labels in `expected` are all in the navigation, in this order."""
    labels = nav_labels(page)
    positions = [labels.index(label) if label in labels else -1 for label in expected]
    assert -1 not in positions and positions == sorted(positions), (expected, labels)


@pytest.mark.parametrize("username", ROLE_USERS)
def test_login_as_each_role_shows_name_and_role(
    page, base_url, login, check_a11y, shot, demo_users, role_label, username
):
    display_name, role, agency = demo_users[username]
    login(page, base_url, username)

    assert page.url.rstrip("/") == base_url, "a successful log-in lands on the home page"
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    label = ROLE_ZH[role]
    assert role_label(role) == label, "the compiled zh-Hant catalogue names the role as the glossary does"
    header = page.get_by_test_id("user-name")
    expect(header).to_contain_text(display_name)
    expect(header).to_contain_text(label)
    if agency:
        expect(header).to_contain_text(agency)
    expect(page.locator("main h1")).to_contain_text(display_name)
    expect(page.get_by_test_id("role")).to_have_text(label)
    expect(page.get_by_test_id("today")).to_have_text(re.compile(r"^\d{3}年\d{1,2}月\d{1,2}日$"))
    assert_nav_has(page, NAV_ZH)
    assert ("稽核軌跡" in nav_labels(page)) == (username in OVERSIGHT)
    assert ("API" in nav_labels(page)) == (username in API_USERS)
    # The audit trail is offered to the oversight roles only.
    expect(page.locator("nav.primary-nav a[href='/audit/']")).to_have_count(1 if username in OVERSIGHT else 0)

    shot(page, f"home-{username}")
    check_a11y(page)


def test_home_anonymous(page, base_url, check_a11y, shot):
    page.goto(base_url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    expect(page.get_by_test_id("user-name")).to_have_count(0)
    expect(page.locator("main a[href='/accounts/login/']")).to_have_text("登入")
    shot(page, "home-anonymous")
    check_a11y(page)


def test_wrong_password_shows_error_and_stays_on_login(page, base_url, login, check_a11y, shot):
    login(page, base_url, "citizen", "not-the-password")

    assert page.url == f"{base_url}/accounts/login/"
    expect(page.locator("main .error[role=alert]")).to_be_visible()
    expect(page.locator("#id_username")).to_have_value("citizen")
    expect(page.locator("#id_password")).to_have_value("")
    expect(page.get_by_test_id("user-name")).to_have_count(0)
    shot(page, "login-wrong-password")
    check_a11y(page)

    # The failure is not held against the next, correct, attempt.
    login(page, base_url, "citizen")
    expect(page.get_by_test_id("user-name")).to_contain_text("黃小明")


def test_five_failures_lock_the_account(page, base_url, login, lockout_user, check_a11y, shot):
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if r.request.method == "POST" else None)
    for _attempt in range(4):
        login(page, base_url, lockout_user, "wrong-password-123")
        expect(page.locator("main .error[role=alert]")).to_be_visible()
    login(page, base_url, lockout_user, "wrong-password-123")
    assert statuses[-1] == 429, statuses
    expect(page.locator("main h1")).to_have_text("帳號已鎖定")
    expect(page.locator("#id_password")).to_have_count(0)
    shot(page, "login-locked-out")
    check_a11y(page)

    # The right password does not get in while the account is locked.
    login(page, base_url, lockout_user)
    assert statuses[-1] == 429, statuses
    expect(page.locator("main h1")).to_have_text("帳號已鎖定")
    page.goto(base_url + "/")
    expect(page.get_by_test_id("user-name")).to_have_count(0)


def test_language_switch(page, base_url, login, check_a11y, shot):
    login(page, base_url, "staff")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")

    # One step: the header's one button switches to the other language.
    switch = page.get_by_test_id("language-switch")
    expect(switch).to_have_count(1)
    expect(switch).to_have_text("English")
    with page.expect_navigation():
        switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{base_url}/en/"
    assert_nav_has(page, NAV_EN)
    expect(page.get_by_test_id("role")).to_have_text("Agency staff")
    expect(page.get_by_test_id("today")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(switch).to_have_text("繁體中文")
    expect(switch).to_have_attribute("lang", "zh-Hant")
    shot(page, "home-english")
    check_a11y(page)

    # The choice sticks while browsing.
    page.locator("[data-nav-group=system] summary").click()
    page.click("nav.primary-nav a[href='/en/agencies/']")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant")
    assert page.url == f"{base_url}/agencies/"
    assert_nav_has(page, NAV_ZH)
    expect(switch).to_have_text("English")


def test_logout(page, base_url, login):
    login(page, base_url, "supervisor")
    expect(page.get_by_test_id("user-name")).to_contain_text("張文華")
    with page.expect_navigation():
        page.click("form[action='/accounts/logout/'] button")
    assert page.url.rstrip("/") == base_url
    expect(page.get_by_test_id("user-name")).to_have_count(0)
    expect(page.locator("header a[href='/accounts/login/']")).to_have_text("登入")
    # The session is gone: a page for logged-in users sends us to log in again.
    page.goto(base_url + "/audit/")
    assert page.url.startswith(f"{base_url}/accounts/login/")
