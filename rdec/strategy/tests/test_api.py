"""The strategy API (/api/v1/strategy/...) through HTTP: the action-plans shape others rely on,
scoping (people and API keys), and the quarterly report POST (201, 403, 400)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from rest_framework.test import APIClient

from rdec.core.models import Agency
from rdec.core.services import create_api_key
from rdec.strategy import services
from rdec.strategy.tests import factories as f

pytestmark = pytest.mark.django_db

PLANS = "/api/v1/strategy/action-plans/"
REPORTS = "/api/v1/strategy/reports/"


@pytest.fixture
def data(personas):
    opendata = f.plan("10-1-3", "rdec", name="政府開放資料")
    total = f.target(opendata, "datasets-total", 3050, unit="筆", value_type="level", baseline=D(2850))
    added = f.target(opendata, "datasets-added", 200, unit="筆")
    road = f.plan("3-2-1", "construction", name="道路品質提升")
    road_t = f.target(road, "road", 120, unit="萬平方公尺")
    window = f.open_window(personas.officer, 2)
    services.submit_report(
        total, actor=personas.officer, window=window, value=2960, narrative="季底 2,960 筆"
    )
    services.submit_report(added, actor=personas.officer, window=window, value=110, narrative="新增 110 筆")
    return {"window": window, "road_target": road_t}


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_action_plans_have_the_documented_shape(personas, data):
    body = client_for(personas.officer).get(PLANS, {"year": 2026, "quarter": 2}).json()
    plan = next(p for p in body["results"] if p["code"] == "10-1-3")
    assert {k: plan[k] for k in ("code", "name", "strategy", "agency")} == {
        "code": "10-1-3",
        "name": "政府開放資料",
        "strategy": 10,
        "agency": "rdec",
    }
    # level: 2850 + 200 × 2/4 = 2950 → 2960/2950 = 100.3 %; cumulative: 200 × 2/4 = 100 → 110 %
    assert [
        {k: t[k] for k in ("name", "unit", "annual_target", "actual", "achievement_rate", "period")}
        for t in plan["targets"]
    ] == [
        {
            "name": "datasets-total",
            "unit": "筆",
            "annual_target": 3050.0,
            "actual": 2960.0,
            "achievement_rate": 100.3,
            "period": "2026-Q2",
        },
        {
            "name": "datasets-added",
            "unit": "筆",
            "annual_target": 200.0,
            "actual": 110.0,
            "achievement_rate": 110.0,
            "period": "2026-Q2",
        },
    ]


def test_the_default_period_is_the_latest_window(personas, data):
    body = client_for(personas.officer).get(PLANS + "10-1-3/").json()
    assert {t["period"] for t in body["targets"]} == {"2026-Q2"}


def test_agency_staff_list_only_their_agencys_plans(personas, data):
    body = client_for(personas.staff).get(PLANS).json()
    assert [p["code"] for p in body["results"]] == ["3-2-1"]
    assert client_for(personas.staff).get(PLANS + "10-1-3/").status_code == 404


def test_an_api_key_is_scoped_to_its_agency(personas, data):
    _key, raw = create_api_key(name="road-sync", agency=Agency.objects.get(code="construction"), actor=None)
    api = APIClient(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    assert [p["code"] for p in api.get(PLANS).json()["results"]] == ["3-2-1"]
    response = api.post(
        REPORTS, {"target": data["road_target"].pk, "value": 33.5, "narrative": "系統介接"}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["value"], response.json()["period"]) == (33.5, "2026-Q2")


def test_citizens_and_anonymous_callers_get_no_plans(personas, data):
    assert client_for(personas.citizen).get(PLANS).status_code == 403
    assert APIClient().get(PLANS).status_code in (401, 403)


def test_filters_by_strategy_and_agency(personas, data):
    api = client_for(personas.officer)
    assert [p["code"] for p in api.get(PLANS, {"strategy": 3}).json()["results"]] == ["3-2-1"]
    assert [p["code"] for p in api.get(PLANS, {"agency": "rdec"}).json()["results"]] == ["10-1-3"]
    assert api.get(PLANS, {"quarter": 9}).status_code == 400


def test_the_list_uses_a_fixed_number_of_queries(personas, data, django_assert_max_num_queries):
    api = client_for(personas.officer)
    with django_assert_max_num_queries(16):
        api.get(PLANS)


def test_reporting_another_agencys_target_is_refused(personas, data):
    response = client_for(personas.other_staff).post(
        REPORTS, {"target": data["road_target"].pk, "value": 1, "narrative": "x"}, format="json"
    )
    assert response.status_code == 400  # not visible to 環保局: no such target for them
    assert "target" in response.json()["errors"]


def test_a_co_agency_sees_the_target_but_gets_403_when_reporting(personas, data):
    data["road_target"].plan.co_agencies.add(Agency.objects.get(code="environment"))
    response = client_for(personas.other_staff).post(
        REPORTS, {"target": data["road_target"].pk, "value": 1, "narrative": "x"}, format="json"
    )
    assert response.status_code == 403


def test_a_closed_window_is_a_400_with_the_reason(personas, data):
    services.close_window(data["window"], actor=personas.officer)
    response = client_for(personas.staff).post(
        REPORTS,
        {"target": data["road_target"].pk, "value": 1, "narrative": "x", "year": 2026, "quarter": 2},
        format="json",
    )
    assert response.status_code == 400
    assert "window" in response.json()["errors"]


def test_bad_input_is_a_400_with_field_errors(personas, data):
    response = client_for(personas.staff).post(
        REPORTS, {"target": data["road_target"].pk, "value": -3, "narrative": ""}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"value", "narrative"}


def test_windows_are_listed_with_their_state(personas, data):
    body = client_for(personas.staff).get("/api/v1/strategy/windows/").json()
    assert [(w["period"], w["state"]) for w in body["results"]] == [("2026-Q2", "open")]
