"""The rule arithmetic with hand-computed expectations: lag, 落後 / 嚴重落後 for large works and
other tenders (with the days condition), days behind on the planned curve, the due date, and the
agency execution performance."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rdec.tenders import rules
from rdec.tenders.models import RuleVersion

DEFAULT = rules.DEFAULT_RULE  # the seeded values: 0 / 10 large works / 20 and 10 days / 2億 / 90 % / 10th
WORKS, GOODS = "works", "goods"


def classify(planned, actual, tender_type=GOODS, amount=1_000_000, days=None, rule=DEFAULT):
    return rules.classify(
        rule,
        planned=D(planned),
        actual=D(actual),
        tender_type=tender_type,
        contract_amount=D(amount),
        days=days,
    )


def test_lag_is_planned_minus_actual():
    assert rules.lag(D("62.5"), D("50.25")) == D("12.25")
    assert rules.lag(D(40), D(45)) == D(-5)


@pytest.mark.parametrize(
    ("planned", "actual", "expected"),
    [("50", "50", "normal"), ("50", "55", "normal"), ("50", "49.99", "behind"), ("50", "45", "behind")],
)
def test_any_gap_is_behind_under_the_default_rule(planned, actual, expected):
    assert classify(planned, actual) == expected


def test_large_works_are_seriously_behind_from_10_points():
    assert classify(60, 50, WORKS, 200_000_000) == "serious"  # lag 10, contract = 2億
    assert classify(60, "50.01", WORKS, 200_000_000) == "behind"  # lag 9.99


def test_works_below_the_large_amount_need_20_points():
    assert classify(60, 50, WORKS, 199_999_999, days=30) == "behind"
    assert classify(60, 40, WORKS, 199_999_999, days=30) == "serious"


def test_other_tenders_need_20_points_and_10_days():
    assert classify(70, 50, days=10) == "serious"
    assert classify(70, 50, days=9) == "behind"
    assert classify(70, "50.01", days=100) == "behind"


def test_the_days_condition_can_be_turned_off():
    rule = RuleVersion(**{**_values(DEFAULT), "serious_other_min_days": 0})
    assert classify(70, 50, days=0, rule=rule) == "serious"


def test_a_behind_threshold_leaves_small_gaps_on_schedule():
    rule = RuleVersion(**{**_values(DEFAULT), "behind_pct": D(5)})
    assert classify(50, "45.01", rule=rule) == "normal"  # lag 4.99
    assert classify(50, 45, rule=rule) == "behind"  # lag 5


def _values(rule):
    return {f.name: getattr(rule, f.name) for f in RuleVersion._meta.concrete_fields if f.name != "id"}


POINTS = [
    (datetime.date(2025, 1, 31), D(10)),
    (datetime.date(2025, 2, 28), D(30)),
    (datetime.date(2025, 3, 31), D(60)),
]


@pytest.mark.parametrize(
    ("actual", "days"),
    [
        # the plan reached 30 % on 2/28: 31 days before 3/31
        (D(30), 31),
        # 20 % is half way from 10 % (1/31) to 30 % (2/28): 1/31 + 14 days = 2/14, 45 days before 3/31
        (D(20), 45),
        # 5 % is half way from 0 % (1/1, the start) to 10 % (1/31): 1/16, 74 days before 3/31
        (D(5), 74),
        # ahead of the plan
        (D(60), 0),
        (D(70), 0),
    ],
)
def test_days_behind_on_the_planned_curve(actual, days):
    assert (
        rules.days_behind(
            POINTS, start=datetime.date(2025, 1, 1), at=datetime.date(2025, 3, 31), actual=actual
        )
        == days
    )


def test_progress_is_due_on_the_rule_day_of_the_next_month():
    assert rules.due_date(DEFAULT, datetime.date(2025, 12, 1)) == datetime.date(2026, 1, 10)


def test_agency_performance_is_the_amount_weighted_mean_capped_at_100():
    rows = [
        (D(100), D(50), D(40)),  # 0.8
        (D(300), D(20), D(30)),  # ahead: counted as 1, not 1.5
        (D(600), D(0), D(0)),  # nothing planned yet: not counted
    ]
    # (100 × 0.8 + 300 × 1) / 400 = 380 / 400
    assert rules.performance(rows) == D("95.00")


def test_agency_performance_of_two_equal_tenders():
    assert rules.performance([(D(100), D(50), D(25)), (D(100), D(40), D(36))]) == D("70.00")  # (0.5+0.9)/2


def test_an_agency_with_nothing_planned_has_no_performance_and_is_not_flagged():
    assert rules.performance([(D(100), D(0), D(0))]) is None
    assert not rules.below_threshold(DEFAULT, None)


def test_under_90_is_flagged_and_90_is_not():
    assert rules.below_threshold(DEFAULT, D("89.99"))
    assert not rules.below_threshold(DEFAULT, D(90))


percent = st.decimals(min_value=0, max_value=100, places=2)


@given(st.lists(st.tuples(st.integers(1, 10**9).map(D), percent, percent), min_size=1, max_size=20))
def test_performance_stays_between_0_and_100(rows):
    value = rules.performance(rows)
    assert value is None or D(0) <= value <= D(100)


@given(percent, percent)
def test_being_on_or_ahead_of_plan_is_never_behind(planned, actual):
    if actual >= planned:
        assert classify(planned, actual) == "normal"
    else:
        assert classify(planned, actual, days=0) in ("behind", "serious")


@pytest.mark.django_db
def test_the_version_in_force_at_the_month_end_applies():
    book = rules.RuleBook(
        [
            RuleVersion(effective_from=datetime.date(2022, 1, 1), serious_other_pct=D(20)),
            RuleVersion(effective_from=datetime.date(2025, 7, 15), serious_other_pct=D(15)),
        ]
    )
    assert book.for_month(datetime.date(2025, 6, 1)).serious_other_pct == D(20)
    assert book.for_month(datetime.date(2025, 7, 1)).serious_other_pct == D(15)  # 7/31 ≥ 7/15
    assert book.on(datetime.date(2025, 7, 14)).serious_other_pct == D(20)


def test_a_date_before_every_version_takes_the_earliest():
    book = rules.RuleBook(
        [
            RuleVersion(effective_from=datetime.date(2024, 1, 1), entry_due_day=5),
            RuleVersion(effective_from=datetime.date(2022, 1, 1), entry_due_day=10),
        ]
    )
    assert book.on(datetime.date(2021, 12, 31)).entry_due_day == 10
