"""The inspection rules as arithmetic: which version is in force, the grade of a score, the
coverage of the yearly targets, and the ranking of works to inspect.

Every threshold comes from an `InspectionRule` row (dated, with its source); see docs/tenders.md
for the sources and which values are unconfirmed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from rdec.core import rules as core_rules
from rdec.core.dates import roc_date
from rdec.tenders.models import Inspection, InspectionRule

HUNDRED = Decimal(100)
A, B, C = Inspection.Grade.A, Inspection.Grade.B, Inspection.Grade.C

# Used only when no version is stored at all (a fresh database before the data migration).
DEFAULT_RULE = InspectionRule(
    effective_from=datetime.date(1900, 1, 1),
    source="built-in defaults",
    grade_a_min=Decimal(80),
    grade_b_min=Decimal(70),
    coverage_pct=Decimal(10),
    yearly_target=200,
    improvement_days=30,
    planning_amount=Decimal(50_000_000),
    planning_lag_pct=Decimal(10),
    planning_low_score=Decimal(75),
    award_min_score=Decimal(85),
    point_value_giant=Decimal(8000),
    point_value_audit=Decimal(4000),
    point_value_mid=Decimal(2000),
    point_value_small=Decimal(1000),
    giant_amount=Decimal(200_000_000),
    audit_amount=Decimal(50_000_000),
    mid_amount=Decimal(10_000_000),
    deduction_cap_pct=Decimal(20),
)


class InspectionRuleBook(core_rules.RuleBook[InspectionRule]):
    """All inspection rule versions, loaded once: "which version was in force on this day" (the
    core rule book; before the first version: the earliest one)."""

    def __init__(self, versions: Iterable[InspectionRule] | None = None):
        rows = versions if versions is not None else InspectionRule.objects.all()
        super().__init__(rows, before_first="earliest", default=DEFAULT_RULE)

    def for_year(self, year: int) -> InspectionRule:
        """A year's targets are those of the version in force on its last day."""
        return self.on(datetime.date(year, 12, 31))


def grade(rule: InspectionRule, score: Decimal) -> str:
    """甲等 from grade_a_min, 乙等 from grade_b_min, else 丙等 (default 80 / 70)."""
    score = Decimal(score)
    if score >= rule.grade_a_min:
        return A
    if score >= rule.grade_b_min:
        return B
    return C


def point_value(rule: InspectionRule, contract_amount) -> Decimal:
    """NT$ per deficiency point by the contract's size (工程會 101-05-17 工程管字第10100180300號):
    巨額 8,000; 查核金額 4,000; 1,000萬 2,000; smaller 1,000."""
    amount = Decimal(contract_amount or 0)
    if amount >= rule.giant_amount:
        return rule.point_value_giant
    if amount >= rule.audit_amount:
        return rule.point_value_audit
    if amount >= rule.mid_amount:
        return rule.point_value_mid
    return rule.point_value_small


def deduction(
    rule: InspectionRule, contract_amount, points: Decimal, already: Decimal = Decimal(0)
) -> Decimal:
    """The money deducted for an inspection's points: points × the NT$ per point, so that all the
    tender's deductions stay within the cap (20 % of the contract); `already` is what earlier
    inspections deducted. No contract amount: no cap."""
    amount = (Decimal(points) * point_value(rule, contract_amount)).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    if contract_amount:
        cap = (Decimal(contract_amount) * rule.deduction_cap_pct / HUNDRED).quantize(Decimal(1))
        amount = min(amount, max(cap - Decimal(already), Decimal(0)))
    return amount


def improvement_due(rule: InspectionRule, inspected_on: datetime.date) -> datetime.date:
    return inspected_on + datetime.timedelta(days=rule.improvement_days)


def quarter(day: datetime.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


@dataclass
class Coverage:
    year: int
    rule: InspectionRule
    works: int  # works under execution in the year
    inspections: int  # inspections in the year
    works_inspected: int  # distinct works inspected in the year
    today: datetime.date

    @property
    def ratio_pct(self) -> Decimal | None:
        """Inspections ÷ works under execution, in % (None when there is no work)."""
        if not self.works:
            return None
        return (Decimal(self.inspections) * HUNDRED / Decimal(self.works)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def ratio_target(self) -> int:
        """Inspections needed for the share target: ceil(works × coverage %)."""
        needed = Decimal(self.works) * self.rule.coverage_pct / HUNDRED
        return int(needed.to_integral_value(rounding="ROUND_CEILING"))

    @property
    def count_target(self) -> int:
        return self.rule.yearly_target

    @property
    def needed(self) -> int:
        """Inspections the year needs in all: both targets must be met."""
        return max(self.ratio_target, self.count_target)

    @property
    def ratio_met(self) -> bool:
        return self.works > 0 and self.inspections >= self.ratio_target

    @property
    def count_met(self) -> bool:
        return self.inspections >= self.count_target

    @property
    def remaining(self) -> int:
        return max(self.needed - self.inspections, 0)

    @property
    def expected_by_today(self) -> int:
        """The pace: the share of `needed` for the days of the year gone by (whole year when past)."""
        start = datetime.date(self.year, 1, 1)
        end = datetime.date(self.year, 12, 31)
        if self.today >= end:
            return self.needed
        if self.today < start:
            return 0
        days = (self.today - start).days + 1
        total = (end - start).days + 1
        return int(Decimal(self.needed * days) / Decimal(total))

    @property
    def on_pace(self) -> bool:
        return self.inspections >= self.expected_by_today


@dataclass
class Candidate:
    """A work suggested for inspection, with its points and the reasons for them."""

    tender: object
    points: int = 0
    reasons: list[str] = field(default_factory=list)
    lag: Decimal | None = None
    last_inspected_on: datetime.date | None = None
    last_grade: str = ""

    def add(self, points: int, reason: str) -> None:
        self.points += points
        self.reasons.append(reason)


# Ranking weights (our choice; the rule versions hold the thresholds they apply to).
WEIGHT_LARGE = 3
WEIGHT_LAGGING = 3
WEIGHT_NEVER = 2
WEIGHT_GRADE_C = 3
WEIGHT_LOW_SCORE = 2
WEIGHT_OPEN_IMPROVEMENT = 2
WEIGHT_PAST_POINTS = 1
WEIGHT_RECENT = -4
RECENT_DAYS = 90


def rank_candidate(
    rule: InspectionRule,
    tender,
    *,
    today: datetime.date,
    lag: Decimal | None,
    last_inspected_on: datetime.date | None,
    last_score: Decimal | None,
    last_grade: str,
    past_points: Decimal,
    overdue_improvements: int,
) -> Candidate:
    """Points for one work under execution (金門 priority list pattern, me-rules.md §3.5):
    large contract amount, lagging by the rule's points, never inspected, last grade 丙 or score
    under the rule's figure, improvements overdue, deficiency points found before; a work inspected
    in the last 90 days loses points."""
    c = Candidate(tender=tender, lag=lag, last_inspected_on=last_inspected_on, last_grade=last_grade)
    amount = tender.contract_amount or tender.budget_amount or Decimal(0)
    if amount >= rule.planning_amount:
        c.add(WEIGHT_LARGE, _("Contract amount NT$%(amount)s at or above NT$%(limit)s") % {
            "amount": f"{amount:,.0f}", "limit": f"{rule.planning_amount:,.0f}"})  # fmt: skip
    if lag is not None and lag >= rule.planning_lag_pct:
        c.add(WEIGHT_LAGGING, _("Behind schedule by %(lag)s points") % {"lag": f"{lag:.2f}"})
    if last_inspected_on is None:
        c.add(WEIGHT_NEVER, _("Never inspected"))
    else:
        if last_grade == C:
            c.add(WEIGHT_GRADE_C, _("Last inspection graded C (丙等)"))
        elif last_score is not None and last_score < rule.planning_low_score:
            c.add(WEIGHT_LOW_SCORE, _("Last score %(score)s under %(limit)s") % {
                "score": f"{last_score:.2f}", "limit": f"{rule.planning_low_score:.0f}"})  # fmt: skip
        if (today - last_inspected_on).days < RECENT_DAYS:
            c.add(
                WEIGHT_RECENT,
                _("Inspected on %(date)s (within 90 days)") % {"date": roc_date(last_inspected_on)},
            )
    if overdue_improvements:
        c.add(
            WEIGHT_OPEN_IMPROVEMENT,
            _("Improvement reports overdue: %(count)s") % {"count": overdue_improvements},
        )
    if past_points > 0:
        c.add(
            WEIGHT_PAST_POINTS,
            _("Deficiency points found before: %(points)s") % {"points": f"{past_points:g}"},
        )
    return c


def rank(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Highest points first; then larger amount; then tender number."""
    return sorted(
        candidates,
        key=lambda c: (
            -c.points,
            -(c.tender.contract_amount or c.tender.budget_amount or 0),
            c.tender.number,
        ),
    )
