"""Contract PDFs for the document tests, made with WeasyPrint (Noto CJK): a natural person's ID
number, mobile, e-mail and home address on page 1, a company's name and 統一編號, and a page
without personal data."""

from __future__ import annotations

import functools
import io

from django.core.files.uploadedfile import SimpleUploadedFile

PERSON_ID = "A123456789"
MOBILE = "0912-345-678"
EMAIL = "daming@example.com"
HOME = "臺中市西屯區臺灣大道三段99號5樓"
COMPANY = "好棒工程股份有限公司"
TAX_ID = "12345678"
WITHHELD = (PERSON_ID, MOBILE, EMAIL, HOME)

_PAGE_1 = f"""
<h1>臺中市政府建設局 委託契約書</h1>
<p>甲方：臺中市政府建設局。乙方：{COMPANY}，統一編號 {TAX_ID}，公司地址：臺中市北屯區崇德路二段100號，
公司電話 04-2222-1234。</p>
<p>乙方連絡人：王大明，身分證字號：{PERSON_ID}，手機：{MOBILE}，電子郵件：{EMAIL}。</p>
<p>住址：{HOME}</p>
"""
_PAGE_2 = """<h2>第二條 履約期限</h2><p>乙方應於決標次日起一百二十日曆天內完成履約，契約金額新臺幣4,788,000元。</p>"""
_PAGE_3 = """<h2>附件 工作計畫書</h2><p>本計畫之營業秘密：專利製程參數與單價分析表。</p>"""


def html_pdf(*pages: str) -> bytes:
    import weasyprint

    body = "".join(
        f'<section style="page-break-before:{"always" if i else "auto"}">{p}</section>'
        for i, p in enumerate(pages)
    )
    html = f"<html><body style=\"font-family:'Noto Sans CJK TC';font-size:11pt\">{body}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


@functools.cache
def contract_pdf() -> bytes:
    """Page 1: the parties (personal data and the company); page 2: a clause without personal data."""
    return html_pdf(_PAGE_1, _PAGE_2)


@functools.cache
def annex_pdf() -> bytes:
    return html_pdf(_PAGE_3)


@functools.cache
def scanned_pdf() -> bytes:
    """A page that is only an image (a scan): no text."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (400, 560), "white").save(out, "PDF", resolution=50)
    return out.getvalue()


def upload(data: bytes, name: str = "契約書.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def texts(data: bytes) -> tuple[list[str], list[str]]:
    """Each page's text as pypdfium2 and as pypdf read it."""
    import pypdf
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    by_pdfium = [page.get_textpage().get_text_range() for page in pdf]
    by_pypdf = [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(data)).pages]
    return by_pdfium, by_pypdf
