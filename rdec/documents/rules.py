"""The document-timeliness rules as arithmetic (me-rules.md §1.3): which rule version is in force,
the working days a document used, its due date, whether it was closed late, and the days it
counts for in averages.

- Days used: the working days from the day after receipt to the closing (發文) day, holidays
  excluded; a document closed on the day it arrived — or with no working day in between — counts
  0.5 day.
- 最速件, 速件, 普通件 (and 受會/申請/訴願 documents of those speeds): late when the days used exceed
  the speed class's limit (1, 3, 6 working days by default). The due date is the limit's last
  working day.
- 限期: late when closed after the sender's deadline — a calendar date, holidays counted
  (Taichung GL000140 pt 3(一)4). A deadline already past on receipt makes it an ordinary
  document (6 working days). In averages a 限期 document closed within its deadline counts at most
  the cap (6 days); one closed late counts its actual days (新北 pt 92(二)2).
- Extensions: by default a document not closed within its original limit is late even when
  extended (作業規範 as cited in me-rules.md); a rule version may let extensions move the limit.

Counting is fast: `WorkingDayIndex` numbers every calendar date by the working days up to it, so
the days used are a difference of two numbers (no loop over days), for millions of rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from rdec.core import rules as core_rules
from rdec.core import workdays
from rdec.documents.models import Document, RuleVersion

HALF = Decimal("0.5")
TIME_LIMITED = Document.Speed.TIME_LIMITED

DEFAULT_RULE = RuleVersion(
    effective_from=datetime.date(1900, 1, 1),
    source="built-in defaults",
    most_urgent_days=1,
    urgent_days=3,
    ordinary_days=6,
    time_limited_cap_days=6,
    extensions_extend_limit=False,
    overdue_threshold_pct=Decimal(3),
    ranking_due_day=15,
    site_check_count=5,
)


class RuleBook(core_rules.RuleBook[RuleVersion]):
    """All rule versions, loaded once, answering "which version was in force on this day" (the
    core rule book; before the first version: the earliest one, docs/documents.md)."""

    def __init__(self, versions: Iterable[RuleVersion] | None = None):
        rows = versions if versions is not None else RuleVersion.objects.all()
        super().__init__(rows, before_first="earliest", default=DEFAULT_RULE)


def month_end(first: datetime.date) -> datetime.date:
    nxt = datetime.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def ranking_due(rule: RuleVersion, month: datetime.date) -> datetime.date:
    """The ranking of `month` is due by the rule's day of the next month (the 15th)."""
    return (month_end(month) + datetime.timedelta(days=1)).replace(day=rule.ranking_due_day)


class WorkingDayIndex:
    """The office calendar as numbers: `index[d]` is how many working days lie between the
    calendar's first day and `d` (inclusive), so working days in (a, b] = index[b] − index[a]."""

    def __init__(self):
        first, last = workdays.calendar_range()
        self.first, self.last = first, last
        self.by_ordinal: dict[int, int] = {}
        self.working: list[int] = []  # ordinals of working days, in order
        count = 0
        day = first
        one = datetime.timedelta(days=1)
        while day <= last:
            if workdays.is_working_day(day):
                count += 1
                self.working.append(day.toordinal())
            self.by_ordinal[day.toordinal()] = count
            day += one

    def covers(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days in (start, end]."""
        return self.by_ordinal[end.toordinal()] - self.by_ordinal[start.toordinal()]

    def add(self, start: datetime.date, days: int) -> datetime.date | None:
        """The `days`-th working day after `start` (None beyond the calendar)."""
        k = self.by_ordinal[start.toordinal()] + days - 1
        if days <= 0 or k >= len(self.working):
            return start if days <= 0 else None
        return datetime.date.fromordinal(self.working[k])


@dataclass(frozen=True)
class Counted:
    due_on: datetime.date | None
    days_used: Decimal | None
    counted_days: Decimal | None
    is_overdue: bool


def days_used(index: WorkingDayIndex, received: datetime.date, closed: datetime.date) -> Decimal:
    n = index.between(received, closed)
    return HALF if n <= 0 else Decimal(n)


def count_document(
    rule: RuleVersion,
    index: WorkingDayIndex,
    *,
    speed: str,
    received_on: datetime.date,
    closed_on: datetime.date | None,
    deadline_on: datetime.date | None = None,
    extension_days: int = 0,
) -> Counted:
    """The counted figures of one document under `rule` (the version in force on receipt)."""
    extra = extension_days if rule.extensions_extend_limit else 0
    time_limited = speed == TIME_LIMITED and deadline_on is not None and deadline_on >= received_on
    if time_limited:
        due = deadline_on + datetime.timedelta(days=extra)
    else:
        limit = (rule.ordinary_days if speed == TIME_LIMITED else rule.limit_days(speed)) + extra
        due = index.add(received_on, limit)
    if closed_on is None:
        return Counted(due, None, None, False)
    used = days_used(index, received_on, closed_on)
    if time_limited:
        late = closed_on > due
        counted = used if late else min(used, Decimal(rule.time_limited_cap_days))
    else:
        late = used > limit
        counted = used
    return Counted(due, used, counted, late)


def ratio(part: int, whole: int) -> Decimal | None:
    """part ÷ whole in %, two decimals; None when nothing was closed."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"))


def average(total, count: int) -> Decimal | None:
    if not count or total is None:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"))


def over_threshold(rule: RuleVersion, overdue_ratio: Decimal | None) -> bool:
    return overdue_ratio is not None and overdue_ratio > rule.overdue_threshold_pct
