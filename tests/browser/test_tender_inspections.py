"""Construction quality inspections in the browser: 建設局's staff open the coverage and planning
page, follow the top suggestion to record an inspection with two deficiencies (score 75: 乙等 under
the default bands), see the grade, the deficiency points and the improvement reports due, and find
the year's inspection count one higher on the coverage page."""

from __future__ import annotations

from playwright.sync_api import expect


def test_the_staff_record_an_inspection_and_see_its_grade_and_the_coverage(
    page, base_url, login, check_a11y, shot
):
    login(page, base_url, "staff")
    page.goto(base_url + "/tenders/inspections/coverage/")
    expect(page.get_by_test_id("coverage")).to_be_visible()
    before = int(page.get_by_test_id("coverage-inspections").inner_text())
    assert before >= 1  # the demo's inspections of 建設局's works this year
    check_a11y(page)
    first = page.get_by_test_id("planning-row").first
    expect(first.locator("ul.reasons li").first).to_be_visible()
    with page.expect_navigation():
        first.locator("a[href*='/tenders/inspections/new/']").click()
    expect(page.get_by_test_id("inspection-form")).to_be_visible()
    check_a11y(page)

    page.fill("#id_members", "研考會 林研考\n外聘委員 陳教授")
    page.fill("#id_score", "75")
    page.select_option("#id_work_type", "road")
    page.select_option("#id_findings-0-code", "8.01")
    page.select_option("#id_findings-1-code", "4.02.03")
    page.fill("#id_findings-1-points", "4")
    with page.expect_navigation():
        page.click("[data-testid=inspection-form] button[type=submit]")

    expect(page.get_by_test_id("inspection-grade")).to_contain_text("乙等")
    expect(page.get_by_test_id("finding-row")).to_have_count(2)
    expect(page.get_by_test_id("inspection-points")).to_have_text("7.0")  # 3 (list) + 4 (decided)
    expect(page.get_by_test_id("improvement-row")).to_have_count(2)  # contractor and supervisor
    check_a11y(page)
    shot(page, "tenders-inspection")

    page.goto(base_url + "/tenders/inspections/coverage/")
    expect(page.get_by_test_id("coverage-inspections")).to_have_text(str(before + 1))
    page.goto(base_url + "/tenders/inspections/statistics/")
    expect(page.get_by_test_id("top-code-row").first).to_be_visible()
    check_a11y(page)
