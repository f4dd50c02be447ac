"""Petition deadlines on the government office calendar.

due date = the category's working days after the day of receipt (rdec.core.workdays), never later
than the legal ceiling (DeadlineRule.ceiling_calendar_days calendar days, 30 by default) after it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from rdec.core import workdays
from rdec.core.rules import ProcessRuleBook

DEFAULT_CEILING_DAYS = 30
DEFAULT_REMINDER_WORKING_DAYS = 2


# the rule of each day from a per-process table of the few rules there are; saving a rule in this
# process drops the table at once, another process sees it within a minute
RULES: ProcessRuleBook = ProcessRuleBook("petitions.DeadlineRule", before_first=None, ttl=60.0)


def rule_for(day: datetime.date):
    """The rule in force on `day` (the latest effective_from on or before it)."""
    return RULES.on(day)


def ceiling_days(day: datetime.date) -> int:
    rule = rule_for(day)
    return rule.ceiling_calendar_days if rule else DEFAULT_CEILING_DAYS


def reminder_working_days(day: datetime.date) -> int:
    rule = rule_for(day)
    return rule.reminder_working_days if rule else DEFAULT_REMINDER_WORKING_DAYS


def due_soon_until(today: datetime.date) -> datetime.date:
    """The last due date that counts as 'due soon' today: the reminder window of the rule in force
    (N working days ahead; calendar days beyond the loaded office calendar). Lists and the home
    page's queue use the same boundary: today <= due date <= this day."""
    window = reminder_working_days(today)
    try:
        return workdays.add_working_days(today, window)
    except workdays.CalendarRangeError:
        return today + datetime.timedelta(days=window)


def due_date_for(received_at: datetime.datetime, working_days: int) -> datetime.date:
    received = (
        timezone.localtime(received_at).date() if timezone.is_aware(received_at) else received_at.date()
    )
    due = workdays.add_working_days(received, working_days)
    ceiling = received + datetime.timedelta(days=ceiling_days(received))
    return min(due, ceiling)


def remaining_working_days(due: datetime.date, today: datetime.date | None = None) -> int:
    """Working days left until the due date (0 on the due date, negative when overdue)."""
    today = today or timezone.localdate()
    try:
        return workdays.working_days_between(today, due)
    except workdays.CalendarRangeError:
        return (due - today).days


def urgency(
    due: datetime.date,
    today: datetime.date | None = None,
    *,
    reminder: int | None = None,
    left: int | None = None,
) -> str:
    """overdue | due (today or the reminder window) | soon (≤ 5) | ok — for colouring lists.

    A list passes `reminder` (the window, read once per page) and `left` (remaining working days,
    if already computed) so that no row costs a query."""
    today = today or timezone.localdate()
    left = remaining_working_days(due, today) if left is None else left
    if reminder is None:
        reminder = reminder_working_days(today)
    if left < 0:
        return "overdue"
    if left <= reminder:
        return "due"
    if left <= 5:
        return "soon"
    return "ok"


# --- Category deadline rules (the service catalogue's `deadline` column) ------------------------


@dataclass(frozen=True)
class CategoryRule:
    """A named deadline rule a category follows: its working days, and for urgent 1999 dispatch the
    acknowledgement deadline. The working days are defaults to be confirmed with 研考會 (see
    docs/petitions.md, Deadlines); an administrator may still change a category's days in the admin."""

    working_days: int
    urgent: bool = False
    ack_hours: int | None = None


CATEGORY_RULES: dict[str, CategoryRule] = {
    # 1999 dispatch (派工): field work with a short deadline
    "dispatch-urgent": CategoryRule(1, urgent=True, ack_hours=2),  # 路樹倒塌, 號誌故障: duty contact, 2 h
    "dispatch-1": CategoryRule(1),
    "dispatch-2": CategoryRule(2),
    "dispatch-3": CategoryRule(3),
    "dispatch-5": CategoryRule(5),
    "dispatch-7": CategoryRule(7),
    "dispatch-10": CategoryRule(10),
    # 陳情: the platform's default (Category.working_days) and the one for cases needing inquiry,
    # a site survey or several units; both under the 30-calendar-day ceiling (DeadlineRule)
    "petition": CategoryRule(6),
    "petition-complex": CategoryRule(10),
}
