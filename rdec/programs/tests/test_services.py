"""The calls-and-review engine's services: the research's §2 hidden tests about the engine (weights
sum to 100, weighted totals, ties, rubric versions, closed calls, no reason no refusal), conflicts,
the trimmed mean, screening and permissions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rdec.core.models import AuditEntry
from rdec.programs import selectors, services
from rdec.programs.models import Call, Score, Submission
from rdec.programs.tests.factories import CLOSES, CRITERIA, OPENS, flat, make_call, review, reviewer, submit

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


@pytest.fixture
def call(personas):
    return make_call(personas.officer)


def test_weights_must_sum_to_100(personas):
    criteria = [{**c, "weight": 25} if c["code"] == "structure" else c for c in CRITERIA]  # 115
    with pytest.raises(ValidationError) as exc:
        make_call(personas.officer, criteria=criteria)
    assert codes(exc.value) == {"criteria": ["weights_sum"]}
    assert not Call.objects.exists()


def test_an_unknown_tie_break_criterion_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        make_call(personas.officer, tie_break="impact")
    assert codes(exc.value) == {"tie_break": ["unknown"]}


def test_duplicate_codes_and_a_window_closing_before_it_opens_are_refused(personas):
    criteria = [*CRITERIA[:3], {**CRITERIA[3], "code": "method"}]
    with pytest.raises(ValidationError) as exc:
        make_call(personas.officer, criteria=criteria, opens=CLOSES, closes=OPENS)
    assert codes(exc.value) == {"criteria": ["duplicate"], "closes": ["before_opens"]}


def test_only_the_rdec_creates_a_call(personas):
    with pytest.raises(PermissionDenied):
        make_call(personas.staff)


def test_a_call_has_version_1_of_its_rubric_and_both_rounds(call):
    assert selectors.current_rubric(call).version == 1
    assert sorted(call.rounds.values_list("kind", flat=True)) == ["panel", "written"]
    assert AuditEntry.objects.filter(verb="programs.call_created").count() == 1


def test_a_submission_on_the_closing_second_is_taken_and_one_after_is_refused(call, personas):
    submit(call, personas.citizen, "P-1", at=CLOSES)
    with pytest.raises(ValidationError) as exc:
        submit(call, personas.citizen, "P-2", at=CLOSES + datetime.timedelta(seconds=1))
    assert codes(exc.value) == {"call": ["closed"]}


def test_a_submission_to_a_call_that_closed_yesterday_is_refused(call, personas):
    with pytest.raises(ValidationError) as exc:
        submit(call, personas.citizen, "P-1", at=CLOSES + datetime.timedelta(days=1))
    assert codes(exc.value) == {"call": ["closed"]}
    assert not Submission.objects.exists()


def test_a_submission_before_the_call_opens_is_refused(call, personas):
    with pytest.raises(ValidationError) as exc:
        submit(call, personas.citizen, "P-1", at=OPENS - datetime.timedelta(seconds=1))
    assert codes(exc.value) == {"call": ["not_open"]}


@pytest.mark.parametrize(
    ("tax_id", "code"), [("1234567", "invalid"), ("12345678", "checksum"), ("0459525A", "invalid")]
)
def test_a_bad_tax_id_is_refused(call, personas, tax_id, code):
    with pytest.raises(ValidationError) as exc:
        submit(call, personas.citizen, "P-1", tax_id=tax_id)
    assert codes(exc.value) == {"tax_id": [code]}


def test_a_reference_is_unique_in_its_call(call, personas):
    submit(call, personas.citizen, "P-1")
    with pytest.raises(ValidationError) as exc:
        submit(call, personas.citizen, "P-1")
    assert codes(exc.value) == {"reference": ["unique"]}
    other = make_call(personas.officer, slug="other")
    assert submit(other, personas.citizen, "P-1").reference == "P-1"


def test_a_reviewers_total_is_the_weighted_sum(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    review(
        submission,
        personas.officer,
        reviewer("r1"),
        {"structure": 80, "method": 70, "analysis": 90, "conclusions": 60},
    )
    [entry] = selectors.ranking(call, selectors.default_round(call), names=True)
    assert (entry.score, entry.rank) == (Decimal("74"), 1)


def test_a_reviewer_must_score_every_criterion_from_0_to_100(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    person = reviewer("r1")
    assignment = services.assign_reviewer(submission, actor=personas.officer, reviewer=person)
    with pytest.raises(ValidationError) as exc:
        services.score_submission(
            assignment, actor=person, scores={"structure": 101, "method": 70, "analysis": 90, "impact": 5}
        )
    assert codes(exc.value) == {"scores": ["unknown_criterion", "missing", "out_of_range"]}
    assert not Score.objects.exists()


def test_a_reviewer_scores_only_what_they_are_assigned(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    assignment = services.assign_reviewer(submission, actor=personas.officer, reviewer=reviewer("r1"))
    with pytest.raises(PermissionDenied):
        services.score_submission(assignment, actor=reviewer("r2"), scores=flat(80))


def test_a_conflicted_reviewer_is_excluded_and_shown(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    review(submission, personas.officer, reviewer("r1"), flat(70))
    review(submission, personas.officer, reviewer("r2"), flat(80))
    review(submission, personas.officer, reviewer("cousin"), flat(100), conflict=True)
    [entry] = selectors.ranking(call, selectors.default_round(call), names=True)
    assert (entry.score, entry.excluded_reviewers) == (Decimal("75"), ["cousin"])
    assert AuditEntry.objects.filter(verb="programs.conflict_declared").count() == 1


def test_the_public_sees_excluded_reviewers_without_their_names(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    review(submission, personas.officer, reviewer("r1"), flat(70))
    review(submission, personas.officer, reviewer("cousin"), None, conflict=True)
    [entry] = selectors.ranking(call, selectors.default_round(call), names=False)
    assert (entry.score, entry.excluded_reviewers) == (Decimal("70"), ["reviewer-2"])


def test_five_reviewers_give_a_trimmed_mean(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    for i, total in enumerate((40, 70, 75, 80, 99)):
        review(submission, personas.officer, reviewer(f"r{i}"), flat(total))
    [entry] = selectors.ranking(call, selectors.default_round(call), names=True)
    assert entry.score == Decimal("75")  # (70 + 75 + 80) / 3


def test_four_counted_reviewers_are_not_trimmed_even_with_a_fifth_conflicted(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    for i, total in enumerate((40, 70, 80, 90)):
        review(submission, personas.officer, reviewer(f"r{i}"), flat(total))
    review(submission, personas.officer, reviewer("cousin"), flat(100), conflict=True)
    [entry] = selectors.ranking(call, selectors.default_round(call), names=True)
    assert entry.score == Decimal("70")


def test_ties_are_broken_by_the_configured_criterion(call, personas):
    a = submit(call, personas.citizen, "A", at=OPENS)
    b = submit(call, personas.citizen, "B", at=OPENS + datetime.timedelta(days=1))
    person = reviewer("r1")
    review(
        a, personas.officer, person, {"structure": 80, "method": 60, "analysis": 90, "conclusions": 70}
    )  # 74
    review(
        b, personas.officer, person, {"structure": 80, "method": 70, "analysis": 90, "conclusions": 60}
    )  # 74
    ranked = selectors.ranking(call, selectors.default_round(call), names=True)  # tie_break "method"
    assert [(e.reference, e.rank) for e in ranked] == [("B", 1), ("A", 2)]


def test_a_rubric_change_after_scoring_makes_a_new_version_and_keeps_old_totals(call, personas):
    a = submit(call, personas.citizen, "A")
    b = submit(call, personas.citizen, "B")
    review(
        a,
        personas.officer,
        reviewer("r1"),
        {"structure": 80, "method": 70, "analysis": 90, "conclusions": 60},
    )
    new = [{"code": "method", "name": "方法", "weight": 50}, {"code": "impact", "name": "效益", "weight": 50}]
    rubric = services.change_rubric(call, actor=personas.officer, criteria=new, tie_break="impact")
    review(b, personas.officer, reviewer("r2"), {"method": 60, "impact": 100})
    old_rows = Score.objects.filter(assignment__submission=a)
    assert rubric.version == 2
    assert {r.criterion.rubric.version for r in old_rows} == {1}
    assert old_rows.count() == 4
    ranked = selectors.ranking(call, selectors.default_round(call), names=True)
    assert [(e.reference, e.score) for e in ranked] == [("B", Decimal("80")), ("A", Decimal("74"))]


def test_a_rubric_change_before_any_score_edits_version_1(call, personas):
    new = [{"code": "method", "name": "方法", "weight": 100}]
    rubric = services.change_rubric(call, actor=personas.officer, criteria=new, tie_break="method")
    assert (rubric.version, [c.code for c in rubric.criteria.all()]) == (1, ["method"])


def test_a_rubric_change_still_needs_weights_summing_to_100(call, personas):
    with pytest.raises(ValidationError) as exc:
        services.change_rubric(
            call, actor=personas.officer, criteria=[{"code": "m", "name": "m", "weight": 99}], tie_break="m"
        )
    assert codes(exc.value) == {"criteria": ["weights_sum"]}


def test_no_reason_no_refusal(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    with pytest.raises(ValidationError) as exc:
        services.decide_submission(submission, actor=personas.officer, selected=False, reason="  ")
    assert codes(exc.value) == {"reason": ["required"]}
    submission.refresh_from_db()
    assert submission.decision == Submission.Decision.PENDING
    decided = services.decide_submission(
        submission, actor=personas.officer, selected=False, reason="未達門檻"
    )
    assert decided.decision == Submission.Decision.REFUSED


def test_a_selection_needs_no_reason_and_only_the_rdec_decides(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    with pytest.raises(PermissionDenied):
        services.decide_submission(submission, actor=personas.staff, selected=True)
    assert (
        services.decide_submission(submission, actor=personas.officer, selected=True).decision == "selected"
    )


def test_ineligible_needs_reasons_and_leaves_the_ranking(call, personas):
    a, b = submit(call, personas.citizen, "A"), submit(call, personas.citizen, "B")
    with pytest.raises(ValidationError) as exc:
        services.screen_submission(a, actor=personas.officer, eligible=False)
    assert codes(exc.value) == {"reasons": ["required"]}
    services.screen_submission(a, actor=personas.officer, eligible=False, reasons="缺少必要文件")
    services.screen_submission(b, actor=personas.officer, eligible=True)
    assert [e.reference for e in selectors.ranking(call, None, names=True)] == ["B"]
    with pytest.raises(ValidationError) as exc:
        services.assign_reviewer(a, actor=personas.officer, reviewer=reviewer("r1"))
    assert codes(exc.value) == {"submission": ["ineligible"]}


def test_rounds_are_ranked_separately(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    review(submission, personas.officer, reviewer("r1"), flat(60))
    review(submission, personas.officer, reviewer("r2"), flat(90), round_kind="panel")
    written = selectors.ranking(call, call.rounds.get(kind="written"), names=True)
    assert written[0].score == Decimal(60)
    assert selectors.default_round(call).kind == "panel"
    assert selectors.ranking(call, selectors.default_round(call), names=True)[0].score == Decimal(90)


def test_scores_close_when_the_results_are_published(call, personas):
    submission = submit(call, personas.citizen, "P-1")
    person = reviewer("r1")
    assignment = services.assign_reviewer(submission, actor=personas.officer, reviewer=person)
    services.publish_results(call, actor=personas.officer)
    with pytest.raises(ValidationError) as exc:
        services.score_submission(assignment, actor=person, scores=flat(80))
    assert codes(exc.value) == {"call": ["published"]}
