"""The agencies' side of the MOU register in the browser (issue 17, "each agency keeps its items"):
建設局's staff register an MOU with a mainland-area party, try to sign it (refused: the Mainland
Affairs Council's approval is missing, and the page says so), record the approved 陸委會 decision,
sign, upload the full text (a PDF made here with WeasyPrint) and publish; an anonymous visitor then
finds it on /transparency/mous/ and opens its page. axe-core on the staff pages.

No date is fixed: the days are the server's own (timezone.localdate() printed by its shell)."""

from __future__ import annotations

import datetime
import uuid

import pytest
from demo_server import DEMO_PASSWORD
from playwright.sync_api import expect
from weasyprint import HTML

SERVER_FACTS = """
from django.utils import timezone
from rdec.core.models import User
print("TODAY", timezone.localdate().isoformat())
print("AGENCY", User.objects.get(username="staff").agency_id)
"""
MAC_MISSING = (
    "A mainland-area party: the Mainland Affairs Council's approval (兩岸條例 §5-1) must be "
    "recorded as approved before signing."
)


def full_text_pdf(title: str) -> bytes:
    html = f"""<html><body style="font-family: 'Noto Sans CJK TC'"><h1>{title}</h1>
    <p>雙方同意就觀光推廣與文化交流進行合作，每年檢討一次。</p></body></html>"""
    return HTML(string=html).write_pdf()


def confirm(page) -> None:
    """Accept the confirmation dialog (data-confirm forms) and wait for the page it posts to."""
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


@pytest.fixture
def facts(server) -> dict:
    out = server.manage("shell", "-c", SERVER_FACTS)
    values = dict(line.split(" ", 1) for line in out.splitlines() if line.startswith(("TODAY", "AGENCY")))
    return {"today": datetime.date.fromisoformat(values["TODAY"].strip()), "agency": values["AGENCY"].strip()}


def test_staff_take_a_mainland_mou_through_the_mac_approval_to_publication(
    page, base_url, login, check_a11y, tr, shot, facts
):
    today = facts["today"]
    tag = uuid.uuid4().hex[:6]
    title = f"臺中市與廈門市觀光交流合作備忘錄 {tag}"
    yesterday = (today - datetime.timedelta(days=1)).isoformat()

    # 1. 建設局's staff register the MOU with a mainland-area party
    page.context.clear_cookies()
    login(page, base_url, "staff", DEMO_PASSWORD)
    page.goto(base_url + "/transparency/manage/mous/")
    check_a11y(page)
    submit(page, page.get_by_test_id("new-mou"))
    check_a11y(page)
    form = page.get_by_test_id("mou-form")
    form.locator("#id_lead_agency").select_option(facts["agency"])
    form.locator("#id_title").fill(title)
    form.locator("#id_cooperation_items").fill("觀光推廣、文化交流")
    form.locator("#id_party-1-name").fill("廈門市人民政府")
    form.locator("#id_party-1-kind").select_option("mainland")
    form.locator("#id_party-1-region").fill("福建省")
    submit(page, page.get_by_test_id("save-mou"))
    expect(page.get_by_test_id("manage-mou")).to_have_attribute("data-status", "draft")
    expect(page.get_by_test_id("missing-gates")).to_be_visible()
    check_a11y(page)
    submit(page, page.get_by_test_id("submit-mou"))
    expect(page.get_by_test_id("manage-mou")).to_have_attribute("data-status", "under_approval")

    # 2. signing without the Mainland Affairs Council's approval is refused, and the page says why
    page.get_by_test_id("sign-form").locator("#id_sign-signed_on").fill(yesterday)
    submit(page, page.get_by_test_id("sign-mou"))
    errors = page.get_by_test_id("sign-form").locator("#form-errors")
    expect(errors).to_be_visible()
    expect(errors).to_contain_text(tr(MAC_MISSING))
    expect(page.get_by_test_id("manage-mou")).to_have_attribute("data-status", "under_approval")
    check_a11y(page)

    # 3. the approved 陸委會 decision is recorded, then the MOU is signed
    approval = page.get_by_test_id("approval-form")
    approval.locator("#id_approval-body").select_option("mac")
    approval.locator("#id_approval-status").select_option("approved")
    approval.locator("#id_approval-decided_on").fill(yesterday)
    approval.locator("#id_approval-reference").fill("陸法字第1150000123號")
    submit(page, page.get_by_test_id("record-approval"))
    expect(page.get_by_test_id("mou-approvals")).to_contain_text("陸法字第1150000123號")
    expect(page.get_by_test_id("missing-gates")).to_have_count(0)
    page.get_by_test_id("sign-form").locator("#id_sign-signed_on").fill(yesterday)
    submit(page, page.get_by_test_id("sign-mou"))
    expect(page.get_by_test_id("manage-mou")).to_have_attribute("data-status", "signed")
    expect(page.get_by_test_id("mou-due")).to_be_visible()

    # 4. the full text is uploaded and the MOU published
    page.get_by_test_id("full-text-form").locator("#id_text-full_text").set_input_files(
        {"name": "mou.pdf", "mimeType": "application/pdf", "buffer": full_text_pdf(title)}
    )
    submit(page, page.get_by_test_id("upload-full-text"))
    expect(page.get_by_test_id("mou-full-text-state")).to_have_attribute("data-uploaded", "1")
    check_a11y(page)
    shot(page, "transparency-manage-mou")
    page.get_by_test_id("publish-mou").click()
    confirm(page)
    expect(page.get_by_test_id("mou-published")).to_be_visible()
    number = page.get_by_test_id("manage-mou").get_attribute("data-number")
    page.goto(base_url + "/transparency/manage/mous/")
    expect(page.locator(f"[data-testid=mou-row][data-number='{number}']")).to_be_visible()

    # 5. an anonymous visitor finds it on the public register and opens its page
    page.context.clear_cookies()
    page.goto(base_url + "/transparency/mous/")
    link = page.get_by_role("link", name=title)
    expect(link).to_be_visible()
    submit(page, link)
    expect(page.get_by_test_id("mou")).to_have_attribute("data-number", number)
    expect(page.get_by_test_id("mou")).to_contain_text("廈門市人民政府")
    expect(page.get_by_test_id("mou-full-text")).to_be_visible()


def test_staff_pages_of_the_disclosure_register_are_accessible(page, base_url, login, check_a11y, facts):
    today = facts["today"]
    tag = uuid.uuid4().hex[:6]
    title = f"臺中市自治條例彙編 {tag}"
    page.context.clear_cookies()
    login(page, base_url, "staff", DEMO_PASSWORD)
    page.goto(base_url + "/transparency/manage/disclosures/")
    check_a11y(page)
    submit(page, page.get_by_test_id("new-disclosure"))
    check_a11y(page)
    form = page.get_by_test_id("disclosure-form")
    form.locator("#id_agency").select_option(facts["agency"])
    form.locator("#id_category").select_option("1")
    form.locator("#id_title").fill(title)
    form.locator("input[name=methods][value=online]").check()
    form.locator("#id_published_on").fill(today.isoformat())
    form.locator("#id_updated_on").fill(today.isoformat())
    submit(page, page.get_by_test_id("save-disclosure"))
    # a category-1 item must be published in the gazette (Art. 8): refused on the methods
    expect(page.locator(".field-error input[name=methods]").first).to_be_attached()
    check_a11y(page)
    page.get_by_test_id("disclosure-form").locator("input[name=methods][value=gazette]").check()
    submit(page, page.get_by_test_id("save-disclosure"))
    row = page.get_by_test_id("disclosure-row").filter(has_text=title)
    expect(row).to_be_visible()
    row.get_by_test_id("delete-disclosure").click()
    confirm(page)
    expect(page.get_by_test_id("disclosure-row").filter(has_text=title)).to_have_count(0)
