"""The deadlines and cycles of tracking, in one place. Each is a Django setting with the default
given here (see docs/tracking.md for which are confirmed by a rule and which are only a default).

| setting | default | rule |
| --- | --- | --- |
| RDEC_TRACKING_MINUTES_WORKING_DAYS | 3 | minutes of meetings chaired at mayoral level, in working days |
| RDEC_TRACKING_COUNCIL_REPORT_DAYS | 7 | written report reaches the council 7 days before a session opens |
| RDEC_TRACKING_COUNCIL_REMINDER_DAYS | (14, 7) | remind agencies this many days before that due date |
| RDEC_TRACKING_INTERPELLATION_DAYS | 7 | written reply to an unanswered interpellation question |
| RDEC_TRACKING_REMINDER_WORKING_DAYS | 5 | remind the responsible agency this many working days before a deadline |
| RDEC_TRACKING_REPORT_CYCLE | "monthly" | progress reports expected once per cycle: "monthly" or "quarterly" |
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from rdec.core import workdays


def _setting(name: str, default):
    return getattr(settings, name, default)


def minutes_working_days() -> int:
    return int(_setting("RDEC_TRACKING_MINUTES_WORKING_DAYS", 3))


def council_report_days_before() -> int:
    return int(_setting("RDEC_TRACKING_COUNCIL_REPORT_DAYS", 7))


def council_reminder_days() -> tuple[int, ...]:
    return tuple(
        sorted((int(d) for d in _setting("RDEC_TRACKING_COUNCIL_REMINDER_DAYS", (14, 7))), reverse=True)
    )


def interpellation_reply_days() -> int:
    return int(_setting("RDEC_TRACKING_INTERPELLATION_DAYS", 7))


def reminder_working_days() -> int:
    return int(_setting("RDEC_TRACKING_REMINDER_WORKING_DAYS", 5))


def report_cycle() -> str:
    cycle = _setting("RDEC_TRACKING_REPORT_CYCLE", "monthly")
    return cycle if cycle in ("monthly", "quarterly") else "monthly"


def minutes_due_on(held_on: datetime.date) -> datetime.date:
    """3 working days after the meeting day (the meeting day not counted), on the office calendar."""
    return workdays.add_working_days(held_on, minutes_working_days())


def interpellation_due_on(asked_on: datetime.date) -> datetime.date:
    """The written reply to a question not answered at the sitting: 7 days after it was asked
    (市政質詢辦法; counted in calendar days, as the council counts)."""
    return asked_on + datetime.timedelta(days=interpellation_reply_days())


def cycle_start(today: datetime.date | None = None) -> datetime.date:
    """The first day of the current reporting cycle (month or quarter)."""
    today = today or timezone.localdate()
    if report_cycle() == "quarterly":
        return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return today.replace(day=1)


def week_bounds(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of this week."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


def remind_until(today: datetime.date) -> datetime.date:
    """The last deadline that is 'due soon' today: N working days ahead (calendar days beyond the
    loaded office calendar)."""
    try:
        return workdays.add_working_days(today, reminder_working_days())
    except workdays.CalendarRangeError:
        return today + datetime.timedelta(days=reminder_working_days() + 2)


def urgency(deadline: datetime.date, today: datetime.date | None = None) -> str:
    """overdue | due (today or within the reminder window) | ok."""
    today = today or timezone.localdate()
    if deadline < today:
        return "overdue"
    if deadline <= remind_until(today):
        return "due"
    return "ok"
