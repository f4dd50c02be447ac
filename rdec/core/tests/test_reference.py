"""Loading reference data: the shipped Taichung files, another city's files, the calendar formats."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from rdec.core import reference, workdays
from rdec.core.models import Agency, CalendarDay, District, Village

pytestmark = pytest.mark.django_db


def test_the_shipped_data_has_29_districts_625_villages_and_the_agency_tree():
    assert District.objects.count() == 29
    assert Village.objects.count() == 625
    assert Agency.objects.filter(level="first").count() == 31
    assert Agency.objects.filter(level="district_office").count() == 29
    assert Agency.objects.get(code="housing").parent.short_name == "都發局"
    heping = Agency.objects.get(district__code="66000290")
    assert heping.name == "臺中市和平區公所" and heping.evaluation_group == "district"
    assert all(v.code.startswith(v.district.code) for v in Village.objects.select_related("district"))


def test_loading_again_changes_nothing():
    before = (
        District.objects.count(),
        Village.objects.count(),
        Agency.objects.count(),
        CalendarDay.objects.count(),
    )
    call_command("load_reference", verbosity=0)
    after = (
        District.objects.count(),
        Village.objects.count(),
        Agency.objects.count(),
        CalendarDay.objects.count(),
    )
    assert before == after


BIG5_CSV = "西元日期,星期,是否放假,備註\r\n20280101,六,2,開國紀念日\r\n20280102,日,2,\r\n20280103,一,0,\r\n20280104,二,0,\r\n"


def test_the_governments_big5_csv_is_imported(tmp_path, fresh_reference):
    path = tmp_path / "115年中華民國政府行政機關辦公日曆表.csv"
    path.write_bytes(BIG5_CSV.encode("big5"))
    call_command("load_calendar", str(path), verbosity=0)
    first = CalendarDay.objects.get(date=datetime.date(2028, 1, 1))
    assert first.is_holiday and first.description == "開國紀念日"
    assert workdays.add_working_days(datetime.date(2027, 12, 31), 1) == datetime.date(2028, 1, 3)


def test_a_utf8_csv_with_bom_is_imported_too(tmp_path, fresh_reference):
    path = tmp_path / "2028.csv"
    path.write_bytes(BIG5_CSV.encode("utf-8-sig"))
    assert reference.load_calendar_file(path) == 4


def test_a_bad_csv_row_names_row_and_column_and_commits_nothing(tmp_path, fresh_reference):
    path = tmp_path / "bad.csv"
    path.write_bytes((BIG5_CSV + "20280105,三,1,\r\n").encode("big5"))
    with pytest.raises(CommandError) as excinfo:
        call_command("load_calendar", str(path), verbosity=0)
    message = str(excinfo.value)
    assert "6" in message and "是否放假" in message
    assert not CalendarDay.objects.filter(date__year=2028).exists()


def test_a_csv_without_the_date_column_is_refused(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("日期,放假\r\n20280101,2\r\n".encode("big5"))
    with pytest.raises(reference.ReferenceDataError, match="西元日期"):
        reference.load_calendar_file(path)


def test_a_corrected_day_is_updated_and_audited(tmp_path, fresh_reference):
    from rdec.core.models import AuditEntry

    path = tmp_path / "2026.json"
    path.write_text(
        json.dumps([{"date": "20260930", "week": "三", "isHoliday": True, "description": "颱風假"}])
    )
    reference.load_calendar_file(path)
    assert not workdays.is_working_day(datetime.date(2026, 9, 30))
    entry = AuditEntry.objects.filter(target_type="core.calendarday").latest("at")
    assert entry.changes["is_holiday"] == [False, True]


def test_another_city_loads_its_own_districts(tmp_path, fresh_reference):
    feature = {
        "type": "Feature",
        "properties": {
            "TOWNCODE": "64000010",
            "TOWNNAME": "鹽埕區",
            "TOWNENG": "Yancheng District",
            "COUNTYCODE": "64000",
            "COUNTYNAME": "高雄市",
        },
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[120.28, 22.62], [120.29, 22.62], [120.29, 22.63], [120.28, 22.63], [120.28, 22.62]]
            ],
        },
    }
    path = tmp_path / "kaohsiung.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}), encoding="utf-8")
    call_command("load_reference", districts=str(path), verbosity=0)
    district = District.objects.get(code="64000010")
    assert district.city_name == "高雄市"
    from rdec.core import geo

    assert geo.resolve(22.625, 120.285).district_name == "鹽埕區"


def test_a_feature_without_code_is_refused_and_nothing_is_loaded(tmp_path):
    path = tmp_path / "bad.geojson"
    good = {
        "type": "Feature",
        "properties": {"TOWNCODE": "64000020", "TOWNNAME": "甲"},
        "geometry": {"type": "Point", "coordinates": [120, 22]},
    }
    bad = {"type": "Feature", "properties": {"TOWNNAME": "乙"}, "geometry": None}
    path.write_text(json.dumps({"features": [good, bad]}), encoding="utf-8")
    with pytest.raises(CommandError, match="2"):
        call_command("load_reference", districts=str(path), verbosity=0)
    assert not District.objects.filter(code="64000020").exists()


def test_an_agency_whose_parent_is_unknown_is_refused(tmp_path):
    path = tmp_path / "agencies.json"
    path.write_text(
        json.dumps(
            {
                "agencies": [
                    {
                        "code": "x1",
                        "name": "甲機關",
                        "short_name": "甲",
                        "level": "first",
                        "parent": "nowhere",
                    }
                ]
            }
        )
    )
    with pytest.raises(reference.ReferenceDataError, match="nowhere"):
        reference.load_agencies(path)
    assert not Agency.objects.filter(code="x1").exists()
