"""The document-timeliness pages: KPI table with ranking and flags, drill-down, upload, half-year
report and its files, rules; scoping and refusals. The browser test is tests/browser/test_documents.py."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from rdec.documents.models import Document, ImprovementReport
from rdec.documents.tests.factories import document

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    document("construction", received="2026-03-02", closed="2026-03-03")
    document("construction", received="2026-02-12", closed="2026-03-03", doc_no="LATE-1")  # late
    document("environment", received="2026-03-02", closed="2026-03-02")


def test_the_kpi_page_ranks_and_flags(client, personas, data):
    client.force_login(personas.officer)
    body = client.get(reverse("documents:kpi-list"), {"month": "2026-03"}).content.decode()
    assert 'data-agency="construction" class="flagged"' in body
    assert 'data-testid="flag"' in body and "臺中市政府環境保護局" in body


def test_agency_staff_see_their_own_row_and_no_upload(client, personas, data):
    client.force_login(personas.staff)
    body = client.get(reverse("documents:kpi-list"), {"month": "2026-03"}).content.decode()
    assert 'data-agency="construction"' in body and 'data-agency="environment"' not in body
    assert client.get(reverse("documents:upload")).status_code == 403


def test_the_drill_down_lists_the_late_document(client, personas, data):
    client.force_login(personas.staff)
    body = client.get(
        reverse("documents:agency-detail", args=["construction"]), {"month": "2026-03"}
    ).content.decode()
    assert "LATE-1" in body


def test_another_agencys_drill_down_is_not_found(client, personas, data):
    client.force_login(personas.staff)
    assert client.get(reverse("documents:agency-detail", args=["environment"])).status_code == 404


def test_publishing_and_recording_an_improvement_report(client, personas, data):
    client.force_login(personas.officer)
    client.post(reverse("documents:publish-ranking"), {"month": "2026-03"})
    report = ImprovementReport.objects.get(agency__code="construction")
    response = client.post(
        reverse("documents:report-received", args=[report.pk]),
        {"received_on": "2026-04-20", "note": "已究責"},
    )
    report.refresh_from_db()
    assert response.status_code == 302 and str(report.received_on) == "2026-04-20"


def test_the_upload_page_reports_errors_by_row_and_column(client, personas):
    client.force_login(personas.officer)
    upload = io.BytesIO(
        "doc_no,agency,doc_class,speed,received_on,due_on,closed_on\nA1,建設局,一般公文,快件,115/03/02,,\n".encode()
    )
    upload.name = "docs.csv"
    response = client.post(reverse("documents:upload"), {"file": upload})
    assert response.status_code == 400 and "speed" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "pdf"])
def test_the_half_year_report_files(client, personas, data, fmt):
    client.force_login(personas.officer)
    response = client.get(reverse("documents:half-year-file", args=[fmt]), {"year": 2026, "half": 1})
    assert response.status_code == 200
    assert response.content[:4] in (b"PK\x03\x04", b"%PDF")


def test_the_half_year_xlsx_ranks_the_agency_group(client, personas, data):
    from openpyxl import load_workbook

    client.force_login(personas.officer)
    response = client.get(reverse("documents:half-year-file", args=["xlsx"]), {"year": 2026, "half": 1})
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in ws[2]][:5] == [1, "臺中市政府環境保護局", 1, 0, 0]
    assert [c.value for c in ws[3]][:5] == [2, "臺中市政府建設局", 2, 1, 50]


def test_the_half_year_page_and_the_site_check_choice(client, personas, data):
    client.force_login(personas.officer)
    response = client.post(reverse("documents:site-checks-select"), {"year": 2026, "half": 1})
    body = client.get(reverse("documents:half-year"), {"year": 2026, "half": 1}).content.decode()
    assert (
        response.status_code == 302
        and 'data-testid="site-check-table"' in body
        and "臺中市政府建設局" in body
    )


def test_agency_staff_cannot_read_the_half_year_report(client, personas):
    client.force_login(personas.staff)
    assert client.get(reverse("documents:half-year")).status_code == 403


def test_the_rules_page_shows_the_sources(client, personas):
    client.force_login(personas.staff)
    assert "GL000140" in client.get(reverse("documents:rule-list")).content.decode()
