"""打造透明臺中 in the browser (issue 17, "Done when"): an agency's staff register a contract with its
signed PDF holding a person's ID number and mobile phone, accept the proposed redactions and publish;
an anonymous visitor finds the contract by a word inside its text, opens it and downloads the public
copy, from which neither string can be extracted. axe-core on the registers' pages; the lists fit a
390 px phone."""

from __future__ import annotations

import io
import uuid

import pypdf
from demo_server import DEMO_PASSWORD
from playwright.sync_api import expect
from weasyprint import HTML

ID_NUMBER = "A123456789"
MOBILE = "0912-345-678"
NO_OVERFLOW_JS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def contract_pdf(word: str) -> bytes:
    html = f"""<html><body style="font-family: 'Noto Sans CJK TC'">
    <h1>臺中市政府勞務採購契約</h1>
    <p>立契約人：大成營造股份有限公司（統一編號 12345678）</p>
    <p>連絡人：陳小明，身分證字號 {ID_NUMBER}，手機 {MOBILE}。</p>
    <p style="page-break-after: always">第一條 契約標的：步道之維護與巡查。</p>
    <p>第二條 履約標的：{word}之維護與巡查，每月一次。</p></body></html>"""
    return HTML(string=html).write_pdf()


def at_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(NO_OVERFLOW_JS), f"{page.url} is wider than a 390 px phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_agency_publishes_a_redacted_contract_that_a_visitor_finds_by_its_text(
    page, base_url, login, check_a11y
):
    tag = uuid.uuid4().hex[:6]
    word = f"透水鋪面{tag}"
    title = f"綠川水岸步道維護契約 {tag}"

    # 1. 建設局's staff register the contract with its signed PDF
    page.context.clear_cookies()
    login(page, base_url, "staff", DEMO_PASSWORD)
    page.goto(base_url + "/transparency/manage/")
    with page.expect_navigation():
        page.get_by_test_id("new-contract").click()
    check_a11y(page)
    form = page.get_by_test_id("contract-form")
    form.locator("#id_title").fill(title)
    form.locator("#id_supplier_name").fill("大成營造股份有限公司")
    form.locator("#id_supplier_tax_id").fill("12345678")
    form.locator("#id_award_amount").fill("4788000")
    form.locator("#id_signed_on").fill("2026-11-20")
    form.locator("#id_document").set_input_files(
        {"name": "contract.pdf", "mimeType": "application/pdf", "buffer": contract_pdf(word)}
    )
    with page.expect_navigation():
        page.get_by_test_id("register-contract").click()

    # 2. the proposed redactions: the ID number and the mobile, ticked; the company's 統一編號 is not one
    review = page.get_by_test_id("review-form")
    expect(review).to_be_visible()
    proposals = review.get_by_test_id("redaction")
    expect(proposals).not_to_have_count(0)
    labels = " ".join(review.locator("fieldset label").all_inner_texts())
    assert ID_NUMBER in labels and "0912" in labels and "12345678" not in labels.replace(ID_NUMBER, "")
    for box in proposals.all():
        expect(box).to_be_checked()
    check_a11y(page)
    with page.expect_navigation():
        page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("contract-title")).to_have_text(title)

    # 3. an anonymous visitor finds it by a word inside its text and downloads the public copy
    page.context.clear_cookies()
    page.goto(base_url + "/transparency/?q=" + word)
    results = page.get_by_test_id("contract-results")
    expect(results.get_by_role("link", name=title)).to_be_visible()
    check_a11y(page)
    with page.expect_navigation():
        results.get_by_role("link", name=title).click()
    expect(page.get_by_test_id("withheld-note")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(ID_NUMBER)
    check_a11y(page)
    href = page.get_by_test_id("document-link").first.get_attribute("href")
    response = page.request.get(base_url + href)
    assert response.status == 200 and response.headers["content-type"].startswith("application/pdf")
    text = "".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(response.body())).pages)
    assert ID_NUMBER not in text and "0912" not in text and "345-678" not in text
    assert tag in text  # the page without personal data keeps its text

    # 4. the registers' lists: accessible and fit a phone
    for path in ("/transparency/contracts/", "/transparency/mous/", "/transparency/disclosures/"):
        page.goto(base_url + path)
        check_a11y(page)
        at_phone(page)
