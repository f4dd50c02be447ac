"""地方創生 in the browser (issue 18, item 4): 東勢區公所's staff file a 公所提案 on
/programs/revitalisation/new/ asking two ministries (國發會 補助, 觀光署 投資); the RDEC screens it,
forwards it to the 國發會 working meeting and records the approval with a 補助 line and an 投資
line; the proposal page and the roll-up by district (TOWNCODE 66000100) show the amounts kept
apart, their total and two 資源對接 successes. axe-core on the pages.

No date is fixed: the call is open around the server's own today. Text is checked through
data attributes (the zh-Hant catalogue of these pages is compiled by the lead)."""

from __future__ import annotations

import uuid

from demo_server import DEMO_PASSWORD, PROBE_PASSWORD
from playwright.sync_api import expect

DONGSHI = "66000100"

SETUP = """
import datetime
from django.utils import timezone
from rdec.core import services as core
from rdec.core.models import Agency, Role, User
from rdec.programs import services
now = timezone.now()
officer = User.objects.get(username="rdec")
services.create_call(
    actor=officer, slug="{slug}", title="地方創生事業提案 {tag}", programme="revitalisation",
    opens=now - datetime.timedelta(days=1), closes=now + datetime.timedelta(days=30),
    criteria=[{{"code": "fit", "name": "地方特色", "weight": 50}},
              {{"code": "feasibility", "name": "可行性", "weight": 50}}],
    tie_break="fit",
)
office = Agency.objects.get(level="district_office", district__code="{towncode}")
if not User.objects.filter(username="{clerk}").exists():
    core.create_user(username="{clerk}", password={password!r}, role=Role.AGENCY_STAFF, agency=office,
                     display_name="東勢承辦", actor=None)
print("TODAY", timezone.localdate().isoformat())
"""


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def fill_line(container, index: int, ministry: str, amount: str, kind: str, prefix: str) -> None:
    container.locator(f"#id_{prefix}-{index}-ministry").fill(ministry)
    container.locator(f"#id_{prefix}-{index}-amount").fill(amount)
    container.locator(f"#id_{prefix}-{index}-kind").select_option(kind)


def test_a_district_office_files_the_rdec_records_the_approval_and_the_district_rollup_shows_it(
    page, base_url, server, login, check_a11y, shot
):
    tag = uuid.uuid4().hex[:6]
    slug, clerk = f"rv-{tag}", f"dongshi-{tag}"
    out = server.manage(
        "shell",
        "-c",
        SETUP.format(slug=slug, tag=tag, towncode=DONGSHI, clerk=clerk, password=PROBE_PASSWORD),
    )
    today = out.split("TODAY", 1)[1].split()[0]
    title = f"東勢山城客家慢遊創生 {tag}"

    # 1. 東勢區公所 files its proposal: two ministries' requested lines
    page.context.clear_cookies()
    login(page, base_url, clerk, PROBE_PASSWORD)
    page.goto(base_url + "/programs/revitalisation/")
    check_a11y(page)
    submit(page, page.get_by_test_id("file-proposal"))
    check_a11y(page)
    form = page.get_by_test_id("revitalisation-form")
    form.locator("#id_call").select_option(label=f"地方創生事業提案 {tag}")
    expect(form.locator("input[name=type]")).to_have_count(1)  # its own 公所提案 only
    form.locator("input[name=type][value=district_office]").check()
    form.locator("#id_title").fill(title)
    form.locator("#id_vision").fill("以客庄產業與山城觀光帶回青年。")
    form.locator("#id_proposers").fill("東勢區公所\n山城文化創生有限公司")
    form.locator("#id_businesses").fill("客庄小旅行\n柑橘加工品牌")
    form.locator("#id_csr_partners").fill("中部電力公司")
    form.locator("#id_usr_partners").fill("逢甲大學 USR 團隊")
    form.locator("#id_organisation").fill("臺中市東勢區公所")
    form.locator("#id_tax_id").fill("04595257")
    fill_line(form, 0, "國家發展委員會", "12450000", "subsidy", "requested")
    fill_line(form, 1, "交通部觀光署", "7230000", "investment", "requested")
    submit(page, page.get_by_test_id("save-proposal"))
    expect(page.get_by_test_id("proposal-status")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("district")).to_have_attribute("data-towncode", DONGSHI)
    expect(page.get_by_test_id("ministry-row")).to_have_count(2)
    expect(page.get_by_test_id("screen-form")).to_have_count(0)  # the office does not screen
    proposal_url = page.url
    check_a11y(page)

    # 2. the RDEC screens, forwards, and records the working meeting's approval (補助 + 投資)
    page.context.clear_cookies()
    login(page, base_url, "rdec", DEMO_PASSWORD)
    page.goto(proposal_url)
    check_a11y(page)
    page.get_by_test_id("screen-form").locator("input[type=radio][value='1']").check()
    submit(page, page.get_by_test_id("screen-save"))
    expect(page.get_by_test_id("screening")).to_have_attribute("data-eligibility", "eligible")
    page.get_by_test_id("forward-form").locator("input[type=radio][value='1']").check()
    submit(page, page.get_by_test_id("forward-save"))
    expect(page.get_by_test_id("proposal-status")).to_have_attribute("data-status", "forwarded")
    meeting = page.get_by_test_id("meeting-form")
    meeting.locator("#id_meeting-meeting_date").fill(today)
    # a refusal without its reason is refused by the field
    meeting.locator("input[name=meeting-decision][value=not_approved]").check()
    submit(page, page.get_by_test_id("meeting-save"))
    expect(page.get_by_test_id("meeting-form").locator(".error").first).to_be_visible()
    check_a11y(page)
    meeting = page.get_by_test_id("meeting-form")
    meeting.locator("#id_meeting-meeting_date").fill(today)
    meeting.locator("input[name=meeting-decision][value=approved]").check()
    fill_line(meeting, 0, "國家發展委員會", "12450000", "subsidy", "approvals")
    fill_line(meeting, 1, "交通部觀光署", "7230000", "investment", "approvals")
    submit(page, page.get_by_test_id("meeting-save"))
    expect(page.get_by_test_id("proposal-status")).to_have_attribute("data-status", "approved")
    expect(page.get_by_test_id("approved-total")).to_have_attribute("data-value", "19680000")
    expect(page.get_by_test_id("approved-subsidy-total")).to_have_attribute("data-value", "12450000")
    expect(page.get_by_test_id("approved-investment-total")).to_have_attribute("data-value", "7230000")
    expect(page.get_by_test_id("dockings")).to_have_attribute("data-value", "2")
    check_a11y(page)
    shot(page, "programs-revitalisation-approved")

    # 3. the roll-up by district: 東勢區 (66000100) with the approved 補助 and 投資 and two dockings
    page.goto(base_url + "/programs/revitalisation/districts/")
    row = page.locator(f'[data-testid=district-row][data-towncode="{DONGSHI}"]')
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("subsidy")).to_have_attribute("data-value", "12450000")
    expect(row.get_by_test_id("investment")).to_have_attribute("data-value", "7230000")
    expect(row.get_by_test_id("dockings")).to_have_text("2")
    check_a11y(page)
    shot(page, "programs-revitalisation-districts")

    # 4. the district office sees the same roll-up for its district
    page.context.clear_cookies()
    login(page, base_url, clerk, PROBE_PASSWORD)
    page.goto(base_url + "/programs/revitalisation/districts/")
    expect(page.get_by_test_id("district-row")).to_have_count(1)
    expect(page.get_by_test_id("total-subsidy")).to_have_attribute("data-value", "12450000")
