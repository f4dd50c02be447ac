"""The strategy pages through the test client: who sees what, the report form per target, the
RDEC's window actions, change requests, and the Excel downloads."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.test import Client
from openpyxl import load_workbook

from rdec.strategy import services
from rdec.strategy.models import QuarterlyReport, ReportingWindow, TargetChangeRequest
from rdec.strategy.tests import factories as f

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def road(personas):
    plan = f.plan("3-2-1", "construction", name="道路品質提升")
    return f.target(plan, "road", 120, name="道路刨鋪面積", unit="萬平方公尺")


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("officer", "/strategy/", 200),
        ("officer", "/strategy/summary/", 200),
        ("officer", "/strategy/windows/", 200),
        ("officer", "/strategy/changes/", 200),
        ("staff", "/strategy/", 200),
        ("staff", "/strategy/report/", 200),
        ("staff", "/strategy/plans/3-2-1/", 200),
        ("staff", "/strategy/summary/", 403),
        ("staff", "/strategy/windows/", 403),
        ("other_staff", "/strategy/plans/3-2-1/", 404),
        ("citizen", "/strategy/", 403),
    ],
)
def test_who_may_open_which_page(personas, road, who, url, status):
    assert client_for(getattr(personas, who)).get(url).status_code == status


def test_the_rdec_opens_a_window_agency_reports_and_the_rdec_closes_it(personas, road):
    officer, staff = client_for(personas.officer), client_for(personas.staff)
    response = officer.post(
        "/strategy/windows/open/",
        {"year": 2026, "quarter": 3, "opens_on": "2026-01-01", "closes_on": "2099-12-31"},
    )
    assert response.status_code == 302
    window = ReportingWindow.objects.get(year=2026, quarter=3)
    page = staff.get("/strategy/report/")
    assert "道路刨鋪面積" in page.content.decode()
    response = staff.post(
        f"/strategy/report/{window.pk}/targets/{road.pk}/",
        {f"t{road.pk}-value": "95", f"t{road.pk}-narrative": "累計 95"},
    )
    assert response.status_code == 302
    assert QuarterlyReport.objects.get(target=road).value == D(95)
    officer.post(f"/strategy/windows/{window.pk}/close/")
    response = staff.post(
        f"/strategy/report/{window.pk}/targets/{road.pk}/",
        {f"t{road.pk}-value": "99", f"t{road.pk}-narrative": "遲交"},
    )
    assert response.status_code == 400
    assert QuarterlyReport.objects.get(target=road).value == D(95)
    tree = officer.get("/strategy/?year=2026&quarter=3").content.decode()
    assert 'data-light="green"' in tree  # 95 of 120 × 3/4 = 90 → 105.6 %


def test_another_agency_posting_a_report_gets_403(personas, road):
    window = f.open_window(personas.officer, 3)
    response = client_for(personas.other_staff).post(
        f"/strategy/report/{window.pk}/targets/{road.pk}/",
        {f"t{road.pk}-value": "1", f"t{road.pk}-narrative": "x"},
    )
    assert response.status_code == 403


def test_a_bad_report_is_shown_again_with_its_error(personas, road):
    window = f.open_window(personas.officer, 3)
    response = client_for(personas.staff).post(
        f"/strategy/report/{window.pk}/targets/{road.pk}/",
        {f"t{road.pk}-value": "-5", f"t{road.pk}-narrative": "x"},
    )
    assert response.status_code == 400
    assert not QuarterlyReport.objects.exists()


def test_lowering_a_target_through_the_plan_page_and_the_rdec_decides(personas, road):
    staff, officer = client_for(personas.staff), client_for(personas.officer)
    p = f"c{road.pk}"
    response = staff.post(
        f"/strategy/plans/3-2-1/targets/{road.pk}/change/",
        {f"{p}-new_value": "100", f"{p}-justification": "雨季延宕", f"{p}-response_strategy": "夜間施工"},
    )
    assert response.status_code == 302
    change = TargetChangeRequest.objects.get()
    response = officer.post(
        f"/strategy/changes/{change.pk}/decide/",
        {f"d{change.pk}-approve": "yes", f"d{change.pk}-comment": "同意"},
    )
    assert response.status_code == 302
    road.refresh_from_db()
    assert road.annual_target == D(100)


def test_lowering_without_a_reason_is_a_400(personas, road):
    p = f"c{road.pk}"
    response = client_for(personas.staff).post(
        f"/strategy/plans/3-2-1/targets/{road.pk}/change/", {f"{p}-new_value": "100"}
    )
    assert response.status_code == 400
    assert not TargetChangeRequest.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/strategy/?format=xlsx",
        "/strategy/summary/?format=xlsx",
        "/strategy/summary/?format=xlsx&by=agency",
        "/strategy/plans/3-2-1/?format=xlsx",
        "/strategy/windows/?format=xlsx",
        "/strategy/changes/?format=xlsx",
    ],
)
def test_every_list_downloads_as_xlsx(personas, road, url):
    window = f.open_window(personas.officer, 1)
    services.submit_report(road, actor=personas.staff, window=window, value=30, narrative="第一季")
    services.request_target_change(road, actor=personas.staff, new_value=130)
    response = client_for(personas.officer).get(url)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row >= 3  # title, header, at least one row


def test_the_tree_export_has_the_target_numbers(personas, road):
    window = f.open_window(personas.officer, 1)
    services.submit_report(road, actor=personas.staff, window=window, value=27, narrative="第一季")
    response = client_for(personas.officer).get("/strategy/?year=2026&quarter=1&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    # strategy, name, code, plan, agency, indicator, unit, annual, period target, actual, rate, light
    assert rows[0][2:11] == ("3-2-1", "道路品質提升", "建設局", "道路刨鋪面積", "萬平方公尺", 120, 30, 27, 90)


def test_the_window_page_lists_who_has_not_reported(personas, road):
    window = f.open_window(personas.officer, 1)
    body = client_for(personas.officer).get(f"/strategy/windows/{window.pk}/").content.decode()
    assert "臺中市政府建設局" in body and "道路刨鋪面積" in body


def test_closing_a_window_is_set_apart_and_confirmed(personas, road):
    officer = client_for(personas.officer)
    officer.post(
        "/strategy/windows/open/",
        {"year": 2026, "quarter": 3, "opens_on": "2026-01-01", "closes_on": "2099-12-31"},
    )
    body = officer.get("/strategy/windows/").content.decode()
    close = body.index('data-testid="close-window"')
    # after 展延 (which can be changed again), in the warning style, and asking first
    assert body.index('name="closes_on"') < close
    form_tag = body[body.rindex("<form", 0, close) : close]
    assert 'data-confirm="確定截止' in form_tag and "data-confirm-detail=" in form_tag
    assert 'class="button button-warning button-small" data-testid="close-window"' in body
