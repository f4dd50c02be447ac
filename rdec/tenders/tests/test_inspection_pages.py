"""The inspection pages, files and API: recording through the page, scoping, the statistics
workbook, the coverage and planning page, the scoped API with 400 on bad filters; the demo."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from rdec.tenders import demo, inspection_selectors
from rdec.tenders.models import Inspection
from rdec.tenders.tests.factories import inspection, tender

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def data(personas):
    today = timezone.localdate()
    c1 = tender("construction", number="C1", name="大里區道路工程", started_on=today.replace(month=1, day=1))
    e1 = tender("environment", number="E1", name="環保局排水工程", started_on=today.replace(month=1, day=1))
    inspection(personas.officer, c1, today, 65, codes=["8.01"])
    inspection(personas.officer, e1, today, 88)
    return personas


def test_the_staff_record_an_inspection_with_findings_on_the_page(client, data):
    client.force_login(data.staff)
    today = timezone.localdate()
    response = client.post(
        reverse("tenders:inspection-create"),
        {
            "tender": "C1", "inspected_on": today.isoformat(), "work_type": "road", "members": "甲\n乙",
            "score": "78.5", "findings-TOTAL_FORMS": "2", "findings-INITIAL_FORMS": "0",
            "findings-0-code": "8.01", "findings-0-points": "", "findings-1-code": "4.02.03",
            "findings-1-points": "4",
        },
    )  # fmt: skip
    assert response.status_code == 302
    created = Inspection.objects.get(score="78.5")
    assert (created.grade, created.findings.count()) == ("B", 2)
    body = client.get(response["Location"]).content.decode()
    assert 'data-testid="finding-row"' in body and "78.50" in body


def test_recording_another_agencys_tender_is_refused_with_400(client, data):
    client.force_login(data.staff)
    response = client.post(
        reverse("tenders:inspection-create"),
        {"tender": "E1", "inspected_on": timezone.localdate().isoformat(), "work_type": "road", "members": "甲",
         "score": "80", "findings-TOTAL_FORMS": "0", "findings-INITIAL_FORMS": "0"},
    )  # fmt: skip
    assert response.status_code == 400


def test_the_list_and_the_pages_are_scoped(client, data):
    client.force_login(data.staff)
    body = client.get(reverse("tenders:inspection-list")).content.decode()
    assert body.count('data-testid="inspection-row"') == 1 and "C1" in body
    other = Inspection.objects.get(tender__number="E1")
    assert client.get(reverse("tenders:inspection-detail", args=[other.pk])).status_code == 404
    mine = Inspection.objects.get(tender__number="C1")
    page = client.get(reverse("tenders:inspection-detail", args=[mine.pk])).content.decode()
    assert 'data-testid="consequence-form"' in page  # 丙等: consequences to record


def test_coverage_planning_and_statistics_pages(client, data):
    client.force_login(data.officer)
    body = client.get(reverse("tenders:inspection-coverage")).content.decode()
    assert 'data-testid="coverage-inspections">2<' in body and 'data-testid="planning-row"' in body
    body = client.get(reverse("tenders:inspection-statistics")).content.decode()
    assert 'data-testid="top-code-row"' in body
    assert client.get(reverse("tenders:inspection-rule-list")).status_code == 200


def test_the_statistics_workbook(client, data):
    client.force_login(data.officer)
    year = timezone.localdate().year
    response = client.get(reverse("tenders:inspection-statistics-file", args=["xlsx"]), {"year": year})
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 6
    assert wb.worksheets[0]["A2"].value == "8.01"
    assert client.get(reverse("tenders:inspection-statistics-file", args=["ods"])).status_code == 200


def test_citizens_may_not_see_inspections(client, data):
    client.force_login(data.citizen)
    assert client.get(reverse("tenders:inspection-list")).status_code == 403


def test_the_api_lists_the_callers_inspections(client, data):
    client.force_login(data.staff)
    body = client.get("/api/v1/tenders/inspections/").json()
    assert [r["tender"]["number"] for r in body["results"]] == ["C1"]
    row = body["results"][0]
    assert (row["grade"], row["score"], row["follow_up"], row["findings"][0]["code"]) == (
        "C",
        65.0,
        "pending",
        "8.01",
    )
    client.force_login(data.officer)
    assert client.get("/api/v1/tenders/inspections/", {"grade": "A"}).json()["count"] == 1
    assert client.get("/api/v1/tenders/inspections/", {"grade": "Z"}).status_code == 400
    assert client.get("/api/v1/tenders/inspections/", {"year": "abc"}).status_code == 400
    pk = Inspection.objects.get(tender__number="E1").pk
    assert client.get(f"/api/v1/tenders/inspections/{pk}/").json()["grade"] == "A"


def test_the_demo_fills_the_year_with_inspections(personas):
    today = timezone.localdate()
    if today.timetuple().tm_yday < 20:
        pytest.skip("the demo's current year has hardly begun")
    demo.seed()
    demo.seed()
    year = Inspection.objects.filter(inspected_on__year=today.year)
    assert 200 <= year.count() <= 260
    assert year.filter(grade="C").exists() and year.filter(grade="A").exists()
    assert year.filter(findings__isnull=False).exists()
    coverage = inspection_selectors.coverage(personas.officer, today.year, today)
    assert coverage.count_met and coverage.ratio_met
    assert inspection_selectors.planning(personas.officer, today)
    stats = inspection_selectors.statistics(personas.officer, today.year, today)
    assert stats.award_candidates and stats.top_codes
    assert Inspection.objects.filter(inspected_on__gt=today).count() == 0
    assert Inspection.objects.filter(inspected_on__lt=datetime.date(today.year - 1, 1, 1)).count() == 0


def test_the_list_api_and_page_make_the_same_queries_for_more_inspections(client, data):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(data.officer)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = (count("/api/v1/tenders/inspections/"), count(reverse("tenders:inspection-list")))
    t = tender("construction", number="C2")
    for day in range(1, 5):
        inspection(
            data.officer, t, timezone.localdate() - datetime.timedelta(days=day), 60 + day, codes=["8.01"]
        )
    after = (count("/api/v1/tenders/inspections/"), count(reverse("tenders:inspection-list")))
    assert after == before


def test_a_photo_of_a_finding_is_added_on_the_page_and_a_non_image_refused(client, data):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    client.force_login(data.staff)
    mine = Inspection.objects.get(tender__number="C1")
    finding = mine.findings.get()
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, "JPEG")
    url = reverse("tenders:inspection-photo-add", args=[mine.pk])
    response = client.post(
        url,
        {
            "photo": SimpleUploadedFile("a.jpg", out.getvalue()),
            "finding": str(finding.pk),
            "caption": "護欄缺口",
        },
    )
    assert response.status_code == 302
    photo = mine.photos.get()
    assert (photo.finding_id, photo.content_type, photo.caption) == (finding.pk, "image/jpeg", "護欄缺口")
    assert (
        client.get(reverse("tenders:inspection-photo", args=[mine.pk, photo.pk]))["Content-Type"]
        == "image/jpeg"
    )
    bad = client.post(url, {"photo": SimpleUploadedFile("b.jpg", b"GIF89a not really"), "finding": ""})
    assert bad.status_code == 400 and mine.photos.count() == 1
    client.force_login(data.other_staff)
    assert client.get(reverse("tenders:inspection-photo", args=[mine.pk, photo.pk])).status_code == 404
