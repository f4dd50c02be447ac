"""提點子 in the browser (issue 16, "Done when"): a verified citizen submits a proposal → the RDEC checks
(accepts) it → citizens support it (a rule version with a threshold of 2, in force from the day before)
→ a second support by the same citizen, from a page opened before the first, is refused with the
message → 成案 → the RDEC assigns the agency → the tracked item exists and opens → the agency's staff
respond point by point (a row added by the script) → 已回應 shown publicly. The open page's count
follows supports made elsewhere (the 15 s poll). axe-core on the main pages; the public pages fit a
390 px phone. (未成案 at the deadline on the office calendar: rdec/participation/tests/test_proposals_views.py
and test_proposals_services.py, with the clock frozen.)"""

from __future__ import annotations

import re
import uuid

import pytest
from demo_server import DEMO_PASSWORD
from playwright.sync_api import expect

NO_OVERFLOW_JS = "() => document.documentElement.scrollWidth <= window.innerWidth"

SETUP = """
import datetime
from django.utils import timezone
from rdec.core import services
from rdec.core.models import Role, User
from rdec.participation.models import ProposalRule
today = timezone.localdate()
rule, _ = ProposalRule.objects.update_or_create(
    effective_from=today - datetime.timedelta(days=1),
    defaults=dict(source="browser test {tag}", check_working_days=5, endorse_days=30, threshold=2,
                  response_months=2, burst_same_network=50, new_account_minutes=30),
)
now = timezone.now()
for i, name in enumerate({names!r}):
    user = services.create_user(username=name, password={password!r}, role=Role.CITIZEN,
                                display_name="測試市民" + str(i), actor=None)
    User.objects.filter(pk=user.pk).update(
        email=name + "@example.tw", phone="0955" + "{digits}" + str(i), phone_verified_at=now,
        email_verified_at=now, date_joined=now - datetime.timedelta(days=40))
print("RULE", rule.pk)
print("AGENCY", User.objects.get(username="staff").agency_id)
"""


def at_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(NO_OVERFLOW_JS), f"{page.url} is wider than a 390 px phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def login_as(page, base_url, login, username: str, password: str = DEMO_PASSWORD) -> None:
    page.context.clear_cookies()
    login(page, base_url, username, password)


@pytest.fixture
def setup(server):
    tag = uuid.uuid4().hex[:6]
    names = [f"pp-{tag}-{role}" for role in ("proposer", "s1", "s2")]
    out = server.manage(
        "shell",
        "-c",
        SETUP.format(
            tag=tag, names=names, password=DEMO_PASSWORD, digits=str(int(tag, 16) % 100000).zfill(5)
        ),
    )
    values = dict(line.split(" ", 1) for line in out.splitlines() if line.startswith(("RULE", "AGENCY")))
    yield {"tag": tag, "proposer": names[0], "s1": names[1], "s2": names[2], "agency": values["AGENCY"]}
    # the small threshold is for this test only: later submissions keep the shipped rule
    server.manage(
        "shell",
        "-c",
        f"from rdec.participation.models import ProposalRule; ProposalRule.objects.filter(pk={values['RULE']}).delete()",
    )


def test_a_proposal_from_submission_to_the_agencys_response(
    page, base_url, login, check_a11y, shot, tr, setup
):
    tag = setup["tag"]
    title = f"增設公園遮蔭設施與飲水機 {tag}"

    # 1. A verified citizen writes the proposal; similar earlier proposals are looked up while typing.
    login_as(page, base_url, login, setup["proposer"])
    page.goto(base_url + "/participation/proposals/new/")
    expect(page.get_by_test_id("proposal-form")).to_be_visible()
    check_a11y(page)
    at_phone(page)
    with page.expect_response(lambda r: "/participation/proposals/similar/" in r.url):
        page.fill("#id_title", title)
    expect(page.get_by_test_id("similar-list").locator("li")).not_to_have_count(0)
    page.fill("#id_content", "夏季公園缺乏遮蔭與飲水設施，建議增設遮陽棚、植樹並設置飲水機。")
    page.fill("#id_benefits", "提升市民與孩童於夏季使用公園的舒適與安全。")
    page.fill("#id_display_name", "公園愛好者")
    with page.expect_navigation():
        page.get_by_test_id("submit-proposal").click()
    expect(page.get_by_test_id("proposal-title")).to_have_text(title)
    expect(page.get_by_test_id("checking-note")).to_be_visible()
    number = page.get_by_test_id("proposal").get_attribute("data-number")
    proposal_url = f"{base_url}/participation/proposals/{number}/"
    shot(page, "proposal-submitted")
    check_a11y(page)

    # nobody else sees it before the check
    page.context.clear_cookies()
    assert page.goto(proposal_url).status == 404

    # 2. The RDEC checks it (檢核) from the queue and accepts it.
    login_as(page, base_url, login, "rdec")
    page.goto(base_url + "/participation/proposals/checking/")
    row = page.locator(f"[data-testid=checking-row][data-number='{number}']")
    expect(row).to_have_count(1)
    check_a11y(page)
    with page.expect_navigation():
        row.get_by_test_id("check-link").click()
    check_a11y(page)
    page.locator("input[name=decision][value=accept]").check()
    with page.expect_navigation():
        page.get_by_test_id("check-form").locator("button[type=submit]").click()
    expect(page.locator(f"[data-testid=checking-row][data-number='{number}']")).to_have_count(0)
    page.goto(base_url + "/participation/proposals/board/")
    check_a11y(page)

    # 3. Open for support: the public list finds it by a Chinese word inside the title.
    page.context.clear_cookies()
    page.goto(base_url + "/participation/proposals/?q=" + "飲水機")
    result = page.locator(f"[data-testid=proposal-row][data-number='{number}']")
    expect(result).to_have_count(1)
    expect(result.get_by_test_id("proposal-status")).to_have_text(tr("Open for support"))
    expect(result.get_by_test_id("endorse-until")).to_have_text(re.compile(r"^\d{3}年\d{1,2}月\d{1,2}日$"))
    check_a11y(page)
    at_phone(page)

    # 4. A citizen supports it, confirming in the dialog; a page opened earlier follows the count and
    #    a second support from it is refused.
    login_as(page, base_url, login, setup["s1"])
    page.goto(proposal_url)
    stale = page.context.new_page()
    stale.goto(proposal_url)
    expect(stale.get_by_test_id("endorsement-count")).to_have_text("0")
    page.get_by_test_id("support-button").click()
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("不得撤回")
    check_a11y(page)
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()
    expect(page.get_by_test_id("supported")).to_be_visible()
    expect(page.get_by_test_id("endorsement-count")).to_have_text("1")
    check_a11y(page)
    at_phone(page)
    # the page opened before the support polls the count (every 15 s)
    expect(stale.get_by_test_id("endorsement-count")).to_have_text("1", timeout=25_000)
    stale.get_by_test_id("support-button").click()
    with stale.expect_response(lambda r: r.url.endswith("/support/")) as answer:
        stale.locator("dialog.confirm-dialog [data-confirm-ok]").click()
    assert answer.value.status == 409
    expect(stale.locator(".messages")).to_contain_text("您已附議過本提案，附議不得撤回")
    expect(stale.get_by_test_id("endorsement-count")).to_have_text("1")
    stale.close()

    # 5. A second citizen's support reaches the threshold of 2: 成案.
    login_as(page, base_url, login, setup["s2"])
    page.goto(proposal_url)
    page.get_by_test_id("support-button").click()
    with page.expect_navigation():
        page.locator("dialog.confirm-dialog [data-confirm-ok]").click()
    expect(page.get_by_test_id("proposal-status")).to_have_text(tr("Established"))
    expect(page.get_by_test_id("endorsement-count")).to_have_text("2")
    page.goto(base_url + "/participation/mine/")
    expect(page.get_by_test_id("my-support")).to_have_count(1)
    check_a11y(page)

    # 6. The RDEC assigns the responsible agency: a tracked item (列管) is made.
    login_as(page, base_url, login, "rdec")
    page.goto(proposal_url)
    page.get_by_test_id("assign-form").locator("select[name=lead_agency]").select_option(setup["agency"])
    with page.expect_navigation():
        page.get_by_test_id("assign-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("response-due")).to_be_visible()
    tracked = page.get_by_test_id("tracked-item")
    expect(tracked).to_be_visible()
    check_a11y(page)
    with page.expect_navigation():
        tracked.click()
    assert "/tracking/items/" in page.url
    expect(page.get_by_test_id("item-owner")).to_contain_text("建設局")
    expect(page.locator("main h1")).to_contain_text(tag)

    # 7. The lead agency's staff answer point by point (a row added by the script).
    login_as(page, base_url, login, "staff")
    page.goto(proposal_url)
    with page.expect_navigation():
        page.get_by_test_id("respond-link").click()
    expect(page.get_by_test_id("point-rows").get_by_test_id("point-row")).to_have_count(5)
    page.get_by_test_id("add-point").click()
    expect(page.get_by_test_id("point-rows").get_by_test_id("point-row")).to_have_count(6)
    check_a11y(page)
    page.fill("#id_summary", "本局將分期於市內公園增設遮蔭及飲水設施。")
    page.fill("#id_points-0-point", "增設遮陽棚與植樹")
    page.fill("#id_points-0-response", "115年下半年起於三處公園施作。")
    page.fill("#id_points-5-point", "設置飲水機")
    page.fill("#id_points-5-response", "與水務局合作，優先設置於兒童遊戲場旁。")
    with page.expect_navigation():
        page.get_by_test_id("response-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("proposal-status")).to_have_text(tr("Responded"))

    # 8. Everyone sees the response, point by point.
    page.context.clear_cookies()
    page.goto(proposal_url)
    expect(page.get_by_test_id("proposal-status")).to_have_text(tr("Responded"))
    expect(page.get_by_test_id("response-point")).to_have_count(2)
    expect(page.get_by_test_id("response")).to_contain_text("兒童遊戲場")
    expect(page.get_by_test_id("timeline")).to_contain_text("成案")
    shot(page, "proposal-responded")
    check_a11y(page)
    at_phone(page)
    page.goto(base_url + "/participation/proposals/?status=responded")
    expect(page.locator(f"[data-testid=proposal-row][data-number='{number}']")).to_have_count(1)
