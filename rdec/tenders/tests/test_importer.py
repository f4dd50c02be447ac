"""Importing progress files: CSV (UTF-8 and Big5) and .xlsx, new tenders, agency by code or name,
every bad cell reported by row and column, nothing written when any row is wrong, and agency
staff limited to their own agencies."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import translation

from rdec.tenders import importer, reports, services
from rdec.tenders.models import MonthlyProgress, Tender
from rdec.tenders.tests.factories import progress, tender

pytestmark = pytest.mark.django_db
HEADER = "tender_no,agency,name,type,contract_amount,month,planned_pct,actual_pct,reason\n"
NOW = datetime.datetime(2025, 4, 8, 9, tzinfo=ZoneInfo("Asia/Taipei"))


def run(text: str, **kwargs):
    with translation.override("en"):
        return importer.import_file((HEADER + text).encode(), "p.csv", now=NOW, **kwargs)


def errors_of(text: str, **kwargs) -> list[str]:
    with pytest.raises(importer.ImportFailed) as exc:
        run(text, **kwargs)
    return exc.value.errors


def test_a_new_tender_number_creates_the_tender_with_its_progress():
    result = run('114-N1,建設局,北屯路改善工程,工程,"12,000,000",2025-03,40,35,用地取得延宕\n')
    t = Tender.objects.get(number="114-N1")
    p = t.progress.get()
    assert (result.tenders_created, result.progress_created) == (1, 1)
    assert (t.agency.code, t.type, t.contract_amount) == ("construction", "works", D(12_000_000))
    assert (p.month, p.planned_pct, p.actual_pct, p.reason, p.is_late) == (
        datetime.date(2025, 3, 1), D(40), D(35), "用地取得延宕", False,
    )  # fmt: skip


@pytest.mark.parametrize("agency", ["construction", "建設局", "臺中市政府建設局", "台中市政府建設局"])
def test_the_agency_is_found_by_code_short_or_full_name(agency):
    run(f"114-N2,{agency},x,勞務,,2025-03,40,40,\n")
    assert Tender.objects.get(number="114-N2").agency.code == "construction"


def test_existing_tenders_get_their_month_added_or_corrected():
    t = tender("construction", number="114-E1")
    progress(t, "2025-02", 20, 20)
    result = run("114-E1,建設局,,,,2025-02,20,18,雨天\n114-E1,建設局,,,,2025-03,30,30,\n")
    assert (result.progress_created, result.progress_updated, result.tenders_created) == (1, 1, 0)
    assert list(t.progress.values_list("actual_pct", flat=True)) == [D(18), D(30)]


def test_every_bad_cell_is_reported_by_row_and_column_and_nothing_is_written():
    tender("environment", number="114-E2")
    text = (
        "114-OK,建設局,好的標案,工程,100,2025-03,10,10,\n"  # row 2: fine
        "114-B1,不存在局,x,工程,100,2025-03,10,10,\n"  # row 3: agency
        "114-B2,建設局,x,土木,abc,2025-13,10,10,\n"  # row 4: type, amount, month
        "114-B3,建設局,x,工程,,2025-03,120,ten,\n"  # row 5: both percentages
        "114-B4,建設局,x,工程,,2025-03,50,40,\n"  # row 6: reason missing
        "114-E2,建設局,,,,2025-03,10,10,\n"  # row 7: belongs to 環保局
        "114-B5,建設局,,,,2025-03,10,10,\n"  # row 8: new tender without name and type
        "114-OK,建設局,好的標案,工程,100,2025-03,10,10,\n"  # row 9: same tender and month as row 2
        "114-B6,建設局,x,工程,,2099-01,10,10,\n"  # row 10: future month
    )
    errors = errors_of(text)
    assert errors == [
        "Row 3, column agency: no agency has the code or name 不存在局.",
        "Row 4, column type: 土木 is not 工程, 財物 or 勞務.",
        "Row 4, column contract_amount: abc is not an amount of money.",
        "Row 4, column month: 2025-13 is not a month like 2025-03.",
        "Row 5, column planned_pct: 120 is not a percentage between 0 and 100.",
        "Row 5, column actual_pct: ten is not a percentage between 0 and 100.",
        "Row 6, column reason: the actual progress is below the plan: give the reason for the delay.",
        "Row 7, column agency: tender 114-E2 belongs to 臺中市政府環境保護局.",
        "Row 8, column name: a new tender needs its name.",
        "Row 8, column type: a new tender needs its type (工程, 財物 or 勞務).",
        "Row 9, column month: row 2 already gives this tender's progress for this month.",
        "Row 10, column month: 2099-01 is in the future.",
    ]
    assert not Tender.objects.filter(number="114-OK").exists()
    assert MonthlyProgress.objects.count() == 0


def test_missing_columns_are_reported_on_row_1():
    with translation.override("en"), pytest.raises(importer.ImportFailed) as exc:
        importer.import_file(b"tender_no,agency\n1,2\n", "p.csv", now=NOW)
    assert exc.value.errors == ["Row 1: the columns month, planned_pct, actual_pct are missing."]


def test_big5_csv_with_roc_months_and_chinese_headers():
    text = "標案案號,機關,標案名稱,採購類別,決標金額,月份,預定進度,實際進度,落後原因\n114-BIG,建設局,大里區排水工程,工程,500000,114/03,50%,45%,連續降雨\n"
    importer.import_file(text.encode("cp950"), "p.csv", now=NOW)
    p = MonthlyProgress.objects.get(tender__number="114-BIG")
    assert (p.month, p.planned_pct, p.actual_pct) == (datetime.date(2025, 3, 1), D(50), D(45))


def test_the_workbook_template_round_trips():
    t = tender("construction", number="114-X1", amount=3_000_000)
    data = reports.progress_template([t], datetime.date(2025, 3, 1))
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == list(importer.COLUMNS)
    ws["G2"], ws["H2"], ws["I2"] = 30, 25.5, "材料進場延誤"
    out = io.BytesIO()
    wb.save(out)
    importer.import_file(out.getvalue(), "p.xlsx", now=NOW)
    p = t.progress.get()
    assert (p.month, p.planned_pct, p.actual_pct) == (datetime.date(2025, 3, 1), D(30), D("25.5"))


def test_rows_entered_after_the_due_day_are_late():
    late_now = datetime.datetime(2025, 4, 11, 9, tzinfo=ZoneInfo("Asia/Taipei"))
    importer.import_file((HEADER + "114-L1,建設局,x,工程,,2025-03,10,10,\n").encode(), "p.csv", now=late_now)
    assert MonthlyProgress.objects.get(tender__number="114-L1").is_late


def test_agency_staff_import_only_their_own_agencys_rows(personas):
    data = (HEADER + "114-S1,建設局,x,工程,,2025-03,10,10,\n114-S2,環保局,y,工程,,2025-03,10,10,\n").encode()
    with translation.override("en"), pytest.raises(importer.ImportFailed) as exc:
        services.import_tender_progress(data, actor=personas.staff, filename="p.csv")
    assert exc.value.errors == ["Row 3, column agency: you may not enter progress for 臺中市政府環境保護局."]
    assert not Tender.objects.exists()


def test_citizens_cannot_import(personas):
    with pytest.raises(PermissionDenied):
        services.import_tender_progress(HEADER.encode(), actor=personas.citizen)


def test_the_command_imports_a_file(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "114-C1,建設局,x,工程,,2025-03,10,10,\n", encoding="utf-8")
    call_command("import_tender_progress", str(path), stdout=io.StringIO())
    assert Tender.objects.filter(number="114-C1").exists()


def test_the_command_fails_with_the_errors_and_imports_nothing(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "114-C2,建設局,x,工程,,2025-03,10,,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_tender_progress", str(path), stdout=io.StringIO(), stderr=err)
    assert "actual_pct" in err.getvalue()
    assert not Tender.objects.exists()
