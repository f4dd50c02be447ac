"""The tenders API through HTTP: the control report's shape and figures, scoping for people and API
keys, tender list and detail, progress entry, 403 and zh-Hant 400s."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rdec.core.services import create_api_key
from rdec.tenders.tests.factories import agency, progress, tender

pytestmark = pytest.mark.django_db
REPORT = "/api/v1/tenders/control-report/"
TENDERS = "/api/v1/tenders/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def march():
    c1 = tender("construction", number="C1", name="大里區道路工程", type="works", amount=300_000_000)
    c2 = tender("construction", number="C2", type="services", amount=100_000_000)
    e1 = tender("environment", number="E1", type="goods", amount=10_000_000)
    progress(c1, "2025-03", 60, 45)
    progress(c2, "2025-03", 50, 50)
    progress(e1, "2025-03", 80, 78)
    return c1


def test_the_control_report_has_the_agreed_shape(api, personas, march):
    api.force_authenticate(personas.officer)
    response = api.get(REPORT, {"month": "2025-03"})
    assert response.status_code == 200
    assert response.json() == {
        "month": "2025-03",
        "agencies": [
            {
                "agency": {"code": "construction", "name": "臺中市政府建設局", "short_name": "建設局"},
                "performance": 81.25,
                "below_threshold": True,
            },
            {
                "agency": {"code": "environment", "name": "臺中市政府環境保護局", "short_name": "環保局"},
                "performance": 97.5,
                "below_threshold": False,
            },
        ],
        "seriously_lagging": [
            {
                "tender_no": "C1",
                "name": "大里區道路工程",
                "agency": {"code": "construction", "name": "臺中市政府建設局", "short_name": "建設局"},
                "planned_pct": 60.0,
                "actual_pct": 45.0,
                "lag": 15.0,
            }
        ],
    }


def test_agency_staff_get_their_own_agency(api, personas, march):
    api.force_authenticate(personas.other_staff)
    body = api.get(REPORT, {"month": "2025-03"}).json()
    assert [a["agency"]["code"] for a in body["agencies"]] == ["environment"]
    assert body["seriously_lagging"] == []


def test_an_api_key_is_scoped_to_its_agency(api, march):
    _key, raw = create_api_key(name="construction-system", agency=agency("construction"), actor=None)
    body = api.get(REPORT, {"month": "2025-03"}, headers={"Authorization": f"Api-Key {raw}"}).json()
    assert [a["agency"]["code"] for a in body["agencies"]] == ["construction"]
    assert [r["tender_no"] for r in body["seriously_lagging"]] == ["C1"]


def test_an_api_key_without_an_agency_is_refused(api, march):
    _key, raw = create_api_key(name="partner", agency=None, actor=None)
    response = api.get(REPORT, {"month": "2025-03"}, headers={"Authorization": f"Api-Key {raw}"})
    assert response.status_code == 403


def test_a_bad_month_is_a_400_in_zh_hant(api, personas):
    api.force_authenticate(personas.officer)
    response = api.get(REPORT, {"month": "2025-3"})
    assert response.status_code == 400
    assert "month" in response.json()["errors"]


def test_anonymous_callers_are_refused(api):
    assert api.get(REPORT).status_code in (401, 403)


def test_the_tender_list_is_scoped_and_filtered(api, personas, march):
    api.force_authenticate(personas.staff)
    body = api.get(TENDERS, {"type": "works"}).json()
    assert [t["number"] for t in body["results"]] == ["C1"]
    assert body["results"][0]["agency"]["short_name"] == "建設局"


def test_the_tender_list_query_count_does_not_grow_with_rows(
    api, personas, march, django_assert_max_num_queries
):
    for n in range(20):
        tender("construction", number=f"X{n:02d}")
    api.force_authenticate(personas.officer)
    with django_assert_max_num_queries(6):
        assert api.get(TENDERS).status_code == 200


def test_the_tender_detail_gives_each_months_lag_and_class(api, personas, march):
    api.force_authenticate(personas.officer)
    body = api.get(f"{TENDERS}C1/").json()
    assert body["progress"][0] | {"entered_at": None} == {
        "month": "2025-03",
        "planned_pct": 60.0,
        "actual_pct": 45.0,
        "lag": 15.0,
        "lag_class": "serious",
        "days_behind": None,
        "budget_executed": None,
        "reason": "落後",
        "is_late": False,
        "entered_at": None,
    }


def test_other_agencies_tenders_are_not_found(api, personas, march):
    api.force_authenticate(personas.other_staff)
    assert api.get(f"{TENDERS}C1/").status_code == 404


def test_an_agency_enters_progress_through_the_api(api, personas, march):
    api.force_authenticate(personas.staff)
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    response = api.post(
        f"{TENDERS}C1/progress/", {"month": month, "planned_pct": "70", "actual_pct": "68", "reason": "雨天"}
    )
    assert response.status_code == 201
    assert response.json()["progress"][-1]["month"] == month


def test_a_delay_without_reason_is_a_400_with_the_field(api, personas, march):
    api.force_authenticate(personas.staff)
    response = api.post(
        f"{TENDERS}C1/progress/", {"month": "2025-03", "planned_pct": "70", "actual_pct": "60"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["reason"]


def test_another_agency_cannot_enter_progress(api, personas, march):
    api.force_authenticate(personas.staff)
    assert (
        api.post(
            f"{TENDERS}E1/progress/", {"month": "2025-03", "planned_pct": "1", "actual_pct": "1"}
        ).status_code
        == 404
    )


def test_an_agency_adds_its_tender_through_the_api(api, personas):
    api.force_authenticate(personas.staff)
    response = api.post(
        TENDERS,
        {"number": "114-API1", "name": "南屯區公園新建工程", "agency": "construction", "type": "works",
         "contract_amount": "81000000", "started_on": "2025-02-03"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["agency"]["code"] == "construction"


def test_adding_another_agencys_tender_is_refused(api, personas):
    api.force_authenticate(personas.staff)
    response = api.post(
        TENDERS, {"number": "114-API2", "name": "x", "agency": "environment", "type": "works"}, format="json"
    )
    assert response.status_code == 403


def test_an_unknown_agency_is_a_400_on_the_field(api, personas):
    api.force_authenticate(personas.officer)
    response = api.post(
        TENDERS, {"number": "114-API3", "name": "x", "agency": "nope", "type": "works"}, format="json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["agency"])


def test_the_control_report_query_count_does_not_grow_with_tenders(
    api, personas, django_assert_max_num_queries
):
    for n in range(30):
        t = tender(
            "construction" if n % 2 else "environment", number=f"Q{n:02d}", type="goods", amount=1_000_000
        )
        progress(t, "2025-02", 30, 5)
        progress(t, "2025-03", 50, 20)  # 30 points behind: the days-behind path
    api.force_authenticate(personas.officer)
    with django_assert_max_num_queries(8):
        assert api.get(REPORT, {"month": "2025-03"}).status_code == 200


def test_an_unknown_status_is_a_400_on_the_field(api, personas):
    api.force_authenticate(personas.officer)
    response = api.post(
        TENDERS,
        {"number": "114-API4", "name": "x", "agency": "construction", "type": "works", "status": "done"},
        format="json",
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["status"])
