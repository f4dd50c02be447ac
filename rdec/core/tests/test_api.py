"""The public reference API, the calendar API, errors and authentication, through HTTP."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_districts_lists_the_29_districts_of_taichung_with_moi_codes(api):
    response = api.get("/api/v1/districts/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 29
    codes = [d["code"] for d in body["results"]]
    assert codes == [f"66000{n:03d}" for n in range(10, 300, 10)]
    xitun = next(d for d in body["results"] if d["code"] == "66000060")
    assert xitun["name"] == "西屯區" and xitun["name_en"] == "Xitun District"


def test_district_detail_lists_its_villages(api):
    body = api.get("/api/v1/districts/66000060/").json()
    assert body["name"] == "西屯區"
    names = {v["name"] for v in body["villages"]}
    assert "惠來里" in names and len(names) == len(body["villages"]) > 30


def test_a_point_in_xitun_resolves_to_xitun_and_its_village(api):
    body = api.get("/api/v1/districts/resolve/", {"lat": 24.1615, "lon": 120.6469}).json()
    assert body["district"]["name"] == "西屯區"
    assert body["village"] == {
        "code": "66000060005",
        "name": "惠來里",
        "name_en": "Huilai Vil.",
        "district": "66000060",
        "district_name": "西屯區",
    }


def test_a_point_outside_the_city_resolves_to_nothing(api):
    body = api.get("/api/v1/districts/resolve/", {"lat": 25.0330, "lon": 121.5654}).json()  # Taipei 101
    assert body == {"district": None, "village": None}


def test_resolve_without_coordinates_is_a_400_with_field_errors_in_chinese(api):
    response = api.get("/api/v1/districts/resolve/", {"lat": "north"})
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"lat", "lon"}
    assert body["detail"] == "輸入的資料有誤，請修正下列欄位。"


def test_agencies_list_the_tree_with_codes_and_names(api):
    body = api.get("/api/v1/agencies/", {"page_size": 500}).json()
    by_code = {a["code"]: a for a in body["results"]}
    assert by_code["construction"]["short_name"] == "建設局"
    assert by_code["construction"]["name"] == "臺中市政府建設局"
    assert by_code["construction"]["parent"] == "city"
    assert by_code["animal-protection"]["parent"] == "agriculture"
    assert sum(1 for a in body["results"] if a["level"] == "first") == 31
    offices = [a for a in body["results"] if a["level"] == "district_office"]
    assert len(offices) == 29 and {a["district"] for a in offices} == {
        f"66000{n:03d}" for n in range(10, 300, 10)
    }


def test_agencies_filter_by_level_and_parent(api):
    body = api.get("/api/v1/agencies/", {"parent": "transportation"}).json()
    assert {a["short_name"] for a in body["results"]} == {"停管處", "裁決處"}


def test_add_working_days_skips_the_lunar_new_year(api):
    response = api.get("/api/v1/calendar/add-working-days/", {"start": "2026-02-13", "days": 1})
    assert response.status_code == 200
    assert response.json() == {"date": "2026-02-23"}


def test_add_working_days_counts_a_make_up_saturday(api):
    # 2025-02-08 (Sat) is 補行上班 in the 2025 calendar.
    response = api.get("/api/v1/calendar/add-working-days/", {"start": "2025-02-07", "days": 1})
    assert response.json() == {"date": "2025-02-08"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026/02/13", "days": 1}, "start"),
        ({"start": "2026-02-13", "days": "ten"}, "days"),
        ({"days": 3}, "start"),
        ({"start": "2026-02-13"}, "days"),
        ({"start": "2026-02-13", "days": 99999}, "days"),
        ({"start": "2031-01-02", "days": 1}, "start"),
        ({"start": "2027-12-28", "days": 30}, "start"),
    ],
)
def test_add_working_days_answers_400_with_the_field_to_fix(api, params, field):
    response = api.get("/api/v1/calendar/add-working-days/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_beyond_the_calendar_the_message_names_the_loaded_range_in_chinese(api):
    body = api.get("/api/v1/calendar/add-working-days/", {"start": "2031-01-02", "days": 1}).json()
    # A sentence for people in the API's language: ROC dates in zh-Hant, ISO in English.
    assert "106年1月1日" in body["errors"]["start"][0] and "116年12月31日" in body["errors"]["start"][0]
    assert "行政機關辦公日曆" in body["errors"]["start"][0]
    english = api.get(
        "/api/v1/calendar/add-working-days/", {"start": "2031-01-02", "days": 1}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert "2017-01-01" in english["errors"]["start"][0] and "2027-12-31" in english["errors"]["start"][0]


def test_errors_follow_accept_language(api):
    body = api.get(
        "/api/v1/calendar/add-working-days/", {"start": "x", "days": 1}, HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert body["detail"] == "The input is not valid. Please correct the fields listed."


def test_working_days_between(api):
    body = api.get(
        "/api/v1/calendar/working-days-between/", {"start": "2026-02-13", "end": "2026-02-24"}
    ).json()
    assert body == {"working_days": 2}


def test_calendar_days_of_a_year(api):
    body = api.get("/api/v1/calendar/days/", {"year": 2026}).json()
    assert len(body) == 365
    assert body[0] == {"date": "2026-01-01", "is_holiday": True, "description": "開國紀念日"}
    assert api.get("/api/v1/calendar/days/", {"year": 2040}).status_code == 400


def test_me_needs_authentication(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_me_shows_the_signed_in_user(api, personas):
    api.force_authenticate(personas.staff)
    body = api.get("/api/v1/me/").json()
    assert body["role"] == "agency_staff" and body["agency"]["code"] == "construction"


def test_unknown_api_paths_answer_json_404(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "in-process", "status": "ok"}


def test_healthz_reports_a_broker_that_cannot_be_reached(client, settings):
    from rdec.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = None
    # the site still serves (submissions wait in the database): degraded, not down
    assert response.status_code == 200
    assert response.json()["broker"] == "error"
    assert response.json()["degraded"] == ["broker"]


def test_healthz_reports_a_live_redis_broker(client, settings):
    from rdec.celery import app

    url = "redis://127.0.0.1:6379/15"
    settings.CELERY_BROKER_URL = url
    app.conf.broker_url = url
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = None
    # no worker runs in the tests: the broker answers, no worker does (db 15's queue is shared)
    state = response.json()
    assert isinstance(state.pop("queue"), int)
    assert state == {
        "database": "ok",
        "broker": "ok",
        "workers": "none",
        "status": "degraded",
        "degraded": ["workers"],
    }


@pytest.mark.parametrize("path", ["/api/v1/agencies/", "/api/v1/villages/", "/agencies/"])
def test_a_nul_character_in_the_query_is_a_clear_400(client, path):
    response = client.get(path, {"parent": "a\x00b", "district": "\x00"})
    assert response.status_code == 400
