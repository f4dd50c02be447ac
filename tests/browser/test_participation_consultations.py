"""眾開講 in the browser (issue 16, "Done when"): a consultation from its opening to its published
response report. The RDEC officer opens one for 建設局 from a topic candidate of the petitions
analytics and publishes it → a verified citizen comments under a pseudonym (and posts an
advertisement), a second one replies → the agency's staff hide the advertisement by a published rule
and the public moderation log shows it (the rule, never the text) → the period ends (the closing day
moved into the past on the server; closing is computed on read, as the pages do every day) → the
staff group the comments into themes with 採納 / 部分採納 / 不採納 and reasons and publish the report →
everyone reads it on the page, and the PDF and the .odt answer 200 with their content types.
axe-core on the list, the consultation and the report; the list fits a 390 px phone.

No date is fixed: the days are the server's own (timezone.localdate() printed by its shell)."""

from __future__ import annotations

import datetime
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
now = timezone.now()
for i, name in enumerate({names!r}):
    user = services.create_user(username=name, password={password!r}, role=Role.CITIZEN,
                                display_name="測試市民" + str(i), actor=None)
    User.objects.filter(pk=user.pk).update(
        email=name + "@example.tw", phone="0966" + "{digits}" + str(i), phone_verified_at=now,
        email_verified_at=now)
print("TODAY", timezone.localdate().isoformat())
print("AGENCY", User.objects.get(username="staff").agency_id)
"""

# The period ends: the consultation opened 20 days ago and closed yesterday (the server's days).
END_PERIOD = """
import datetime
from django.utils import timezone
from rdec.participation.models import Consultation
today = timezone.localdate()
n = Consultation.objects.filter(slug={slug!r}, status="open").update(
    opens_on=today - datetime.timedelta(days=20), closes_on=today - datetime.timedelta(days=1))
print("MOVED", n)
"""


def at_phone(page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate(NO_OVERFLOW_JS), f"{page.url} is wider than a 390 px phone"
    page.set_viewport_size({"width": 1280, "height": 900})


def login_as(page, base_url, login, username: str, password: str = DEMO_PASSWORD) -> None:
    page.context.clear_cookies()
    login(page, base_url, username, password)


def confirm(page) -> None:
    """Accept the confirmation dialog (data-confirm forms) and wait for the page it posts to."""
    dialog = page.locator("dialog.confirm-dialog")
    expect(dialog).to_be_visible()
    with page.expect_navigation():
        dialog.locator("[data-confirm-ok]").click()


@pytest.fixture
def setup(server):
    tag = uuid.uuid4().hex[:6]
    names = [f"pc-{tag}-{who}" for who in ("a", "b")]
    out = server.manage(
        "shell",
        "-c",
        SETUP.format(names=names, password=DEMO_PASSWORD, digits=str(int(tag, 16) % 100000).zfill(5)),
    )
    values = dict(line.split(" ", 1) for line in out.splitlines() if line.startswith(("TODAY", "AGENCY")))
    return {
        "tag": tag,
        "citizen": names[0],
        "citizen2": names[1],
        "today": datetime.date.fromisoformat(values["TODAY"].strip()),
        "agency": values["AGENCY"].strip(),
    }


def add_theme(page, title: str, decision: str, reason: str, numbers: list[int]) -> None:
    form = page.get_by_test_id("theme-form")
    if not form.is_visible():
        page.locator("details:has([data-testid=theme-form]) > summary").click()
    form.locator("#id_title").fill(title)
    form.locator(f"input[name=decision][value={decision}]").check()
    form.locator("#id_reason").fill(reason)
    for n in numbers:
        form.get_by_label(re.compile(rf"^\s*#{n} ")).check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()


def test_a_consultation_from_opening_to_its_response_report(
    page, base_url, server, login, check_a11y, shot, tr, setup
):
    tag, today = setup["tag"], setup["today"]
    title = f"公園夜間照明改善 {tag}"

    # 1. The RDEC officer opens a consultation for 建設局, its topic picked from the analytics' candidates.
    login_as(page, base_url, login, "rdec")
    page.goto(base_url + "/participation/consultations/new/")
    candidates = page.get_by_test_id("topic-candidates")
    expect(candidates).to_be_visible()
    expect(candidates.locator("li a")).not_to_have_count(0)  # the demo's petitions give some
    picked = candidates.locator("li a").first
    topic = picked.inner_text().strip()
    with page.expect_navigation():
        picked.click()
    expect(page.locator("#id_topic_source")).to_have_value(topic)
    check_a11y(page)
    form = page.get_by_test_id("consultation-form")
    form.locator("#id_title").fill(title)
    form.locator("#id_agency").select_option(setup["agency"])
    form.locator("input[name=stage][value=during]").check()
    form.locator("#id_background").fill(
        "市內多處公園夜間照明不足，建設局規劃分期改善燈具與照度，請市民提供意見。"
    )
    form.locator("#id_questions").fill("您常去的公園哪裡夜間太暗？\n您希望優先改善哪些設施的照明？")
    form.locator("#id_opens_on").fill(today.isoformat())
    # shorter than the rule's least period (14 days in the shipped rule): refused with the ROC date
    form.locator("#id_closes_on").fill((today + datetime.timedelta(days=3)).isoformat())
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page.locator(".field-error:has(#id_closes_on) .errorlist")).to_contain_text("年")
    page.get_by_test_id("consultation-form").locator("#id_closes_on").fill(
        (today + datetime.timedelta(days=30)).isoformat()
    )
    with page.expect_navigation():
        page.get_by_test_id("consultation-form").locator("button[type=submit]").click()
    assert re.search(r"/participation/consultations/[a-z0-9-]+/edit/$", page.url), page.url
    page.get_by_test_id("publish-consultation").click()
    confirm(page)
    expect(page.locator("main h1")).to_have_text(title)
    expect(page.get_by_test_id("consultation-status")).to_have_text(tr("Open for comments"))
    detail_url = page.url.split("#")[0]
    slug = detail_url.rstrip("/").rsplit("/", 1)[-1]

    # the public list finds it by a word inside the title
    page.context.clear_cookies()
    page.goto(base_url + "/participation/consultations/?q=夜間照明")
    result = page.get_by_test_id("consultation-result").filter(has_text=title)
    expect(result).to_have_count(1)
    check_a11y(page)
    at_phone(page)

    # 2. A verified citizen comments under a pseudonym, and posts an advertisement too.
    login_as(page, base_url, login, setup["citizen"])
    page.goto(detail_url)
    comment_form = page.get_by_test_id("comment-form")
    comment_form.locator("#id_body").fill("文心森林公園東側步道晚上幾乎沒有路燈，慢跑很危險，希望優先改善。")
    comment_form.locator("#id_question").select_option("1")
    comment_form.locator("#id_display_name").fill("夜跑的阿明")
    with page.expect_navigation():
        comment_form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    first = page.get_by_test_id("comment").filter(has_text="文心森林公園東側步道")
    expect(first).to_contain_text("#1 夜跑的阿明")
    comment_form = page.get_by_test_id("comment-form")
    comment_form.locator("#id_body").fill("LED 燈具團購優惠中，歡迎私訊洽詢。")
    comment_form.locator("#id_display_name").fill("夜跑的阿明")
    with page.expect_navigation():
        comment_form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("comment")).to_have_count(2)

    # a second citizen replies to the first comment
    login_as(page, base_url, login, setup["citizen2"])
    page.goto(detail_url)
    first = page.get_by_test_id("comment").filter(has_text="文心森林公園東側步道")
    first.locator("summary").click()
    reply_form = first.get_by_test_id("reply-form")
    reply_form.locator("textarea[name=body]").fill("同意，東側步道旁的兒童遊戲場也很暗。")
    reply_form.locator("input[name=display_name]").fill("南屯小芳")
    with page.expect_navigation():
        reply_form.locator("button[type=submit]").click()
    reply = page.get_by_test_id("reply")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text("#3 南屯小芳")
    # pseudonyms only: no username, e-mail or phone on the page
    body = page.locator("main").inner_text()
    for secret in (setup["citizen"], setup["citizen2"], "@example.tw", "0966"):
        assert secret not in body
    check_a11y(page)

    # 3. The agency's staff hide the advertisement by a published rule.
    login_as(page, base_url, login, "staff")
    page.goto(detail_url + "moderate/")
    ad = page.locator("[data-testid=moderate-comment][data-number='2']")
    expect(ad).to_contain_text("團購")
    ground = ad.locator("select[name=ground]")
    ground.select_option("advertising")
    ground_label = ground.locator("option[value=advertising]").inner_text().strip()
    ad.locator("input[name=note]").fill("商業廣告")
    ad.get_by_test_id("hide-comment").click()
    confirm(page)
    expect(page.locator("[data-testid=moderate-comment][data-number='2']")).to_contain_text(tr("Hidden"))

    # everyone sees the comment hidden and the entry in the public moderation log (rule, not text)
    page.context.clear_cookies()
    page.goto(detail_url)
    expect(page.get_by_test_id("comments")).not_to_contain_text("團購")
    expect(page.locator("#comments ~ ol .pc-hidden")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_test_id("moderation-log-link").click()
    entry = page.get_by_test_id("moderation-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("#2")
    expect(entry).to_contain_text("夜跑的阿明")
    expect(entry).to_contain_text(ground_label)
    expect(page.locator("main")).not_to_contain_text("團購")
    expect(page.locator("main")).not_to_contain_text("商業廣告")  # the moderators' note stays theirs
    check_a11y(page)

    # 4. The period ends; the pages close it on read and give the report's due day.
    assert "MOVED 1" in server.manage("shell", "-c", END_PERIOD.format(slug=slug))
    page.goto(detail_url)
    expect(page.get_by_test_id("consultation-status")).to_have_text(tr("Closed, response being prepared"))
    expect(page.get_by_test_id("comment-explanation")).to_have_text(
        tr("This consultation is closed to comments.")
    )
    expect(page.get_by_test_id("consultation-facts")).to_contain_text(tr("Response report due"))

    # 5. The staff group the comments into themes and publish the response report.
    login_as(page, base_url, login, "staff")
    page.goto(detail_url + "report/edit/")
    expect(page.get_by_test_id("theme-form")).to_be_visible()
    # the hidden advertisement cannot be linked to a theme
    expect(page.get_by_test_id("theme-form").locator("input[name=comments]")).to_have_count(2)
    add_theme(
        page,
        "文心森林公園步道照明",
        "adopted",
        "東側步道列入 116 年第一期改善，增設 LED 路燈 12 盞。",
        [1],
    )
    add_theme(
        page,
        "兒童遊戲場夜間照明",
        "partly",
        "遊戲場照明延長至晚間九時；全夜照明影響鄰近住戶，暫不施作。",
        [3],
    )
    add_theme(page, "全市公園全夜照明", "not_adopted", "全夜照明耗電且影響生態，依現行標準維持分時照明。", [])
    expect(page.get_by_test_id("report-theme")).to_have_count(3)
    page.fill("#id_summary", "本次共收到 3 則意見，建設局依主題逐一回應如下。")
    page.fill("#id_policy_changes", "第一期改善增列文心森林公園東側步道；遊戲場照明時間延長。")
    with page.expect_navigation():
        page.get_by_test_id("publish-report").click()
    assert page.url.endswith(f"/consultations/{slug}/report/"), page.url

    # 6. Everyone reads the report: page, PDF, .odt.
    page.context.clear_cookies()
    page.goto(detail_url + "report/")
    themes = page.get_by_test_id("report-theme")
    expect(themes).to_have_count(3)
    expect(themes.get_by_test_id("theme-decision")).to_have_text(
        [tr("Adopted"), tr("Partly adopted"), tr("Not adopted")]
    )
    expect(themes.nth(0)).to_contain_text("增設 LED 路燈 12 盞")
    expect(themes.nth(0)).to_contain_text("#1")
    expect(themes.nth(1)).to_contain_text("#3")
    expect(page.get_by_test_id("report-changes")).to_contain_text("文心森林公園東側步道")
    shot(page, "consultation-report")
    check_a11y(page)
    for fmt, content_type, magic in (
        ("pdf", "application/pdf", b"%PDF"),
        ("odt", "application/vnd.oasis.opendocument.text", b"PK"),
    ):
        href = page.get_by_test_id(f"report-{fmt}").get_attribute("href")
        answer = page.request.get(base_url + href)
        assert answer.status == 200, (fmt, answer.status)
        assert answer.headers["content-type"].split(";")[0] == content_type
        data = answer.body()
        assert data.startswith(magic), fmt
        if fmt == "odt":
            assert b"mimetypeapplication/vnd.oasis.opendocument.text" in data[:100]

    # the consultation page says so, and the list files it under reported
    page.goto(detail_url)
    expect(page.get_by_test_id("consultation-status")).to_have_text(tr("Response report published"))
    expect(page.get_by_test_id("consultation-report-summary").get_by_test_id("theme-decision")).to_have_count(
        3
    )
    check_a11y(page)
    page.goto(base_url + "/participation/consultations/?status=reported")
    expect(page.get_by_test_id("consultation-result").filter(has_text=title)).to_have_count(1)
    check_a11y(page)
    at_phone(page)
