"""Proposing redactions and making the public copy (pure functions): a natural person's data found,
a company's never; the withheld text gone from the copy for any text extractor, the rest kept."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from rdec.transparency.services import documents
from rdec.transparency.tests import document_samples as s


def test_it_proposes_a_persons_id_mobile_email_and_home_address():
    candidates = documents.propose(documents.extract_pages(s.contract_pdf()))
    assert {(c.page, c.text, c.kind) for c in candidates} == {
        (1, s.PERSON_ID, "id"),
        (1, s.MOBILE, "phone"),
        (1, s.EMAIL, "email"),
        (1, s.HOME, "address"),
    }


def test_it_never_proposes_a_companys_name_tax_id_address_or_landline():
    text = (
        f"乙方：{s.COMPANY}，統一編號 {s.TAX_ID}，公司地址：臺中市北屯區崇德路二段100號，"
        "公司電話 04-2222-1234，服務信箱 service@good.com.tw"
    )
    assert documents.find_personal_data(text) == []


def test_an_id_number_with_a_wrong_check_digit_is_not_proposed():
    assert documents.find_personal_data("身分證字號 A123456788") == []


def test_an_address_needs_a_house_number():
    assert documents.find_personal_data("住址：臺中市西屯區臺灣大道三段") == []
    assert documents.find_personal_data("住在西屯區文心路一段5巷3弄7號2樓") == [
        ("address", "西屯區文心路一段5巷3弄7號2樓")
    ]


def test_the_public_copy_holds_none_of_the_withheld_text():
    original = s.contract_pdf()
    candidates = documents.propose(documents.extract_pages(original))
    copy = documents.redact_pdf(original, [(c.page, c.text) for c in candidates])
    by_pdfium, by_pypdf = s.texts(copy)
    for text in (*by_pdfium, *by_pypdf):
        for withheld in s.WITHHELD:
            assert withheld not in text
    assert "履約期限" in by_pdfium[1] and "履約期限" in by_pypdf[1]  # the other page's text survives


def test_the_public_copy_keeps_the_pages_and_their_size():
    original = s.contract_pdf()
    copy = documents.redact_pdf(original, [(1, s.PERSON_ID)])
    sizes = [page.get_size() for page in pdfium.PdfDocument(copy)]
    assert sizes == [page.get_size() for page in pdfium.PdfDocument(original)]


def test_a_string_withheld_on_one_page_is_withheld_on_every_page():
    original = s.html_pdf(f"<p>電話 {s.MOBILE}</p>", f"<p>再寫一次 {s.MOBILE}</p>")
    by_pdfium, by_pypdf = s.texts(documents.redact_pdf(original, [(1, s.MOBILE)]))
    assert not any(s.MOBILE in t for t in (*by_pdfium, *by_pypdf))


def test_the_redacted_page_is_black_where_the_text_was():
    original = s.html_pdf(f'<p style="font-size:40pt">ID {s.PERSON_ID}</p>')
    pdf = pdfium.PdfDocument(original)
    textpage = pdf[0].get_textpage()
    index, _count = textpage.search(s.PERSON_ID).get_next()
    left, bottom, right, top = textpage.get_charbox(index + 3)
    copy = pdfium.PdfDocument(documents.redact_pdf(original, [(1, s.PERSON_ID)]))
    image = copy[0].render(scale=1).to_pil().convert("L")
    width, height = copy[0].get_size()
    assert image.getpixel((int((left + right) / 2), int(height - (bottom + top) / 2))) < 30


@given(
    st.text(alphabet="甲乙丙0123456789-", max_size=40),
    st.lists(st.text(alphabet="甲乙0123456789", min_size=1, max_size=6), max_size=4),
)
def test_the_public_text_never_holds_a_withheld_string(text, withheld):
    masked = documents.mask_public_text(text, withheld)
    assert len(masked) == len(text)
    assert not any(w in masked for w in withheld)


def test_a_damaged_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        documents.extract_pages(b"%PDF-1.7\nnot really")
    assert error.value.error_dict["document"][0].code == "file_damaged"


def test_the_pages_keep_their_order_around_a_redacted_page():
    original = s.html_pdf("<p>第一頁甲</p>", f"<p>第二頁 {s.PERSON_ID}</p>", "<p>第三頁丙</p>")
    by_pdfium, by_pypdf = s.texts(documents.redact_pdf(original, [(2, s.PERSON_ID)]))
    assert ["第一頁甲" in by_pdfium[0], by_pdfium[1], "第三頁丙" in by_pdfium[2]] == [True, "", True]
    assert "第三頁丙" in by_pypdf[2] and s.PERSON_ID not in "".join(by_pypdf)


def test_a_page_marked_without_its_text_is_still_replaced_by_an_image():
    original = s.html_pdf("<p>第一頁</p>", "<p>第二頁</p>")
    by_pdfium, _by_pypdf = s.texts(documents.redact_pdf(original, [(2, "不在這頁的字")]))
    assert "第一頁" in by_pdfium[0] and by_pdfium[1] == ""
