"""The engine's arithmetic: weighted totals, the trimmed mean, ties (research §2.2)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rdec.programs import scoring

WEIGHTS = {"structure": 10, "method": 30, "analysis": 30, "conclusions": 30}
T0 = datetime.datetime(2022, 5, 1, tzinfo=datetime.UTC)

scores_0_100 = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


def weights_summing_to_100():
    """2 to 6 positive whole weights summing to 100."""
    return st.lists(st.integers(min_value=1, max_value=99), min_size=1, max_size=5, unique=True).map(
        lambda cuts: [b - a for a, b in zip([0, *sorted(cuts)], [*sorted(cuts), 100], strict=True)]
    )


def test_the_researchs_example_totals_74():
    scores = {"structure": 80, "method": 70, "analysis": 90, "conclusions": 60}
    assert scoring.weighted_total(scores, WEIGHTS) == Decimal("74")


@given(weights=weights_summing_to_100(), data=st.data())
def test_a_total_lies_between_the_lowest_and_highest_score(weights, data):
    codes = {f"c{i}": w for i, w in enumerate(weights)}
    scores = {code: data.draw(scores_0_100) for code in codes}
    total = scoring.weighted_total(scores, codes)
    assert sum(codes.values()) == 100
    assert min(scores.values()) <= total <= max(scores.values())


@given(weights=weights_summing_to_100(), score=scores_0_100)
def test_the_same_score_everywhere_is_the_total(weights, score):
    codes = {f"c{i}": w for i, w in enumerate(weights)}
    assert scoring.weighted_total(dict.fromkeys(codes, score), codes) == score


@given(st.lists(scores_0_100, min_size=1, max_size=4))
def test_fewer_than_five_totals_are_averaged_plainly(totals):
    assert scoring.trimmed_mean(totals) == sum(totals) / len(totals)


@given(st.lists(scores_0_100, min_size=5, max_size=12))
def test_five_or_more_drop_one_highest_and_one_lowest(totals):
    kept = sorted(totals)[1:-1]
    assert scoring.trimmed_mean(totals) == sum(kept) / len(kept)
    assert min(totals) <= scoring.trimmed_mean(totals) <= max(totals)


@given(st.lists(scores_0_100, min_size=4, max_size=12))
def test_the_highest_total_is_dropped_whatever_its_size(totals):
    assert scoring.trimmed_mean([*totals, Decimal(100)]) == scoring.trimmed_mean([*totals, Decimal(1000)])


def test_five_totals_example():
    assert scoring.trimmed_mean([Decimal(v) for v in (60, 70, 80, 90, 100)]) == Decimal(80)


def _entry(ref, totals_by_criterion, minutes=0):
    return scoring.Entry(
        reference=ref,
        submitted_at=T0 + datetime.timedelta(minutes=minutes),
        reviews=[
            scoring.Review(reviewer=f"r{i}", scores=s, weights=WEIGHTS)
            for i, s in enumerate(totals_by_criterion)
        ],
    )


def test_a_tie_is_broken_by_the_configured_criterion():
    # both total 74; B scores higher on "analysis"
    a = _entry("A", [{"structure": 80, "method": 70, "analysis": 80, "conclusions": 70}])
    b = _entry("B", [{"structure": 80, "method": 70, "analysis": 90, "conclusions": 60}], minutes=5)
    ranked = scoring.rank_entries([a, b], "analysis")
    assert [(e.reference, e.rank, e.score) for e in ranked] == [("B", 1, Decimal(74)), ("A", 2, Decimal(74))]
    ranked = scoring.rank_entries([a, b], "conclusions")
    assert [e.reference for e in ranked] == ["A", "B"]


def test_a_full_tie_goes_to_the_earlier_submission_then_the_reference():
    same = {"structure": 80, "method": 70, "analysis": 90, "conclusions": 60}
    later, earlier = _entry("A", [same], minutes=9), _entry("B", [same], minutes=1)
    assert [e.reference for e in scoring.rank_entries([later, earlier], "method")] == ["B", "A"]
    x, y = _entry("Y", [same]), _entry("X", [same])
    assert [e.reference for e in scoring.rank_entries([x, y], "method")] == ["X", "Y"]


def test_conflicted_reviews_do_not_count_and_unscored_entries_have_no_rank():
    entry = _entry("A", [dict.fromkeys(WEIGHTS, 50)])
    entry.reviews.append(
        scoring.Review(reviewer="cousin", scores=dict.fromkeys(WEIGHTS, 100), weights=WEIGHTS, conflict=True)
    )
    empty = _entry("B", [])
    ranked = scoring.rank_entries([empty, entry], "method")
    assert [(e.reference, e.score, e.rank, e.excluded_reviewers) for e in ranked] == [
        ("A", Decimal(50), 1, ["cousin"]),
        ("B", None, None, []),
    ]
