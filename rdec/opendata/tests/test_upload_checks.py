"""Open-data resource files go through core.attachments.check_data_file: a web page or a program is
refused with a 409 Validation Error (CKAN) naming the field, a file over the size limit likewise, and
a data file is published byte for byte as uploaded (never re-encoded, never neutralised) and
downloaded as an attachment with nosniff."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rdec.core import services as core_services
from rdec.core.tests.factories import agency
from rdec.opendata.tests.factories import publish

pytestmark = pytest.mark.django_db
BASE = "/opendata/api/3/action/"


@pytest.fixture
def key(personas):
    return core_services.create_api_key(name="上架程式", agency=agency("construction"), actor=None)[1]


def _create(client, key, dataset, upload):
    return client.post(
        BASE + "resource_create",
        {"package_id": dataset.name, "name": "資料", "upload": upload},
        headers={"Authorization": key, "Accept-Language": "zh-hant"},
    )


def test_a_web_page_is_not_accepted_as_a_data_file(client, key, personas):
    dataset = publish(personas.staff)
    page = SimpleUploadedFile(
        "data.csv", b"<!DOCTYPE html><script>alert(1)</script>", content_type="text/csv"
    )
    response = _create(client, key, dataset, page)
    body = response.json()
    assert response.status_code == 409 and body["success"] is False
    assert "upload" in body["error"] and "不是資料檔案" in str(body["error"]["upload"])
    assert not dataset.resources.exists()


def test_a_file_over_the_limit_is_refused(client, key, personas, settings):
    settings.RDEC_OPENDATA_UPLOAD_MAX_BYTES = 100
    dataset = publish(personas.staff)
    response = _create(client, key, dataset, SimpleUploadedFile("d.csv", b"a,b\n" * 50))
    assert response.status_code == 409 and "upload" in response.json()["error"]


def test_a_data_file_is_published_as_uploaded(client, key, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    content = "名稱,公式\n甲,=1+1\n".encode()
    dataset = publish(personas.staff)
    response = _create(client, key, dataset, SimpleUploadedFile("d.csv", content, content_type="text/csv"))
    assert response.status_code == 200, response.json()
    download = client.get(response.json()["result"]["url"].replace("http://testserver", ""))
    assert b"".join(download.streaming_content) == content
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
