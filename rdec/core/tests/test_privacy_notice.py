"""個資告知 (個人資料保護法 §8): every form that collects personal data shows the short notice next to
its submit button — agency, purpose with its code, data categories, period/area/recipients/use, the
rights of §3, what happens if the data is not given — and links to the full notice at /privacy/."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hant"}
ITEMS = ["蒐集目的", "個人資料類別", "利用之期間、地區、對象及方式", "您的權利", "不提供之影響"]
RIGHTS = ["查詢或請求閱覽", "請求製給複製本", "請求補充或更正", "請求停止蒐集、處理或利用", "請求刪除"]


def notice_of(body: str) -> str:
    match = re.search(r'<section class="privacy-notice".*?</section>', body, re.S)
    assert match, "no personal-data notice"
    return match.group(0)


def assert_complete(notice: str, *codes: str) -> None:
    assert "臺中市政府研究發展考核委員會依個人資料保護法第8條規定告知" in notice
    for item in ITEMS + RIGHTS:
        assert item in notice, item
    for code in codes:
        assert code in notice
    assert 'href="/privacy/#' in notice


def test_the_petition_form_tells_before_the_submit_button(client):
    body = client.get(reverse("petitions:file"), **ZH).content.decode()
    notice = notice_of(body)
    assert_complete(notice, "〇一三 公共關係", "一六七 陳情、請願、檢舉案件處理", "C001 辨識個人者")
    assert "行政程序法第173條" in notice
    form = body.index('id="case-form"')
    assert form < body.index('data-testid="privacy-notice"') < body.index('type="submit"', form)


def test_the_1999_console_tells_the_agent_what_to_tell_the_caller(client, personas):
    client.force_login(personas.agent)
    notice = notice_of(client.get(reverse("petitions:console"), **ZH).content.decode())
    assert_complete(notice, "一六七 陳情、請願、檢舉案件處理")
    assert "請求來電民眾留下姓名前" in notice and "<details>" in notice


def test_the_data_request_form_tells(client, personas):
    client.force_login(personas.citizen)
    notice = notice_of(client.get(reverse("opendata:request-create"), **ZH).content.decode())
    assert_complete(notice, "〇一三 公共關係")


def test_the_full_notice_is_public_and_has_every_section(client):
    response = client.get(reverse("core:privacy"), **ZH)
    assert response.status_code == 200
    body = response.content.decode()
    for anchor in ('id="petition"', 'id="opendata"', 'id="account"', 'id="rights"'):
        assert anchor in body
    for text in ["〇一三 公共關係", "一三五 資（通）訊服務", "中華民國境內", "第13條", *RIGHTS]:
        assert text in body, text


def test_the_notice_reads_in_english_too(client):
    body = client.get("/en/privacy/").content.decode()
    assert "Personal data notice" in body and "013 public relations" not in body


def test_every_page_links_to_the_full_notice(client):
    body = client.get(reverse("core:home"), **ZH).content.decode()
    assert 'data-testid="privacy-link"' in body and 'href="/privacy/"' in body
