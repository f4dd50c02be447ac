"""GET /api/v1/programs/research/reports/?q=: public, public reports only, searched in the title,
abstracts, keywords and full text, paged like the platform's other lists."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rdec.programs.tests.test_research import report

pytestmark = pytest.mark.django_db

URL = "/api/v1/programs/research/reports/"


@pytest.fixture
def reports(personas):
    bus = report(
        personas,
        title="公車路網研究",
        abstract_zh="公車路網調整",
        keywords="公車、轉乘",
        full_text="轉乘優惠之效益評估",
        year=2021,
    )
    youth = report(personas, year=2019)
    secret = report(
        personas,
        title="公車營運成本研究",
        full_text="轉乘",
        access="restricted",
        restriction_item=7,
        restriction_reason="營業秘密",
    )
    return bus, youth, secret


def test_anyone_lists_the_public_reports_newest_first_paged(reports):
    response = APIClient().get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert [r["title"] for r in body["results"]] == ["公車路網研究", "臺中市青年就業政策研究"]
    row = body["results"][0]
    assert set(row) >= {"id", "title", "year", "agency", "abstract", "keywords", "url"}
    assert row["year"] == 2021 and row["keywords"] == ["公車", "轉乘"]
    assert row["agency"]["code"] == reports[0].agency.code
    assert row["url"].endswith(f"/programs/research/reports/{reports[0].pk}/")


@pytest.mark.parametrize(
    ("q", "titles"),
    [
        ("轉乘", ["公車路網研究"]),  # keywords and full text; the restricted one not listed
        ("效益評估", ["公車路網研究"]),  # full text only
        ("創業", ["臺中市青年就業政策研究"]),  # abstract
        ("公車 青年", []),  # every word must occur
        ("營業秘密", []),
    ],
)
def test_q_searches_title_abstract_keywords_and_full_text(reports, q, titles):
    body = APIClient().get(URL, {"q": q}).json()
    assert [r["title"] for r in body["results"]] == titles


def test_a_restricted_report_is_never_in_the_api(reports):
    ids = [r["id"] for r in APIClient().get(URL, {"q": "公車"}).json()["results"]]
    assert reports[2].pk not in ids
