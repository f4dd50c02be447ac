"""The tender control rules as arithmetic: which rule version is in force, lag, 落後/嚴重落後,
days behind, the entry due date, and an agency's execution performance (整體執行績效).

Every threshold comes from a `RuleVersion` row (dated, with its source); nothing here is a constant
of the law. See docs/tenders.md for the sources and which values are unconfirmed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from rdec.core import rules as core_rules
from rdec.tenders.models import RuleVersion, Tender, month_end

NORMAL, BEHIND, SERIOUS = "normal", "behind", "serious"
CLASS_LABELS = {
    NORMAL: _("On schedule"),
    BEHIND: _("Behind schedule"),
    SERIOUS: _("Seriously behind"),
}
HUNDRED = Decimal(100)


# Used only when no version is stored at all (a fresh database before the data migration).
DEFAULT_RULE = RuleVersion(
    effective_from=datetime.date(1900, 1, 1),
    source="built-in defaults",
    behind_pct=Decimal(0),
    serious_large_works_pct=Decimal(10),
    serious_other_pct=Decimal(20),
    serious_other_min_days=10,
    large_works_amount=Decimal(200_000_000),
    performance_threshold_pct=Decimal(90),
    entry_due_day=10,
)


class RuleBook(core_rules.RuleBook[RuleVersion]):
    """All rule versions, loaded once, answering "which version was in force on this day" (the
    core rule book; before the first version: the earliest one, documented in docs/tenders.md)."""

    def __init__(self, versions: Iterable[RuleVersion] | None = None):
        rows = versions if versions is not None else RuleVersion.objects.all()
        super().__init__(rows, before_first="earliest", default=DEFAULT_RULE)

    def for_month(self, month: datetime.date) -> RuleVersion:
        """Progress of a month is judged by the rules in force on the month's last day."""
        return self.on(month_end(month))


def rule_on(day: datetime.date) -> RuleVersion:
    return RuleBook().on(day)


def lag(planned: Decimal, actual: Decimal) -> Decimal:
    """Percentage points behind the plan (negative when ahead)."""
    return Decimal(planned) - Decimal(actual)


def is_large_works(rule: RuleVersion, tender_type: str, contract_amount) -> bool:
    """巨額工程: works with a contract amount at or above the rule's amount (NT$200 million)."""
    return tender_type == Tender.Type.WORKS and (contract_amount or 0) >= rule.large_works_amount


def days_behind(
    points: Sequence[tuple[datetime.date, Decimal]],
    *,
    start: datetime.date,
    at: datetime.date,
    actual: Decimal,
) -> int:
    """How many days ago the plan reached today's actual progress (0 when not behind).

    `points` are (month end, planned %) in date order; the plan is a straight line between them and
    from (start, 0 %). Where the actual progress is below every point, the day is found on the
    segment that crosses it."""
    previous_day, previous_pct = start, Decimal(0)
    for day, pct in points:
        if day > at:
            break
        if pct >= actual:
            if pct == previous_pct:
                reached = day
            else:
                span = (day - previous_day).days
                fraction = (Decimal(actual) - previous_pct) / (pct - previous_pct)
                reached = previous_day + datetime.timedelta(days=int(fraction * span))
            return max((at - reached).days, 0)
        previous_day, previous_pct = day, pct
    return 0


def classify(
    rule: RuleVersion,
    *,
    planned: Decimal,
    actual: Decimal,
    tender_type: str,
    contract_amount=None,
    days: int | None = None,
) -> str:
    """正常 / 落後 / 嚴重落後 of one month's progress under `rule`.

    - 嚴重落後, large works: lag ≥ serious_large_works_pct (施行細則 §111: 巨額工程 10 %);
    - 嚴重落後, other tenders: lag ≥ serious_other_pct and (when the rule has a days condition and
      `days` is known) days behind ≥ serious_other_min_days (施行細則 §111: 20 % and 10 days);
    - 落後: lag > 0 and lag ≥ behind_pct.
    """
    gap = lag(planned, actual)
    if gap <= 0:
        return NORMAL
    if is_large_works(rule, tender_type, contract_amount):
        if gap >= rule.serious_large_works_pct:
            return SERIOUS
    elif gap >= rule.serious_other_pct and (
        not rule.serious_other_min_days or days is None or days >= rule.serious_other_min_days
    ):
        return SERIOUS
    if gap >= rule.behind_pct:
        return BEHIND
    return NORMAL


def needs_days(rule: RuleVersion, *, planned, actual, tender_type, contract_amount) -> bool:
    """Whether the class depends on the days behind (so the caller computes them only then)."""
    return (
        bool(rule.serious_other_min_days)
        and not is_large_works(rule, tender_type, contract_amount)
        and lag(planned, actual) >= rule.serious_other_pct
    )


def due_date(rule: RuleVersion, month: datetime.date) -> datetime.date:
    """Progress of `month` is due by the rule's day of the next month."""
    nxt = month_end(month) + datetime.timedelta(days=1)
    return nxt.replace(day=rule.entry_due_day)


def ratio(planned: Decimal, actual: Decimal) -> Decimal:
    """Actual ÷ planned, capped at 1 (a tender ahead of plan cannot make up for another)."""
    if planned <= 0:
        return Decimal(1)
    return min(Decimal(actual) / Decimal(planned), Decimal(1))


def performance(rows: Iterable[tuple[Decimal, Decimal, Decimal]]) -> Decimal | None:
    """An agency's execution performance (%) from (weight, planned, actual) rows: the mean of
    actual ÷ planned capped at 100 %, weighted by contract amount. Rows with nothing planned yet or
    no weight do not count. None when nothing counts. (Our definition, see docs/tenders.md.)"""
    total = Decimal(0)
    weighted = Decimal(0)
    for weight, planned, actual in rows:
        if planned <= 0 or not weight or weight <= 0:
            continue
        total += weight
        weighted += weight * ratio(planned, actual)
    if total == 0:
        return None
    return (weighted / total * HUNDRED).quantize(Decimal("0.01"))


def below_threshold(rule: RuleVersion, value: Decimal | None) -> bool:
    return value is not None and value < rule.performance_threshold_pct
