"""Open data in the browser: an agency's staff member (王俊傑) publishes a dataset with a CSV
file, sees its quality badge, and then anyone finds it on the search page by a two-character
Chinese word inside its title and downloads the file."""

from __future__ import annotations

from playwright.sync_api import expect

CSV = "站名,地址,車位\n文心森林公園站,臺中市南屯區文心路一段,24\n".encode()


def test_staff_publish_a_dataset_with_a_csv_and_find_it_by_a_chinese_word(
    page, base_url, login, check_a11y, shot, tmp_path
):
    csv_file = tmp_path / "bikes.csv"
    csv_file.write_bytes(CSV)
    login(page, base_url, "staff")
    page.goto(base_url + "/opendata/new/")
    check_a11y(page)
    page.fill("#id_title", "臺中市公共自行車租賃站位置")
    page.fill("#id_description", "本市公共自行車租賃站之站名、地址與車位數。")
    page.select_option("#id_category", "A00")
    page.fill("#id_field_description", "站名(租賃站名稱)、地址(站點地址)、車位(可停車位數)")
    page.fill("#id_update_frequency", "每月")
    page.fill("#id_contact_name", "王承辦")
    page.fill("#id_contact_phone", "04-22289111")
    page.fill("#id_contact_email", "bike@taichung.gov.tw")
    page.fill("#id_tags", "自行車、租賃站")
    page.fill("#id_resource_description", "租賃站位置CSV")
    page.set_input_files("#id_resource_file", str(csv_file))
    with page.expect_navigation():
        page.click("[data-testid=dataset-form] button[type=submit]")
    expect(page.get_by_test_id("dataset-title")).to_have_text("臺中市公共自行車租賃站位置")
    expect(page.get_by_test_id("resource-row")).to_have_count(1)
    expect(page.get_by_test_id("resource-row")).to_contain_text("CSV")
    # the upload was checked on commit: UTF-8 as declared, the header matches 主要欄位說明
    expect(page.get_by_test_id("quality")).to_have_attribute("data-badge", "gold")
    expect(page.get_by_test_id("dataset-badge")).to_have_attribute("data-badge", "gold")
    expect(page.get_by_test_id("preview")).to_contain_text("文心森林公園站")
    check_a11y(page)
    shot(page, "opendata-dataset")

    page.context.clear_cookies()
    page.goto(base_url + "/opendata/")
    page.fill("#od-q", "租賃")
    with page.expect_navigation():
        page.click("[data-testid=dataset-search] button[type=submit]")
    result = page.locator("[data-testid=dataset-result]", has_text="臺中市公共自行車租賃站位置")
    expect(result).to_have_count(1)
    check_a11y(page)
    shot(page, "opendata-search")
    with page.expect_navigation():
        result.get_by_role("link").click()
    with page.expect_download() as download:
        page.get_by_test_id("download").first.click()
    assert download.value.path().read_bytes() == CSV


def test_a_citizen_comments_and_asks_for_data_rdec_reviews_and_the_agency_answers(
    page, base_url, login, check_a11y, shot
):
    """黃小明 comments on 建設局's pothole dataset and asks 建設局 for data; 研考會 approves the
    comment; 王俊傑 answers from the inbox; then anyone sees the comment with its answer."""
    login(page, base_url, "citizen")
    page.goto(base_url + "/opendata/?q=坑洞修補")
    with page.expect_navigation():
        page.locator("[data-testid=dataset-result]", has_text="道路坑洞修補").get_by_role(
            "link"
        ).first.click()
    dataset_url = page.url
    form = page.get_by_test_id("comment-form")
    form.locator("#id_topic").select_option("content")
    form.locator("#id_title").fill("北屯區一月數字疑有誤")
    form.locator("#id_body").fill("北屯區 115/01 通報 132 件、修補 128 件，與區公所公告不同。")
    with page.expect_navigation():
        form.get_by_role("button").click()
    expect(page.get_by_test_id("feedback")).to_have_attribute("data-moderation", "pending")
    expect(page.get_by_test_id("answer-missing")).to_be_visible()
    check_a11y(page)

    page.goto(base_url + "/opendata/requests/new/")
    value = page.locator("#id_agency option", has_text="建設局").first.get_attribute("value")
    page.select_option("#id_agency", value)
    page.fill("#id_title", "請開放明年度自行車道施工路段")
    page.fill("#id_body", "希望提供明年度預定施工路段，以利規劃通學路線。")
    with page.expect_navigation():
        page.get_by_test_id("request-form").get_by_role("button").click()
    expect(page.get_by_test_id("feedback-title")).to_have_text("請開放明年度自行車道施工路段")
    page.goto(base_url + "/opendata/requests/")
    expect(page.get_by_test_id("request-row").filter(has_text="明年度自行車道施工路段")).to_have_count(1)
    check_a11y(page)

    page.context.clear_cookies()
    login(page, base_url, "rdec")
    page.goto(base_url + "/opendata/feedback/")
    with page.expect_navigation():
        page.get_by_test_id("inbox-row").filter(has_text="北屯區一月數字疑有誤").get_by_role("link").click()
    page.get_by_test_id("moderation-form").locator("#id_decision").select_option("approved")
    with page.expect_navigation():
        page.get_by_test_id("moderation-form").get_by_role("button").click()
    expect(page.get_by_test_id("feedback")).to_have_attribute("data-moderation", "approved")

    page.context.clear_cookies()
    login(page, base_url, "staff")
    page.goto(base_url + "/opendata/feedback/")
    check_a11y(page)
    shot(page, "opendata-feedback-inbox")
    with page.expect_navigation():
        page.get_by_test_id("inbox-row").filter(has_text="北屯區一月數字疑有誤").get_by_role("link").click()
    page.get_by_test_id("answer-form").locator("#id_answer").fill("經查為系統轉檔錯誤，已更正並重新上傳。")
    with page.expect_navigation():
        page.get_by_test_id("answer-form").get_by_role("button").click()
    expect(page.get_by_test_id("feedback")).to_have_attribute("data-answered", "true")

    page.context.clear_cookies()
    page.goto(dataset_url)
    comment = page.get_by_test_id("comment").filter(has_text="北屯區一月數字疑有誤")
    expect(comment).to_have_attribute("data-moderation", "approved")
    expect(comment.get_by_test_id("answer")).to_contain_text("已更正並重新上傳")
    check_a11y(page)
    shot(page, "opendata-comment-answered")


def test_a_csv_with_coordinates_and_districts_gets_a_map_and_a_chart(page, base_url, check_a11y, shot):
    """The demo's 資源回收站點 (Big5, with 緯度/經度) shows its stations on a map; 道路坑洞修補 (a
    district column) shows a bar chart by district."""
    page.goto(base_url + "/opendata/?q=回收站點")
    with page.expect_navigation():
        page.locator("[data-testid=dataset-result]", has_text="資源回收站點").get_by_role(
            "link"
        ).first.click()
    expect(page.locator("[data-testid=map] path.leaflet-interactive")).to_have_count(3)
    check_a11y(page)
    shot(page, "opendata-map")
    page.goto(base_url + "/opendata/?q=坑洞修補")
    with page.expect_navigation():
        page.locator("[data-testid=dataset-result]", has_text="道路坑洞修補").get_by_role(
            "link"
        ).first.click()
    expect(page.get_by_test_id("district-chart").locator("svg")).to_contain_text("北屯區")
    shot(page, "opendata-district-chart")
