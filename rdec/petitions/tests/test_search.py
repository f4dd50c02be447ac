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
