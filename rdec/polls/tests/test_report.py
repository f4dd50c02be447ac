"""The poll report (issue 19, item 5): its sections and numbers from the worked example (§3.7.3), the
goodness-of-fit test against scipy, the PDF/.xlsx/.ods files, who may read it, and the crosstab API."""

import io
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rdec.polls import report, report_files, selectors, services
from rdec.polls.tests.factories import DISCLOSURE, make_twelve

pytestmark = pytest.mark.django_db


@pytest.fixture
def weighted(personas):
    survey = make_twelve(personas.officer)
    services.weight_survey(survey, actor=personas.officer)
    survey.questions.filter(code="Q1").update(
        wording="您是否滿意市政？", options={"1": "滿意", "2": "不滿意"}
    )
    return survey


def _publish(survey, officer):
    services.update_survey(survey, actor=officer, **DISCLOSURE)
    services.publish_survey(survey, actor=officer)


# --- goodness of fit ---------------------------------------------------------------------------------------


def test_goodness_of_fit_is_scipys_chisquare_on_a_known_case():
    from scipy.stats import chisquare

    # 30/20/50 against 25 %/25 %/50 %: X² = 1 + 1 + 0 = 2 on 2 df, p = e^-1
    result = report.goodness_of_fit([30, 20, 50], [0.25, 0.25, 0.5])
    assert result.statistic == pytest.approx(2.0, abs=1e-12)
    assert result.df == 2
    assert result.p_value == pytest.approx(0.36787944117144233, abs=1e-12)
    assert not result.significant
    reference = chisquare([30, 20, 50], [25, 25, 50])
    assert (result.statistic, result.p_value) == pytest.approx((reference.statistic, reference.pvalue))
    # shares not summing to exactly 1 are normalised; a far-off sample is significant
    skewed = report.goodness_of_fit([70, 10, 20], [0.2505, 0.25, 0.5])
    assert skewed.significant
    reference = chisquare([70, 10, 20], [25.05 / 1.0005 * 1, 25 / 1.0005, 50 / 1.0005])
    assert skewed.statistic == pytest.approx(reference.statistic)


def test_goodness_of_fit_refuses_what_it_cannot_test():
    assert report.goodness_of_fit([5, 0], [1.0, 0.0]) is None  # one category left
    assert report.goodness_of_fit([5, 3], [1.0, 0.0]) is None  # cases where the population has none
    assert report.goodness_of_fit([5, 3, 0], [0.5, 0.5, 0.0]).df == 1  # an empty, share-less one is dropped


# --- the report's data ---------------------------------------------------------------------------------------


def test_the_report_holds_every_section_with_the_worked_numbers(weighted):
    from scipy.stats import chisquare

    r = report.build_report(weighted)
    # 研究發現摘要: Q1's leading answer with its weighted % and its own margin (deff 1.086801, n = 12)
    q1 = next(f for f in r["findings"] if f["question"] == "Q1")
    assert (q1["code"], q1["label"]) == ("1", "滿意")
    assert q1["weighted_pct"] == pytest.approx(52.141656, abs=1e-5)
    assert q1["margin_of_error"] == pytest.approx(29.464817, abs=1e-5)
    # 研究方法
    m = r["method"]
    assert (m["cases"], m["completes"]) == (14, 12)
    assert m["design_effect"] == pytest.approx(1.086801, abs=1e-6)
    assert m["max_error"] == pytest.approx(100 * 1.959964 * (0.25 / 12) ** 0.5, abs=1e-4)
    assert m["max_error_deff"] == pytest.approx(100 * 1.959964 * (1.086801 * 0.25 / 12) ** 0.5, abs=1e-4)
    assert m["rates"]["RR1"] == pytest.approx(12 / 14)
    assert [t["variable"] for t in m["targets"]] == ["sex", "age_band", "region"]
    assert m["targets"][0]["sources"] == ["115/09 內政部戶政司"]
    # 樣本檢定: sex M 5, F 7 of 12 against 49 %/51 %, before and after weighting
    sex = next(s for s in r["sample"] if s["variable"] == "sex")
    assert [(row["category"], row["n"]) for row in sex["rows"]] == [("M", 5), ("F", 7)]
    assert sex["rows"][0]["population_pct"] == pytest.approx(49)
    assert sex["rows"][0]["weighted_pct"] == pytest.approx(49, abs=1e-6)
    reference = chisquare([5, 7], [0.49 * 12, 0.51 * 12])
    assert sex["before"]["statistic"] == pytest.approx(reference.statistic, abs=1e-12)
    assert sex["before"]["p_value"] == pytest.approx(reference.pvalue, abs=1e-12)
    assert sex["before"]["df"] == 1 and not sex["before"]["significant"]
    assert sex["after"]["statistic"] == pytest.approx(0, abs=1e-9)  # raked to the targets
    assert [s["variable"] for s in r["sample"]] == ["sex", "age_band", "region"]
    # 次數分配表 = the selectors' (the page's and the API's) numbers
    assert r["frequencies"][0]["options"][0]["weighted_pct"] == pytest.approx(52.141656, abs=1e-5)
    # 交叉列表: the same row percentages as the poll page's subgroups, and the Rao–Scott test
    by_sex = next(t for t in r["crosstabs"][0]["tables"] if t["by"] == "sex")
    question = weighted.questions.get(code="Q1")
    expected = selectors.subgroup_results(weighted, question, "sex")
    for row in by_sex["rows"]:
        group = next(g for g in expected if g["category"] == row["category"])
        assert row["n"] == group["n"] and row["warning"]  # n < 30
        for cell, option in zip(row["options"], group["options"], strict=True):
            assert cell["weighted_pct"] == pytest.approx(option["weighted_pct"], abs=1e-9)
    test = selectors.crosstab_test(question, "sex", selectors._completes(weighted))
    assert by_sex["test"]["statistic"] == pytest.approx(test.statistic)
    assert by_sex["test"]["df"] == 1
    # 問卷: exact wording and options in order
    assert r["questionnaire"][0] == {
        "code": "Q1",
        "wording": "您是否滿意市政？",
        "options": [("1", "滿意"), ("2", "不滿意")],
        "version": 1,
    }


def test_the_report_of_a_poll_not_yet_weighted_has_no_after_test(personas):
    survey = make_twelve(personas.officer, slug="unweighted")
    r = report.build_report(survey)
    sex = next(s for s in r["sample"] if s["variable"] == "sex")
    assert sex["before"] is not None and sex["after"] is None
    assert sex["rows"][0]["weighted_pct"] is None
    assert not r["method"]["weighted"]


# --- the page and the files -----------------------------------------------------------------------------------


def test_the_report_page_shows_the_sections_and_charts(client, personas, weighted):
    client.force_login(personas.officer)
    html = client.get(reverse("polls:survey-report", args=[weighted.pk])).content.decode()
    for heading in ("研究發現摘要", "研究方法", "樣本檢定與樣本分配表", "次數分配表", "交叉列表", "問卷"):
        assert heading in html
    assert "您是否滿意市政？" in html
    assert "52.1" in html
    assert 'data-chart="chart-q-0"' in html and 'data-chart="chart-sample-0"' in html
    assert "樣本與母體無顯著差異" in html
    assert 'class="small-base"' in html  # n < 30 rows are marked
    detail = client.get(reverse("polls:survey-detail", args=[weighted.pk])).content.decode()
    assert reverse("polls:survey-report", args=[weighted.pk]) in detail
    assert reverse("polls:survey-report-file", args=[weighted.pk, "pdf"]) in detail


def test_the_pdf_is_an_a4_pdf_with_the_chinese_text(client, personas, weighted):
    from pypdf import PdfReader

    client.force_login(personas.officer)
    response = client.get(reverse("polls:survey-report-file", args=[weighted.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="poll-twelve-report.pdf"' in response["Content-Disposition"]
    data = response.content
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    for words in ("研究發現摘要", "樣本檢定與樣本分配表", "交叉列表", "您是否滿意市政？"):
        assert words in text
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points


def test_the_xlsx_holds_the_frequency_table_as_numbers(client, personas, weighted):
    from openpyxl import load_workbook

    client.force_login(personas.officer)
    response = client.get(reverse("polls:survey-report-file", args=[weighted.pk, "xlsx"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 7
    sheet = next(book[name] for name in book.sheetnames if "次數分配表" in name)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("問題", "編號", "答案", "n", "加權百分比（%）")
    q1 = [row for row in rows[1:] if row[0] == "Q1"]
    assert [(row[1], row[2], row[3]) for row in q1] == [("1", "滿意", 6), ("2", "不滿意", 6)]
    assert q1[0][4] == pytest.approx(52.14) and isinstance(q1[0][4], float)
    assert q1[0][5] == pytest.approx(52.141656 - 29.464817, abs=0.006)


def test_the_ods_opens_with_the_same_sheets(client, personas, weighted):
    from odf.opendocument import load
    from odf.table import Table

    client.force_login(personas.officer)
    response = client.get(reverse("polls:survey-report-file", args=[weighted.pk, "ods"]))
    assert response.status_code == 200
    doc = load(io.BytesIO(response.content))
    names = [t.getAttribute("name") for t in doc.spreadsheet.getElementsByType(Table)]
    assert len(names) == 7 and any("交叉列表" in n for n in names)


def test_an_unknown_format_is_a_404(client, personas, weighted):
    client.force_login(personas.officer)
    assert client.get(reverse("polls:survey-report-file", args=[weighted.pk, "docx"])).status_code == 404


def test_a_draft_polls_report_is_hidden_from_the_public_a_published_one_is_not(client, personas, weighted):
    page = reverse("polls:survey-report", args=[weighted.pk])
    pdf = reverse("polls:survey-report-file", args=[weighted.pk, "xlsx"])
    assert client.get(page).status_code == 404
    assert client.get(pdf).status_code == 404
    client.force_login(personas.staff)
    assert client.get(page).status_code == 404
    _publish(weighted, personas.officer)
    client.logout()
    assert client.get(page).status_code == 200
    assert client.get(pdf).status_code == 200


# --- the crosstab API ---------------------------------------------------------------------------------------


def test_the_crosstab_api(personas, weighted):
    client = APIClient()
    client.force_login(personas.officer)
    url = f"/api/v1/polls/surveys/{weighted.pk}/crosstab/"
    response = client.get(url, {"question": "Q1", "by": "sex"})
    assert response.status_code == 200
    body = response.json()
    assert (body["question"], body["by"], body["n"]) == ("Q1", "sex", 12)
    assert [(row["category"], row["n"], row["warning"]) for row in body["rows"]] == [
        ("M", 5, True),
        ("F", 7, True),
    ]
    for row in body["rows"]:
        assert sum(cell["weighted_pct"] for cell in row["options"]) == pytest.approx(100)
    assert set(body["test"]) == {"statistic", "df", "p_value", "mean_deff"}
    assert body["test"]["df"] == 1 and 0 <= body["test"]["p_value"] <= 1
    # a weighting variable of the poll beyond the usual four
    assert client.get(url, {"question": "Q1", "by": "region"}).status_code == 200

    bad = client.get(url, {"question": "Q9", "by": "colour"}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert "Q9" in errors["question"][0] and "sex" in errors["by"][0]
    assert re.search(r"[\u4e00-\u9fff]", errors["by"][0])  # in zh-Hant

    anonymous = APIClient()
    assert anonymous.get(url, {"question": "Q1", "by": "sex"}).status_code == 404
    _publish(weighted, personas.officer)
    assert anonymous.get(url, {"question": "Q1", "by": "sex"}).status_code == 200


def test_the_spreadsheet_tables_are_one_per_section(weighted):
    tabs = report_files.tables(report.build_report(weighted))
    assert [t.key for t in tabs] == [
        "findings",
        "method",
        "sample",
        "sample_tests",
        "frequencies",
        "crosstabs",
        "questionnaire",
    ]


def test_the_design_effects_by_sums_equal_the_per_category_loop():
    import numpy as np

    from rdec.polls import formulas

    rng = np.random.default_rng(3)
    w = rng.uniform(0.3, 3.0, 200)
    index = rng.integers(0, 6, 200)
    index[index == 5] = 4  # category 5 empty: its design effect is 0
    fast = formulas._linearised_deffs(index, 6, w)
    for k in range(6):
        assert fast[k] == pytest.approx(formulas._linearised_deff((index == k).astype(float), w), rel=1e-12)


def test_a_long_reports_pdf_is_rendered_in_two_processes_and_numbered(
    client, personas, weighted, monkeypatch
):
    """From PARALLEL_FROM questions on, the PDF is two parts rendered at once (the second by another
    interpreter) joined by PDFium, every page stamped n / N."""
    from pypdf import PdfReader

    from rdec.polls import pdf_render

    monkeypatch.setattr(report_files, "PARALLEL_FROM", 1)
    monkeypatch.setattr(report_files.os, "cpu_count", lambda: 2)
    parts = []
    real = pdf_render.render_parts
    monkeypatch.setattr(
        pdf_render, "render_parts", lambda htmls, **kw: parts.append(len(htmls)) or real(htmls, **kw)
    )
    client.force_login(personas.officer)
    data = client.get(reverse("polls:survey-report-file", args=[weighted.pk, "pdf"])).content
    assert parts == [2]
    reader = PdfReader(io.BytesIO(data))
    pages = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]
    text = "".join(pages)
    for words in ("研究發現摘要", "樣本檢定與樣本分配表", "交叉列表", "問卷", "您是否滿意市政？"):
        assert words in text
    assert text.index("次數分配表") < text.index("交叉列表") < text.index("陸、問卷")
    for number, page in enumerate(pages, start=1):
        assert f"{number}/{len(pages)}" in page


def test_the_report_crosses_by_area_not_by_each_of_29_districts(personas, weighted):
    # four districts of three areas, so the area crosstab sums the district rows
    for case, district in zip(
        weighted.cases.filter(outcome="I").order_by("case_id"),
        ["中區", "東區", "北屯區", "大里區"] * 3,
        strict=True,
    ):
        case.district = district
        case.save(update_fields=["district"])
    built = report.build_report(weighted)
    tables = {t["by"] for t in built["crosstabs"][0]["tables"]}
    assert "area" in tables and "district" not in tables
    q1 = weighted.questions.get(code="Q1")
    by_area = report.survey_crosstab(weighted, q1, "area")
    by_district = report.survey_crosstab(weighted, q1, "district")
    assert [(r["category"], r["n"]) for r in by_area["rows"]] == [("中心區", 6), ("三屯區", 3), ("屯區", 3)]
    centre = [r for r in by_district["rows"] if r["category"] in ("中區", "東區")]
    assert sum(r["n"] for r in centre) == 6
    assert report.population.REGIONS.keys() == {"中心區", "三屯區", "屯區", "山線", "海線"}
    assert sum(len(members) for members in report.population.REGIONS.values()) == 29


def test_a_fieldwork_files_own_area_column_is_kept(personas, weighted):
    case = weighted.cases.filter(outcome="I").first()
    case.extra = {**(case.extra or {}), "area": "北區塊"}
    case.save(update_fields=["extra"])
    frame = report._Frame.of(list(weighted.cases.filter(outcome="I")))
    assert "北區塊" in frame.variable("area").tolist()
