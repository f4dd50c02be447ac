"""Open data in the browser: an agency's staff member (建設局 王承辦) publishes a dataset with a CSV
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
