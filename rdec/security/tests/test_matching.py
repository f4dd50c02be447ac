"""The matcher on the real sample records: every pitfall of research A6 (the NVD API 2.0 sample
unless a test says otherwise), answered vulnerable, not vulnerable or indeterminate-with-reason."""

from __future__ import annotations

import pytest

from rdec.security.cpe import parse
from rdec.security.matching import Truth, match_one
from rdec.security.tests.factories import check, configurations

YES, NO, UNKNOWN = Truth.YES, Truth.NO, Truth.UNKNOWN


def test_exact_version_httpd_2_4_49():
    assert check("CVE-2021-41773", "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*").truth is YES
    assert check("CVE-2021-41773", "cpe:2.3:a:apache:http_server:2.4.50:*:*:*:*:*:*:*").truth is NO
    assert check("CVE-2021-42013", "cpe:2.3:a:apache:http_server:2.4.50:*:*:*:*:*:*:*").truth is YES


def test_lexicographic_trap_2_4_9_is_before_2_4_52():
    # CVE-2021-44790: versionEndExcluding 2.4.52 only (an open start)
    assert check("CVE-2021-44790", "cpe:2.3:a:apache:http_server:2.4.9:*:*:*:*:*:*:*").truth is YES
    assert check("CVE-2021-44790", "cpe:2.3:a:apache:http_server:2.4.52:*:*:*:*:*:*:*").truth is NO
    assert check("CVE-2021-44790", "cpe:2.3:a:apache:http_server:2.4.100:*:*:*:*:*:*:*").truth is NO


def test_open_range_hits_old_2_2_branch():
    assert check("CVE-2021-44790", "cpe:2.3:a:apache:http_server:2.2.34:*:*:*:*:*:*:*").truth is YES


def test_php_7_4_4_vs_7_4_30_and_several_ranges_in_one_node():
    php = "cpe:2.3:a:php:php:{}:*:*:*:*:*:*:*"
    assert check("CVE-2022-31626", php.format("7.4.4")).truth is YES
    assert check("CVE-2022-31626", php.format("7.4.30")).truth is NO
    assert check("CVE-2022-31626", php.format("8.0.19")).truth is YES
    assert check("CVE-2022-31626", php.format("8.1.7")).truth is NO
    assert check("CVE-2019-11043", php.format("7.2.23")).truth is YES
    assert check("CVE-2019-11043", php.format("7.0.33")).truth is NO  # below every range


def test_vendor_alias_php_group_is_php():
    assert check("CVE-2022-31626", "cpe:2.3:a:php_group:php:7.4.4:*:*:*:*:*:*:*").truth is YES


def test_same_product_name_other_vendor_is_not_a_match():
    # CVE-2021-44790 also lists oracle:http_server 12.2.1.3.0 — an Apache httpd host is not Oracle's
    outcome = check("CVE-2021-44790", "cpe:2.3:a:oracle:http_server:2.4.9:*:*:*:*:*:*:*")
    assert outcome.truth is NO
    assert check("CVE-2021-44790", "cpe:2.3:a:oracle:http_server:12.2.1.3.0:*:*:*:*:*:*:*").truth is YES


@pytest.mark.parametrize(
    ("version", "expected"),
    [("1.1.0", NO), ("1.1.1", YES), ("1.1.1a", YES), ("1.1.1j", YES), ("1.1.1k", NO), ("1.1.1w", NO)],
)
def test_openssl_letter_releases(version, expected):
    assert check("CVE-2021-3449", f"cpe:2.3:a:openssl:openssl:{version}:*:*:*:*:*:*:*").truth is expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [("1.0.2", YES), ("1.0.2u", YES), ("1.0.2zc", YES), ("1.0.2zd", NO), ("1.1.1m", YES), ("3.0.2", NO)],
)
def test_openssl_1_0_2u_before_1_0_2zd(version, expected):
    assert check("CVE-2022-0778", f"cpe:2.3:a:openssl:openssl:{version}:*:*:*:*:*:*:*").truth is expected


@pytest.mark.parametrize(
    ("version", "expected"),
    [("9.0.0.M1", YES), ("9.0.0", YES), ("9.0.30", YES), ("9.0.31", NO), ("8.5.50", YES), ("7.0.100", NO)],
)
def test_tomcat_milestones_inside_the_range(version, expected):
    assert check("CVE-2020-1938", f"cpe:2.3:a:apache:tomcat:{version}:*:*:*:*:*:*:*").truth is expected


def test_version_start_excluding_node_14_0_0():
    node = "cpe:2.3:a:nodejs:node.js:{}:*:*:*:-:*:*:*"
    assert check("CVE-2022-0778", node.format("14.0.0")).truth is NO  # versionStartExcluding 14.0.0
    assert check("CVE-2022-0778", node.format("14.0.1")).truth is YES
    assert check("CVE-2022-0778", node.format("14.14.0")).truth is YES  # versionEndIncluding


def test_sw_edition_lts():
    lts = "cpe:2.3:a:nodejs:node.js:14.16.0:*:*:*:lts:*:*:*"
    assert check("CVE-2022-0778", lts).truth is YES
    # the same version without the edition named: the lts and non-lts criteria differ → undecided
    vague = check("CVE-2022-0778", "cpe:2.3:a:nodejs:node.js:14.16.0:*:*:*:*:*:*:*")
    assert vague.truth is UNKNOWN
    assert {r.attribute for r in vague.reasons} == {"sw_edition"}


def test_windows_four_part_builds_per_feature_release():
    w = "cpe:2.3:o:microsoft:windows_10_22h2:{}:*:*:*:*:*:x64:*"
    assert check("CVE-2024-38063", w.format("10.0.19045.3570")).truth is YES
    assert check("CVE-2024-38063", w.format("10.0.19045.4780")).truth is NO
    assert check("CVE-2024-38063", w.format("10.0.19045.10000")).truth is NO
    # another feature release's product name is another product
    assert (
        check("CVE-2024-38063", "cpe:2.3:o:microsoft:windows_10_1703:10.0.19045.3570:*:*:*:*:*:x64:*").truth
        is NO
    )


def test_windows_build_without_version_is_indeterminate():
    outcome = check("CVE-2024-38063", "cpe:2.3:o:microsoft:windows_10_22h2:*:*:*:*:*:*:x64:*")
    assert outcome.truth is UNKNOWN
    assert outcome.reasons[0].code == "version_missing"
    outcome = check("CVE-2024-38063", "cpe:2.3:o:microsoft:windows_10_22h2:-:*:*:*:*:*:x64:*")
    assert outcome.truth is UNKNOWN and outcome.reasons[0].code == "version_na"


def test_sources_disagree_nvd_and_microsoft_on_1809():
    build = "cpe:2.3:o:microsoft:windows_10_1809:10.0.17763.6200:*:*:*:*:*:x64:*"
    assert check("CVE-2024-38063", build, sources=("nvd",)).truth is NO  # NVD: fixed in .6189
    assert check("CVE-2024-38063", build, sources=("cna",)).truth is YES  # Microsoft: fixed in .6293
    both = check("CVE-2024-38063", build, sources=("nvd", "cna"))
    assert both.truth is YES and {c.source for _cpe, c in both.hits} == {"cna"}


def test_windows_7_update_sp1():
    assert check("CVE-2019-0708", "cpe:2.3:o:microsoft:windows_7:-:sp1:*:*:*:*:x64:*").truth is YES
    # no service pack (NA) is not the sp1 the CVE names
    assert check("CVE-2019-0708", "cpe:2.3:o:microsoft:windows_7:-:-:*:*:*:*:x64:*").truth is NO
    # the update not given where the CVE distinguishes updates → indeterminate
    vague = check("CVE-2019-0708", "cpe:2.3:o:microsoft:windows_7:-:*:*:*:*:*:*:*")
    assert vague.truth is UNKNOWN
    assert vague.reasons[0].attribute == "update"


def test_windows_server_2012_r2_in_the_version_field():
    assert check("CVE-2019-0708", "cpe:2.3:o:microsoft:windows_server_2008:r2:sp1:*:*:*:*:x64:*").truth is YES
    assert check("CVE-2019-0708", "cpe:2.3:o:microsoft:windows_server_2008:-:sp2:*:*:*:*:x86:*").truth is YES
    assert check("CVE-2019-0708", "cpe:2.3:o:microsoft:windows_server_2008:r2:sp2:*:*:*:*:*:*").truth is NO


def test_r2_against_a_build_range_cannot_be_ordered():
    # CVE-2024-38063 (NVD) names windows_server_2012 below 6.2.9200.25031 and, apart, 2012 r2
    configs = configurations("CVE-2024-38063")
    ranged = next(
        c
        for cfg in configs
        for node in cfg.nodes
        for c in node.criteria
        if c.cpe.product == "windows_server_2012" and c.end_excluding == "6.2.9200.25031"
    )
    truth, reason = match_one(ranged, parse("cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:x64:*"))
    assert truth is UNKNOWN and reason.code == "version_incomparable"
    truth, _reason = match_one(
        ranged, parse("cpe:2.3:o:microsoft:windows_server_2012:6.2.9200.24000:*:*:*:*:*:x64:*")
    )
    assert truth is YES
    # over the whole record the r2 entry decides: R2 is listed as such
    r2 = "cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:x64:*"
    assert check("CVE-2024-38063", r2).truth is YES


def test_target_hw_x64_x86_arm64():
    assert check("CVE-2020-0796", "cpe:2.3:o:microsoft:windows_10_1909:-:*:*:*:*:*:arm64:*").truth is YES
    assert check("CVE-2020-0796", "cpe:2.3:o:microsoft:windows_10_1909:-:*:*:*:*:*:x64:*").truth is YES
    assert check("CVE-2020-0796", "cpe:2.3:o:microsoft:windows_10_1909:-:*:*:*:*:*:itanium:*").truth is NO
    vague = check("CVE-2020-0796", "cpe:2.3:o:microsoft:windows_10_1909:-:*:*:*:*:*:*:*")
    assert vague.truth is UNKNOWN and vague.reasons[0].attribute == "target_hw"


def test_release_named_without_version_against_a_build():
    # NVD names windows_10_1909 as a whole (-); a host giving its build cannot be placed
    outcome = check("CVE-2020-0796", "cpe:2.3:o:microsoft:windows_10_1909:10.0.18363.1000:*:*:*:*:*:x64:*")
    assert outcome.truth is UNKNOWN and outcome.reasons[0].code == "release_without_version"


def test_and_configuration_needs_the_platform_on_the_same_host():
    smb = "cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*"
    win = "cpe:2.3:o:microsoft:windows_10_1607:-:*:*:*:*:*:x64:*"
    assert check("CVE-2017-0144", smb, win).truth is YES
    assert check("CVE-2017-0144", smb).truth is NO  # SMBv1 without a listed Windows
    assert (
        check("CVE-2017-0144", win).truth is NO
    )  # Windows without SMBv1: the platform alone is not vulnerable
    # the platform entry (vulnerable: false) named as a release: any build of it is the platform
    build = "cpe:2.3:o:microsoft:windows_10_1607:10.0.14393.100:*:*:*:*:*:x64:*"
    assert check("CVE-2017-0144", smb, build).truth is YES
    hits = check("CVE-2017-0144", smb, win).hits
    assert [cpe for cpe, _c in hits] == [smb]  # the vulnerable product, not the platform


def test_and_configuration_with_an_unknown_platform_is_indeterminate():
    smb = "cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*"
    outcome = check("CVE-2017-0144", smb, "cpe:2.3:o:microsoft:windows_10_1607:-:*:*:*:*:*:*:*")
    assert outcome.truth is UNKNOWN


def test_firmware_on_hardware_and_configuration():
    firmware = "cpe:2.3:o:netapp:a250_firmware:-:*:*:*:*:*:*:*"
    assert check("CVE-2022-0778", firmware, "cpe:2.3:h:netapp:a250:-:*:*:*:*:*:*:*").truth is YES
    assert check("CVE-2022-0778", firmware).truth is NO


def test_office_update_field_and_plain_version():
    assert check("CVE-2017-11882", "cpe:2.3:a:microsoft:office:2016:*:*:*:*:*:*:*").truth is YES
    assert check("CVE-2017-11882", "cpe:2.3:a:microsoft:office:2013:sp1:*:*:*:*:*:*").truth is YES
    assert check("CVE-2017-11882", "cpe:2.3:a:microsoft:office:2013:-:*:*:*:*:*:*").truth is NO
    assert check("CVE-2017-11882", "cpe:2.3:a:microsoft:office:2019:*:*:*:*:*:*:*").truth is NO
    vague = check("CVE-2017-11882", "cpe:2.3:a:microsoft:office:*:*:*:*:*:*:*:*")
    assert vague.truth is UNKNOWN and "version_missing" in {r.code for r in vague.reasons}


def test_version_star_against_a_range_is_indeterminate_not_safe():
    outcome = check("CVE-2021-3449", "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*")
    assert outcome.truth is UNKNOWN
    assert outcome.reasons[0].code == "version_missing"


def test_cve5_records_microsoft_build_ranges_and_apache_by_name():
    # CVE JSON 5 (vulnrichment): Microsoft's own ranges, Apache's CNA entry mapped to apache:http_server
    build = "cpe:2.3:o:microsoft:windows_server_2019:10.0.17763.6000:*:*:*:*:*:x64:*"
    assert check("CVE-2024-38063", build, sources=("cna",)).truth is YES
    httpd = "cpe:2.3:a:apache:http_server:{}:*:*:*:*:*:*:*"
    assert check("CVE-2006-20001", httpd.format("2.4.54"), sources=("cna",)).truth is YES
    assert check("CVE-2006-20001", httpd.format("2.4.55"), sources=("cna",)).truth is NO
