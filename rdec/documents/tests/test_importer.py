"""Importing the document system's export: CSV (UTF-8, Big5) and .xlsx, ROC and ISO dates, agency
by code, short or full name; all or nothing with row/column errors; re-import updates."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from rdec.documents import importer
from rdec.documents.models import Document, ImportBatch

pytestmark = pytest.mark.django_db

HEADER = "doc_no,agency,doc_class,speed,received_on,due_on,closed_on\n"


def csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode(encoding)


def test_it_imports_roc_and_iso_dates_and_counts_the_days():
    data = csv(
        "1150001,建設局,一般公文,普通件,115/02/12,,115/03/03",
        "1150002,臺中市政府環境保護局,受會公文,限期,2026-03-02,2026-03-13,2026-03-12",
        "1150003,construction,申請案件,速件,2026-03-20,,",
    )
    result = importer.import_file(data, "docs.csv")
    late = Document.objects.get(doc_no="1150001")
    capped = Document.objects.get(doc_no="1150002")
    assert (result.rows, result.created, result.updated, result.pending) == (3, 3, 0, 1)
    assert (late.days_used, late.is_overdue, late.agency.code) == (Decimal(7), True, "construction")
    assert (capped.deadline_on, capped.counted_days, capped.agency.code) == (
        datetime.date(2026, 3, 13), Decimal(6), "environment",
    )  # fmt: skip


def test_a_big5_file_is_read():
    result = importer.import_file(
        csv("A1,建設局,一般公文,普通件,115/03/02,,115/03/03", encoding="cp950"), "x.csv"
    )
    assert result.created == 1


def test_importing_the_same_number_again_updates_the_document():
    importer.import_file(csv("A1,建設局,一般公文,普通件,115/03/02,,"), "first.csv")
    result = importer.import_file(csv("A1,建設局,一般公文,普通件,115/03/02,,115/03/04"), "second.csv")
    doc = Document.objects.get(doc_no="A1")
    assert (result.created, result.updated, doc.closed_on, doc.days_used) == (
        0, 1, datetime.date(2026, 3, 4), Decimal(2),
    )  # fmt: skip
    assert ImportBatch.objects.count() == 2


def test_the_same_number_in_two_agencies_is_two_documents():
    importer.import_file(
        csv("A1,建設局,一般公文,普通件,115/03/02,,", "A1,環保局,一般公文,普通件,115/03/02,,")
    )
    assert Document.objects.filter(doc_no="A1").count() == 2


def test_every_error_is_reported_by_row_and_column_and_nothing_is_imported():
    data = csv(
        "B1,建設局,一般公文,普通件,115/03/02,,115/03/04",
        "B2,不存在局,一般公文,普通件,115/03/02,,",
        "B3,建設局,公告,普通件,115/13/02,,",
        "B4,建設局,一般公文,限期,115/03/02,,",
        "B5,建設局,一般公文,普通件,115/03/05,,115/03/02",
        "B1,建設局,一般公文,普通件,115/03/02,,",
    )
    with pytest.raises(importer.ImportFailed) as failed:
        importer.import_file(data, "bad.csv")
    errors = failed.value.errors
    expected = [
        (3, "agency"),
        (4, "doc_class"),
        (4, "received_on"),
        (5, "due_on"),
        (6, "closed_on"),
        (7, "doc_no"),
    ]
    assert len(errors) == len(expected)
    for (row, column), message in zip(expected, errors, strict=True):
        assert str(row) in message and column in message
    assert not Document.objects.exists()


def test_a_missing_column_is_reported_on_row_one():
    with pytest.raises(importer.ImportFailed) as failed:
        importer.import_file(b"doc_no,agency\nA,B\n", "x.csv")
    assert "speed" in failed.value.errors[0] and "1" in failed.value.errors[0]


def test_a_future_closing_date_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)  # noqa: DTZ011 - margin for time zones
    with pytest.raises(importer.ImportFailed):
        importer.import_file(csv(f"C1,建設局,一般公文,普通件,115/03/02,,{tomorrow.isoformat()}"))


def test_an_xlsx_with_chinese_headers_and_date_cells_is_imported():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["文號", "機關", "公文類別", "速別", "收文日期", "限辦日期", "發文日期", "展期日數"])
    ws.append(
        [
            "X1",
            "大里區公所",
            "訴願答辯",
            "最速件",
            datetime.date(2026, 3, 2),
            None,
            datetime.date(2026, 3, 4),
            2,
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    importer.import_file(out.getvalue(), "export.xlsx")
    doc = Document.objects.get(doc_no="X1")
    assert (doc.doc_class, doc.days_used, doc.is_overdue, doc.extension_days) == (
        "appeal",
        Decimal(2),
        True,
        2,
    )


def test_the_command_imports_and_reports_errors(tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv("D1,建設局,一般公文,普通件,115/03/02,,115/03/03"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv("D2,建設局,一般公文,普通件,yesterday,,"))
    out = io.StringIO()
    call_command("import_documents", str(good), stdout=out)
    with pytest.raises(CommandError):
        call_command("import_documents", str(bad), stdout=io.StringIO(), stderr=io.StringIO())
    assert Document.objects.filter(doc_no="D1").exists() and not Document.objects.filter(doc_no="D2").exists()
