"""Case text search: two-character Chinese words inside longer text, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from rdec.petitions import selectors
from rdec.petitions.search import tokens
from rdec.petitions.tests.factories import file

pytestmark = pytest.mark.django_db


def test_tokens_are_character_pairs_and_latin_words():
    assert tokens("路燈不亮 LED 3號") == ["3", "led", "不亮", "燈不", "號", "路燈"]


def test_a_two_character_word_finds_cases_containing_it(personas):
    lamp, _ = file(code="light-out", subject="文心路路燈不亮", description="晚上整排路燈都不亮，很危險。")
    hole, _ = file(subject="坑洞", description="路面有大坑洞。")
    found = set(selectors.inbox_for(personas.officer, status="all", q="路燈"))
    assert lamp in found and hole not in found


def test_the_pairs_must_be_adjacent_in_the_text(personas):
    # 路燈 and 燈不 both occur, but not as 路燈不
    case, _ = file(code="light-out", subject="路燈", description="燈不夠亮")
    assert case not in set(selectors.inbox_for(personas.officer, status="all", q="路燈不"))
    assert case in set(selectors.inbox_for(personas.officer, status="all", q="燈不夠"))


def test_a_case_number_finds_that_case(personas):
    case, _ = file()
    assert list(selectors.inbox_for(personas.officer, status="all", q=case.number)) == [case]


def test_search_stays_within_the_users_agency(personas):
    file(subject="路燈不亮", description="路燈壞了")
    assert list(selectors.inbox_for(personas.other_staff, status="all", q="路燈")) == []


@pytest.mark.parametrize(
    "path",
    ["rare", "common, walked", "common elsewhere, from the pair index"],
)
@pytest.mark.parametrize("query", ["人行道", "行道"])
def test_a_word_finds_the_same_cases_newest_first_whichever_way_it_is_answered(
    personas, monkeypatch, path, query
):
    """PostgreSQL answers a rare word from the pair index, a common one present in the user's newest
    cases by walking them, and a common one absent from them from the pair index with walks off:
    each gives every match, newest first, and nothing else (SQLite: a substring match)."""
    from rdec.petitions import search

    pairs = set(search.tokens(query))
    monkeypatch.setattr(search, "common_pairs", lambda: frozenset() if path == "rare" else frozenset(pairs))
    monkeypatch.setattr(search, "PAGE", 1 if path == "common, walked" else 10)
    first, _ = file(subject="人行道破損", description="人行道磁磚破損")
    second, _ = file(subject="行道樹", description="人行道上的行道樹倒了")
    third, _ = file(subject="道路", description="人行的道路")  # 人行 and 行道 but not 人行道
    found = list(selectors.inbox_for(personas.officer, status="all", q=query))
    assert found == [second, first]
    assert third not in found


def test_a_common_word_in_another_agencys_cases_is_not_found_in_mine(personas, monkeypatch):
    from rdec.petitions import search

    monkeypatch.setattr(search, "common_pairs", lambda: frozenset({"噪音"}))
    file(code="noise-business", subject="噪音", description="夜間噪音")  # 環保局
    assert list(selectors.inbox_for(personas.staff, status="all", q="噪音")) == []
    assert len(selectors.inbox_for(personas.other_staff, status="all", q="噪音")) == 1


def test_a_search_result_page_knows_its_next_page_without_counting(personas):
    from rdec.core.paginator import WindowPaginator

    cases = [file(subject=f"路燈不亮 {i}", description="路燈")[0] for i in range(5)]
    qs = selectors.inbox_for(personas.officer, status="all", q="路燈")
    first = WindowPaginator(qs, 2).get_page(1)
    assert [c.pk for c in first] == [c.pk for c in reversed(cases)][:2]
    assert first.has_next() and not first.has_previous() and first.paginator.count is None
    last = WindowPaginator(qs, 2).get_page("3")
    assert len(last) == 1 and not last.has_next() and last.has_previous()
    assert WindowPaginator(qs, 2).get_page("x").number == 1
    assert WindowPaginator(qs, 2).get_page(99).number == 1  # past the end: the first page


def test_a_word_common_elsewhere_finds_my_agencys_and_co_agency_cases_only(personas, monkeypatch):
    """The scope-rare path: the word is among the city's most common pairs but fills no page of
    the user's newest cases; the pairs-and-agency lookup and the co-agency cases answer it."""
    from rdec.core.models import Agency
    from rdec.petitions import search, services

    monkeypatch.setattr(search, "common_pairs", lambda: frozenset({"噪音"}))
    monkeypatch.setattr(search, "PAGE", 10)
    mine, _ = file(code="pothole", subject="施工噪音", description="道路施工噪音很大")  # 建設局
    theirs, _ = file(code="noise-business", subject="噪音", description="夜間噪音")  # 環保局
    shared, _ = file(code="noise-construction", subject="工地噪音", description="工地噪音")  # 環保局 …
    services.add_co_agency(shared, actor=personas.officer, agency=Agency.objects.get(code="construction"))
    found = set(selectors.inbox_for(personas.staff, status="all", q="噪音"))
    assert found == {mine, shared} and theirs not in found
