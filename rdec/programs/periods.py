"""Date arithmetic of field validations (research §2.1): a validation of N months starting on day
S ends on the day before the same day N months later, both ends included, so 2022-08-01 + 5 months
ends on 2022-12-31 and its report is overdue on 2023-01-01. When that month has no such day (a
start on 31 August, or 29–31 September ending in February) the period ends on that month's last
day (民法 §121's rule for periods counted in months)."""

from __future__ import annotations

import calendar
import datetime

DEFAULT_MONTHS = 5


def add_months(day: datetime.date, months: int) -> tuple[int, int]:
    """(year, month) `months` after `day`'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return index // 12, index % 12 + 1


def inclusive_end(start: datetime.date, months: int = DEFAULT_MONTHS) -> datetime.date:
    """The last day (included) of a period of `months` months starting on `start` (included)."""
    if months < 1:
        raise ValueError("a validation lasts at least one month")
    year, month = add_months(start, months)
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return datetime.date(year, month, last)
    return datetime.date(year, month, start.day) - datetime.timedelta(days=1)


def overdue_from(due: datetime.date) -> datetime.date:
    """The first day a report due on `due` is overdue: the day after."""
    return due + datetime.timedelta(days=1)
