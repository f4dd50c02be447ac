from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from rdec.opendata import search, selectors

CJK = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=2, max_size=30)


@given(CJK, st.data())
def test_every_two_character_word_inside_a_text_is_one_of_its_pairs(text, data):
    start = data.draw(st.integers(min_value=0, max_value=len(text) - 2))
    assert text[start : start + 2] in search.bigrams(text)


def test_latin_words_and_numbers_are_kept_lower_cased():
    assert search.bigrams("臺中市 CSV 104年") == sorted({"臺中", "中市", "csv", "104", "年"})


@given(st.integers(min_value=2000, max_value=2100), st.integers(min_value=1, max_value=4))
def test_a_quarter_ends_on_the_last_day_of_its_third_month(year, quarter):
    end = selectors._quarter_end(year, quarter)
    assert end.month == quarter * 3
    assert (end + datetime.timedelta(days=1)).day == 1
