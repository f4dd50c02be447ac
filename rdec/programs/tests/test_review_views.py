"""The engine's review pages: who may open them, the forms' 400s with their errors in Chinese, the
ranking page marking a conflicted reviewer as excluded, and a rubric change after scoring making
version 2 while the old scores keep version 1."""

from __future__ import annotations

import pytest
from django.test import Client

from rdec.core.models import Role
from rdec.core.tests.factories import UserFactory
from rdec.programs import services
from rdec.programs.models import Assignment, Call, Submission
from rdec.programs.tests.factories import DURING, TAX_IDS, make_call, review, reviewer, submit

pytestmark = pytest.mark.django_db


def client_for(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hant")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(DURING, tick=False)


@pytest.fixture
def call(personas):
    return make_call(personas.officer, slug="review-2022")


@pytest.fixture
def submission(call, personas):
    return submit(call, personas.citizen, "A1", tax_id=TAX_IDS[0])


def scores(structure, method, analysis, conclusions):
    return {
        "score_structure": structure,
        "score_method": method,
        "score_analysis": analysis,
        "score_conclusions": conclusions,
    }


# --- who may open what ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/programs/calls/", "/programs/calls/review-2022/review/", "/programs/calls/review-2022/rubric/"]
)
def test_the_rdec_pages_are_the_rdecs_alone(personas, call, path):
    assert client_for(personas.officer).get(path).status_code == 200
    assert client_for(personas.staff).get(path).status_code == 403
    assert client_for(personas.citizen).get(path).status_code == 403
    assert client_for().get(path).status_code == 302  # to the sign-in page


def test_the_calls_list_shows_each_call_with_its_counts(personas, call, submission):
    submit(call, personas.citizen, "A2", tax_id=TAX_IDS[1])
    services.screen_submission(submission, actor=personas.officer, eligible=True)
    response = client_for(personas.officer).get("/programs/calls/")
    text = response.content.decode()
    assert "/programs/calls/review-2022/review/" in text
    assert "送件 2 件、資格符合 1 件、入選 0 件" in text


def test_only_the_assigned_reviewer_opens_the_scoring_form(personas, submission):
    person = reviewer("expert-1")
    assignment = services.assign_reviewer(submission, actor=personas.officer, reviewer=person)
    path = f"/programs/reviews/{assignment.pk}/"
    assert client_for(person).get(path).status_code == 200
    assert client_for(personas.officer).get(path).status_code == 403
    assert client_for(personas.staff).get(path).status_code == 403
    assert client_for(person).post(path, scores(80, 80, 80, 80)).status_code == 302
    assert client_for(personas.staff).post(path, scores(10, 10, 10, 10)).status_code == 403
    assert {s.score for s in assignment.scores.all()} == {80}


def test_my_reviews_lists_the_own_assignments_of_a_signed_in_outside_expert(personas, submission, call):
    other = submit(call, personas.citizen, "A2", tax_id=TAX_IDS[1])
    services.assign_reviewer(submission, actor=personas.officer, reviewer=personas.citizen)
    services.assign_reviewer(other, actor=personas.officer, reviewer=personas.staff)
    response = client_for(personas.citizen).get("/programs/reviews/")
    assert response.status_code == 200
    assert [a.submission.reference for a in response.context["assignments"]] == ["A1"]
    assert client_for(personas.agri_staff).get("/programs/reviews/").status_code == 200  # staff: empty list
    plain_citizen = UserFactory(username="plain-citizen", role=Role.CITIZEN)
    assert client_for(plain_citizen).get("/programs/reviews/").status_code == 403


# --- the forms' 400s -------------------------------------------------------------------------------------


def test_screening_out_without_reasons_is_a_400_in_chinese(personas, call, submission):
    path = "/programs/calls/review-2022/review/"
    prefix = f"screen-{submission.pk}"
    response = client_for(personas.officer).post(
        path, {"action": "screen", "pk": submission.pk, f"{prefix}-eligible": "0", f"{prefix}-reasons": ""}
    )
    assert response.status_code == 400
    form = response.context["rows"][0]["screen_form"]
    assert form.errors["reasons"] == ["請敘明資格不符的理由。"]
    submission.refresh_from_db()
    assert submission.eligibility == Submission.Eligibility.PENDING
    response = client_for(personas.officer).post(
        path,
        {
            "action": "screen",
            "pk": submission.pk,
            f"{prefix}-eligible": "0",
            f"{prefix}-reasons": "未附財務報表",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.eligibility, submission.eligibility_reasons) == ("ineligible", "未附財務報表")


def test_refusing_without_a_reason_is_a_400_and_selecting_is_saved(personas, submission):
    path = "/programs/calls/review-2022/review/"
    prefix = f"decide-{submission.pk}"
    response = client_for(personas.officer).post(
        path, {"action": "decide", "pk": submission.pk, f"{prefix}-selected": "0"}
    )
    assert response.status_code == 400
    assert response.context["rows"][0]["decide_form"].errors["reason"] == ["不予通過須敘明理由。"]
    response = client_for(personas.officer).post(
        path, {"action": "decide", "pk": submission.pk, f"{prefix}-selected": "1"}
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.decision == Submission.Decision.SELECTED


def test_the_rdec_assigns_and_removes_a_reviewer_who_has_not_scored(personas, submission):
    path = "/programs/calls/review-2022/review/"
    person = reviewer("expert-1")
    prefix = f"assign-{submission.pk}"
    client = client_for(personas.officer)
    response = client.post(
        path,
        {
            "action": "assign",
            "pk": submission.pk,
            f"{prefix}-reviewer": person.pk,
            f"{prefix}-round_kind": "panel",
        },
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(submission=submission, reviewer=person)
    assert assignment.round.kind == "panel"
    response = client.post(path, {"action": "assign", "pk": submission.pk, f"{prefix}-round_kind": "written"})
    assert response.status_code == 400
    assert response.context["rows"][0]["assign_form"].errors["reviewer"] == ["此欄位為必填。"]
    assert client.post(path, {"action": "unassign", "pk": assignment.pk}).status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_assignment_with_a_review_cannot_be_removed(personas, submission):
    assignment = review(submission, personas.officer, reviewer("expert-1"), {}, conflict=True)
    response = client_for(personas.officer).post(
        "/programs/calls/review-2022/review/", {"action": "unassign", "pk": assignment.pk}
    )
    assert response.status_code == 400
    assert response.context["rows"][0]["unassign_error"]
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_a_score_form_with_a_missing_or_out_of_range_score_is_a_400(personas, submission):
    person = reviewer("expert-1")
    assignment = services.assign_reviewer(submission, actor=personas.officer, reviewer=person)
    path = f"/programs/reviews/{assignment.pk}/"
    data = scores(80, 101, 70, "")
    response = client_for(person).post(path, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"score_method", "score_conclusions"}
    assert "100" in errors["score_method"][0]
    assert errors["score_conclusions"]  # "Score this criterion (0 to 100)."
    assert not assignment.scores.exists()


def test_a_conflict_needs_its_note(personas, submission):
    person = reviewer("expert-1")
    assignment = services.assign_reviewer(submission, actor=personas.officer, reviewer=person)
    response = client_for(person).post(f"/programs/reviews/{assignment.pk}/", {"conflict": "on"})
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["conflict_note"]
    response = client_for(person).post(
        f"/programs/reviews/{assignment.pk}/", {"conflict": "on", "conflict_note": "曾任該公司顧問"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.conflict and assignment.conflict_note == "曾任該公司顧問"


def test_scoring_after_publication_is_a_400_in_chinese(personas, call, submission):
    person = reviewer("expert-1")
    assignment = services.assign_reviewer(submission, actor=personas.officer, reviewer=person)
    response = client_for(personas.officer).post("/programs/calls/review-2022/review/", {"action": "publish"})
    assert response.status_code == 302
    assert Call.objects.get(pk=call.pk).status == Call.Status.PUBLISHED
    response = client_for(person).post(f"/programs/reviews/{assignment.pk}/", scores(80, 80, 80, 80))
    assert response.status_code == 400
    assert "本次徵案結果已公布，不再受理評分。" in response.context["form"].non_field_errors()
    assert not assignment.scores.exists()


def test_the_total_is_shown_after_saving(personas, submission):
    person = reviewer("expert-1")
    assignment = services.assign_reviewer(submission, actor=personas.officer, reviewer=person)
    response = client_for(person).post(
        f"/programs/reviews/{assignment.pk}/", scores(60, 80, 70, 90), follow=True
    )
    assert response.status_code == 200
    # (60×10 + 80×30 + 70×30 + 90×30) / 100 = 78
    assert response.context["given"]["total"] == 78
    assert 'data-total="78.00"' in response.content.decode()


# --- the ranking page -----------------------------------------------------------------------------------


def test_the_ranking_marks_the_conflicted_reviewer_as_excluded(personas, call, submission):
    a, b, c = reviewer("expert-a"), reviewer("expert-b"), reviewer("expert-c")
    review(
        submission, personas.officer, a, {"structure": 80, "method": 80, "analysis": 80, "conclusions": 80}
    )
    review(
        submission, personas.officer, b, {"structure": 90, "method": 90, "analysis": 90, "conclusions": 90}
    )
    review(
        submission,
        personas.officer,
        c,
        {"structure": 10, "method": 10, "analysis": 10, "conclusions": 10},
        conflict=True,
    )
    response = client_for(personas.officer).get("/programs/calls/review-2022/review/")
    (written,) = response.context["rankings"]
    (entry,) = written["entries"]
    assert (entry.rank, entry.score) == (1, 85)
    assert entry.excluded_reviewers == ["expert-c"]
    text = response.content.decode()
    assert 'data-testid="excluded-reviewer">expert-c（已排除）' in text


# --- the rubric -----------------------------------------------------------------------------------------


def test_weights_not_summing_to_100_is_a_400(personas, call):
    response = client_for(personas.officer).post(
        "/programs/calls/review-2022/rubric/",
        {"criteria": "method, 方法, 50\nanalysis, 分析, 40", "tie_break": "method"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["criteria"] == ["配分合計須為 100（目前合計 90）。"]
    assert call.rubrics.count() == 1


def test_a_rubric_change_after_scoring_makes_version_2_and_old_scores_keep_version_1(
    personas, call, submission
):
    person = reviewer("expert-1")
    assignment = review(
        submission,
        personas.officer,
        person,
        {"structure": 60, "method": 80, "analysis": 70, "conclusions": 90},
    )
    response = client_for(personas.officer).post(
        "/programs/calls/review-2022/rubric/",
        {"criteria": "method, 架構及方法, 50\nanalysis, 問題分析與發現, 50", "tie_break": "analysis"},
    )
    assert response.status_code == 302
    assert list(call.rubrics.values_list("version", flat=True)) == [1, 2]
    page = client_for(personas.officer).get("/programs/calls/review-2022/rubric/")
    assert [v.version for v in page.context["versions"]] == [2, 1]
    mine = client_for(person).get(f"/programs/reviews/{assignment.pk}/")
    assert mine.context["given"]["version"] == 1
    assert mine.context["given"]["total"] == 78  # under version 1's weights, never rescored
    assert mine.context["rubric"].version == 2
    assert [name for name in mine.context["form"].fields if name.startswith("score_")] == [
        "score_method",
        "score_analysis",
    ]
    assert 'data-testid="old-version"' in mine.content.decode()
