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


@pytest.mark.parametrize("probe", [1, 5000])
def test_a_phrase_finds_the_same_cases_newest_first_whether_it_is_rare_or_common(
    personas, monkeypatch, probe
):
    """PostgreSQL answers a rare phrase from the pair index and a common one by walking the newest
    cases (PROBE decides): both give every match, newest first, and nothing else."""
    from rdec.petitions import search

    monkeypatch.setattr(search, "PROBE", probe)
    first, _ = file(subject="人行道破損", description="人行道磁磚破損")
    second, _ = file(subject="行道樹", description="人行道上的行道樹倒了")
    file(subject="道路", description="人行的道路")  # 人行 and 行道 but not 人行道
    found = list(selectors.inbox_for(personas.officer, status="all", q="人行道"))
    assert found == [second, first]


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
