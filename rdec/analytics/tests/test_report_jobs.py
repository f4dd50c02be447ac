"""The 質量分析報告 as users get it: asked for on the page or the API, built by the background
job (in-process here) with its progress recorded, shown with its charts, and downloaded as a PDF
and spreadsheets whose Chinese text and numbers match the page. RDEC sees every report, agency
staff only their agency's."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from rdec.analytics import tasks
from rdec.analytics.models import Report
from rdec.analytics.tests import report_data
from rdec.core.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(personas):
    report_data.generate(seed=5, slow_agency="environment", seasonal="ditch", repeat_phone=True)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _request(client, **fields) -> Report:
    body = {"period": "month", "day": "2026-07-01", **fields}
    response = client.post(reverse("analytics:report-list"), body)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Report.objects.latest("id")


@pytest.fixture
def city_report(data, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = _request(_client(personas.officer))
    report.refresh_from_db()
    assert report.status == Report.Status.DONE, report.error
    return report


def test_the_rdec_asks_for_a_city_report_and_reads_it_with_charts(city_report, personas):
    assert (city_report.progress, city_report.start, city_report.end) == (
        100,
        datetime.date(2026, 7, 1),
        datetime.date(2026, 7, 31),
    )
    page = _client(personas.officer).get(reverse("analytics:report-detail", args=[city_report.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('<svg class="chart"') >= 3
    for line in city_report.summary:
        assert line in html
    env = Agency.objects.get(code="environment")
    assert any(env.name in line for line in city_report.summary)


def test_the_dimension_fragment_switches_the_breakdown(city_report, personas):
    client = _client(personas.officer)
    url = reverse("analytics:report-dimension", args=[city_report.pk])
    html = client.get(url, {"dim": "channel", "compare": "last_year"}).content.decode()
    assert 'data-chart="chart-channel"' in html
    for row in city_report.figures["by"]["channel"]:
        assert f'data-value="{row["current"]}"' in html
    assert client.get(url, {"dim": "nonsense"}).status_code == 404


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_pdf_holds_the_summary_and_the_numbers_of_the_page(city_report, personas):
    from pypdf import PdfReader

    client = _client(personas.officer)
    response = client.get(reverse("analytics:report-file", args=[city_report.pk, "pdf"]))
    data = b"".join(response.streaming_content)
    assert data.startswith(b"%PDF-")
    text = re.sub(r"\s+", "", _pdf_text(data))
    for line in city_report.summary:
        assert re.sub(r"\s+", "", line) in text
    page = client.get(reverse("analytics:report-detail", args=[city_report.pk])).content.decode()
    f = city_report.figures
    for value in (f["volume"]["current"], f["timeliness"]["replied"], f["satisfaction"]["ratings"]):
        assert f'<td class="num">{value}</td>' in page
        assert str(value) in text
    reader = PdfReader(io.BytesIO(data))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for p in reader.pages
        for font in p["/Resources"]["/Font"].values()
    }
    assert any("Noto-Sans-CJK" in name for name in fonts)


def test_the_spreadsheets_open_with_one_sheet_per_table_and_match(city_report, personas):
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table, TableRow
    from openpyxl import load_workbook

    client = _client(personas.officer)
    xlsx = b"".join(
        client.get(reverse("analytics:report-file", args=[city_report.pk, "xlsx"])).streaming_content
    )
    ods = b"".join(
        client.get(reverse("analytics:report-file", args=[city_report.pk, "ods"])).streaming_content
    )
    wb = load_workbook(io.BytesIO(xlsx))
    f = city_report.figures
    assert len(wb.sheetnames) == 17
    summary_sheet, volume_sheet = wb.worksheets[0], wb.worksheets[1]
    assert [r[0].value for r in summary_sheet.iter_rows(min_row=2)] == city_report.summary
    assert volume_sheet.cell(2, 4).value == f["volume"]["current"]
    assert volume_sheet.cell(3, 4).value == f["volume"]["previous"]
    agencies = {row[0].value: row[2].value for row in wb.worksheets[8].iter_rows(min_row=2)}
    assert agencies == {r["code"]: r["current"] for r in f["by"]["agency"]}
    doc = load(io.BytesIO(ods))
    sheets = doc.spreadsheet.getElementsByType(Table)
    assert len(sheets) == 17
    rows = [teletype.extractText(r) for r in sheets[0].getElementsByType(TableRow)]
    assert rows[1:] == city_report.summary
    volume_rows = sheets[1].getElementsByType(TableRow)
    assert teletype.extractText(volume_rows[1]).endswith(str(f["volume"]["current"]))


def test_the_phone_number_of_a_repeat_petitioner_is_in_no_file(city_report):
    for fmt in ("xlsx", "ods"):
        blob = getattr(city_report, fmt).read()
        import zipfile

        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            assert not any(report_data.REPEAT_PHONE.encode() in z.read(n) for n in z.namelist())
    assert report_data.REPEAT_PHONE not in _pdf_text(city_report.pdf.read())


def test_agency_staff_get_their_agencys_report_only(data, personas, django_capture_on_commit_callbacks):
    staff = _client(personas.staff)  # 建設局
    with django_capture_on_commit_callbacks(execute=True):
        mine = _request(staff)  # no agency chosen: their own
    mine.refresh_from_db()
    assert mine.agency == personas.staff.agency
    assert mine.figures["scope"]["kind"] == "agency"
    env = Agency.objects.get(code="environment")
    response = staff.post(
        reverse("analytics:report-list"), {"period": "month", "day": "2026-07-01", "agency": env.pk}
    )
    assert response.status_code == 400  # not a choice they are offered
    with django_capture_on_commit_callbacks(execute=True):
        theirs = _request(_client(personas.other_staff))
    assert staff.get(reverse("analytics:report-detail", args=[theirs.pk])).status_code == 404
    assert staff.get(reverse("analytics:report-file", args=[theirs.pk, "pdf"])).status_code == 404
    listed = staff.get(reverse("analytics:report-list")).content.decode()
    assert reverse("analytics:report-detail", args=[mine.pk]) in listed
    assert reverse("analytics:report-detail", args=[theirs.pk]) not in listed
    officer = _client(personas.officer).get(reverse("analytics:report-list")).content.decode()
    assert reverse("analytics:report-detail", args=[theirs.pk]) in officer


def test_citizens_and_call_agents_may_not_see_reports(personas):
    for user in (personas.citizen, personas.agent):
        assert _client(user).get(reverse("analytics:report-list")).status_code == 403


def test_progress_is_polled_until_done_then_the_page_reloads(personas):
    report = Report.objects.create(
        period="month", start=datetime.date(2026, 7, 1), end=datetime.date(2026, 7, 31)
    )
    client = _client(personas.officer)
    url = reverse("analytics:report-progress", args=[report.pk])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in html
    tasks.run_report(report.pk)
    report.refresh_from_db()
    assert report.status == "done" and report.progress == 100 and report.seconds is not None
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_a_failing_build_is_recorded_on_the_report(personas, monkeypatch):
    from rdec.analytics import report as compute

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(compute, "compute", broken)
    report = Report.objects.create(
        period="month", start=datetime.date(2026, 7, 1), end=datetime.date(2026, 7, 31)
    )
    tasks.run_report(report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and "database went away" in report.error
    page = _client(personas.officer).get(reverse("analytics:report-detail", args=[report.pk]))
    assert "database went away" in page.content.decode()


# --- API ------------------------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_creates_lists_and_shows_reports_scoped(data, personas, django_capture_on_commit_callbacks):
    officer = _api(personas.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(
            "/api/v1/analytics/reports/",
            {"period": "quarter", "day": "2026-08-10", "district": "66000060"},
            format="json",
        )
    assert response.status_code == 202, response.content
    pk = response.json()["id"]
    detail = officer.get(f"/api/v1/analytics/reports/{pk}/").json()
    assert detail["status"] == "done" and detail["progress"] == 100
    assert (detail["start"], detail["end"], detail["district"]) == ("2026-07-01", "2026-09-30", "66000060")
    assert detail["figures"]["scope"]["kind"] == "district"
    assert set(detail["files"]) == {"pdf", "xlsx", "ods"}
    assert [r["id"] for r in officer.get("/api/v1/analytics/reports/").json()] == [pk]
    staff = _api(personas.staff)
    assert staff.get("/api/v1/analytics/reports/").json() == []
    assert staff.get(f"/api/v1/analytics/reports/{pk}/").status_code == 404
    assert (
        staff.post(
            "/api/v1/analytics/reports/", {"period": "month", "day": "2026-07-01"}, format="json"
        ).status_code
        == 202
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "week", "day": "2026-07-01"}, "period"),
        ({"period": "month", "day": "1999-13-01"}, "day"),
        ({"period": "month", "day": "1800-01-01"}, "day"),
        ({"period": "month", "day": "2026-07-01", "agency": "nope"}, "agency"),
        ({"period": "month", "day": "2026-07-01", "district": "nope"}, "district"),
        (
            {"period": "month", "day": "2026-07-01", "agency": "environment", "district": "66000060"},
            "district",
        ),
    ],
)
def test_bad_requests_get_400_naming_the_field(personas, body, field):
    response = _api(personas.officer).post("/api/v1/analytics/reports/", body, format="json")
    assert response.status_code == 400 and field in response.json()["errors"]


def test_agency_staff_may_not_ask_for_another_agencys_or_the_citys_report(personas):
    staff = _api(personas.staff)
    body = {"period": "month", "day": "2026-07-01", "agency": "environment"}
    assert staff.post("/api/v1/analytics/reports/", body, format="json").status_code == 403
    body = {"period": "month", "day": "2026-07-01", "district": "66000060"}
    assert staff.post("/api/v1/analytics/reports/", body, format="json").status_code == 403
    assert _api(personas.citizen).get("/api/v1/analytics/reports/").status_code == 403


# Latin words a zh-Hant report may show: file formats and units, not sentences.
ALLOWED_LATIN = {"PDF", "Excel", "xlsx", "ODF", "ods"}


def _english_words(text: str) -> set[str]:
    text = re.sub(r"\bP-[0-9a-f]{8}\b", "", text)  # a repeat petitioner's pseudonym (P-41ccf389)
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED_LATIN}


def test_the_report_reads_in_chinese_in_its_page_charts_and_pdf(city_report, personas):
    """No English on the zh-Hant report: chart legends and tooltips come from gettext, dates are ROC
    and a period reads 115年7月1日至115年7月31日 (the PDF is made by WeasyPrint, read back with pypdf)."""
    from html.parser import HTMLParser

    client = _client(personas.officer)
    pdf = b"".join(
        client.get(reverse("analytics:report-file", args=[city_report.pk, "pdf"])).streaming_content
    )
    pdf_text = _pdf_text(pdf)
    assert _english_words(pdf_text) == set(), pdf_text[:3000]
    compact = re.sub(r"\s+", "", pdf_text)
    assert "115年7月1日至115年7月31日" in compact
    assert "2026-07" not in compact, compact[compact.index("2026-07") - 200 : compact.index("2026-07") + 100]

    class Text(HTMLParser):
        def __init__(self):
            super().__init__()
            self.chunks, self.skip = [], 0

        def handle_starttag(self, tag, attrs):
            self.skip += tag in {"script", "style"}

        def handle_endtag(self, tag):
            self.skip -= tag in {"script", "style"}

        def handle_data(self, data):
            if not self.skip:
                self.chunks.append(data)

    html = client.get(reverse("analytics:report-detail", args=[city_report.pk])).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    parser = Text()
    parser.feed(main)
    shown = " ".join(parser.chunks)
    assert _english_words(shown) == set(), shown[:3000]
    assert not re.search(r"\b20\d\d-\d\d", shown), "an ISO date or month on the zh-Hant page"
    assert "115年7月1日至115年7月31日" in shown
    charts = re.findall(r"<svg class=\"chart\".*?</svg>", main, re.S)
    assert charts and all(not _english_words(re.sub(r"<[^>]+>", " ", c)) for c in charts)
