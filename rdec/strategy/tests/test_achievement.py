"""The arithmetic of achievement rates, quarter targets, roll-ups and lights (achievement.py)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rdec.strategy import achievement as calc

values = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


def test_higher_is_better_is_actual_over_target():
    assert calc.rate("higher", D(200), D(150)) == D(75)


def test_lower_is_better_is_target_over_actual():
    assert calc.rate("lower", D(20), D(25)) == D(80)


@pytest.mark.parametrize(
    ("direction", "target", "actual", "expected"),
    [
        ("higher", D(0), D(0), D(100)),  # a zero target is met by anything
        ("higher", D(0), D(5), D(100)),
        ("lower", D(10), D(0), D(100)),  # nothing better than zero is possible
        ("lower", D(0), D(0), D(100)),
        ("lower", D(0), D(3), D(0)),  # zero allowed, some happened
    ],
)
def test_zero_edge_cases(direction, target, actual, expected):
    assert calc.rate(direction, target, actual) == expected


def test_no_actual_means_no_rate_and_a_grey_light():
    assert calc.rate("higher", D(10), None) is None
    assert calc.light(None, calc.Thresholds()) == calc.GREY


@pytest.mark.parametrize(
    ("value", "light"),
    [
        (D("100"), "green"),
        (D("153.3"), "green"),
        (D("99.99"), "yellow"),
        (D("80"), "yellow"),
        (D("79.9"), "red"),
    ],
)
def test_default_light_thresholds(value, light):
    assert calc.light(value, calc.Thresholds()) == light


def test_cumulative_actual_is_the_latest_report_and_period_sums():
    reports = {1: D(30), 2: D(70), 3: D(90)}
    assert calc.actual_as_of("cumulative", reports, 2) == D(70)
    assert calc.actual_as_of("level", reports, 3) == D(90)
    assert calc.actual_as_of("period", reports, 2) == D(100)
    assert calc.actual_as_of("period", {2: D(5)}, 1) is None


def test_quarter_targets_are_pro_rated_or_the_milestone():
    assert calc.target_for_quarter(value_type="cumulative", annual=D(200), quarter=1) == D(50)
    assert calc.target_for_quarter(value_type="period", annual=D(40), quarter=3) == D(30)
    assert calc.target_for_quarter(value_type="cumulative", annual=D(3), quarter=2, milestone=D(1)) == D(1)
    assert calc.target_for_quarter(value_type="level", annual=D(3050), quarter=2, baseline=D(2850)) == D(2950)
    assert calc.target_for_quarter(value_type="level", annual=D(10), quarter=1) == D(
        10
    )  # a rate holds all year
    assert calc.target_for_quarter(value_type="cumulative", annual=D(200), quarter=4, milestone=D(1)) == D(
        200
    )


def test_roll_up_rounds_half_up_once_at_the_end():
    assert calc.rounded(calc.mean([D("82.5"), D(100)])) == D("91.3")
    assert calc.mean([None, None]) is None


@given(target=values.filter(lambda v: v > 0), actual=values)
def test_higher_rate_reaches_100_exactly_when_the_target_is_met(target, actual):
    assert (calc.rate("higher", target, actual) >= 100) == (actual >= target)


@given(target=values, actual=values.filter(lambda v: v > 0))
def test_lower_rate_reaches_100_exactly_when_the_actual_is_at_most_the_target(target, actual):
    assert (calc.rate("lower", target, actual) >= 100) == (actual <= target)


@given(st.lists(st.one_of(st.none(), values), max_size=8))
def test_capped_mean_never_exceeds_100(rates):
    result = calc.mean([calc.capped(r) for r in rates])
    assert result is None or D(0) <= result <= D(100)


@given(annual=values, quarter=st.integers(1, 3))
def test_pro_rated_cumulative_target_grows_with_the_quarter(annual, quarter):
    now = calc.target_for_quarter(value_type="cumulative", annual=annual, quarter=quarter)
    later = calc.target_for_quarter(value_type="cumulative", annual=annual, quarter=quarter + 1)
    assert now <= later <= annual
