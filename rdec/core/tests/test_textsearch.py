"""The character pairs of rdec.core.textsearch (no database: see rdec/transparency/tests/test_search.py
for the matching on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rdec.core import textsearch

CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=2, max_size=40)


@given(CJK, st.data())
def test_every_two_character_word_inside_a_text_is_one_of_its_pairs(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 2))
    assert text[start : start + 2] in textsearch.pairs_text(text).split()


@given(CJK, st.data())
def test_every_word_inside_a_text_has_all_its_index_terms_there(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 2))
    end = data.draw(st.integers(min_value=start + 2, max_value=len(text)))
    assert set(textsearch.indexed_terms(text[start:end])) <= set(textsearch.bigrams(text))


def test_pairs_of_chinese_runs_and_lower_cased_latin_words():
    assert textsearch.bigrams("路燈不亮 LED 104年") == sorted({"路燈", "燈不", "不亮", "led", "104", "年"})
    assert textsearch.pairs_text("路燈不亮") == "不亮 燈不 路燈"


def test_a_run_ends_at_anything_not_chinese_so_two_fields_make_no_pair():
    assert "路燈" not in textsearch.bigrams("北區路\n燈光公司")
    assert "路燈" not in textsearch.bigrams("北區路", "燈光公司")
    assert "路燈" not in textsearch.bigrams("北區路，燈光")


def test_a_query_is_cut_to_its_first_words_and_each_word_to_fifty_characters():
    assert textsearch.query_words(" 路燈  鋪面 ") == ["路燈", "鋪面"]
    assert textsearch.query_words("一二 三四 五六 七八 九十 十一") == ["一二", "三四", "五六", "七八", "九十"]
    assert textsearch.query_words("a b c", max_words=2) == ["a", "b"]
    assert textsearch.query_words("路" * 80) == ["路" * 50]
    assert textsearch.query_words("") == textsearch.query_words(None) == []


@pytest.mark.parametrize(
    ("word", "terms"),
    [
        ("路燈", ["路燈"]),  # one pair: the index answers alone
        ("LED", ["led"]),
        ("人行道鋪面", ["人行", "行道", "道鋪", "鋪面"]),  # confirmed in the text
        ("燈", []),  # one character: a substring match
        ("—", []),
        ("A4紙", ["a4"]),  # 紙 is inside a longer run in a text: no term
    ],
)
def test_the_index_terms_of_a_word(word, terms):
    assert textsearch.indexed_terms(word) == terms


def test_pairs_match_names_the_vector_column_of_the_pairs_column():
    match = textsearch.PairsMatch(
        textsearch.F("search_pairs"), textsearch.Value("路燈"), pairs_column="search_pairs"
    )
    assert (match.pairs_column, match.vector_column) == ("search_pairs", "search_vector")
