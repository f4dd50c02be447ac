"""The council written report as files: each opens in its own library and carries the Chinese texts
in the council's order; the PDF embeds the Noto CJK font."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse

from rdec.tracking import reports, services
from rdec.tracking.models import CouncilSession, Item
from rdec.tracking.tests.factories import item

pytestmark = pytest.mark.django_db

TEXTS = ["停車費率已完成檢討並公告實施。", "校舍耐震補強已完成十二校。"]


@pytest.fixture
def session(personas):
    previous = CouncilSession.objects.create(
        term=4, number=7, opens_on=datetime.date(2026, 4, 14), closes_on=datetime.date(2026, 6, 20)
    )
    coming = CouncilSession.objects.create(
        term=4, number=8, opens_on=datetime.date(2026, 12, 15), closes_on=datetime.date(2027, 2, 10)
    )
    second = item(
        personas.officer,
        source=Item.Source.COUNCIL_RESOLUTION,
        council_session=previous,
        council_number=2,
        title="請市府加速辦理國中小校舍耐震補強。",
    )
    first = item(
        personas.officer,
        source=Item.Source.COUNCIL_RESOLUTION,
        council_session=previous,
        council_number=1,
        title="請市府檢討停車費率調整方案。",
    )
    services.save_council_text(coming, first, actor=personas.officer, text=TEXTS[0])
    services.save_council_text(coming, second, actor=personas.officer, text=TEXTS[1])
    return coming


def test_the_report_lists_resolutions_in_the_councils_order(session):
    report = reports.council_report(session)
    assert [r.number for r in report.rows] == ["1", "2"]
    assert [r.text for r in report.rows] == TEXTS


def test_the_docx_opens_and_holds_the_texts_in_order(session):
    import docx

    document = docx.Document(io.BytesIO(reports.build_council_report(session, "docx")))
    cells = [row.cells[-1].text for row in document.tables[0].rows[1:]]
    assert cells == TEXTS
    assert document.tables[0].rows[1].cells[2].text == "請市府檢討停車費率調整方案。"


def test_the_odt_opens_and_holds_the_texts(session):
    from odf import teletype
    from odf.opendocument import load
    from odf.table import TableRow

    document = load(io.BytesIO(reports.build_council_report(session, "odt")))
    rows = [teletype.extractText(r) for r in document.getElementsByType(TableRow)]
    assert TEXTS[0] in rows[1] and TEXTS[1] in rows[2]


def test_the_pdf_embeds_the_cjk_font_and_its_text_extracts(session):
    from pypdf import PdfReader

    data = reports.build_council_report(session, "pdf")
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert TEXTS[0] in text and TEXTS[1] in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto-Sans-CJK" in name for name in fonts)
    descendants = [
        font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/DescendantFonts" in font.get_object()
    ]
    assert any(("/FontFile2" in d or "/FontFile3" in d) for d in descendants)


@pytest.mark.parametrize(("fmt", "magic"), [("pdf", b"%PDF-"), ("odt", b"PK"), ("docx", b"PK")])
def test_the_rdec_downloads_each_format(personas, session, fmt, magic):
    client = Client()
    client.force_login(personas.officer)
    response = client.get(reverse("tracking:council-report", args=[session.pk, fmt]))
    assert response.status_code == 200
    assert response.content.startswith(magic)
    assert response["Content-Type"] == reports.MIME[fmt]
