from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command

from rdec.core.models import AuditEntry
from rdec.opendata.importer import BUNDLED, ImportFailed, import_bytes
from rdec.opendata.models import Dataset, Resource

pytestmark = pytest.mark.django_db

HEADER = "編號,資料集名稱,資料集說明,資料集連結網址,主要欄位說明,使用對象,授權說明網址,更新頻率,計費方式,資料分類,資料量,資料集提供機關,資料集空間範圍,資料集語系,資料集類型,關鍵字,備註\n"
GOOD = (
    "1,臺中市年度建築物公共安全檢查稽查數量,都發局聯合稽查家次統計表,"
    "http://opendata.taichung.gov.tw/dataset/3af7862f-1a9f-11e8-8f43-00155d021202,主管機關、行業類別,一般民眾,"
    "http://opendata.taichung.gov.tw/licenseTerms,每月,免費,公共資訊,0,臺中市政府都市發展局,,中文,rawData,,\n"
    "2,警察局104年1月份交通事故資料,臺中市警察局104年1月份交通事故資料,"
    "http://opendata.taichung.gov.tw/dataset/1b391311-1b54-11e8-8f43-00155d021202,發生時間(事故日期)、事故類別(A1或A2),"
    '一般民眾,https://data.gov.tw/license,每周,免費,交通資訊,9057,運動局,全臺中市,中文,rawData,"104年, 交通事故",\n'
)


def test_the_bundled_taichung_catalog_imports_whole():
    result = import_bytes(BUNDLED.read_bytes(), published_on=datetime.date(2018, 7, 1))
    assert result.datasets == 1136
    assert Dataset.objects.count() == 1136
    assert Dataset.objects.filter(agency__code="police").count() == 231
    assert Dataset.objects.filter(category="A00").count() == 211  # 交通資訊 → 交通及通訊
    assert not Dataset.objects.filter(update_frequency__in=["不定時", "每周"]).exists()
    # 1,094 of the 1,136 主要欄位說明 do not follow the syntax (e.g. "序號、區域、地址"): kept and counted
    assert "1094" in result.warnings[0]
    assert "1136" in result.warnings[1]  # the shipped file has no contact data


def test_rows_are_read_with_their_vocabularies():
    import_bytes((HEADER + GOOD).encode(), published_on=datetime.date(2018, 7, 1))
    first, second = Dataset.objects.order_by("identifier")
    assert first.identifier == "387000000A-000001"
    assert first.name == "3af7862f-1a9f-11e8-8f43-00155d021202"
    assert first.agency.code == "urban-development"
    assert first.license == "ogdl-tw-1.0"
    assert first.number_of_data is None
    assert second.agency.code == "sports"
    assert second.update_frequency == "每週"
    assert second.category == "A00"
    assert sorted(second.tags.values_list("name", flat=True)) == ["104年", "交通事故"]
    assert "事故" in second.search_text.split()
    assert second.published_on == datetime.date(2018, 7, 1)
    assert AuditEntry.objects.filter(verb="dataset.imported").count() == 1


def test_a_big5_file_is_read():
    import_bytes((HEADER + GOOD).encode("cp950"))
    assert Dataset.objects.count() == 2


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written():
    bad = GOOD.replace("每月", "每15日或每2月").replace("交通資訊", "天氣").replace("運動局", "不存在局")
    with pytest.raises(ImportFailed) as caught:
        import_bytes((HEADER + bad).encode())
    errors = caught.value.errors
    assert any(" 2" in e and "更新頻率" in e for e in errors)
    assert any(" 3" in e and "資料分類" in e for e in errors)
    assert any(" 3" in e and "資料集提供機關" in e for e in errors)
    assert len(errors) == 3
    assert not Dataset.objects.exists()


def test_the_same_file_cannot_be_imported_twice():
    import_bytes((HEADER + GOOD).encode())
    with pytest.raises(ImportFailed) as caught:
        import_bytes((HEADER + GOOD).encode())
    assert len(caught.value.errors) == 2
    assert Dataset.objects.count() == 2


def test_national_portal_columns_make_resources():
    header = "資料集識別碼,資料集名稱,服務分類,檔案格式,資料下載網址,編碼格式,資料集描述,主要欄位說明,提供機關,更新頻率,授權方式,計費方式,上架日期\n"
    row = (
        "387000000A-000123,臺中市公有停車場,交通及通訊,CSV;JSON,https://e.org/p.csv;https://e.org/p.json,UTF-8;UTF-8,"
        "停車場資料,場站(名稱)、車位(數量),臺中市政府交通局,即時,政府資料開放授權條款第1版,免費,107/03/01\n"
    )
    import_bytes((header + row).encode())
    dataset = Dataset.objects.get()
    assert dataset.identifier == "387000000A-000123"
    assert dataset.published_on == datetime.date(2018, 3, 1)
    assert list(Resource.objects.values_list("format", flat=True)) == ["CSV", "JSON"]


def test_the_command_reports_errors_and_fails(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + GOOD.replace("臺中市年度建築物公共安全檢查稽查數量", ""), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_opendata_catalog", str(path))
    assert "資料集名稱" in capsys.readouterr().err
