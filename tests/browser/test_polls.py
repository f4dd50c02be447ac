"""民意調查 in the browser (issue 19): the RDEC creates a poll, imports a fieldwork file, loads the
population targets, weights the poll, reads a question's results with their margins, is refused
publication until the eleven AAPOR disclosure items are filled, fills them and publishes. The numbers
are the research's worked example (§3.7.3): Q1 52.1 % weighted, ±29.49 points at p = 0.5, deff 1.087.
The published poll's report (its six sections) is opened, by the RDEC and by the public. axe-core on
the pages."""

from __future__ import annotations

import uuid

from demo_server import DEMO_PASSWORD
from playwright.sync_api import expect

from rdec.polls.tests.factories import DISCLOSURE, TWELVE_TARGETS_CSV, twelve_csv


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_the_rdec_imports_weights_reads_and_publishes_a_poll(
    page, base_url, login, check_a11y, shot, tmp_path
):
    slug = f"poll-{uuid.uuid4().hex[:6]}"
    fieldwork = tmp_path / "fieldwork.csv"
    fieldwork.write_bytes(twelve_csv())
    targets = tmp_path / "targets.csv"
    targets.write_bytes(TWELVE_TARGETS_CSV)

    page.context.clear_cookies()
    login(page, base_url, "rdec", DEMO_PASSWORD)
    page.goto(base_url + "/polls/")
    check_a11y(page)
    form = page.get_by_test_id("poll-create-form")
    form.locator("#id_slug").fill(slug)
    form.locator("#id_title").fill(f"市政滿意度調查 {slug}")
    submit(page, form.locator("button[type=submit]"))

    form = page.get_by_test_id("import-form")
    form.locator("input[type=file]").set_input_files(str(fieldwork))
    submit(page, form.locator("button[type=submit]"))
    form = page.get_by_test_id("targets-form")
    form.locator("input[type=file]").set_input_files(str(targets))
    submit(page, form.locator("button[type=submit]"))
    expect(page.get_by_test_id("poll-targets")).to_contain_text("region = other")
    submit(page, page.get_by_test_id("weight-form").locator("button[type=submit]"))

    expect(page.get_by_test_id("poll-weighting")).to_contain_text("1.087")
    question = page.get_by_test_id("question-Q1")
    expect(question.get_by_test_id("question-margin")).to_contain_text("29.49")
    expect(question).to_contain_text("52.1")
    expect(page.get_by_test_id("poll-rates")).to_contain_text("RR1")
    check_a11y(page)

    # publishing before the disclosure is complete is refused, naming what is missing
    submit(page, page.get_by_test_id("publish-form").locator("button[type=submit]"))
    expect(page.get_by_test_id("publish-errors")).to_be_visible()
    expect(page.get_by_test_id("poll-status")).not_to_contain_text("已公布")

    form = page.get_by_test_id("disclosure-form")
    for name, value in DISCLOSURE.items():
        form.locator(f"#id_disclosure-{name}").fill(value)
    submit(page, form.locator("button[type=submit]"))
    submit(page, page.get_by_test_id("publish-form").locator("button[type=submit]"))
    expect(page.get_by_test_id("publish-form")).to_have_count(0)
    expect(page.get_by_test_id("poll-disclosure")).to_contain_text(DISCLOSURE["disclosure_limitations"])
    shot(page, "polls-published")

    # the report in the Taiwanese skeleton: its six sections, the worked number, the charts
    submit(page, page.get_by_test_id("poll-report-link"))
    report_url = page.url
    for section in ("findings", "method", "sample", "frequencies", "crosstabs", "questionnaire"):
        expect(page.get_by_test_id(f"report-{section}")).to_be_visible()
    expect(page.get_by_test_id("report-findings")).to_contain_text("52.1")
    expect(page.get_by_test_id("report-sample")).to_contain_text("樣本與母體無顯著差異")
    expect(page.locator("svg[data-chart]").first).to_be_visible()
    check_a11y(page)

    # the public sees it
    page.context.clear_cookies()
    page.goto(base_url + "/polls/")
    expect(page.get_by_test_id("poll-row").filter(has_text=slug)).to_have_count(1)
    hrefs = page.locator("nav.primary-nav [data-nav-group=opendata] a").evaluate_all(
        "(links) => links.map((a) => a.getAttribute('href'))"
    )
    assert "/polls/" in hrefs
    check_a11y(page)
    page.goto(report_url)  # a published poll's report is public
    expect(page.get_by_test_id("report-crosstabs")).to_be_visible()


def test_the_public_reads_the_demo_poll_compared_with_the_previous_wave(page, base_url, check_a11y):
    page.context.clear_cookies()
    found = page.request.get(base_url + "/api/v1/polls/surveys/?slug=satisfaction-115-2").json()
    poll = found["results"][0] if isinstance(found, dict) else found[0]
    page.goto(f"{base_url}/polls/{poll['id']}/")
    expect(page.get_by_test_id("poll-series")).to_contain_text("臺中市市政滿意度調查")
    block = page.get_by_test_id("waves-Q2")
    expect(block).to_contain_text("與前次調查比較")
    expect(block).to_contain_text("第 1 次")
    expect(page.get_by_test_id("waves-Q6").get_by_test_id("not-comparable")).to_be_visible()
    expect(page.get_by_test_id("question-Q4").get_by_test_id("question-base")).to_contain_text("Q3")
    check_a11y(page)
