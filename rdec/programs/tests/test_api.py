"""The engine's API: calls (201/400/403), submissions (400 after closes), a reviewer's scores (403
when not assigned) and the ranking (the RDEC's, then public once published)."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from rdec.programs import services
from rdec.programs.tests.factories import (
    CLOSES,
    CRITERIA,
    DURING,
    flat,
    make_call,
    review,
    reviewer,
    submit,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/programs/calls/"
BODY = {
    "slug": "fv-2026-1",
    "title": "115年第1梯次場域驗證徵案",
    "programme": "field_validation",
    "opens": "2026-04-30",
    "closes": "2026-05-29",
    "criteria": CRITERIA,
    "tie_break": "analysis",
}


def client(user=None) -> APIClient:
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def test_the_rdec_creates_a_call_whose_date_window_is_inclusive(personas):
    response = client(personas.officer).post(URL, BODY, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["slug"], data["rubric_version"], data["status"]) == ("fv-2026-1", 1, "open")
    assert data["criteria"] == CRITERIA
    assert data["opens"].startswith("2026-04-30T00:00:00")
    assert data["closes"].startswith("2026-05-29T23:59:59")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"criteria": [{**CRITERIA[0], "weight": 20}, *CRITERIA[1:]]}, "criteria"),
        ({"tie_break": "impact"}, "tie_break"),
        ({"programme": "polls"}, "programme"),
        ({"closes": "2026-04-01"}, "closes"),
        ({"criteria": [{**CRITERIA[0], "weight": 0}, *CRITERIA[1:]]}, "criteria"),
    ],
)
def test_a_bad_call_is_a_400_with_field_errors(personas, change, field):
    response = client(personas.officer).post(URL, {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_second_call_with_the_same_slug_is_a_400(personas):
    client(personas.officer).post(URL, BODY, format="json")
    response = client(personas.officer).post(URL, BODY, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["slug"])


@pytest.mark.parametrize("who", ["staff", "citizen"])
def test_only_the_rdec_creates_calls(personas, who):
    assert client(getattr(personas, who)).post(URL, BODY, format="json").status_code == 403


def test_anyone_lists_calls(personas):
    make_call(personas.officer)
    response = client().get(URL)
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["slug"], row["tie_break"], len(row["criteria"])) == ("innovation-2022", "method", 4)


def test_a_submission_while_open_is_201_and_after_closes_400(personas, time_machine):
    call = make_call(personas.officer)
    body = {"reference": "P-1", "title": "智慧路燈", "organisation": "臺中智慧科技", "tax_id": "04595257"}
    time_machine.move_to(DURING, tick=False)
    assert (
        client(personas.citizen).post(f"{URL}{call.slug}/submissions/", body, format="json").status_code
        == 201
    )
    time_machine.move_to(CLOSES + datetime.timedelta(days=1), tick=False)
    response = client(personas.citizen).post(
        f"{URL}{call.slug}/submissions/", {**body, "reference": "P-2"}, format="json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["call"])


def test_a_bad_tax_id_is_a_400(personas, time_machine):
    call = make_call(personas.officer)
    time_machine.move_to(DURING, tick=False)
    body = {"reference": "P-1", "title": "t", "organisation": "o", "tax_id": "12345678"}
    response = client(personas.citizen).post(f"{URL}{call.slug}/submissions/", body, format="json")
    assert (response.status_code, list(response.json()["errors"])) == (400, ["tax_id"])


def test_submissions_are_listed_to_the_rdec_and_to_their_submitter(personas):
    call = make_call(personas.officer)
    submit(call, personas.citizen, "P-1")
    url = f"{URL}{call.slug}/submissions/"
    assert [r["reference"] for r in client(personas.officer).get(url).json()] == ["P-1"]
    assert [r["reference"] for r in client(personas.citizen).get(url).json()] == ["P-1"]
    assert client(personas.staff).get(url).json() == []
    assert client().get(url).status_code in (401, 403)


@pytest.fixture
def scored(personas):
    call = make_call(personas.officer)
    submission = submit(call, personas.citizen, "P-1")
    person = reviewer("r1")
    services.assign_reviewer(submission, actor=personas.officer, reviewer=person)
    return call, person


def test_an_assigned_reviewer_scores_201(personas, scored):
    call, person = scored
    body = {"submission": "P-1", "scores": {"structure": 80, "method": 70, "analysis": 90, "conclusions": 60}}
    response = client(person).post(f"{URL}{call.slug}/scores/", body, format="json")
    assert response.status_code == 201
    assert response.json() == {
        "submission": "P-1",
        "round": "written",
        "rubric_version": 1,
        "total": "74.00",
        "conflict": False,
    }


def test_a_reviewer_not_assigned_is_403(personas, scored):
    call, _person = scored
    body = {"submission": "P-1", "scores": flat(70)}
    assert client(reviewer("r2")).post(f"{URL}{call.slug}/scores/", body, format="json").status_code == 403


def test_a_bad_score_is_400_and_a_conflict_needs_no_scores(personas, scored):
    call, person = scored
    url = f"{URL}{call.slug}/scores/"
    response = client(person).post(
        url, {"submission": "P-1", "scores": {**flat(70), "method": 120}}, format="json"
    )
    assert (response.status_code, list(response.json()["errors"])) == (400, ["scores"])
    response = client(person).post(url, {"submission": "P-1", "conflict": True}, format="json")
    assert (response.status_code, response.json()["conflict"]) == (201, True)


def test_the_ranking_for_the_rdec_then_public_once_published(personas):
    call = make_call(personas.officer)
    a = submit(call, personas.citizen, "A", at=DURING)
    b = submit(call, personas.citizen, "B", at=DURING + datetime.timedelta(hours=1))
    person = reviewer("r1")
    review(a, personas.officer, person, flat(70))
    review(b, personas.officer, person, flat(80))
    review(b, personas.officer, reviewer("cousin"), flat(100), conflict=True)
    url = f"{URL}{call.slug}/ranking/"
    assert client(personas.citizen).get(url).status_code == 403
    response = client(personas.officer).get(url)
    assert response.json()["results"] == [
        {"submission": "B", "score": "80.00", "rank": 1, "excluded_reviewers": ["cousin"]},
        {"submission": "A", "score": "70.00", "rank": 2, "excluded_reviewers": []},
    ]
    services.publish_results(call, actor=personas.officer)
    public = client().get(url).json()["results"]
    assert [(r["submission"], r["rank"], r["excluded_reviewers"]) for r in public] == [
        ("B", 1, ["reviewer-2"]),
        ("A", 2, []),
    ]


def test_the_ranking_query_count_does_not_grow_with_submissions(personas, django_assert_max_num_queries):
    call = make_call(personas.officer)
    for i in range(6):
        review(submit(call, personas.citizen, f"P-{i}"), personas.officer, reviewer(f"r{i}"), flat(50 + i))
    with django_assert_max_num_queries(12):
        response = client(personas.officer).get(f"{URL}{call.slug}/ranking/")
    assert [r["submission"] for r in response.json()["results"]][:2] == ["P-5", "P-4"]
