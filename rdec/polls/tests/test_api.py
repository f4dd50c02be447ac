"""The polls API with the research's worked numbers (§3.7.3, §3.7.4)."""

import pytest
from rest_framework.test import APIClient

from rdec.polls import services
from rdec.polls.tests.factories import DISCLOSURE, TWELVE_WEIGHTS, aapor_csv, make_twelve

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(personas):
    client = APIClient()
    client.force_login(personas.officer)
    return client


@pytest.fixture
def weighted(personas):
    survey = make_twelve(personas.officer)
    services.weight_survey(survey, actor=personas.officer)
    return survey


def test_results_of_a_question_with_margins(officer_client, weighted):
    response = officer_client.get(f"/api/v1/polls/surveys/{weighted.pk}/results/", {"question": "Q1"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "question",
        "n",
        "effective_n",
        "design_effect",
        "margin_of_error",
        "base",
        "missing",
        "options",
    }
    assert body["base"] is None and body["missing"] == 0
    assert body["question"] == "Q1" and body["n"] == 12
    assert body["design_effect"] == pytest.approx(1.086801, abs=1e-6)
    assert body["effective_n"] == pytest.approx(12 / 1.086801, abs=1e-5)
    # the question's maximum margin at p = 0.5 with the deff, in percentage points
    assert body["margin_of_error"] == pytest.approx(100 * 1.959964 * (1.086801 * 0.25 / 12) ** 0.5, abs=1e-4)
    yes, no = body["options"]
    assert (yes["code"], yes["n"], no["code"], no["n"]) == ("1", 6, "2", 6)
    assert yes["weighted_pct"] == pytest.approx(52.1417, abs=1e-4)
    assert yes["ci_low"] == pytest.approx(52.141656 - 29.464817, abs=1e-5)
    assert yes["ci_high"] == pytest.approx(52.141656 + 29.464817, abs=1e-5)
    assert no["weighted_pct"] == pytest.approx(100 - 52.141656, abs=1e-5)


def test_an_unknown_question_is_a_400(officer_client, weighted):
    response = officer_client.get(f"/api/v1/polls/surveys/{weighted.pk}/results/", {"question": "Q9"})
    assert response.status_code == 400
    assert "Q9" in str(response.json())


def test_weights_scaled_to_mean_one(officer_client, weighted):
    response = officer_client.get(f"/api/v1/polls/surveys/{weighted.pk}/weights/")
    rows = response.json()["results"]
    assert [r["case_id"] for r in rows] == [f"C{i:02d}" for i in range(1, 13)]
    assert [r["weight"] for r in rows] == pytest.approx(TWELVE_WEIGHTS, abs=1e-6)


EXPECTED_RATES = {
    "RR1": 0.384615,
    "RR2": 0.538462,
    "RR3": 0.392857,
    "RR4": 0.550000,
    "RR5": 0.500000,
    "RR6": 0.700000,
    "COOP1": 0.555556,
    "COOP2": 0.777778,
    "COOP3": 0.625,
    "COOP4": 0.875,
    "REF1": 0.076923,
    "REF2": 0.078571,
    "REF3": 0.100,
    "CON1": 0.692308,
    "CON2": 0.707143,
    "CON3": 0.900,
    "e": 10 / 11,
}


def test_response_rates_of_the_worked_example(officer_client, personas):
    survey = services.import_responses(
        "aapor", aapor_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    body = officer_client.get(f"/api/v1/polls/surveys/{survey.pk}/response-rates/").json()
    assert set(body) == set(EXPECTED_RATES)
    for name, value in EXPECTED_RATES.items():
        assert body[name] == pytest.approx(value, abs=1e-6), name


def test_list_finds_a_poll_by_slug(officer_client, weighted):
    services.import_responses("aapor", aapor_csv(), "f.csv", create=True, title="t")
    body = officer_client.get("/api/v1/polls/surveys/", {"slug": "twelve"}).json()
    assert [s["slug"] for s in body["results"]] == ["twelve"]
    assert body["results"][0]["id"] == weighted.pk


def test_unpublished_polls_are_the_rdecs_only(personas, weighted):
    anonymous, staff = APIClient(), APIClient()
    staff.force_login(personas.staff)
    for client in (anonymous, staff):
        assert client.get("/api/v1/polls/surveys/").json()["results"] == []
        for path in ("results/?question=Q1", "response-rates/", "weights/"):
            assert client.get(f"/api/v1/polls/surveys/{weighted.pk}/{path}").status_code == 404


def test_published_polls_are_public(personas, weighted):
    services.update_survey(weighted, actor=personas.officer, **DISCLOSURE)
    services.publish_survey(weighted, actor=personas.officer)
    client = APIClient()
    body = client.get("/api/v1/polls/surveys/").json()
    assert [s["slug"] for s in body["results"]] == ["twelve"]
    assert body["results"][0]["disclosure"]["limitations"] == DISCLOSURE["disclosure_limitations"]
    response = client.get(f"/api/v1/polls/surveys/{weighted.pk}/results/", {"question": "Q1"})
    assert response.status_code == 200
    assert response.json()["options"][0]["weighted_pct"] == pytest.approx(52.1417, abs=1e-4)


def test_the_rdec_creates_a_draft_poll_and_others_cannot(personas, officer_client):
    response = officer_client.post(
        "/api/v1/polls/surveys/", {"slug": "satisfaction-2026", "title": "115年市政滿意度調查"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    again = officer_client.post(
        "/api/v1/polls/surveys/", {"slug": "satisfaction-2026", "title": "x"}, format="json"
    )
    assert again.status_code == 400
    staff = APIClient()
    staff.force_login(personas.staff)
    assert (
        staff.post("/api/v1/polls/surveys/", {"slug": "s2", "title": "x"}, format="json").status_code == 403
    )


def test_response_rates_with_category_specific_e(officer_client, personas):
    survey = services.import_responses(
        "aapor", aapor_csv(), "f.csv", actor=personas.officer, create=True, title="t"
    ).survey
    url = f"/api/v1/polls/surveys/{survey.pk}/response-rates/"
    body = officer_client.get(url, {"e_UH": "0.4", "e_UR": "0.7", "e_UO": "0.2"}).json()
    assert body["RR3"] == pytest.approx(0.442478, abs=1e-6)
    assert body["REF2"] == pytest.approx(0.088496, abs=1e-6)
    assert body["CON2"] == pytest.approx(0.796460, abs=1e-6)
    assert body["e"] == {"UH": 0.4, "UR": 0.7, "UO": 0.2}
    assert officer_client.get(url, {"e": "2"}).status_code == 400
    assert officer_client.get(url, {"e": "abc"}).status_code == 400
