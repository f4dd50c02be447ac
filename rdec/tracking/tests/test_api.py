"""The tracking API (/api/v1/tracking/items/, /api/v1/tracking/meetings/) through HTTP: scoping for
people and API keys, filters, writes through the services, 403 for steps not allowed, zh-Hant 400s."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rdec.core.services import create_api_key
from rdec.tracking import services
from rdec.tracking.models import Item
from rdec.tracking.tests.factories import agency, item, mobile_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("collection_day")]

ITEMS = "/api/v1/tracking/items/"
MEETINGS = "/api/v1/tracking/meetings/"
INVALID = "輸入的資料有誤，請修正下列欄位。"
TODAY = timezone.localdate()


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


@pytest.fixture
def items(personas):
    own = item(personas.officer, owner="construction", title="建設局案件")
    co = item(personas.officer, owner="environment", co=["construction"], title="協辦案件")
    other = item(personas.officer, owner="environment", title="環保局案件")
    late = item(
        personas.officer, owner="environment", title="逾期案件", deadline=TODAY + datetime.timedelta(days=1)
    )
    Item.objects.filter(pk=late.pk).update(deadline=TODAY - datetime.timedelta(days=2))
    return {"own": own, "co": co, "other": other, "late": late}


def numbers(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["number"] for row in response.json()["results"]}


def test_agency_staff_list_their_own_and_co_handled_items(api, personas, items):
    got = numbers(as_user(api, personas.staff).get(ITEMS))
    assert got == {items["own"].number, items["co"].number}


def test_rdec_officers_list_every_item(api, personas, items):
    assert len(numbers(as_user(api, personas.officer).get(ITEMS))) == 4


def test_an_api_key_sees_its_agencys_items(api, items):
    _key, raw = create_api_key(name="env-system", agency=agency("environment"), actor=None)
    response = api.get(ITEMS, headers={"Authorization": f"Api-Key {raw}"})
    assert numbers(response) == {items["co"].number, items["other"].number, items["late"].number}


def test_an_api_key_without_an_agency_sees_nothing(api, items):
    _key, raw = create_api_key(name="partner", agency=None, actor=None)
    response = api.get(ITEMS, headers={"Authorization": f"Api-Key {raw}"})
    assert numbers(response) == set()


def test_anonymous_callers_are_refused(api):
    assert api.get(ITEMS).status_code == 401


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("overdue=true", {"late"}),
        ("overdue=false", {"own", "co", "other"}),
        ("agency=construction", {"own", "co"}),
        ("source=mayor&status=open", {"own", "co", "other", "late"}),
        ("status=released", set()),
    ],
)
def test_filters(api, personas, items, query, expected):
    got = numbers(as_user(api, personas.officer).get(f"{ITEMS}?{query}"))
    assert got == {items[k].number for k in expected}


def test_a_bad_filter_is_a_zh_hant_400_with_field_errors(api, personas):
    response = as_user(api, personas.officer).get(f"{ITEMS}?status=lost&overdue=maybe")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == INVALID
    assert set(body["errors"]) == {"status", "overdue"}


def test_the_list_costs_a_fixed_number_of_queries(api, personas, items, django_assert_max_num_queries):
    for n in range(10):
        item(personas.officer, title=f"案件{n}")
    client = as_user(api, personas.officer)
    with django_assert_max_num_queries(8):
        client.get(ITEMS)


def test_an_item_shows_its_reports(api, personas, items):
    services.submit_report(items["own"], actor=personas.staff, text="已會勘", percent=15)
    body = as_user(api, personas.staff).get(f"{ITEMS}{items['own'].number}/").json()
    assert [(r["text"], r["percent"], r["agency"]) for r in body["reports"]] == [
        ("已會勘", 15, "construction")
    ]


def test_an_item_of_another_agency_is_not_found(api, personas, items):
    assert as_user(api, personas.staff).get(f"{ITEMS}{items['other'].number}/").status_code == 404


# --- writes ------------------------------------------------------------------------------------------

NEW = {
    "source": "interpellation",
    "title": "臺74線噪音改善時程",
    "owner": "construction",
    "co_agencies": ["environment"],
    "councillor": "張文雄",
    "asked_on": "2026-11-20",
}


def test_the_rdec_puts_an_interpellation_under_control_due_seven_days_later(api, personas):
    response = as_user(api, personas.officer).post(ITEMS, NEW, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["deadline"], body["owner"], body["co_agencies"], body["status"]) == (
        "2026-11-27",
        "construction",
        ["environment"],
        "open",
    )


def test_an_unknown_agency_is_a_400_on_its_field(api, personas):
    response = as_user(api, personas.officer).post(ITEMS, {**NEW, "owner": "nowhere"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"] == INVALID
    assert "owner" in response.json()["errors"]


def test_a_service_rule_is_a_400_on_its_field(api, personas):
    response = as_user(api, personas.officer).post(ITEMS, {**NEW, "asked_on": None}, format="json")
    assert response.status_code == 400
    assert {"asked_on", "deadline"} <= set(response.json()["errors"])


def test_agency_staff_may_not_put_items_under_rdec_control(api, personas):
    response = as_user(api, personas.staff).post(ITEMS, {**NEW, "level": "rdec"}, format="json")
    assert response.status_code == 403


def test_agency_staff_report_progress(api, personas, items):
    url = f"{ITEMS}{items['own'].number}/reports/"
    response = as_user(api, personas.staff).post(url, {"text": "已決標", "percent": 40}, format="json")
    assert response.status_code == 201, response.content
    items["own"].refresh_from_db()
    assert items["own"].percent == 40


def test_a_co_agency_reports_through_the_api(api, personas, items):
    url = f"{ITEMS}{items['co'].number}/reports/"
    response = as_user(api, personas.staff).post(url, {"text": "協辦完成", "percent": 30}, format="json")
    assert (response.status_code, response.json()["agency"]) == (201, "construction")


def test_a_percent_over_100_is_a_400(api, personas, items):
    url = f"{ITEMS}{items['own'].number}/reports/"
    response = as_user(api, personas.staff).post(url, {"text": "x", "percent": 150}, format="json")
    assert response.status_code == 400
    assert "percent" in response.json()["errors"]


def test_the_rdec_cannot_report_for_an_agency(api, personas, items):
    url = f"{ITEMS}{items['own'].number}/reports/"
    response = as_user(api, personas.officer).post(url, {"text": "x", "percent": 10}, format="json")
    assert response.status_code == 403


def test_the_rdec_reviews_and_releases(api, personas, items):
    services.submit_report(items["own"], actor=personas.staff, text="完工", percent=100, propose_release=True)
    url = f"{ITEMS}{items['own'].number}/review/"
    response = as_user(api, personas.officer).post(
        url, {"decision": "release", "comment": "同意解除列管"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "released"
    assert body["reports"][-1]["decision"] == "release"


def test_continuing_control_with_a_past_deadline_is_a_400(api, personas, items):
    services.submit_report(items["own"], actor=personas.staff, text="施工中", percent=50)
    url = f"{ITEMS}{items['own'].number}/review/"
    response = as_user(api, personas.officer).post(
        url, {"decision": "continue", "comment": "續管", "new_deadline": "2020-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert "new_deadline" in response.json()["errors"]


def test_review_without_a_pending_report_is_a_400(api, personas, items):
    url = f"{ITEMS}{items['own'].number}/review/"
    response = as_user(api, personas.officer).post(
        url, {"decision": "release", "comment": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "report" in response.json()["errors"]


def test_agency_staff_may_not_review(api, personas, items):
    services.submit_report(items["own"], actor=personas.staff, text="完工", percent=100, propose_release=True)
    url = f"{ITEMS}{items['own'].number}/review/"
    response = as_user(api, personas.supervisor).post(
        url, {"decision": "release", "comment": "x"}, format="json"
    )
    assert response.status_code == 403


# --- meetings --------------------------------------------------------------------------------------


def test_meetings_are_scoped_and_carry_their_resolutions(api, personas):
    meeting = mobile_meeting(personas.officer)
    services.add_resolution(
        meeting,
        actor=personas.officer,
        text="順天路拓寬",
        owner=agency("construction"),
        deadline=TODAY + datetime.timedelta(days=30),
    )
    mobile_meeting(personas.officer, agencies=[agency("tourism")])
    body = as_user(api, personas.staff).get(MEETINGS).json()
    assert [m["id"] for m in body["results"]] == [meeting.pk]
    first = body["results"][0]
    assert first["district"] == "66000110"
    assert first["resolutions"][0]["text"] == "順天路拓寬"
    assert first["resolutions"][0]["item"].endswith("-00001")
    assert {r["role"] for r in first["representatives"]} == {"district_chief", "village_chief", "councillor"}


def test_the_rdec_lists_every_meeting(api, personas):
    mobile_meeting(personas.officer)
    mobile_meeting(personas.officer, agencies=[agency("tourism")])
    assert as_user(api, personas.officer).get(MEETINGS).json()["count"] == 2
