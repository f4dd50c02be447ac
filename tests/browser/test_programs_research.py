"""跨域委託研究 in the browser (issue 18, item 5): a research recommendation becomes a tracked item.
The RDEC has put a report with a recommendation for the demo staff's agency into the library (in the
server's shell: the library's entry has no page yet); the agency's staff open the recommendations,
record 採行 with the action and its due date, and the recommendation links to its new tracked item
(列管), which the tracking module lists for the agency. axe-core on the pages.

No date is fixed: the due date is 90 days after the server's own today."""

from __future__ import annotations

import datetime
import uuid

from demo_server import DEMO_PASSWORD
from playwright.sync_api import expect

SETUP = """
from django.utils import timezone
from rdec.core.models import User
from rdec.programs import services_research as svc
officer = User.objects.get(username="rdec")
agency = User.objects.get(username="staff").agency
report = svc.add_report(
    actor=officer, agency=agency, title="青年就業政策研究 {tag}", year=timezone.localdate().year,
    abstract_zh="分析青年就業之政策需求。", keywords="青年就業", accepted_on=timezone.localdate(),
)
rec = svc.add_recommendation(report, actor=officer, text="{text}", kind="immediate", agency=agency)
print("TODAY", timezone.localdate().isoformat())
print("REC", rec.pk)
"""


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_a_research_recommendation_adopted_by_its_agency_becomes_a_tracked_item(
    page, base_url, server, login, check_a11y, shot
):
    tag = uuid.uuid4().hex[:6]
    text = f"設置青年就業單一窗口 {tag}"
    out = server.manage("shell", "-c", SETUP.format(tag=tag, text=text))
    today = datetime.date.fromisoformat(out.split("TODAY", 1)[1].split()[0])
    due = today + datetime.timedelta(days=90)

    page.context.clear_cookies()
    login(page, base_url, "staff", DEMO_PASSWORD)
    page.goto(base_url + "/programs/research/recommendations/")
    check_a11y(page)
    row = page.get_by_test_id("recommendation-row").filter(has_text=text)
    submit(page, row.get_by_test_id("answer"))
    expect(page.get_by_test_id("recommendation-text")).to_contain_text(text)
    check_a11y(page)

    # 採行 without the action and its due date is refused, with the fields' errors
    form = page.get_by_test_id("adoption-form")
    form.locator("input[name=decision][value=adopted]").check()
    submit(page, page.get_by_test_id("save-adoption"))
    expect(page.locator(".field-error #id_action")).to_be_visible()
    expect(page.locator(".field-error #id_due_on")).to_be_visible()

    form = page.get_by_test_id("adoption-form")
    form.locator("input[name=decision][value=adopted]").check()
    form.locator("#id_action").fill("於市府服務中心設置青年就業服務窗口")
    form.locator("#id_due_on").fill(due.isoformat())
    submit(page, page.get_by_test_id("save-adoption"))

    # the recommendation links to its tracked item, owned by the agency with the due date
    row = page.get_by_test_id("recommendation-row").filter(has_text=text)
    link = row.get_by_test_id("tracked-item")
    expect(link).to_be_visible()
    check_a11y(page)
    submit(page, link)
    expect(page.locator("main")).to_contain_text(text)
    expect(page.locator("main")).to_contain_text("於市府服務中心設置青年就業服務窗口")
    check_a11y(page)
    shot(page, "programs-research-tracked-item")
    number = page.url.rstrip("/").rsplit("/", 1)[1]

    # and the tracking module lists it among the agency's items
    page.goto(base_url + "/tracking/items/")
    expect(page.locator("main")).to_contain_text(number)
