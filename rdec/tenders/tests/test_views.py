"""The tenders pages: list, tender page with its S-curve, upload, template, control report and its
files, rules; scoping and refusals."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from rdec.tenders import selectors
from rdec.tenders.models import Tender
from rdec.tenders.tests.factories import progress, tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    month = selectors.previous_month()
    c1 = tender("construction", number="C1", name="大里區道路工程", type="works", amount=300_000_000)
    e1 = tender("environment", number="E1", name="環保局採購", type="goods")
    progress(c1, f"{month:%Y-%m}", 60, 45, reason="用地取得延宕")
    progress(e1, f"{month:%Y-%m}", 50, 50)
    return month


def test_the_list_shows_only_the_agencys_tenders(client, personas, data):
    client.force_login(personas.staff)
    body = client.get(reverse("tenders:tender-list")).content.decode()
    assert 'href="/tenders/C1/"' in body and 'href="/tenders/E1/"' not in body


def test_the_tender_page_draws_the_s_curve(client, personas, data):
    client.force_login(personas.staff)
    body = client.get(reverse("tenders:tender-detail", args=["C1"])).content.decode()
    assert '<svg class="s-curve"' in body and 'data-series="actual_pct"' in body


def test_another_agencys_tender_page_is_not_found(client, personas, data):
    client.force_login(personas.staff)
    assert client.get(reverse("tenders:tender-detail", args=["E1"])).status_code == 404


def test_the_progress_form_saves_a_month(client, personas, data):
    client.force_login(personas.staff)
    response = client.post(
        reverse("tenders:tender-progress", args=["C1"]),
        {"month": f"{data:%Y-%m}", "planned_pct": "60", "actual_pct": "58", "reason": "趕工中"},
    )
    assert response.status_code == 302


def test_the_progress_form_shows_errors_with_400(client, personas, data):
    client.force_login(personas.staff)
    response = client.post(
        reverse("tenders:tender-progress", args=["C1"]),
        {"month": f"{data:%Y-%m}", "planned_pct": "60", "actual_pct": "50"},
    )
    assert response.status_code == 400


def test_the_control_report_page_lists_serious_tenders(client, personas, data):
    client.force_login(personas.officer)
    body = client.get(reverse("tenders:control-report")).content.decode()
    assert "大里區道路工程" in body and 'data-testid="flagged-agency"' in body


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "pdf"])
def test_the_control_report_files(client, personas, data, fmt):
    client.force_login(personas.officer)
    response = client.get(reverse("tenders:control-report-file", args=[fmt]), {"month": f"{data:%Y-%m}"})
    assert response.status_code == 200
    assert response.content[:4] in (b"PK\x03\x04", b"%PDF")


def test_the_xlsx_report_holds_the_serious_tender(client, personas, data):
    from openpyxl import load_workbook

    client.force_login(personas.officer)
    response = client.get(reverse("tenders:control-report-file", args=["xlsx"]), {"month": f"{data:%Y-%m}"})
    wb = load_workbook(io.BytesIO(response.content))
    serious = wb.worksheets[2]
    assert [c.value for c in serious[2]][:6] == ["臺中市政府建設局", "C1", "大里區道路工程", 60, 45, 15]


def test_citizens_get_403_on_the_report(client, personas):
    client.force_login(personas.citizen)
    assert client.get(reverse("tenders:control-report")).status_code == 403


def test_the_upload_page_reports_errors_by_row_and_column(client, personas):
    client.force_login(personas.staff)
    csv = "tender_no,agency,name,type,contract_amount,month,planned_pct,actual_pct,reason\nU1,建設局,x,工程,,2025-03,abc,10,\n"
    upload = io.BytesIO(csv.encode())
    upload.name = "p.csv"
    response = client.post(
        reverse("tenders:progress-upload"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="zh-hant"
    )
    assert response.status_code == 400
    assert "planned_pct" in response.content.decode()


def test_the_template_lists_the_agencys_open_tenders(client, personas, data):
    from openpyxl import load_workbook

    client.force_login(personas.staff)
    response = client.get(reverse("tenders:progress-template"))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [ws.cell(2, 1).value, ws.cell(2, 6).value] == ["C1", f"{data:%Y-%m}"]


def test_the_rules_page_shows_the_sources(client, personas):
    client.force_login(personas.staff)
    body = client.get(reverse("tenders:rule-list")).content.decode()
    assert "政府採購法施行細則第111條" in body


def test_the_rdec_records_the_control_meeting_from_the_report(client, personas, data):
    client.force_login(personas.officer)
    response = client.post(
        reverse("tenders:control-meeting"),
        {
            "month": f"{data:%Y-%m}",
            "held_at": "2025-04-20T14:00",
            "chair_name": "副秘書長",
            "place": "市政大樓",
        },
    )
    assert response.status_code == 302 and "/tracking/meetings/" in response["Location"]


def test_a_meeting_without_its_time_shows_the_report_with_400(client, personas, data):
    client.force_login(personas.officer)
    response = client.post(
        reverse("tenders:control-meeting"), {"month": f"{data:%Y-%m}", "chair_name": "副秘書長"}
    )
    assert response.status_code == 400


def test_agency_staff_add_a_tender_of_their_agency(client, personas):
    from rdec.tenders.tests.factories import agency

    client.force_login(personas.staff)
    response = client.post(
        reverse("tenders:tender-create"),
        {
            "number": "114-W01",
            "name": "豐原區排水改善工程",
            "agency": agency("construction").pk,
            "type": "works",
            "status": "tendering",
            "budget_amount": "52000000",
            "announced_on": "2025-03-01",
            "failed_count": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("tenders:tender-detail", args=["114-W01"])


def test_another_agency_is_not_offered_in_the_form(client, personas):
    from rdec.tenders.tests.factories import agency

    client.force_login(personas.staff)
    response = client.post(
        reverse("tenders:tender-create"),
        {"number": "114-W02", "name": "x", "agency": agency("environment").pk, "type": "works", "status": "planning",
         "failed_count": "0"},
    )  # fmt: skip
    assert response.status_code == 400


def test_the_tender_is_edited_and_gets_a_change_order_and_an_extension(client, personas, data):
    client.force_login(personas.staff)
    edit = client.post(
        reverse("tenders:tender-edit", args=["C1"]),
        {"name": "大里區道路工程", "type": "works", "status": "suspended", "failed_count": "0"},
    )
    order = client.post(
        reverse("tenders:tender-change-order", args=["C1"]),
        {
            "order-approved_on": "2025-05-01",
            "order-description": "第1次變更設計",
            "order-amount_change": "-300000",
        },
    )
    extension = client.post(
        reverse("tenders:tender-extension", args=["C1"]),
        {"extension-approved_on": "2025-05-02", "extension-days": "30", "extension-reason": "雨天"},
    )
    body = client.get(reverse("tenders:tender-detail", args=["C1"])).content.decode()
    assert (edit.status_code, order.status_code, extension.status_code) == (302, 302, 302)
    assert "第1次變更設計" in body
    assert Tender.objects.get(number="C1").status == "suspended"


def test_another_agency_cannot_edit_the_tender(client, personas, data):
    client.force_login(personas.other_staff)
    assert client.get(reverse("tenders:tender-edit", args=["C1"])).status_code == 404


AGENCY_HEADERS = ["機關", "標案數", "整體執行績效（%）", "未達門檻", "落後標案", "逾期填報", "未填報"]


def _report_file(client, personas, data, fmt):
    client.force_login(personas.officer)
    response = client.get(
        reverse("tenders:control-report-file", args=[fmt]),
        {"month": f"{data:%Y-%m}"},
        HTTP_ACCEPT_LANGUAGE="zh-hant",
    )
    assert response.status_code == 200
    return response.content


def test_the_xlsx_agency_table_has_a_header_over_every_column(client, personas, data):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(_report_file(client, personas, data, "xlsx"))).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == AGENCY_HEADERS
    assert all(len(r) == len(AGENCY_HEADERS) for r in rows)
    construction = next(r for r in rows if r[0] == "臺中市政府建設局")
    assert construction[1] == 1 and construction[4] == 1  # one tender, lagging


def test_the_ods_agency_table_has_a_header_over_every_column(client, personas, data):
    from odf.opendocument import load
    from odf.table import Table as OdfTable
    from odf.table import TableCell, TableRow

    doc = load(io.BytesIO(_report_file(client, personas, data, "ods")))
    sheet = doc.spreadsheet.getElementsByType(OdfTable)[0]
    rows = [
        [str(cell) for cell in row.getElementsByType(TableCell)] for row in sheet.getElementsByType(TableRow)
    ]
    assert rows[0] == AGENCY_HEADERS
    assert all(len(r) == len(AGENCY_HEADERS) for r in rows)


def test_the_pdf_agency_table_names_every_column(client, personas, data):
    from pypdf import PdfReader

    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(_report_file(client, personas, data, "pdf"))).pages
    )
    text = "".join(text.split())
    assert "".join(AGENCY_HEADERS) in text


def test_every_file_table_has_as_many_headers_as_cells(personas, data):
    from rdec.tenders.reports import report_tables

    for table in report_tables(selectors.control_report(personas.officer, data)):
        assert all(len(row) == len(table.headers) for row in table.rows), table.title


def test_the_tender_page_puts_the_months_progress_first_and_folds_the_rarer_records(client, personas, data):
    client.force_login(personas.staff)
    body = client.get(reverse("tenders:tender-detail", args=["C1"])).content.decode()
    main, more = body.index('data-testid="action-main"'), body.index('data-testid="action-more"')
    progress_form = body.index('data-testid="progress-form"')
    assert main < progress_form < more < body.index('data-testid="change-order-form"')
    assert body.index('id="change-order-details"') < body.index('data-testid="change-order-form"')
    assert body.index('id="extension-details"') < body.index('data-testid="extension-form"')
    # the design system's fields: required labels marked, the wide table scrolls inside its region
    assert '<div class="field">' in body and 'class="required"' in body
    assert body.index('class="table-wrap"') < body.index('data-testid="progress-table"')


def test_a_rejected_change_order_opens_its_fold_with_the_errors(client, personas, data):
    client.force_login(personas.staff)
    response = client.post(reverse("tenders:tender-change-order", args=["C1"]), {"order-description": "x"})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="change-order-details" open' in body and 'id="extension-details">' in body
    assert 'aria-invalid="true"' in body and 'id="form-errors"' in body
