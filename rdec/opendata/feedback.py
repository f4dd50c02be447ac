"""Users' voice: the response deadline of a comment or a data request, and response-time statistics.

The deadline is the submission's local date plus the `response_days` of the `ResponseRule` in force
on that date (calendar days); reminders go `remind_days_before` days before it. The rule versions
are edited in the admin; the shipped version is **unconfirmed** (see docs/opendata.md)."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from rdec.opendata.models import Feedback, ResponseRule

# Used only when no version is stored at all (before the data migration).
DEFAULT_RULE = ResponseRule(
    effective_from=datetime.date(1900, 1, 1),
    response_days=7,
    remind_days_before=2,
    source="built-in default (unconfirmed)",
)


def rule_on(day: datetime.date) -> ResponseRule:
    return ResponseRule.objects.in_force(day, before_first="earliest") or DEFAULT_RULE


def due_date(submitted: datetime.date) -> datetime.date:
    return submitted + datetime.timedelta(days=rule_on(submitted).response_days)


@dataclass
class ResponseStats:
    label: str = ""
    submitted: int = 0
    answered: int = 0
    on_time: int = 0
    open_overdue: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def mean_days(self) -> float | None:
        return round(statistics.fmean(self.days), 1) if self.days else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def on_time_pct(self) -> float | None:
        return round(100 * self.on_time / self.answered, 1) if self.answered else None

    def as_dict(self) -> dict:
        return {
            "submitted": self.submitted,
            "answered": self.answered,
            "answered_on_time": self.on_time,
            "open_overdue": self.open_overdue,
            "mean_days": self.mean_days,
            "median_days": self.median_days,
            "on_time_pct": self.on_time_pct,
        }


def response_stats(
    items: Iterable[Feedback], today: datetime.date | None = None
) -> tuple[ResponseStats, list]:
    """Totals and per agency: submissions, answers, days from submission to answer (local dates),
    answers by the deadline, and unanswered items past it. Hidden items are not counted."""
    today = today or timezone.localdate()
    total = ResponseStats()
    by_agency: dict[int, ResponseStats] = defaultdict(ResponseStats)
    for item in items:
        if item.moderation == Feedback.Moderation.HIDDEN:
            continue
        group = by_agency[item.agency_id]
        group.label = item.agency.short_name or item.agency.name
        for stats in (total, group):
            stats.submitted += 1
            if item.answered_at is not None:
                stats.answered += 1
                stats.days.append(item.response_days)
                if timezone.localdate(item.answered_at) <= item.due_on:
                    stats.on_time += 1
            elif today > item.due_on:
                stats.open_overdue += 1
    return total, sorted(by_agency.values(), key=lambda s: (-s.submitted, s.label))
