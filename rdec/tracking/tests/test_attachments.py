"""Progress-report attachments go through core.attachments: a photo's GPS position is removed (the
finding: it was kept), the type is read from the content, and the download is a safe attachment."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from rdec.tracking.tests.factories import item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("collection_day")]


def _jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    exif[0x8825] = {1: "N", 2: (24.0, 9.0, 41.4), 3: "E", 4: (120.0, 38.0, 48.8)}  # GPSInfo
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, "JPEG", exif=exif)
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(0x8825), "the test image must carry GPS EXIF"
    return data


def _report(client, tracked, upload):
    return client.post(
        reverse("tracking:item-report", args=[tracked.number]),
        {
            "reported_on": timezone.localdate().isoformat(),
            "text": "現場照片。",
            "percent": 40,
            "attachment": upload,
        },
    )


def test_a_photo_attached_to_a_progress_report_comes_back_without_gps(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tracked = item(personas.officer)
    client = Client()
    client.force_login(personas.staff)
    response = _report(
        client, tracked, SimpleUploadedFile("現場.jpg", _jpeg_with_gps(), content_type="image/jpeg")
    )
    assert response.status_code == 302
    report = tracked.reports.get()
    download = client.get(reverse("tracking:report-attachment", args=[tracked.number, report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/jpeg"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    with Image.open(io.BytesIO(b"".join(download.streaming_content))) as image:
        exif = image.getexif()
        assert not exif.get_ifd(0x8825)  # no GPS
        assert 0x010F not in exif


def test_a_page_disguised_as_a_photo_is_refused_with_a_message(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    tracked = item(personas.officer)
    client = Client()
    client.force_login(personas.staff)
    fake = SimpleUploadedFile(
        "photo.jpg", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = _report(client, tracked, fake)
    assert response.status_code == 400
    assert "photo.jpg 不是可接受的檔案類型" in " ".join(response.context["report_form"].errors["attachment"])
    assert not tracked.reports.exists()
