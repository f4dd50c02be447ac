"""Feeds, findings, deadlines and the asset API on the real sample (frozen on 2026-11-27)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from rdec.core.models import AuditEntry
from rdec.core.services import create_api_key
from rdec.core.tests.factories import agency
from rdec.security import selectors, services
from rdec.security.models import Cve, Finding, KevEntry
from rdec.security.tests.factories import NVD, load_sample

pytestmark = pytest.mark.django_db
DAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC)

HTTPD = "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"
WIN7 = "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:x64:*"
OPENSSL_VAGUE = "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(DAY, tick=False):
        yield


@pytest.fixture
def sample(db):
    return load_sample()


def test_import_is_idempotent_and_counts(sample):
    assert sample.created == 191 + 15 - 1  # CVE-2024-38063 is in both feeds
    assert sample.kev_created == 351
    before = Cve.objects.count(), KevEntry.objects.count()
    again = load_sample()
    assert (again.created, again.updated, again.kev_created, again.kev_updated) == (0, 0, 0, 0)
    assert again.unchanged == 206 and again.kev_unchanged == 351
    assert (Cve.objects.count(), KevEntry.objects.count()) == before


def test_a_modified_record_updates(sample):
    text = NVD.read_text(encoding="utf-8").replace(
        '"lastModified": "', '"lastModified": "2030', 1
    )  # not a date: check the shape instead
    import json

    data = json.loads(NVD.read_text(encoding="utf-8"))
    data["vulnerabilities"] = [v for v in data["vulnerabilities"] if v["cve"]["id"] == "CVE-2021-3449"]
    data["vulnerabilities"][0]["cve"]["lastModified"] = "2030-01-01T00:00:00.000"
    data["vulnerabilities"][0]["cve"]["descriptions"][0]["value"] = "Changed."
    summary = services.import_feed_text(json.dumps(data), actor=None, filename="x.json")
    assert text  # (kept for readability)
    assert summary.updated == 1 and summary.created == 0
    assert Cve.objects.get(cve_id="CVE-2021-3449").description_en == "Changed."


def test_cvss_primary_else_cna_with_source(sample):
    php = Cve.objects.get(cve_id="CVE-2019-11043")
    assert (float(php.cvss_score), php.cvss_source, php.cvss_type, php.severity) == (
        9.8,
        "nvd@nist.gov",
        "Primary",
        "critical",
    )
    ms = Cve.objects.get(cve_id="CVE-2024-38063")  # no NVD primary: Microsoft's, banded on the base
    assert float(ms.cvss_score) == 9.8 and ms.severity == "critical"
    assert float(ms.cvss_temporal) == 8.5
    assert (ms.cvss_source, ms.cvss_type) == ("microsoft", "CNA")
    assert Cve.objects.get(cve_id="CVE-2021-3449").severity == "medium"  # 5.9


def test_findings_with_kev_deadlines_and_indeterminate(sample, personas):
    asset = services.create_asset(
        agency=personas.staff.agency,
        data={"name": "web01", "kind": "host", "owner": "資訊室"},
        cpes=[HTTPD, WIN7, OPENSSL_VAGUE],
        actor=personas.staff,
    )
    findings = {f.cve.cve_id: f for f in asset.findings.select_related("cve")}
    assert findings["CVE-2021-41773"].deadline == datetime.date(2021, 11, 17)  # KEV due date first
    assert findings["CVE-2021-41773"].deadline_basis == "kev"
    assert findings["CVE-2021-41773"].owner == "資訊室"
    assert findings["CVE-2019-0708"].determinate
    vague = findings["CVE-2021-3449"]
    assert not vague.determinate and vague.deadline is None
    assert vague.reasons[0]["code"] == "version_missing"
    # severity band when not on KEV: CVE-2021-44790 critical 9.8 → 15 days
    assert findings["CVE-2021-44790"].deadline == datetime.date(2026, 12, 12)


def test_status_workflow_and_reappearing(sample, personas):
    asset = services.create_asset(
        agency=personas.staff.agency, data={"name": "web01"}, cpes=[HTTPD], actor=personas.staff
    )
    finding = asset.findings.get(cve__cve_id="CVE-2021-42013")
    with pytest.raises(ValidationError) as exc:
        services.change_finding_status(finding, status="fixing", reason="", actor=personas.staff)
    assert "reason" in exc.value.message_dict
    services.change_finding_status(finding, status="fixing", reason="排定更新", actor=personas.staff)
    with pytest.raises(PermissionDenied):  # an exception needs the supervisor or the RDEC
        services.change_finding_status(
            finding, status="exception", reason="x", expires=datetime.date(2027, 1, 1), actor=personas.staff
        )
    with pytest.raises(ValidationError):
        services.change_finding_status(finding, status="exception", reason="x", actor=personas.supervisor)
    services.change_finding_status(
        finding,
        status="exception",
        reason="隔離網段",
        expires=datetime.date(2027, 1, 1),
        actor=personas.supervisor,
    )
    finding.refresh_from_db()
    assert finding.status == "exception" and finding.exception_approved_by == personas.supervisor
    services.change_finding_status(finding, status="fixed", reason="已更新", actor=personas.staff)
    with pytest.raises(PermissionDenied):
        services.change_finding_status(finding, status="open", reason="x", actor=personas.other_staff)
    # a new feed that still matches brings the fixed finding back
    import json

    data = json.loads(NVD.read_text(encoding="utf-8"))
    data["vulnerabilities"] = [v for v in data["vulnerabilities"] if v["cve"]["id"] == "CVE-2021-42013"]
    data["vulnerabilities"][0]["cve"]["lastModified"] = "2026-11-20T00:00:00.000"
    summary = services.import_feed_text(json.dumps(data), actor=None, filename="new.json")
    finding.refresh_from_db()
    assert summary.findings_reopened == 1
    assert finding.status == "open" and finding.reopened_count == 1


def test_inventory_change_closes_and_reopens(sample, personas):
    asset = services.create_asset(
        agency=personas.staff.agency, data={"name": "web01"}, cpes=[HTTPD], actor=personas.staff
    )
    cpe_row = asset.cpes.get()
    services.add_asset_cpe(asset, "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*", actor=personas.staff)
    services.remove_asset_cpe(asset, cpe_row.pk, actor=personas.staff)
    finding = asset.findings.get(cve__cve_id="CVE-2021-41773")
    assert finding.status == Finding.Status.FIXED and finding.closed_automatically


def test_inventory_import_all_or_nothing(sample, personas):
    code = personas.staff.agency.code
    bad = f"agency,name,kind,cpe\n{code},pc1,host,{WIN7}\n{code},pc2,host,cpe:2.3:a:bad\nenvironment,pc3,host,{WIN7}\n"
    with pytest.raises(services.ImportFailed) as exc:
        services.import_inventory(bad.encode(), "inv.csv", actor=personas.staff)
    assert len(exc.value.errors) == 2
    assert exc.value.errors[0].startswith("第 3 列") or "3" in exc.value.errors[0]
    assert not personas.staff.agency.security_assets.exists()
    good = f"agency,name,kind,cpe\n{code},pc1,host,{WIN7}\n{code},pc1,host,{HTTPD}\n"
    result = services.import_inventory(good.encode(), "inv.csv", actor=personas.staff)
    assert (result.assets_created, result.cpes_added) == (1, 2)


def test_eos_flags_on_2026_11_27(sample, personas):
    asset = services.create_asset(
        agency=personas.staff.agency,
        data={"name": "pc"},
        cpes=[
            WIN7,
            "cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:x64:*",
            "cpe:2.3:a:microsoft:office:2016:*:*:*:*:*:*:*",
            "cpe:2.3:o:microsoft:windows_server_2016:-:*:*:*:*:*:x64:*",
        ],
        actor=personas.staff,
    )
    flagged = {
        c.product for c, _s in selectors.support_ends_for(asset.cpes.all(), datetime.date(2026, 11, 27))
    }
    assert flagged == {"windows_7", "windows_server_2012", "office"}


# --- API ------------------------------------------------------------------------------------------


def _key_client(agency_obj, name):
    _key, raw = create_api_key(name=name, agency=agency_obj, actor=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    return client


def test_api_create_and_findings_with_the_agencys_key(sample):
    construction = agency("construction")
    client = _key_client(construction, "construction-cmdb")
    answer = client.post(
        "/api/v1/security/assets/",
        {"agency": "construction", "name": "web01", "kind": "host", "cpes": [HTTPD, OPENSSL_VAGUE]},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    asset_id = answer.json()["id"]
    findings = client.get(f"/api/v1/security/assets/{asset_id}/findings/").json()
    by_cve = {r["cve"]: r for r in findings["results"]}
    assert by_cve["CVE-2021-41773"] == {
        "cve": "CVE-2021-41773",
        "cvss": 7.5,
        "severity": "high",
        "kev_due": "2021-11-17",
        "status": "open",
        "determinate": True,
        "deadline": "2021-11-17",
        "cvss_source": "nvd@nist.gov",
    }
    assert by_cve["CVE-2021-3449"]["determinate"] is False
    assert {i["cve"] for i in findings["indeterminate"]} >= {"CVE-2021-3449"}
    assert all(i["reason"] for i in findings["indeterminate"])
    assert AuditEntry.objects.filter(verb="security.findings_viewed").exists()
    other = _key_client(agency("environment"), "env-cmdb")
    assert other.get(f"/api/v1/security/assets/{asset_id}/findings/").status_code == 403
    refused = other.post(
        "/api/v1/security/assets/", {"agency": "construction", "name": "x", "cpes": []}, format="json"
    )
    assert refused.status_code == 403


def test_api_bad_cpe_is_a_400_in_chinese(sample, personas):
    client = APIClient()
    client.force_authenticate(personas.officer)
    answer = client.post(
        "/api/v1/security/assets/",
        {"agency": "construction", "name": "web01", "kind": "host", "cpes": ["cpe:2.3:a:apache:http_server"]},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )
    assert answer.status_code == 400
    assert "cpes" in answer.json()["errors"]
    assert "11 個欄位" in answer.json()["errors"]["cpes"][0]  # the field errors in zh-Hant


def test_nothing_public(sample):
    assert APIClient().get("/api/v1/security/assets/1/findings/").status_code in (401, 403)
