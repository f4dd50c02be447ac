"""The engine's review pages in the browser (issue 18, item 1): on a call's review page the RDEC
screens a submission and assigns three reviewers; each scores in their own signed-in browser
through "My reviews" (one declares a conflict of interest); the RDEC's ranking shows the score
without the conflicted reviewer, marked as excluded; the RDEC selects the submission and publishes
the results. axe-core on the pages.

No date is fixed: the call is open around the server's own today."""

from __future__ import annotations

import uuid

from demo_server import DEMO_PASSWORD, DEMO_USERS, PROBE_PASSWORD
from playwright.sync_api import expect

SETUP = """
import datetime
from django.utils import timezone
from rdec.core import services as core
from rdec.core.models import Role, User
from rdec.programs import services
now = timezone.now()
officer = User.objects.get(username="rdec")
call = services.create_call(
    actor=officer, slug="{slug}", title="委託研究評選 {tag}", programme="research",
    opens=now - datetime.timedelta(days=1), closes=now + datetime.timedelta(days=30),
    criteria=[{{"code": "feasibility", "name": "可行性", "weight": 60}},
              {{"code": "landing", "name": "政策應用", "weight": 40}}],
    tie_break="landing",
)
submission = services.submit_to_call(
    call, actor=User.objects.get(username="citizen"), reference="R-{tag}", title="智慧城市治理研究 {tag}",
    organisation="臺中智慧科技股份有限公司", tax_id="04595257",
)
env = User.objects.get(username="staff-env").agency
for name in {reviewers!r}:
    core.create_user(username=name, password={password!r}, role=Role.AGENCY_STAFF, agency=env,
                     display_name=name, actor=None)
print("REFERENCE", submission.reference)
"""


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def sign_in(page, base_url, login, username: str) -> None:
    page.context.clear_cookies()
    # the demo's own accounts have the demo password; the reviewers this test makes, the probe one
    login(page, base_url, username, DEMO_PASSWORD if username in DEMO_USERS else PROBE_PASSWORD)


def test_the_rdec_assigns_reviewers_who_score_and_the_rdec_decides_and_publishes(
    page, base_url, server, login, check_a11y, shot
):
    tag = uuid.uuid4().hex[:6]
    slug = f"rv-{tag}"
    reviewers = [f"rv-{tag}-{i}" for i in (1, 2, 3)]
    out = server.manage(
        "shell", "-c", SETUP.format(slug=slug, tag=tag, reviewers=reviewers, password=PROBE_PASSWORD)
    )
    reference = out.split("REFERENCE", 1)[1].split()[0]

    # 1. the RDEC opens the call from the calls list, screens the submission, assigns three reviewers
    sign_in(page, base_url, login, "rdec")
    page.goto(base_url + "/programs/calls/")
    check_a11y(page)
    row = page.locator(f'[data-testid=call-row][data-slug="{slug}"]')
    expect(row.get_by_test_id("counts")).to_contain_text("1")
    submit(page, row.get_by_role("link", name=f"委託研究評選 {tag}"))
    card = page.locator(f'[data-testid=submission][data-reference="{reference}"]')
    card.locator("details summary").click()
    card.get_by_test_id("screen-form").locator("input[type=radio][value='1']").check()
    submit(page, card.get_by_test_id("screen"))
    expect(card.get_by_test_id("eligibility")).to_have_attribute("data-eligibility", "eligible")
    for name in reviewers:
        card.get_by_test_id("assign-form").locator("select[name$=reviewer]").select_option(label=name)
        submit(page, card.get_by_test_id("assign"))
    expect(card.get_by_test_id("assignment")).to_have_count(3)
    check_a11y(page)

    # 2. each reviewer scores from "My reviews"; the third declares a conflict of interest
    given = [("80", "70", "76.00"), ("90", "90", "90.00")]
    for name, (feasibility, landing, total) in zip(reviewers, given, strict=False):
        sign_in(page, base_url, login, name)
        page.goto(base_url + "/programs/reviews/")
        submit(page, page.get_by_test_id("reviews").get_by_role("link", name=reference))
        form = page.get_by_test_id("score-form")
        form.locator("#id_score_feasibility").fill(feasibility)
        form.locator("#id_score_landing").fill(landing)
        submit(page, page.get_by_test_id("save-score"))
        expect(page.get_by_test_id("total")).to_have_attribute("data-total", total)
        expect(page.get_by_test_id("given")).to_have_attribute("data-version", "1")
    check_a11y(page)
    sign_in(page, base_url, login, reviewers[2])
    page.goto(base_url + "/programs/reviews/")
    check_a11y(page)
    submit(page, page.get_by_test_id("reviews").get_by_role("link", name=reference))
    page.locator("#id_conflict").check()
    page.locator("#id_conflict_note").fill("曾任該公司顧問")
    submit(page, page.get_by_test_id("save-score"))
    expect(page.get_by_test_id("conflict-declared")).to_be_visible()
    page.goto(base_url + "/programs/reviews/")
    expect(page.get_by_test_id("review-row")).to_have_count(1)

    # 3. the RDEC's ranking: mean of 76 and 90, the conflicted reviewer excluded
    sign_in(page, base_url, login, "rdec")
    page.goto(f"{base_url}/programs/calls/{slug}/review/")
    ranked = page.locator(f'[data-testid=ranking][data-round=written] [data-reference="{reference}"]')
    expect(ranked.get_by_test_id("rank")).to_have_text("1")
    expect(ranked.get_by_test_id("ranking-score")).to_have_text("83.00")
    expect(ranked.get_by_test_id("excluded-reviewer")).to_have_count(1)
    expect(ranked.get_by_test_id("excluded-reviewer")).to_contain_text(reviewers[2])
    check_a11y(page)

    # 4. the decision, then the results published
    card = page.locator(f'[data-testid=submission][data-reference="{reference}"]')
    card.get_by_test_id("decide-form").locator("input[type=radio][value='1']").check()
    submit(page, card.get_by_test_id("decide"))
    expect(card.get_by_test_id("decision")).to_have_attribute("data-decision", "selected")
    submit(page, page.get_by_test_id("publish"))
    expect(page.get_by_test_id("published")).to_be_visible()
    expect(page.get_by_test_id("publish")).to_have_count(0)
    check_a11y(page)
    shot(page, "programs-review-published")
