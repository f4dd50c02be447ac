"""The pages: scoped to the agency, nothing public, finding lists audited, status changes."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from rdec.core.models import AuditEntry
from rdec.security import services
from rdec.security.tests.factories import load_sample

pytestmark = pytest.mark.django_db
WIN7 = "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:x64:*"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_pages_scoped_audited_and_status_change(client, personas):
    load_sample()
    asset = services.create_asset(
        agency=personas.staff.agency, data={"name": "區公所-PC01"}, cpes=[WIN7], actor=personas.staff
    )
    assert client.get("/security/findings/").status_code == 302  # sign in first
    client.force_login(personas.other_staff)
    assert "區公所-PC01" not in client.get("/security/assets/").content.decode()
    assert client.get(f"/security/assets/{asset.pk}/").status_code == 404
    client.force_login(personas.staff)
    page = client.get("/security/findings/").content.decode()
    assert "CVE-2019-0708" in page and "111年5月3日" in page  # the KEV due date, in ROC years
    assert AuditEntry.objects.filter(verb="security.findings_viewed").count() >= 1
    detail = client.get(f"/security/assets/{asset.pk}/").content.decode()
    assert 'data-testid="eos"' in detail
    finding = asset.findings.get(cve__cve_id="CVE-2019-0708")
    answer = client.post(f"/security/findings/{finding.pk}/", {"status": "fixing", "reason": ""})
    assert answer.status_code == 400
    answer = client.post(f"/security/findings/{finding.pk}/", {"status": "fixing", "reason": "更新中"})
    assert answer.status_code == 302
    finding.refresh_from_db()
    assert finding.status == "fixing"
    client.force_login(personas.officer)
    assert "區公所-PC01" in client.get("/security/assets/").content.decode()
    assert client.get("/security/cpe/?q=openssl").status_code == 200
