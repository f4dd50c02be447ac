"""Stored script injection (issue 13, item 1), replayed in Chromium.

Hostile strings go into the free-text fields of what public and staff pages show — a CSV's first
column on a dataset with a map (the hole that was found: Leaflet's tooltip took it as HTML), the
dataset's title and description, a petition's subject/description/address filed through the citizen
form, a tracked item and its progress report, a meeting, a knowledge-base article, open-data comments
and data requests, a tender — and `javascript:` URLs into link fields. Every page that shows them is
visited (map markers hovered, the stored javascript: links found as dead `#` anchors and clicked) and
no script may run: `window.__xss` stays unset, no script error, no Content-Security-Policy refusal."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import DEMO_PASSWORD
from playwright.sync_api import expect

HOSTILE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">"><svg onload="window.__xss=1">'
JS_URL = "javascript:window.__xss=1"

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push({directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample,
                               source: e.sourceFile});
});
"""


@pytest.fixture
def watched(page):
    page.add_init_script(WATCH)
    return page


def assert_no_script_ran(page) -> list[dict]:
    """No hostile script ran, no script failed, and no CSP refusal came from our own code."""
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__xss") is None, f"injected script ran on {page.url}"
    violations = page.evaluate("window.__cspViolations || []")
    ours = [v for v in violations if "__xss" not in (v.get("sample") or "")]
    assert not ours, f"CSP refused our own code on {page.url}: {ours}"
    assert not violations, f"unexpected CSP refusals on {page.url}: {violations}"
    assert not page.js_errors, f"script errors on {page.url}: {page.js_errors}"
    return violations


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 200, url
    assert (
        "'unsafe-inline'"
        not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    )
    assert_no_script_ran(page)


def login(page, base_url, username):
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def shell(server, code: str) -> dict:
    """Run Python in the server's own environment; the code prints one JSON line as its last output."""
    return json.loads(server.manage("shell", "-c", code).strip().splitlines()[-1])


def hostile_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["站名", "地址", "緯度", "經度"])
    writer.writerow([HOSTILE, HOSTILE, "24.1477", "120.6736"])
    writer.writerow(["<b>第二站</b>" + HOSTILE, "臺中市西屯區", "24.1615", "120.6469"])
    return out.getvalue().encode()


def test_hostile_csv_and_dataset_text_render_as_text_on_the_dataset_page_and_its_map(
    watched, base_url, server, tmp_path
):
    page = watched
    csv_file = tmp_path / "hostile.csv"
    csv_file.write_bytes(hostile_csv())
    login(page, base_url, "staff")
    page.goto(base_url + "/opendata/new/")
    page.fill("#id_title", "XSS 測試資料集 " + HOSTILE[:150])
    page.fill("#id_description", HOSTILE)
    page.select_option("#id_category", "A00")
    page.fill("#id_field_description", "站名(站點名稱)、地址(站點地址)、緯度(WGS84)、經度(WGS84)")
    page.fill("#id_update_frequency", "每月")
    page.fill("#id_contact_name", "王承辦")
    page.fill("#id_contact_phone", "04-22289111")
    page.fill("#id_contact_email", "xss@taichung.gov.tw")
    page.fill("#id_tags", "測試")
    page.fill("#id_resource_description", HOSTILE)
    page.set_input_files("#id_resource_file", str(csv_file))
    with page.expect_navigation():
        page.click("[data-testid=dataset-form] button[type=submit]")
    assert_no_script_ran(page)
    dataset_url = page.url
    expect(page.get_by_test_id("dataset-title")).to_contain_text("<script>window.__xss=1</script>")
    # a javascript: URL where the page shows a link (as an import or an old row could have stored it)
    name = dataset_url.rstrip("/").rsplit("/", 1)[-1]
    shell(
        server,
        "import json; from rdec.opendata.models import Dataset\n"
        f"n = Dataset.objects.filter(name={name!r}).update(landing_page={JS_URL!r}, remarks={HOSTILE!r})\n"
        "print(json.dumps({'updated': n}))",
    )

    for who in (None, "rdec"):
        if who:
            login(page, base_url, who)
        else:
            page.context.clear_cookies()
        visit(page, dataset_url)
        markers = page.locator("[data-testid=map] path.leaflet-interactive")
        expect(markers).to_have_count(2)
        for i in range(2):
            markers.nth(i).hover(force=True)
            expect(page.locator(".leaflet-tooltip").first).to_be_visible()
        tooltips = page.locator(".leaflet-tooltip")
        expect(tooltips.filter(has_text="<img src=x onerror=")).not_to_have_count(0)
        expect(tooltips.filter(has_text="<b>第二站</b>")).not_to_have_count(0)
        expect(page.locator(".leaflet-tooltip img, .leaflet-tooltip svg, .leaflet-tooltip b")).to_have_count(
            0
        )
        expect(page.get_by_test_id("preview")).to_contain_text('<svg onload="window.__xss=1">')
        assert_no_script_ran(page)
        # the stored javascript: link never reaches href (safe_href): a dead anchor, shown as text
        expect(page.locator('a[href^="javascript:"]')).to_have_count(0)
        related = page.locator("a", has_text=JS_URL)
        expect(related).to_have_attribute("href", "#")
        related.first.click()
        page.wait_for_timeout(300)
        assert_no_script_ran(page)
    # the search page lists the title
    page.goto(base_url + "/opendata/?q=XSS")
    expect(page.get_by_test_id("dataset-result").filter(has_text="<script>")).not_to_have_count(0)
    assert_no_script_ran(page)


def test_hostile_comment_and_data_request_on_public_and_staff_pages(watched, base_url):
    page = watched
    login(page, base_url, "citizen")
    page.goto(base_url + "/opendata/?q=坑洞修補")
    with page.expect_navigation():
        page.locator("[data-testid=dataset-result]", has_text="道路坑洞修補").get_by_role(
            "link"
        ).first.click()
    dataset_url = page.url
    form = page.get_by_test_id("comment-form")
    form.locator("#id_topic").select_option("content")
    form.locator("#id_title").fill("XSS " + HOSTILE)
    form.locator("#id_body").fill(HOSTILE)
    with page.expect_navigation():
        form.get_by_role("button").click()
    assert_no_script_ran(page)
    page.goto(base_url + "/opendata/requests/new/")
    value = page.locator("#id_agency option", has_text="建設局").first.get_attribute("value")
    page.select_option("#id_agency", value)
    page.fill("#id_title", "XSS " + HOSTILE)
    page.fill("#id_body", HOSTILE)
    with page.expect_navigation():
        page.get_by_test_id("request-form").get_by_role("button").click()
    expect(page.get_by_test_id("feedback-title")).to_contain_text("<script>")
    assert_no_script_ran(page)
    request_url = page.url
    visit(page, base_url + "/opendata/requests/")

    for who in ("rdec", "staff"):
        login(page, base_url, who)
        visit(page, base_url + "/opendata/feedback/")
        rows = page.get_by_test_id("inbox-row").filter(has_text="XSS <script>")
        expect(rows).not_to_have_count(0)
        with page.expect_navigation():
            rows.first.get_by_role("link").first.click()
        assert_no_script_ran(page)
        visit(page, request_url)
    visit(page, dataset_url)


def test_a_hostile_petition_on_the_tracking_page_and_the_staff_case_page(watched, base_url):
    page = watched
    page.goto(base_url + "/petitions/file/")
    page.select_option("#id_category_group", "road")
    page.select_option("#id_category", "pothole")
    page.fill("#id_subject", "XSS " + HOSTILE)
    page.fill("#id_description", "文心路坑洞 " + HOSTILE)
    page.fill("#id_address", HOSTILE[:190])
    page.fill("#id_petitioner_name", "黃測試")
    page.fill("#id_petitioner_phone", "0912-000-111")
    page.fill("#id_petitioner_email", "xss@example.tw")
    page.wait_for_timeout(3200)  # the form refuses a submission within 3 s of being shown
    with page.expect_navigation():
        page.click("#case-form button[type=submit]")
    assert_no_script_ran(page)
    number = page.get_by_test_id("case-number").inner_text().strip()
    link = page.get_by_test_id("tracking-link").get_attribute("href")
    visit(page, link)
    expect(page.locator("main")).to_contain_text("<script>window.__xss=1</script>")

    for who in ("staff", "rdec"):
        login(page, base_url, who)
        visit(page, f"{base_url}/petitions/inbox/")
        visit(page, f"{base_url}/petitions/cases/{number}/")
        expect(page.locator("main")).to_contain_text('<img src=x onerror="window.__xss=1">')
        page.wait_for_timeout(1000)  # similar cases arrive through htmx
        assert_no_script_ran(page)


def test_hostile_tracking_meeting_kb_and_tender_text_on_their_pages(watched, base_url, server):
    page = watched
    seeded = shell(
        server,
        "import json\n"
        "from rdec.tracking.models import Item, Meeting, ProgressReport\n"
        "from rdec.petitions.models import Article\n"
        "from rdec.tenders.models import Tender\n"
        f"H = {HOSTILE!r}\n"
        "report = ProgressReport.objects.select_related('item').order_by('pk').first()\n"
        "item = report.item if report else Item.objects.order_by('pk').first()\n"
        "Item.objects.filter(pk=item.pk).update(title='XSS ' + H, description=H)\n"
        "if report: ProgressReport.objects.filter(pk=report.pk).update(text=H)\n"
        "meeting = Meeting.objects.filter(is_public=True).order_by('pk').first()\n"
        f"Meeting.objects.filter(pk=meeting.pk).update(title='XSS ' + H, livestream_url={JS_URL!r})\n"
        "article = Article.objects.order_by('pk').first()\n"
        "Article.objects.filter(pk=article.pk).update(question='XSS ' + H, answer=H)\n"
        "tender = Tender.objects.order_by('pk').first()\n"
        "Tender.objects.filter(pk=tender.pk).update(name='XSS ' + H)\n"
        "print(json.dumps({'item': item.number, 'report': bool(report), 'meeting': meeting.pk,"
        " 'article': article.pk, 'tender': tender.number}))",
    )
    # anyone: the public meeting page, with its javascript: livestream link clicked
    page.context.clear_cookies()
    visit(page, f"{base_url}/tracking/public/meetings/")
    visit(page, f"{base_url}/tracking/public/meetings/{seeded['meeting']}/")
    expect(page.locator("main")).to_contain_text("XSS <script>")
    # the stored javascript: link is shown as text but never reaches href (safe_href); clicking runs nothing
    expect(page.locator('a[href^="javascript:"]')).to_have_count(0)
    livestream = page.locator("a", has_text=JS_URL)
    expect(livestream).to_have_attribute("href", "#")
    livestream.first.click()
    page.wait_for_timeout(300)
    assert_no_script_ran(page)

    login(page, base_url, "rdec")
    for path in (
        "/tracking/items/",
        f"/tracking/items/{seeded['item']}/",
        "/tracking/meetings/",
        f"/tracking/meetings/{seeded['meeting']}/",
        "/tenders/",
        f"/tenders/{seeded['tender']}/",
    ):
        visit(page, base_url + path)
    expect(page.locator("main")).to_contain_text("XSS <script>")

    login(page, base_url, "agent")
    visit(page, f"{base_url}/petitions/kb/{seeded['article']}/")
    expect(page.locator("main")).to_contain_text("XSS <script>")
    visit(page, f"{base_url}/petitions/kb/?q=XSS")
    # the 1999 console's live knowledge-base search (htmx) shows the article too
    visit(page, f"{base_url}/petitions/console/")
    page.fill("#kb-q", "XSS")
    page.keyboard.press("Enter")
    expect(page.locator("#kb-results")).to_contain_text("XSS <script>")
    assert_no_script_ran(page)
