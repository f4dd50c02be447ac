"""Achievement rates (達成率), quarter targets and traffic lights: pure arithmetic, no database.

The rules (docs/strategy.md explains them with examples):
- Actual as of quarter q: a *cumulative* target's value is the latest report up to q (the agency
  reports the year-to-date total); a *period* target sums the reports of quarters 1..q (each is the
  quarter's own figure); a *level* target's value is the latest report up to q (a stock or a rate at
  the quarter's end). No report up to q → no actual, no rate.
- Target for quarter q: Q4 is the annual target. Before Q4 the quarterly milestone when one is set;
  otherwise cumulative and period targets are pro-rated (annual × q/4), and a level target moves
  from its baseline towards the annual target (baseline + (annual − baseline) × q/4) — or, with no
  baseline, must hold all year (the annual target itself, e.g. a rate).
- Rate, higher is better: actual / target × 100. Lower is better: target / actual × 100.
  Edge cases: target 0 and higher is better → 100 (any value meets it); lower is better and actual
  0 → 100 (nothing better is possible); lower is better, target 0 and actual > 0 → 0. Negative
  values are refused when reported (the services), so they do not reach here.
- The raw rate is kept (e.g. 153.3); it is shown capped at 100 % next to the light.
- Roll-ups (plan, strategy, agency) are the plain mean of their children's *capped* rates, so an
  over-achieved target cannot hide a lagging one; children without a rate are left out and counted.
- Light: green from `green_from` %, yellow from `yellow_from` %, red below; grey without a rate.
- Rounding: rates are rounded half-up to one decimal place at the end, never in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")

GREEN, YELLOW, RED, GREY = "green", "yellow", "red", "grey"


@dataclass(frozen=True)
class Thresholds:
    green_from: Decimal = Decimal(100)
    yellow_from: Decimal = Decimal(80)


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def actual_as_of(value_type: str, reports: Mapping[int, Decimal], quarter: int) -> Decimal | None:
    """The actual value at the end of `quarter` from {quarter: reported value}."""
    known = sorted(q for q in reports if q <= quarter and reports[q] is not None)
    if not known:
        return None
    if value_type == "period":
        return sum((Decimal(reports[q]) for q in known), Decimal(0))
    return Decimal(reports[known[-1]])


def target_for_quarter(
    *,
    value_type: str,
    annual: Decimal,
    quarter: int,
    baseline: Decimal | None = None,
    milestone: Decimal | None = None,
) -> Decimal:
    annual = Decimal(annual)
    if quarter >= 4:
        return annual
    if milestone is not None:
        return Decimal(milestone)
    share = Decimal(quarter) / Decimal(4)
    if value_type == "level":
        if baseline is None:
            return annual
        return Decimal(baseline) + (annual - Decimal(baseline)) * share
    return annual * share


def rate(direction: str, target: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """The raw achievement rate in percent (unrounded), or None without an actual."""
    if actual is None or target is None:
        return None
    target, actual = Decimal(target), Decimal(actual)
    if direction == "lower":
        if actual == 0:
            return HUNDRED
        return target / actual * HUNDRED
    if target == 0:
        return HUNDRED
    return actual / target * HUNDRED


def capped(value: Decimal | None) -> Decimal | None:
    return None if value is None else min(value, HUNDRED)


def mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [Decimal(v) for v in values if v is not None]
    if not present:
        return None
    return sum(present, Decimal(0)) / Decimal(len(present))


def light(value: Decimal | None, thresholds: Thresholds) -> str:
    if value is None:
        return GREY
    if value >= thresholds.green_from:
        return GREEN
    if value >= thresholds.yellow_from:
        return YELLOW
    return RED
