"""The design system in the browser: the staff-only style guide (/styleguide/) with every component,
accessible at desk and phone widths; the styled file input; and the case page's actions — the next
step first, other actions folded, 撤回 set apart and confirmed in a dialog before anything happens."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect
from test_petitions import file_through_the_form


@pytest.fixture(scope="module")
def petition_categories(server):
    """The category tree the petition form offers (idempotent)."""
    server.manage("load_petition_categories")


COMPONENTS = [
    "sg-colours",
    "sg-type",
    "sg-spacing",
    "sg-buttons",
    "sg-fields",
    "sg-file",
    "sg-tables",
    "sg-tags",
    "sg-alerts",
    "sg-cards",
    "sg-actions",
    "sg-access",
]


@pytest.mark.parametrize("width", [1366, 390])
def test_staff_see_every_component_on_the_style_guide(page, base_url, login, check_a11y, shot, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, base_url, "staff")
    response = page.goto(base_url + "/styleguide/")
    assert response.status == 200
    for component in COMPONENTS:
        expect(page.get_by_test_id(component)).to_be_visible()
    # every colour pair is shown with its ratio, all at AA
    expect(page.get_by_test_id("sg-pair").first).to_contain_text(":1")
    assert page.get_by_test_id("sg-pair").count() >= 20
    assert page.locator("[data-testid=sg-pair] .tag-overdue").count() == 0
    # the example form shows an error on its field, highlighted and linked from the summary
    phone = page.locator("[data-testid=sg-form] input[name=phone]")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("sg-error-summary").get_by_role("link")).to_have_count(1)
    border = phone.evaluate("el => getComputedStyle(el).borderTopColor")
    assert border == "rgb(179, 38, 30)"  # --color-danger
    # nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width == 390:
        height = page.locator("[data-testid=sg-buttons] .button").first.evaluate(
            "el => el.getBoundingClientRect().height"
        )
        assert height >= 44  # touch target on phones
    shot(page, f"styleguide-{width}")
    check_a11y(page)
    assert page.js_errors == []


def test_the_style_guide_is_refused_to_citizens_and_visitors(page, base_url, login):
    assert page.goto(base_url + "/styleguide/").status == 403
    login(page, base_url, "citizen")
    assert page.goto(base_url + "/styleguide/").status == 403


def test_the_file_input_is_a_button_with_the_chosen_file_name(page, base_url, login, tmp_path):
    login(page, base_url, "staff")
    page.goto(base_url + "/styleguide/")
    box = page.locator("[data-testid=sg-file] .file-input")
    expect(box.locator(".file-input-button")).to_have_text(re.compile(r"選擇檔案|Choose"))
    name = box.locator(".file-input-name")
    expect(name).to_have_text(re.compile(r"尚未選擇檔案|No file"))
    # keyboard: the native input keeps the focus (and its label), the box shows the focus ring
    file_input = box.locator("input[type=file]")
    expect(file_input).to_have_accessible_name(re.compile("附件|Attachments"))
    upload = tmp_path / "坑洞照片.png"
    upload.write_bytes(b"\x89PNG\r\n\x1a\n")
    file_input.set_input_files(str(upload))
    expect(name).to_have_text("坑洞照片.png")
    file_input.focus()
    outline = box.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"


def test_the_case_page_puts_the_next_step_first_and_confirms_a_withdrawal(
    page,
    base_url,
    petition_categories,
    login,
    check_a11y,
    shot,
):
    subject = f"設計系統撤回測試 {uuid.uuid4().hex[:6]}"
    number, _code, _link = file_through_the_form(page, base_url, subject)
    page.context.clear_cookies()
    login(page, base_url, "staff")
    page.goto(f"{base_url}/petitions/cases/{number}/")

    actions = page.get_by_test_id("case-actions")
    # order on the page: the next step, then the other actions, then the destructive one
    order = actions.evaluate(
        """el => [...el.querySelectorAll('[data-testid=action-main], [data-testid=action-more], [data-testid=danger-zone]')]
                 .map(n => n.dataset.testid)"""
    )
    assert order == ["action-main", "action-more", "danger-zone"]
    main_forms = actions.get_by_test_id("action-main").locator("form")
    assert main_forms.first.get_attribute("data-action") in ("start", "acknowledge", "reply")
    # the primary card's button is the primary style, the other actions are folded
    expect(page.locator("#transfer-form")).to_be_hidden()
    page.locator("#transfer-details summary").click()
    expect(page.locator("#transfer-form")).to_be_visible()
    withdraw = page.locator("#withdraw-form button[type=submit]")
    expect(withdraw).to_have_class(re.compile(r"\bbutton-warning\b"))
    check_a11y(page)

    # 撤回: a dialog asks first; 取消 leaves the case as it was
    page.fill("#withdraw_reason", "市民來電表示已自行處理")
    withdraw.click()
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(number)
    shot(page, "case-withdraw-confirm")
    check_a11y(page)
    dialog.get_by_role("button", name=re.compile("取消|Cancel")).click()
    expect(dialog).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("case-status")).not_to_contain_text(re.compile("撤回|Withdrawn"))

    # confirmed: the case is withdrawn
    page.fill("#withdraw_reason", "市民來電表示已自行處理")
    page.locator("#withdraw-form button[type=submit]").click()
    with page.expect_navigation():
        page.locator("dialog.confirm-dialog [data-confirm-ok]").click()
    expect(page.locator(".messages .alert")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_contain_text(re.compile("撤回|Withdrawn"))
    assert page.js_errors == []


def test_the_petition_form_fits_a_360_px_phone_with_44_px_controls(
    page, base_url, petition_categories, check_a11y
):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(base_url + "/petitions/file/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    widest = page.evaluate(
        "Math.max(...[...document.querySelectorAll('main fieldset')].map(f => f.getBoundingClientRect().right))"
    )
    assert widest <= 360
    submit = page.locator("#case-form button[type=submit]")
    assert submit.evaluate("el => el.getBoundingClientRect().height") >= 44
    # the attachments field is the design system's file input, not the browser's bare button
    expect(page.locator("#case-form .file-input .file-input-button")).to_be_visible()
    check_a11y(page)
