"""簡政創新 in the browser (issue 18, item 3): the RDEC's digest of one item is sent by 函 to 建設局 (in
the server's shell); 建設局's staff find it in their referral inbox, adopt it with measures and a
target date, and the answer's page links the tracked item (列管) it became, whose page shows it
with the agency and the deadline; the RDEC sees the answer on the item's page. axe-core on the pages.

No date is fixed: the target date is counted from the server's own today."""

from __future__ import annotations

import datetime
import uuid

from demo_server import DEMO_PASSWORD
from playwright.sync_api import expect

SETUP = """
import datetime
from django.utils import timezone
from rdec.core.models import User
from rdec.programs import services_innovation as s
officer = User.objects.get(username="rdec")
staff = User.objects.get(username="staff")
today = timezone.localdate()
digest = s.create_digest(actor=officer, year={year}, month={month}, title="創新施政要聞 {tag}")
item = s.add_item(digest, actor=officer, headline="{headline}", kind="news",
                  source_url="https://www.ntpc.gov.tw/", place="新北市", summary="以電子查驗取代紙本謄本")
s.send_digest(digest, actor=officer, routing={{item: ([staff.agency], None)}},
              letter_number="府授研創字第{tag}號", due_on=today + datetime.timedelta(days=14), sent_on=today)
print("TODAY", today.isoformat())
print("ITEM", item.pk)
"""


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def test_an_agency_adopts_a_digest_item_and_the_tracked_item_appears(
    page, base_url, server, login, check_a11y, shot
):
    tag = uuid.uuid4().hex[:6]
    headline = f"線上申辦免附戶籍謄本 {tag}"
    out = server.manage(
        "shell",
        "-c",
        SETUP.format(year=2100 + int(tag, 16) % 100, month=int(tag, 16) % 12 + 1, tag=tag, headline=headline),
    )
    today = datetime.date.fromisoformat(out.split("TODAY", 1)[1].split()[0])
    item_pk = out.split("ITEM", 1)[1].split()[0]
    target = today + datetime.timedelta(days=90)

    # 1. 建設局's staff find the item in their inbox and adopt it
    page.context.clear_cookies()
    login(page, base_url, "staff", DEMO_PASSWORD)
    page.goto(base_url + "/programs/innovation/referrals/")
    check_a11y(page)
    submit(page, page.get_by_test_id("referrals").get_by_role("link", name=headline))
    check_a11y(page)
    form = page.get_by_test_id("assess-form")
    form.locator("input[name=decision][value=adopt]").check()
    submit(page, page.get_by_test_id("assess-save"))  # no measures, no date: refused, nothing tracked
    expect(page.get_by_test_id("assess-form")).to_be_visible()
    expect(page.locator("#id_measures")).to_have_attribute("aria-invalid", "true")
    form = page.get_by_test_id("assess-form")
    form.locator("input[name=decision][value=adopt]").check()
    form.locator("#id_measures").fill("以電子查驗取代紙本謄本，修正申辦須知")
    form.locator("#id_target_on").fill(target.isoformat())
    submit(page, page.get_by_test_id("assess-save"))
    expect(page.get_by_test_id("assessment")).to_have_attribute("data-decision", "adopt")
    tracked = page.get_by_test_id("tracked-item")
    expect(tracked).to_contain_text(headline)
    shot(page, "innovation-adopted")
    check_a11y(page)

    # 2. the tracked item (列管) is the agency's, due on the target date
    submit(page, tracked)
    expect(page.locator("h1")).to_contain_text(headline)
    expect(page.locator("main")).to_contain_text("建設局")
    check_a11y(page)

    # 3. the RDEC sees the answer on the item's page
    page.context.clear_cookies()
    login(page, base_url, "rdec", DEMO_PASSWORD)
    page.goto(f"{base_url}/programs/innovation/items/{item_pk}/")
    row = page.get_by_test_id("answer-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("tracked-item")).to_be_visible()
    check_a11y(page)
