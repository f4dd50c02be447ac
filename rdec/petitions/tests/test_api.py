"""The petitions REST API (/api/v1/categories/, /api/v1/cases/), through HTTP: scoping, masking,
filters, idempotent create, and each workflow step's permission (403) and state (400) answers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from rdec.core import workdays
from rdec.core.services import create_api_key
from rdec.petitions import services, tracking
from rdec.petitions.models import Case, Category

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
NAME, PHONE, EMAIL = "王小明", "0912345678", "xiaoming.wang@example.com"
ADDRESS = "西屯區臺灣大道三段99號5樓"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def file(personas, code="pothole", **extra):
    fields = {
        "actor": personas.citizen,
        "channel": Case.Channel.WEB,
        "category": Category.objects.get(code=code),
        "subject": "路面坑洞",
        "description": "臺灣大道有坑洞",
        "address": ADDRESS,
        "lat": 24.161512,
        "lon": 120.646934,
        "petitioner_name": NAME,
        "petitioner_phone": PHONE,
        "petitioner_email": EMAIL,
        **extra,
    }
    case, _code = services.file_case(**fields)
    return case


@pytest.fixture
def road_case(personas):
    """A pothole: 建設局's case."""
    return file(personas)


@pytest.fixture
def waste_case(personas):
    """Uncollected rubbish: 環保局's case."""
    leaves = Category.objects.filter(parent__isnull=False, default_agency__code="environment")
    code = leaves.exclude(parent__code="road").first().code
    return file(personas, code=code)


def url(case, step=""):
    return f"{CASES}{case.number}/" + (f"{step}/" if step else "")


# --- categories ----------------------------------------------------------------------------------


def test_categories_are_public_with_their_parent_and_agency(api):
    response = api.get("/api/v1/categories/")
    assert response.status_code == 200
    pothole = next(c for c in response.json() if c["code"] == "pothole")
    assert pothole["parent"] == "road" and pothole["default_agency"] == "construction"
    assert pothole["working_days"] == Category.objects.get(code="pothole").working_days


# --- reading: scoping and masking ----------------------------------------------------------------


def test_staff_see_only_their_agencys_cases(api, personas, road_case, waste_case):
    body = as_user(api, personas.staff).get(CASES).json()
    assert [c["number"] for c in body["results"]] == [road_case.number]
    body = as_user(api, personas.other_staff).get(CASES).json()
    assert [c["number"] for c in body["results"]] == [waste_case.number]


def test_rdec_officers_see_every_case(api, personas, road_case, waste_case):
    body = as_user(api, personas.officer).get(CASES).json()
    assert {c["number"] for c in body["results"]} == {road_case.number, waste_case.number}


def test_another_agencys_case_is_a_404(api, personas, road_case):
    assert as_user(api, personas.other_staff).get(url(road_case)).status_code == 404


def test_a_citizen_sees_only_their_own_cases(api, personas, road_case):
    other = file(personas, actor=personas.agent, channel=Case.Channel.PHONE)
    body = as_user(api, personas.citizen).get(CASES).json()
    assert [c["number"] for c in body["results"]] == [road_case.number]
    assert api.get(url(other)).status_code == 404


def test_anonymous_users_see_no_cases(api, road_case):
    assert api.get(CASES).status_code == 401
    assert api.get(url(road_case)).status_code == 401


def test_the_handling_agency_sees_the_petitioner_in_clear(api, personas, road_case):
    body = as_user(api, personas.staff).get(url(road_case)).json()
    assert (body["petitioner_name"], body["petitioner_phone"], body["petitioner_email"]) == (
        NAME,
        PHONE,
        EMAIL,
    )
    assert body["address"] == ADDRESS and body["lat"] == 24.161512


@pytest.mark.parametrize("persona", ["officer", "agent"])
def test_non_handlers_see_the_petitioner_masked(api, personas, road_case, persona):
    response = as_user(api, getattr(personas, persona)).get(url(road_case))
    body = response.json()
    assert body["petitioner_name"] == "王○明"
    assert body["petitioner_phone"] == "0912-***-678"
    assert body["petitioner_email"] == "x***@example.com"
    assert body["address"] == "西屯區臺灣大道三段＊號＊樓"
    assert body["lat"] == 24.162
    text = response.content.decode()
    assert NAME not in text and PHONE not in text and EMAIL not in text and "99號" not in text


def test_the_list_masks_too(api, personas, road_case):
    text = as_user(api, personas.officer).get(CASES).content.decode()
    assert road_case.number in text and NAME not in text and PHONE not in text and EMAIL not in text


def test_the_list_takes_as_many_queries_for_six_cases_as_for_one(api, personas):
    def queries_for_list():
        as_user(api, personas.staff)
        with CaptureQueriesContext(connection) as captured:
            assert api.get(CASES).status_code == 200
        return len(captured)

    file(personas)
    queries_for_list()  # the user's agency tree is read once and kept on the user
    one = queries_for_list()
    for _n in range(5):
        file(personas)
    assert queries_for_list() == one


# --- filters -------------------------------------------------------------------------------------


def test_cases_filter_by_status_category_district_agency_and_due_date(api, personas, road_case, waste_case):
    services.withdraw_case(waste_case, actor=personas.officer, reason="")
    as_user(api, personas.officer)

    def numbers(**params):
        return {c["number"] for c in api.get(CASES, params).json()["results"]}

    assert numbers(status="open") == {road_case.number}
    assert numbers(status="closed") == numbers(status="withdrawn") == {waste_case.number}
    assert numbers(category="pothole") == numbers(category="road") == {road_case.number}
    assert numbers(district="66000060") == {road_case.number, waste_case.number}
    assert numbers(district="66000010") == set()
    assert numbers(agency="environment") == {waste_case.number}
    latest, earliest = (
        max(road_case.due_date, waste_case.due_date),
        min(road_case.due_date, waste_case.due_date),
    )
    assert numbers(due_before=latest.isoformat()) == {road_case.number, waste_case.number}
    assert numbers(due_before=(earliest - datetime.timedelta(days=1)).isoformat()) == set()


@pytest.mark.parametrize("params", [{"status": "lost"}, {"due_before": "31/12/2026"}, {"district": "Xitun"}])
def test_a_bad_filter_is_a_400_naming_the_field(api, personas, params):
    response = as_user(api, personas.officer).get(CASES, params)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(params)


# --- creating --------------------------------------------------------------------------------------


NEW = {
    "category": "pothole",
    "subject": "路面坑洞",
    "description": "市政路上有坑洞",
    "lat": 24.1615,
    "lon": 120.6469,
    "petitioner_name": NAME,
    "petitioner_phone": "0912-345-678",
}


def test_a_call_agent_files_a_case_routed_and_due_on_the_calendar(api, personas):
    response = as_user(api, personas.agent).post(CASES, NEW, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["channel"] == "phone" and body["agency"] == "construction"
    assert body["district"] == "66000060" and body["status"] == "assigned"
    assert body["due_date"] == workdays.add_working_days(timezone.localdate(), 3).isoformat()
    assert len(body["tracking_code"]) == 8
    assert body["petitioner_phone"] == PHONE  # the agent who took the call handles it


def test_an_api_key_files_a_case(api):
    _key, raw = create_api_key(name="partner", agency=None, actor=None)
    response = api.post(CASES, NEW, format="json", headers={"Authorization": f"Api-Key {raw}"})
    assert response.status_code == 201
    assert response.json()["channel"] == "open311"


def test_the_same_idempotency_key_returns_the_same_case_with_200(api, personas):
    as_user(api, personas.staff)
    first = api.post(CASES, NEW, format="json", headers={"Idempotency-Key": "form-7"})
    again = api.post(CASES, NEW, format="json", headers={"Idempotency-Key": "form-7"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert again.json()["tracking_code"] is None
    assert Case.objects.count() == 1


def test_idempotency_keys_belong_to_their_user(api, personas):
    first = as_user(api, personas.staff).post(CASES, NEW, format="json", headers={"Idempotency-Key": "k"})
    other = as_user(api, personas.agent).post(CASES, NEW, format="json", headers={"Idempotency-Key": "k"})
    assert (first.status_code, other.status_code) == (201, 201)
    assert first.json()["number"] != other.json()["number"]


def test_anonymous_users_cannot_file_through_the_api(api):
    assert api.post(CASES, NEW, format="json").status_code == 401
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "change", [{"category": "road"}, {"category": "nope"}, {"subject": ""}, {"lat": 200}, {"district": "1"}]
)
def test_bad_input_is_a_400_naming_the_field(api, personas, change):
    response = as_user(api, personas.agent).post(CASES, {**NEW, **change}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == set(change)
    assert not Case.objects.exists()


# --- workflow steps: allowed, forbidden (403), not in this state (400) ----------------------------


def test_staff_transfer_a_case_to_another_agency(api, personas, road_case):
    response = as_user(api, personas.staff).post(
        url(road_case, "transfer"), {"agency": "environment", "reason": "屬環保局業務"}, format="json"
    )
    assert response.status_code == 204  # out of the staff's sight now
    road_case.refresh_from_db()
    assert road_case.agency.code == "environment"
    assert as_user(api, personas.other_staff).get(url(road_case)).status_code == 200


def test_an_officer_transfers_and_sees_the_case_after(api, personas, road_case):
    response = as_user(api, personas.officer).post(
        url(road_case, "transfer"), {"agency": "environment", "reason": "屬環保局業務"}, format="json"
    )
    assert response.status_code == 200 and response.json()["agency"] == "environment"


def test_a_call_agent_may_not_transfer(api, personas, road_case):
    response = as_user(api, personas.agent).post(
        url(road_case, "transfer"), {"agency": "environment", "reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_another_agencys_staff_get_404_for_any_step(api, personas, road_case):
    response = as_user(api, personas.other_staff).post(
        url(road_case, "transfer"), {"agency": "environment", "reason": "x"}, format="json"
    )
    assert response.status_code == 404


def test_a_withdrawn_case_cannot_be_transferred(api, personas, road_case):
    services.withdraw_case(road_case, actor=personas.staff, reason="")
    response = as_user(api, personas.staff).post(
        url(road_case, "transfer"), {"agency": "environment", "reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_transfer_to_an_unknown_agency_is_a_400(api, personas, road_case):
    response = as_user(api, personas.staff).post(
        url(road_case, "transfer"), {"agency": "nowhere", "reason": "x"}, format="json"
    )
    assert response.status_code == 400 and "agency" in response.json()["errors"]


def test_the_supervisor_reassigns_and_staff_may_not(api, personas, road_case):
    step = url(road_case, "reassign")
    assert as_user(api, personas.staff).post(step, {"handler": "staff"}, format="json").status_code == 403
    response = as_user(api, personas.supervisor).post(step, {"handler": "staff"}, format="json")
    assert response.status_code == 200 and response.json()["handler"] == "staff"
    bad = api.post(step, {"handler": "staff-env"}, format="json")
    assert bad.status_code == 400 and "handler" in bad.json()["errors"]


def test_staff_merge_a_duplicate_into_a_main_case(api, personas, road_case):
    duplicate = file(personas)
    step = url(duplicate, "merge")
    assert (
        as_user(api, personas.agent).post(step, {"into": road_case.number}, format="json").status_code == 403
    )
    response = as_user(api, personas.staff).post(step, {"into": road_case.number}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "merged" and response.json()["merged_into"] == road_case.number
    again = api.post(step, {"into": road_case.number}, format="json")
    assert again.status_code == 400


def test_extension_requested_by_staff_and_decided_by_the_supervisor(api, personas, road_case):
    request_step, decide_step = url(road_case, "extension-request"), url(road_case, "extension-decision")
    ask = {"working_days": 5, "reason": "需會勘"}
    assert as_user(api, personas.agent).post(request_step, ask, format="json").status_code == 403
    response = as_user(api, personas.staff).post(request_step, ask, format="json")
    assert response.status_code == 201
    new_due = response.json()["requested_due_date"]
    assert new_due == workdays.add_working_days(road_case.due_date, 5).isoformat()
    assert api.post(request_step, ask, format="json").status_code == 400  # one already pending
    assert api.post(decide_step, {"approve": True}, format="json").status_code == 403
    decided = as_user(api, personas.supervisor).post(decide_step, {"approve": True}, format="json")
    assert decided.status_code == 200
    assert decided.json()["due_date"] == new_due
    assert decided.json()["original_due_date"] == road_case.original_due_date.isoformat()
    assert api.post(decide_step, {"approve": True}, format="json").status_code == 400  # nothing pending


def test_reply_approve_close_and_their_permissions(api, personas, road_case):
    reply_step = url(road_case, "reply")
    body = {"body": "已派員修補。", "internal_note": "承包商：某某工程"}
    assert as_user(api, personas.agent).post(reply_step, body, format="json").status_code == 403
    written = as_user(api, personas.staff).post(reply_step, body, format="json")
    assert written.status_code == 201 and written.json()["status"] == "submitted"
    assert api.post(url(road_case, "approve"), {}, format="json").status_code == 403
    assert api.post(url(road_case, "close"), {}, format="json").status_code == 403
    approved = as_user(api, personas.supervisor).post(url(road_case, "approve"), {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "replied"
    assert api.post(url(road_case, "approve"), {}, format="json").status_code == 400  # none waiting
    assert api.post(reply_step, body, format="json").status_code == 400  # replied: not open
    closed = api.post(url(road_case, "close"), {"note": "完成"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert api.post(url(road_case, "close"), {}, format="json").status_code == 400


def test_reopen_needs_a_dissatisfied_rating(api, personas, road_case):
    as_user(api, personas.staff).post(url(road_case, "reply"), {"body": "已處理。"}, format="json")
    as_user(api, personas.supervisor).post(url(road_case, "approve"), {}, format="json")
    step = url(road_case, "reopen")
    assert as_user(api, personas.staff).post(step, {"reason": "民眾不滿意"}, format="json").status_code == 403
    as_user(api, personas.supervisor)
    assert api.post(step, {"reason": "民眾不滿意"}, format="json").status_code == 400  # no rating yet
    road_case.refresh_from_db()
    services.rate_case(tracking.rating_token(road_case), actor=None, score=1, comment="沒修好")
    response = api.post(step, {"reason": "民眾不滿意"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"


def test_a_citizen_withdraws_their_own_case_only(api, personas, road_case):
    other = file(personas, actor=personas.agent, channel=Case.Channel.PHONE)
    as_user(api, personas.citizen)
    assert api.post(url(other, "withdraw"), {}, format="json").status_code == 404
    response = api.post(url(road_case, "withdraw"), {"reason": "已自行處理"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert api.post(url(road_case, "withdraw"), {}, format="json").status_code == 400
