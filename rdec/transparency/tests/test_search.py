"""Public search of the registers: Chinese words found inside the public texts through the pairs
index (PostgreSQL) or a substring match (SQLite), with the same results on both. The suite runs on
both: DATABASE_URL=postgres://… for PostgreSQL."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from rdec.core.models import Agency
from rdec.core.textsearch import pairs_text
from rdec.transparency import selectors
from rdec.transparency.models import Contract, DisclosureItem, Mou

pytestmark = pytest.mark.django_db

FILLER = "本契約依政府採購法辦理，廠商應於履約期限內完成工作並經機關驗收合格。" * 40  # ~1,400 characters


@pytest.fixture
def agency():
    return Agency.objects.get(code="construction")


def contract(agency, n: int, title: str, text: str = "", supplier: str = "大成營造股份有限公司") -> Contract:
    return Contract.objects.create(
        agency=agency,
        ocid=f"ocds-tc1999-search-{n}",
        title=title,
        supplier_name=supplier,
        status=Contract.Status.PUBLISHED,
        published_at=timezone.now(),
        signed_on=datetime.date(2025, 1, n),
        search_text="\n".join(p for p in (title, supplier, text) if p),
    )


def found(q: str) -> list[str]:
    return sorted(c.ocid.rsplit("-", 1)[1] for c in selectors.public_contracts(q=q))


@pytest.fixture
def contracts(agency):
    contract(
        agency, 1, "北屯區人行道改善工程", FILLER + "第五條 人行道鋪面採透水磚，路燈汰換為LED燈具。" + FILLER
    )
    contract(agency, 2, "西屯區道路改善工程", FILLER + "道路改作業與路改善計畫分期辦理。" + FILLER)
    contract(agency, 3, "臺中市北區路", supplier="燈光工程有限公司")
    contract(agency, 4, "大里區排水工程", "附件：ABC-123 規格書" + FILLER)


def test_save_keeps_the_pairs_in_step_with_the_text(agency):
    c = contract(agency, 1, "路燈工程", "鋪面改善")
    assert c.search_pairs == pairs_text("路燈工程", c.search_text)
    c.search_text = "排水側溝"
    c.save(update_fields=["search_text"])
    c.refresh_from_db()
    assert c.search_pairs == pairs_text("路燈工程", "排水側溝")
    c.status = Contract.Status.DRAFT
    c.save(update_fields=["status"])  # no text changed: the pairs are not written
    assert Contract.objects.get(pk=c.pk).search_pairs == pairs_text("路燈工程", "排水側溝")


def test_a_title_saved_alone_updates_the_pairs_of_a_contract(agency):
    c = contract(agency, 1, "路燈工程", "鋪面改善")
    c.title = "橋梁補強工程"
    c.save(update_fields=["title"])
    assert set(Contract.objects.get(pk=c.pk).search_pairs.split()) >= {"橋梁", "補強"}


def test_a_two_character_word_inside_a_long_text_is_found(contracts):
    assert found("鋪面") == ["1"]
    assert found("汰換") == ["1"]
    assert found("led") == found("LED") == ["1"]
    assert found("驗收") == ["1", "2", "4"]


def test_a_longer_word_is_found_only_where_it_is_whole(contracts):
    assert found("人行道鋪面") == ["1"]
    # 2 has 道路, 路改 and 改善 in its text but 道路改善 only in its title; 1 has none of it
    assert found("道路改善") == ["2"]
    assert found("路改善計畫") == ["2"]
    assert found("道路改善計畫") == []


def test_a_word_split_across_two_fields_is_not_found(contracts):
    assert found("路燈") == ["1"]  # never 3: 臺中市北區路 / 燈光工程有限公司


def test_every_word_must_match_and_only_the_first_five_count(contracts):
    assert found("人行道 鋪面") == ["1"]
    assert found("人行道 排水") == []
    assert found("工程 驗收 履約 機關 廠商 不存在的字") == ["1", "2", "4"]
    assert found("鋪面" + "不" * 60) == []  # cut to 50 characters, still not there
    assert found("") == ["1", "2", "3", "4"]


def test_one_character_and_punctuation_are_matched_as_substrings(contracts):
    assert found("燈") == ["1", "3"]
    assert found("：") == ["4"]


def test_latin_words_and_codes(contracts):
    assert found("abc-123") == ["4"]
    assert found("ABC") == ["4"]
    assert found("xyz") == []


def test_mous_and_disclosure_items_are_searched_the_same_way(agency):
    text = FILLER + "雙方就智慧路燈與公共運輸資料交換進行合作。" + FILLER
    mou = Mou.objects.create(
        number="MOU-115-0001",
        title="智慧城市合作備忘錄",
        lead_agency=agency,
        status=Mou.Status.ACTIVE,
        signed_on=datetime.date(2025, 1, 1),
        published_at=timezone.now(),
        text=text,
        search_text=f"MOU-115-0001\n智慧城市合作備忘錄\n{text}",
    )
    item = DisclosureItem.objects.create(
        agency=agency,
        category=5,
        title="道路養護統計",
        summary="路燈維護件數與鋪面修補面積",
        published_on=datetime.date(2024, 1, 1),
        updated_on=datetime.date(2025, 1, 1),
        search_text="道路養護統計\n路燈維護件數與鋪面修補面積",
    )
    assert list(selectors.public_mous(q="路燈")) == [mou]
    assert list(selectors.public_mous(q="資料交換")) == [mou]
    assert list(selectors.public_mous(q="路燈 鋪面")) == []
    assert list(selectors.public_disclosures(q="路燈 鋪面")) == [item]
    assert list(selectors.public_disclosures(q="計路")) == []  # 統計 / 路燈: two fields
    result = selectors.search(q="路燈")
    assert list(result.mous) == [mou] and list(result.disclosures) == [item]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the pairs index exists on PostgreSQL only")
def test_on_postgresql_a_pair_is_answered_by_the_index(contracts):
    sql = str(selectors.public_contracts(q="鋪面").query)
    assert '"search_vector" @@ to_tsquery' in sql and "LIKE" not in sql.upper()
    sql = str(selectors.public_contracts(q="人行道鋪面").query)
    assert '"search_vector" @@ to_tsquery' in sql and "LIKE" in sql.upper()


# --- the pages' matches: found only as far as they are read ----------------------------------------------


QUERIES = ["道路改善", "人行道鋪面", "路燈", "路", "ABC", "改善 工程", "履約期限", "鳳梨酥", "道路改"]


@pytest.fixture
def many(agency):
    """60 contracts, newest signed last created, some with 道路改善 whole, some with its pairs apart."""
    texts = [
        FILLER + "道路改善工程",  # the word whole
        FILLER + "道路改作業與路改善計畫",  # 道路 路改 改善 present, 道路改善 not
        "人行道鋪面 路燈汰換 ABC-9",
    ]
    for n in range(60):
        Contract.objects.create(
            agency=agency,
            ocid=f"ocds-tc1999-many-{n}",
            title=f"第{n}號契約",
            supplier_name="大成營造股份有限公司",
            status=Contract.Status.PUBLISHED,
            published_at=timezone.now(),
            signed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n % 45),  # ties on the day
            search_text=texts[n % 3],
        )


@pytest.mark.parametrize("q", QUERIES)
def test_the_pages_matches_are_the_searchs_in_the_same_order(many, monkeypatch, q):
    from rdec.core.textsearch import Matches

    monkeypatch.setattr(Matches, "FIRST_BATCH", 7)  # confirm in several batches
    expected = [c.pk for c in selectors.public_contracts(q=q)]
    matches = selectors.contract_matches(q=q)
    assert [c.pk for c in matches[0:21]] == expected[:21]
    assert [c.pk for c in matches[20:41]] == expected[20:41]  # the next page after the first
    assert matches.ids(1000) == expected
    assert matches.count_upto(10) == (min(len(expected), 10), len(expected) > 10)
    assert selectors.contract_matches(q=q).count_upto(100) == (len(expected), False)


def test_the_search_page_counts_contracts_up_to_its_cap(many, client, monkeypatch):
    monkeypatch.setattr(selectors, "SEARCH_CAP", 12)
    result = selectors.search(q="道路改善")
    assert (result.contract_count, result.contracts_capped) == (12, True)  # 20 match
    newest = [c.pk for c in selectors.public_contracts(q="道路改善")[:12]]
    assert sum(f["n"] for f in result.facets["kind"]) == 12
    assert {c.pk for c in result.contracts[0:10]} <= set(newest)
    page = client.get("/transparency/", {"q": "道路改善"}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    html = page.content.decode()
    assert "12 筆以上" in html
    assert "依最新 12 筆相符契約統計" in html
    monkeypatch.setattr(selectors, "SEARCH_CAP", 500)  # 20 match, under the cap: counted exactly, no note
    exact = selectors.search(q="人行道鋪面")
    assert (exact.contract_count, exact.contracts_capped) == (20, False)
    html = client.get("/transparency/", {"q": "人行道鋪面"}, HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert "筆以上" not in html and "依最新" not in html


def test_the_api_pages_a_search_and_caps_its_count(many, monkeypatch):
    from rest_framework.test import APIClient

    from rdec.core.api.pagination import MatchesPagination

    api = APIClient()
    expected = [c.pk for c in selectors.public_contracts(q="道路改善")]  # 20 of the 60
    body = api.get("/api/v1/transparency/contracts/", {"q": "道路改善", "page_size": 8}).json()
    assert (body["count"], body["count_capped"], body["previous"]) == (20, False, None)
    assert [r["id"] for r in body["results"]] == expected[:8]
    second = api.get(body["next"]).json()
    assert [r["id"] for r in second["results"]] == expected[8:16]
    last = api.get(second["next"]).json()
    assert [r["id"] for r in last["results"]] == expected[16:] and last["next"] is None
    assert "page=2" in last["previous"]
    monkeypatch.setattr(MatchesPagination, "COUNT_CAP", 10)
    capped = api.get("/api/v1/transparency/contracts/", {"q": "道路改善", "page_size": 8}).json()
    assert (capped["count"], capped["count_capped"]) == (10, True)
    beyond = api.get("/api/v1/transparency/contracts/", {"q": "道路改善", "page_size": 8, "page": 3}).json()
    assert (beyond["count"], beyond["count_capped"], beyond["next"]) == (20, False, None)
    plain = api.get("/api/v1/transparency/contracts/", {"page_size": 8}).json()
    assert (plain["count"], plain["count_capped"]) == (60, False)
