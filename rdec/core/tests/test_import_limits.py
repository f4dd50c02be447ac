"""The import pages (tender progress, document-system export) refuse a workbook bomb and an
oversized table quickly with a 400 and a message in Traditional Chinese: the zip is checked before
openpyxl opens it and the rows are capped while streaming (core.tabular)."""

from __future__ import annotations

import io
import time

import pytest
from django.urls import reverse

from rdec.core.tests.test_attachments import _xlsx, _zip_bomb

pytestmark = pytest.mark.django_db

PAGES = [("tenders:progress-upload", "staff"), ("documents:upload", "officer")]
HEADERS = {
    "tenders:progress-upload": "tender_no,agency,name,type,contract_amount,month,planned_pct,actual_pct,reason\n",
    "documents:upload": "doc_no,agency,doc_class,speed,received_on,due_on,closed_on\n",
}


def _post(client, url, data: bytes, name: str):
    upload = io.BytesIO(data)
    upload.name = name
    started = time.monotonic()
    response = client.post(reverse(url), {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hant")
    return response, time.monotonic() - started


@pytest.mark.parametrize(("url", "who"), PAGES)
def test_a_workbook_bomb_is_refused_at_once(client, personas, url, who):
    client.force_login(getattr(personas, who))
    response, seconds = _post(client, url, _zip_bomb(_xlsx()), "progress.xlsx")
    assert response.status_code == 400
    assert "progress.xlsx 解壓縮後超過" in response.content.decode()
    assert seconds < 2


@pytest.mark.parametrize(("url", "who"), PAGES)
def test_a_table_over_the_row_cap_is_refused(client, personas, settings, url, who):
    settings.RDEC_IMPORT_MAX_ROWS = 3
    client.force_login(getattr(personas, who))
    width = HEADERS[url].count(",")
    data = (HEADERS[url] + ("x" + "," * width + "\n") * 5).encode()
    response, _seconds = _post(client, url, data, "rows.csv")
    assert response.status_code == 400
    assert "檔案超過 3 列" in response.content.decode()
