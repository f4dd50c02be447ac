"""場域驗證 in the browser (issue 18, item 2): 建設局's staff post a field on /programs/fields/new/;
a firm (the demo citizen) proposes to an open field-validation call on its page; the RDEC assigns
three reviewers (in the server's shell: the engine has no page for it yet), who score through the
engine's API in their own signed-in browsers, one of them declaring a conflict of interest (the
RDEC's ranking lists that reviewer as excluded); on the call's page the RDEC decides, matches the
proposal to the field and starts the validation, and the firm's proposal page shows the validation
with its inclusive end date; 建設局 logs a milestone on it. axe-core on the pages.

No date is fixed: the call is open around the server's own today."""

from __future__ import annotations

import datetime
import json
import uuid

from demo_server import DEMO_PASSWORD, PROBE_PASSWORD
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
    actor=officer, slug="{slug}", title="場域驗證徵案 {tag}", programme="field_validation",
    opens=now - datetime.timedelta(days=1), closes=now + datetime.timedelta(days=30),
    criteria=[{{"code": "feasibility", "name": "可行性", "weight": 60}},
              {{"code": "landing", "name": "落地潛力", "weight": 40}}],
    tie_break="landing", themes=["智慧交通", "智慧環境"],
)
env = User.objects.get(username="staff-env").agency
for name in {reviewers!r}:
    if not User.objects.filter(username=name).exists():
        core.create_user(username=name, password={password!r}, role=Role.AGENCY_STAFF, agency=env,
                         display_name=name, actor=None)
print("TODAY", timezone.localdate().isoformat())
"""

ASSIGN = """
from rdec.core.models import User
from rdec.programs import services
from rdec.programs.models import Submission
submission = Submission.objects.get(call__slug="{slug}")
officer = User.objects.get(username="rdec")
for name in {reviewers!r}:
    services.assign_reviewer(submission, actor=officer, reviewer=User.objects.get(username=name))
print("REFERENCE", submission.reference)
"""


def submit(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def api_post(page, base_url: str, path: str, body: dict):
    """A POST to the API with the page's session and its CSRF token (DRF's session authentication)."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(
        base_url + path,
        data=json.dumps(body),
        headers={"Content-Type": "application/json", "X-CSRFToken": token, "Referer": base_url + "/"},
    )


def test_an_agency_posts_a_field_a_firm_proposes_reviewers_score_and_the_match_reaches_validation(
    page, base_url, server, login, check_a11y, shot
):
    tag = uuid.uuid4().hex[:6]
    slug = f"fv-{tag}"
    reviewers = [f"fv-rev-{tag}-{i}" for i in (1, 2, 3)]
    out = server.manage(
        "shell", "-c", SETUP.format(slug=slug, tag=tag, reviewers=reviewers, password=PROBE_PASSWORD)
    )
    today = datetime.date.fromisoformat(out.split("TODAY", 1)[1].split()[0])
    field_name = f"水湳智慧路口 {tag}"

    # 1. 建設局's staff post a field (their own agency is the only choice)
    page.context.clear_cookies()
    login(page, base_url, "staff", DEMO_PASSWORD)
    page.goto(base_url + "/programs/fields/")
    submit(page, page.get_by_test_id("post-field"))
    check_a11y(page)
    form = page.get_by_test_id("field-form")
    form.locator("#id_name").fill(field_name)
    form.locator("#id_address").fill("臺中市西屯區經貿路一段")
    form.locator("#id_latitude").fill("24.178693")
    form.locator("#id_longitude").fill("120.647350")
    form.locator("#id_available_from").fill(today.isoformat())
    form.locator("#id_available_until").fill((today + datetime.timedelta(days=400)).isoformat())
    form.locator("#id_data_offered").fill("路口號誌時制、CCTV 影像")
    form.locator("#id_constraints").fill("施工避開尖峰")
    submit(page, page.get_by_test_id("save-field"))
    expect(page.get_by_test_id("fields")).to_contain_text(field_name)
    expect(page.get_by_test_id("fields")).to_contain_text("建設局")

    # 2. a firm proposes to the open call from the showcase
    page.context.clear_cookies()
    login(page, base_url, "citizen", DEMO_PASSWORD)
    page.goto(base_url + "/programs/fields/")
    check_a11y(page)
    submit(page, page.get_by_test_id("open-calls").get_by_role("link", name=f"場域驗證徵案 {tag}"))
    check_a11y(page)
    form = page.get_by_test_id("proposal-form")
    form.locator("#id_theme").select_option("智慧交通")
    form.locator("#id_title").fill(f"AI 路口車流偵測 {tag}")
    form.locator("#id_solution").fill("以邊緣運算攝影機即時計算車流與排隊長度。")
    form.locator("#id_technology").fill("AI 影像辨識、邊緣運算")
    form.locator("#id_kpis").fill("車流辨識準確率, 95, %")
    form.locator("#id_budget").fill("1200000")
    form.locator("input[name=funding][value=subsidised]").check()
    form.locator("#id_privacy_security_plan").fill("影像於邊緣端去識別化，不留存原始影像。")
    form.locator("#id_organisation").fill("臺中智慧科技股份有限公司")
    form.locator("#id_tax_id").fill("04595257")
    submit(page, page.get_by_test_id("submit-proposal"))
    expect(page.get_by_test_id("proposal-status")).to_contain_text("P")
    proposal_url = page.url
    check_a11y(page)

    # 3. the RDEC assigns three reviewers; two score, one declares a conflict of interest
    out = server.manage("shell", "-c", ASSIGN.format(slug=slug, reviewers=reviewers))
    reference = out.split("REFERENCE", 1)[1].split()[0]
    bodies = [
        {"submission": reference, "scores": {"feasibility": 80, "landing": 70}},
        {"submission": reference, "scores": {"feasibility": 90, "landing": 90}},
        {"submission": reference, "conflict": True, "conflict_note": "曾任該公司顧問"},
    ]
    for name, body in zip(reviewers, bodies, strict=True):
        page.context.clear_cookies()
        login(page, base_url, name, PROBE_PASSWORD)
        response = api_post(page, base_url, f"/api/v1/programs/calls/{slug}/scores/", body)
        assert response.status == 201, response.text()
    page.context.clear_cookies()
    login(page, base_url, "rdec", DEMO_PASSWORD)
    ranking = page.request.get(f"{base_url}/api/v1/programs/calls/{slug}/ranking/").json()
    (row,) = ranking["results"]
    assert row["submission"] == reference
    assert row["score"] == "83.00"  # mean of 76 and 90; the conflicted reviewer's scores excluded
    assert row["excluded_reviewers"] == [reviewers[2]]

    # 4. on the call's page the RDEC decides, matches the proposal to the field and starts a
    #    five-month validation (its end date included)
    page.goto(f"{base_url}/programs/fields/")
    submit(page, page.get_by_test_id("managed-calls").get_by_role("link", name=f"場域驗證徵案 {tag}"))
    row = page.locator(f'[data-testid=submission][data-reference="{reference}"]')
    expect(row.get_by_test_id("score")).to_contain_text("83.00")
    expect(row.get_by_test_id("score")).to_contain_text(reviewers[2])
    check_a11y(page)
    row.get_by_test_id("decide-form").locator("input[type=radio][value='1']").check()
    submit(page, row.get_by_test_id("decide"))
    expect(row.get_by_test_id("decision")).to_have_attribute("data-decision", "selected")
    match_form = row.get_by_test_id("match-form")
    match_form.locator("select").select_option(label=f"{field_name}")
    match_form.locator("input[type=date]").fill(today.isoformat())
    submit(page, row.get_by_test_id("match"))
    # the agreement lands in the MOU register as a draft of the field's agency (issue 17)
    expect(row.get_by_test_id("match-mou")).to_contain_text("草稿")
    start_form = row.get_by_test_id("start-form")
    start_form.locator("input[type=date]").fill(today.isoformat())
    submit(page, row.get_by_test_id("start"))
    status = row.get_by_test_id("validation-status")
    expect(status).to_have_attribute("data-status", "running")
    ends = datetime.date.fromisoformat(status.get_attribute("data-ends"))
    assert today + datetime.timedelta(days=145) <= ends <= today + datetime.timedelta(days=153)
    assert ends.day == today.day - 1 or ends.day >= 28  # the day before the same day five months later
    check_a11y(page)

    # 5. the firm sees its proposal matched and in validation
    page.context.clear_cookies()
    login(page, base_url, "citizen", DEMO_PASSWORD)
    page.goto(proposal_url)
    expect(page.get_by_test_id("matches")).to_contain_text(field_name)
    expect(page.get_by_test_id("validation")).to_have_attribute("data-ends", ends.isoformat())
    check_a11y(page)
    shot(page, "programs-proposal-in-validation")

    # 6. 建設局 (the field's owner) logs a milestone on the validation
    page.context.clear_cookies()
    login(page, base_url, "staff", DEMO_PASSWORD)
    page.goto(base_url + "/programs/validations/")
    check_a11y(page)
    submit(page, page.get_by_test_id("validations").get_by_role("link", name=f"AI 路口車流偵測 {tag}"))
    form = page.get_by_test_id("milestone-form")
    form.locator("input[type=text]").fill("設備安裝完成")
    form.locator("input[type=date]").fill((today + datetime.timedelta(days=30)).isoformat())
    submit(page, page.get_by_test_id("milestone-save"))
    expect(page.get_by_test_id("milestones")).to_contain_text("設備安裝完成")
    check_a11y(page)
