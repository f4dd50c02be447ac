"""Words as a zh-Hant reader expects them: no label suffix after a question (「滿意程度？：」), a
natural login error (not Django's 「輸入正確的 使用者名稱 和密碼」), full-width colons in Chinese."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[2] / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"


def test_a_question_label_gets_no_colon():
    from rdec.petitions.forms import RateForm

    with translation.override("zh-hant"):
        form = RateForm()
        legend = str(form["score"].legend_tag())
        comment = str(form["comment"].label_tag())
    assert "滿意程度？<" in legend and "？：" not in legend
    assert "意見：<" in comment or "：</label>" in comment  # other labels keep the full-width colon


def test_the_login_error_reads_naturally(client, personas):
    response = client.post(
        reverse("core:login"),
        {"username": personas.staff.username, "password": "wrong-password-1234"},
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )
    body = response.content.decode()
    assert "或密碼不正確，請重新輸入（英文大小寫視為不同）。" in body
    assert "輸入正確的 " not in body


def test_the_zh_hant_catalogue_has_no_half_width_colon_after_chinese():
    import polib

    allowed = {"Cannot read “%(part)s” in fq; write field:value."}  # the fq syntax itself
    after_chinese = re.compile(r"[\u4e00-\u9fff）」]\s*:(?!//)")
    bad = [
        e.msgid
        for e in polib.pofile(str(PO))
        if not e.obsolete
        and e.msgid not in allowed
        and any(after_chinese.search(s) for s in [e.msgstr, *e.msgstr_plural.values()] if s)
    ]
    assert bad == []


def test_no_doubled_punctuation_in_the_zh_hant_catalogue():
    import polib

    doubled = re.compile(r"[？！。：，][：，。]")
    bad = [
        e.msgid
        for e in polib.pofile(str(PO))
        if not e.obsolete
        and e.msgid != ":?.!"  # the characters after which Django adds no label suffix
        and any(doubled.search(s) for s in [e.msgstr, *e.msgstr_plural.values()] if s)
    ]
    assert bad == []
