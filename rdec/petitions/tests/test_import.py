"""`rdec import_petitions`: the old 1999 system's CSV export, all or nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from rdec.core import workdays
from rdec.core.models import AuditEntry
from rdec.petitions import deadlines
from rdec.petitions.importer import ImportFailed, import_bytes, parse_datetime
from rdec.petitions.models import AgencyTenure, Case, CaseEvent, Rating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (zh-Hant is the default language)."""
    with translation.override("en"):
        yield


HEADER = (
    "case_no,received_at,channel,category,subject,description,district,address,lat,lon,"
    "agency,status,replied_at,closed_at,satisfaction"
)
GOOD = [
    # ROC dates, parent/leaf by names, district by name, default agency, replied and rated
    "OLD-0001,111/03/07 14:05,1999電話,路燈/路燈不亮,路燈不亮,渠反映該處路燈不亮，建請查處。,北屯區,"
    "崇德路二段100號,,,,已回覆,111/03/09 10:00,,5",
    # ISO dates, leaf by code, district by MOI code, agency by short name, closed
    "OLD-0002,2022-03-08T09:30:00+08:00,網路,pothole,坑洞,路面坑洞請修補,66000060,臺灣大道三段99號,,,"
    "建設局,結案,2022-03-10,2022-03-11,4",
    # lat/lon (in 西屯區) decide the district and village; open case; channel by code
    "OLD-0003,2022-03-09,web,垃圾清運,垃圾未收,垃圾車未到,,,24.1631,120.6406,環保局,處理中,,,",
    # parent/leaf by codes, agency by full name, status by code
    "OLD-0004,111/3/10,臨櫃,noise/noise-construction,工地噪音,夜間施工,臺中市南屯區,,,,"
    "臺中市政府環境保護局,received,,,",
]


def csv_bytes(rows, encoding="utf-8"):
    return ("\n".join([HEADER, *rows]) + "\n").encode(encoding)


def test_roc_and_iso_dates():
    assert parse_datetime("111/03/07") == timezone.make_aware(datetime.datetime(2022, 3, 7))  # noqa: DTZ001
    assert parse_datetime("111/03/07 14:05").hour == 14
    assert parse_datetime("2022-03-07T14:05:00+08:00").astimezone(datetime.UTC).hour == 6
    assert parse_datetime("2022/3/7 8:00").day == 7
    with pytest.raises(ValueError):
        parse_datetime("111/13/40")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "big5"])
def test_imports_utf8_and_big5_files_with_roc_dates_names_and_codes(encoding):
    result = import_bytes(csv_bytes(GOOD, encoding), source="old.csv")
    assert result.cases == 4 and result.ratings == 2
    one = Case.objects.select_related("category", "district", "agency").get(number="OLD-0001")
    assert one.category.code == "light-out" and one.district.name == "北屯區"
    assert one.agency.code == "construction"  # the category's default
    assert one.status == Case.Status.REPLIED and one.channel == Case.Channel.PHONE
    assert one.petitioner_name == one.petitioner_phone == ""
    assert timezone.localtime(one.received_at).date() == datetime.date(2022, 3, 7)
    assert one.due_date == deadlines.due_date_for(one.received_at, one.category.working_days)
    assert workdays.is_working_day(one.due_date)
    two = Case.objects.get(number="OLD-0002")
    assert two.district.code == "66000060" and two.status == Case.Status.CLOSED
    assert two.tenures.get().ended_at == two.closed_at
    three = Case.objects.select_related("district", "village").get(number="OLD-0003")
    assert three.district.name == "西屯區" and three.village is not None
    assert three.status == Case.Status.IN_PROGRESS and three.channel == Case.Channel.WEB
    four = Case.objects.select_related("agency", "category", "district").get(number="OLD-0004")
    assert four.agency.code == "environment" and four.category.code == "noise-construction"
    assert four.district.name == "南屯區" and four.status == Case.Status.RECEIVED
    for case in Case.objects.all():
        assert AgencyTenure.objects.filter(case=case).count() == 1
        assert list(CaseEvent.objects.filter(case=case).values_list("verb", flat=True)) == ["imported"]
    assert sorted(Rating.objects.values_list("score", flat=True)) == [4, 5]
    assert AuditEntry.objects.filter(verb="petition.imported").count() == 1


def test_every_error_is_reported_by_row_and_column_and_nothing_is_committed():
    bad = [
        *GOOD[:2],
        "BAD-1,111/02/30,1999電話,路燈/不存在,x,y,北屯區,,,,,,,,",  # bad date, unknown category
        "BAD-2,2022-03-08,信鴿,pothole,x,y,火星區,,,,不存在局,已回覆,,,9",  # channel, district, agency, reply, score
        "BAD-3,2022-03-08,web,pothole,x,y,,,abc,120.6,,,,,",  # bad number
        "BAD-4,2022-03-08,web,pothole,x,y,,,,,,,,,",  # no place at all
        "BAD-5,2022-03-08,web,路燈,x,y,北屯區,,,,,,,,",  # a group, not a leaf
        "OLD-0001,2022-03-08,web,pothole,x,y,北屯區,,,,,,,,",  # duplicate in the file
    ]
    with pytest.raises(ImportFailed) as info:
        import_bytes(csv_bytes(bad))
    errors = info.value.errors
    expected = [
        ("row 4", "received_at"),
        ("row 4", "category"),
        ("row 5", "channel"),
        ("row 5", "district"),
        ("row 5", "agency"),
        ("row 5", "replied_at"),
        ("row 5", "satisfaction"),
        ("row 6", "lat"),
        ("row 7", "district"),
        ("row 8", "category"),
        ("row 9", "case_no"),
    ]
    for row, column in expected:
        assert any(e.startswith(f"{row}, column {column}:") for e in errors), (row, column, errors)
    assert len(errors) == len(expected)
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_the_command_reports_errors_and_imports_nothing(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes([GOOD[0], "X-1,2022-03-08,web,nope,x,y,北屯區,,,,,,,,"]))
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_petitions", str(path))
    assert "row 3, column category: unknown category nope" in capsys.readouterr().err
    assert not Case.objects.exists()


def test_the_command_imports_and_a_second_import_is_refused(tmp_path, capsys):
    path = tmp_path / "old.csv"
    path.write_bytes(csv_bytes(GOOD, "big5"))
    call_command("import_petitions", str(path))
    assert "4 cases imported" in capsys.readouterr().out
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_petitions", str(path))
    err = capsys.readouterr().err
    assert "imported before" in err
    assert "row 2, column case_no: OLD-0001 is already in the database" in err
    assert Case.objects.count() == 4


def test_a_case_number_already_in_the_database_is_an_error():
    import_bytes(csv_bytes(GOOD[:1]))
    with pytest.raises(ImportFailed) as info:
        import_bytes(csv_bytes(GOOD[:2]))
    assert info.value.errors == ["row 2, column case_no: OLD-0001 is already in the database"]
    assert Case.objects.count() == 1


def test_a_missing_column_is_reported_on_the_header_row():
    with pytest.raises(ImportFailed) as info:
        import_bytes(b"case_no,received_at,subject\nA,2022-03-08,x\n")
    assert info.value.errors == [
        "row 1, column category: the column is missing from the header.",
        "row 1, column description: the column is missing from the header.",
    ]


def test_dates_outside_the_office_calendar_are_errors():
    with pytest.raises(ImportFailed) as info:
        import_bytes(csv_bytes(["OLD-9,90/01/05,web,pothole,x,y,北屯區,,,,,,,,"]))
    assert info.value.errors[0].startswith("row 2, column received_at:")


def test_a_point_outside_the_city_is_an_error():
    with pytest.raises(ImportFailed) as info:
        import_bytes(csv_bytes(["OLD-9,2022-03-08,web,pothole,x,y,,,25.03,121.56,,,,,"]))
    assert info.value.errors[0].startswith("row 2, column lat: the point")


def test_numbers_in_the_platform_format_advance_the_counter():
    from rdec.petitions.models import CaseNumber

    import_bytes(csv_bytes(["111-0000500,111/03/07,web,pothole,x,y,北屯區,,,,,,,,"]))
    assert CaseNumber.objects.get(year=111).last == 500
