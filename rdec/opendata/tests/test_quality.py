"""The quality check on files with known defects: each gets exactly the expected indicators, badge
and reasons."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied

from rdec.opendata import quality, services, vocab
from rdec.opendata.models import QualityCheck
from rdec.opendata.tests.factories import csv_upload, publish

DECLARED = vocab.parse_field_description("區域(行政區名稱)、人口數(設籍人口)")
GOOD = "區域,人口數\n北屯區,297000\n西屯區,233000\n"


def check(data: bytes, *, encoding="UTF-8", fmt="CSV", declared=DECLARED):
    return quality.check_file(
        io.BytesIO(data), format=fmt, declared_encoding=encoding, declared_fields=declared
    )


def test_a_clean_utf8_csv_earns_gold():
    report = check(GOOD.encode())
    assert report.indicators == {
        "linkable": 1,
        "downloadable": 1,
        "structure": 1,
        "csv": 1,
        "encoding_match": 1,
        "desc_match": 1,
    }
    assert report.badge == "gold"
    assert report.fields == ["區域", "人口數"]
    assert report.rows == 2


def test_a_big5_file_declared_utf8_is_detected_and_loses_gold():
    report = check(GOOD.encode("cp950"), encoding="UTF-8")
    assert report.encoding == "BIG5"
    assert report.indicators["encoding_match"] == 0
    assert report.indicators["structure"] == 1
    assert report.badge == "silver"
    assert report.codes() == ["encoding-mismatch"]


def test_a_big5_file_declared_big5_is_gold():
    assert check(GOOD.encode("cp950"), encoding="BIG5").badge == "gold"


def test_a_utf8_bom_is_noted_not_failed():
    report = check(b"\xef\xbb\xbf" + GOOD.encode())
    assert report.badge == "gold"
    assert report.fields[0] == "區域"
    assert "utf8-bom" in report.codes()


def test_blank_and_duplicate_headers_break_the_structure():
    report = check("區域,,區域\n北屯區,1,2\n".encode(), declared=[])
    assert report.indicators["structure"] == 0
    assert {"blank-label", "duplicate-label"} <= set(report.codes())
    assert report.badge == "bronze"


def test_short_and_long_rows_are_reported_by_row_number():
    report = check("區域,人口數\n北屯區\n西屯區,1,2\n\n南屯區,3\n".encode())
    messages = {m["code"]: m["message"] for m in report.messages}
    assert report.indicators["structure"] == 0
    assert "2" in messages["missing-cell"]
    assert "3" in messages["extra-cell"]
    assert "4" in messages["blank-row"]
    assert report.rows == 3


def test_columns_that_differ_from_the_field_description_fail_desc_match():
    report = check("區域,人口\n北屯區,297000\n".encode())
    messages = {m["code"]: m["message"] for m in report.messages}
    assert report.indicators["desc_match"] == 0
    assert "人口數" in messages["missing-label"]
    assert "人口" in messages["extra-label"]
    assert report.badge == "silver"


def test_english_names_or_chinese_titles_both_match():
    declared = vocab.parse_field_description("district(區域, 行政區)、population(人口數, 設籍人口)")
    assert check(b"district,population\nBeitun,1\n", declared=declared).indicators["desc_match"] == 1
    assert check("區域,人口數\n北屯區,1\n".encode(), declared=declared).indicators["desc_match"] == 1


def test_a_closed_format_fails_the_open_format_indicator():
    report = check(b"%PDF-1.4", fmt="PDF")
    assert report.indicators["csv"] == 0
    assert report.indicators["structure"] == 2
    assert report.badge == "bronze"


def test_an_empty_file_fails_the_structure():
    report = check(b"")
    assert report.indicators["structure"] == 0
    assert report.codes() == ["source-error"]


def test_a_large_file_is_read_in_chunks():
    body = GOOD.encode() + "北屯區,1\n".encode() * 200_000  # about 2 MB, many chunks
    report = check(body)
    assert report.rows == 200_002
    assert report.badge == "gold"


@pytest.mark.django_db
def test_the_service_stores_the_check_and_editors_may_rerun_it(personas, django_capture_on_commit_callbacks):
    dataset = publish(personas.staff)
    with django_capture_on_commit_callbacks(execute=True):
        resource = services.add_resource(
            dataset,
            actor=personas.staff,
            description="人口",
            upload=csv_upload("區域,人口\n北屯區,1\n".encode()),
        )
    first = QualityCheck.objects.get(resource=resource)
    again = services.check_resource_quality(resource, actor=personas.staff)
    with pytest.raises(PermissionDenied):
        services.check_resource_quality(resource, actor=personas.other_staff)
    assert first.badge == "silver"
    assert first.indicators["desc_match"] == 0
    assert again.pk != first.pk


@pytest.mark.django_db
def test_a_link_to_a_private_address_is_refused_without_fetching(personas, settings):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = False
    dataset = publish(personas.staff)
    resource = services.add_resource(
        dataset, actor=personas.staff, description="x", url="http://127.0.0.1:9/a.csv"
    )
    result = services.check_resource_quality(resource, actor=personas.officer)
    assert result.indicators["linkable"] == 0
    assert result.badge == "none"


@pytest.mark.django_db
def test_the_command_checks_one_dataset_or_all(personas, capsys, settings):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = False
    from django.core.management import call_command

    dataset = publish(personas.staff)
    services.add_resource(dataset, actor=personas.staff, description="人口", upload=csv_upload())
    services.add_resource(dataset, actor=personas.staff, description="連結", url="http://127.0.0.1:9/a.csv")
    call_command("check_quality", "--dataset", dataset.name)
    assert QualityCheck.objects.count() == 2
    assert "gold 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_dataset_badge_is_the_lowest_of_its_resources(personas):
    dataset = publish(personas.staff)
    good = services.add_resource(dataset, actor=personas.staff, description="好", upload=csv_upload())
    services.check_resource_quality(good, actor=None)
    dataset.refresh_from_db()
    gold = dataset.quality_badge
    bad = services.add_resource(
        dataset, actor=personas.staff, description="錯", upload=csv_upload("區域,人口\n北屯區,1\n".encode())
    )
    services.check_resource_quality(bad, actor=None)
    dataset.refresh_from_db()
    assert gold == "gold"
    assert dataset.quality_badge == "silver"


def test_preview_reads_the_first_rows_of_a_big5_file():
    body = ("區域,人口數\n" + "".join(f"區{i},{i}\n" for i in range(30))).encode("cp950")
    header, rows = quality.preview(io.BytesIO(body))
    assert header == ["區域", "人口數"]
    assert rows[0] == ["區0", "0"]
    assert len(rows) == 10
