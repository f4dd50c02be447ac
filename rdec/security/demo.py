"""Demo content of 資訊安全 (`rdec demo` calls `seed(stdout)`): the shipped real CVE sample (NVD,
CVE JSON 5, CISA KEV; `rdec/security/data/`) loaded, and a slice of the city's inventory matched
against it — 建設局's and 環保局's web servers (Apache HTTP Server 2.4.49, PHP 7.3, OpenSSL 1.1.1j,
Tomcat 9.0.30), 數位局's Windows 10 PCs and an OpenSSL without a version (indeterminate),
戶政事務所 and district offices' counter PCs still on Windows 7 with Office 2010/2013/2016 (flagged
end of support) and a Windows Server 2012 R2 file server. Findings get their deadlines from the
policy: KEV due dates (long past), 15/30/90 days by severity from the day first matched (the demo
dates some matches weeks back, so some are due soon and some overdue); a few are being fixed, one
was fixed by hand, one closed because the inventory was updated, one has an approved exception.

Idempotent: the feeds are loaded when no CVE exists (re-loading changes nothing anyway), the
inventory when no asset exists. Deterministic: no randomness; dates relative to today. Made through
the services (matching, deadlines, audit), as the RDEC officer; only the first-matched days are
moved back afterwards (with their deadlines recomputed by the same policy)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from rdec.core.models import Agency, User
from rdec.security import selectors, services
from rdec.security.models import Asset, Cve, Finding, KevEntry

DATA = Path(__file__).resolve().parent / "data"
FEEDS = ("nvd-cve-2.0-sample.json", "cve5-records.jsonl", "kev-subset.json")

WIN7 = "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:x64:*"
OFFICE_2010 = "cpe:2.3:a:microsoft:office:2010:sp2:*:*:*:*:*:*"
OFFICE_2013 = "cpe:2.3:a:microsoft:office:2013:sp1:*:*:*:*:*:*"
OFFICE_2016 = "cpe:2.3:a:microsoft:office:2016:*:*:*:*:*:*:*"
SMB1 = "cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*"
WIN10_22H2 = "cpe:2.3:o:microsoft:windows_10_22h2:10.0.19045.4529:*:*:*:*:*:x64:*"
WIN10_22H2_PATCHED = "cpe:2.3:o:microsoft:windows_10_22h2:10.0.19045.4894:*:*:*:*:*:x64:*"
WIN2012R2 = "cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:x64:*"
HTTPD_2449 = "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"
HTTPD_2458 = "cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*"
PHP_735 = "cpe:2.3:a:php:php:7.3.5:*:*:*:*:*:*:*"
PHP_7429 = "cpe:2.3:a:php:php:7.4.29:*:*:*:*:*:*:*"
OPENSSL_111J = "cpe:2.3:a:openssl:openssl:1.1.1j:*:*:*:*:*:*:*"
OPENSSL_305 = "cpe:2.3:a:openssl:openssl:3.0.5:*:*:*:*:*:*:*"
OPENSSL_ANY = "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*"
TOMCAT_9030 = "cpe:2.3:a:apache:tomcat:9.0.30:*:*:*:*:*:*:*"
TOMCAT_9031 = "cpe:2.3:a:apache:tomcat:9.0.31:*:*:*:*:*:*:*"

DISTRICT_OFFICES = {
    "district-office-66000110": "大甲",
    "district-office-66000100": "東勢",
    "district-office-66000290": "和平",
}

# agency code, name, kind, hostname, operating system, owner, CPE names, days since first matched
HOSTS: list[tuple[str, str, str, str, str, str, list[str], int]] = [
    (
        "construction",
        "建設局對外網站伺服器",
        "host",
        "web01.construction.taichung.gov.tw",
        "Ubuntu 20.04",
        "資訊股 陳志豪",
        [HTTPD_2449, PHP_735, OPENSSL_111J],
        40,
    ),
    (
        "construction",
        "道路挖掘管理系統",
        "software",
        "dig.construction.taichung.gov.tw",
        "Ubuntu 22.04",
        "資訊股 陳志豪",
        [HTTPD_2458, PHP_7429, OPENSSL_305],
        10,
    ),
    (
        "construction",
        "建設局承辦人電腦 A12",
        "host",
        "cons-pc-a12",
        "Windows 10 22H2",
        "養護工程科 林雅婷",
        [WIN10_22H2, OFFICE_2016],
        5,
    ),
    (
        "environment",
        "環境監測資料平台",
        "software",
        "eco.epb.taichung.gov.tw",
        "Rocky Linux 8",
        "綜合企劃科 吳家豪",
        [TOMCAT_9030, OPENSSL_111J],
        20,
    ),
    (
        "environment",
        "環保局檔案伺服器",
        "host",
        "epb-fs01",
        "Windows Server 2012 R2",
        "綜合企劃科 吳家豪",
        [WIN2012R2],
        20,
    ),
    (
        "digital",
        "市府資料交換平台",
        "software",
        "x-road.taichung.gov.tw",
        "Red Hat Enterprise Linux 8",
        "資訊安全科 黃俊傑",
        [OPENSSL_ANY],
        3,
    ),
    (
        "digital",
        "數位局同仁電腦 B07",
        "host",
        "dig-pc-b07",
        "Windows 10 22H2",
        "資訊安全科 黃俊傑",
        [WIN10_22H2],
        8,
    ),
    (
        "household-registration",
        "戶政櫃台電腦（大甲）",
        "host",
        "hr-dajia-c01",
        "Windows 7 SP1",
        "大甲戶政事務所 李淑芬",
        [WIN7, OFFICE_2010, SMB1],
        60,
    ),
]
for _code, _district in DISTRICT_OFFICES.items():
    HOSTS += [
        (
            _code,
            f"{_district}區公所櫃台電腦 01",
            "host",
            f"do-{_code[-4:-2]}-pc01",
            "Windows 7 SP1",
            f"{_district}區公所 民政課",
            [WIN7, OFFICE_2010, SMB1],
            45,
        ),
        (
            _code,
            f"{_district}區公所承辦人電腦 02",
            "host",
            f"do-{_code[-4:-2]}-pc02",
            "Windows 10 22H2",
            f"{_district}區公所 行政課",
            [WIN10_22H2_PATCHED, OFFICE_2016],
            12,
        ),
    ]

# (asset name, CVE, new status, reason, days until the exception expires)
STATUS_CHANGES = [
    ("建設局對外網站伺服器", "CVE-2021-3449", "fixing", "已排定本月維護時段更新 OpenSSL 至 1.1.1w。", None),
    ("建設局對外網站伺服器", "CVE-2021-3711", "fixing", "已排定本月維護時段更新 OpenSSL 至 1.1.1w。", None),
    ("數位局同仁電腦 B07", "CVE-2024-38063", "fixed", "已安裝 2024 年 8 月累積更新，待資產清冊同步。", None),
    (
        "戶政櫃台電腦（大甲）",
        "CVE-2019-0708",
        "exception",
        "戶役政櫃台周邊設備驅動程式僅支援 Windows 7，主機已關閉遠端桌面並隔離於內部網段，預定年底前汰換。",
        180,
    ),
    ("大甲區公所櫃台電腦 01", "CVE-2017-11882", "fixing", "Office 2010 停止支援，已申請汰換採購。", None),
]


def _load_feeds(stdout) -> None:
    summary = services.ImportSummary()
    for name in FEEDS:
        services.import_feed_text(
            (DATA / name).read_text(encoding="utf-8"), actor=None, filename=name, summary=summary
        )
    if stdout is not None:
        stdout.write(f"security: {summary.created} CVE, {summary.kev_created} KEV (rdec/security/data/)")


def _backdate(asset: Asset, days: int) -> None:
    """The asset's findings first matched `days` ago, their deadlines recomputed by the policy."""
    if not days:
        return
    then = timezone.now() - datetime.timedelta(days=days)
    day = timezone.localdate(then)
    findings = list(asset.findings.select_related("cve"))
    kevs = {k.cve_id: k for k in KevEntry.objects.filter(cve_id__in=[f.cve.cve_id for f in findings])}
    for finding in findings:
        finding.first_matched = then
        if finding.determinate:
            kev = kevs.get(finding.cve.cve_id)
            finding.deadline, finding.deadline_basis = selectors.deadline_for(finding.cve, kev, day)
    Finding.objects.bulk_update(findings, ["first_matched", "deadline", "deadline_basis"])


def _seed_inventory(officer: User, stdout) -> None:
    agencies = {a.code: a for a in Agency.objects.filter(code__in={h[0] for h in HOSTS})}
    assets = {}
    for code, name, kind, hostname, os_name, owner, cpes, days in HOSTS:
        agency = agencies.get(code)
        if agency is None:
            continue
        data = {
            "name": name,
            "kind": kind,
            "hostname": hostname,
            "operating_system": os_name,
            "owner": owner,
        }
        asset = services.create_asset(agency=agency, data=data, cpes=cpes, actor=officer)
        _backdate(asset, days)
        assets[name] = asset
    # 環保局 updated Tomcat: its inventory now says 9.0.31, CVE-2020-1938 is closed by matching
    platform = assets.get("環境監測資料平台")
    if platform is not None:
        old = platform.cpes.get(cpe23=TOMCAT_9030)
        services.add_asset_cpe(platform, TOMCAT_9031, actor=officer)
        services.remove_asset_cpe(platform, old.pk, actor=officer)
    today = timezone.localdate()
    for name, cve_id, status, reason, expires_in in STATUS_CHANGES:
        finding = Finding.objects.filter(asset=assets.get(name), cve__cve_id=cve_id).first()
        if finding is None:
            continue
        services.change_finding_status(
            finding,
            status=status,
            reason=reason,
            expires=today + datetime.timedelta(days=expires_in) if expires_in else None,
            actor=officer,
        )
    if stdout is not None:
        stdout.write(
            f"security: {len(assets)} assets, {Finding.objects.count()} findings "
            f"({Finding.objects.filter(determinate=False).count()} indeterminate)"
        )


def seed(stdout=None, **kwargs) -> None:
    officer = User.objects.filter(username="rdec").first()
    if officer is None:
        return
    with transaction.atomic():
        if not Cve.objects.exists():
            _load_feeds(stdout)
        if not Asset.objects.exists():
            _seed_inventory(officer, stdout)
