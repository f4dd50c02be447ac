"""The dashboards: the RDEC overview (today's intake, open and overdue cases by agency, this week's
hotspots) and an agency's view of its own cases. Counts only — no personal data — over the cases
the user may see (petitions.selectors.cases_visible_to), so an agency's view is its own."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from rdec.core import dates, workdays
from rdec.core.permissions import is_oversight, require

SOON_WORKING_DAYS = 2  # 屆期: due within this many working days, as the petition reminders count


def overview(user, *, today: datetime.date | None = None, agencies: int = 15) -> dict:
    """The figures of one dashboard refresh: {"today", "intake": {"today", "same_day_last_week",
    "by_channel": [(label, n)]}, "open", "overdue", "due_soon", "by_agency": [{"agency", "open",
    "overdue", "due_soon"}], "hotspots": [...], "oversight"}."""
    require(user, "analytics.view_hotspots")
    from rdec.analytics import selectors
    from rdec.petitions import selectors as petitions
    from rdec.petitions.models import Case

    today = today or timezone.localdate()
    cases = petitions.cases_visible_to(user).order_by()
    start, end = dates.days_span(today, today)
    week_ago = today - datetime.timedelta(days=7)
    week_ago_start, week_ago_end = dates.days_span(week_ago, week_ago)
    received_today = cases.filter(received_at__gte=start, received_at__lt=end)
    channels = dict(Case.Channel.choices)
    by_channel = [
        (channels.get(row["channel"], row["channel"]), row["n"])
        for row in received_today.values("channel").annotate(n=Count("id")).order_by("-n", "channel")
    ]
    soon = workdays.add_working_days(today, SOON_WORKING_DAYS)
    open_cases = cases.filter(status__in=Case.OPEN_STATUSES)
    per_agency = (
        open_cases.values("agency_id", "agency__name", "agency__short_name", "agency__code")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(due_date__lt=today)),
            due_soon=Count("id", filter=Q(due_date__gte=today, due_date__lte=soon)),
        )
        .order_by("-overdue", "-open", "agency__code")
    )
    rows = list(per_agency)
    monday = today - datetime.timedelta(days=today.weekday())
    return {
        "today": today,
        "oversight": is_oversight(user),
        "intake": {
            "today": sum(n for _label, n in by_channel),
            "same_day_last_week": cases.filter(
                received_at__gte=week_ago_start, received_at__lt=week_ago_end
            ).count(),
            "by_channel": by_channel,
        },
        "open": sum(r["open"] for r in rows),
        "overdue": sum(r["overdue"] for r in rows),
        "due_soon": sum(r["due_soon"] for r in rows),
        "soon_until": soon,
        "by_agency": [
            {
                "code": r["agency__code"],
                "name": r["agency__short_name"] or r["agency__name"],
                "open": r["open"],
                "overdue": r["overdue"],
                "due_soon": r["due_soon"],
            }
            for r in rows[:agencies]
        ],
        "more_agencies": max(0, len(rows) - agencies),
        "hotspots": selectors.hotspots(user, start=monday, end=today, limit=10),
        "week_start": monday,
        "refreshed_at": timezone.localtime(),
    }


def hotspot_weeks(today: datetime.date | None = None, weeks: int = 12) -> list[datetime.date]:
    """The Mondays of the map's time slider, oldest first, ending with this week."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return [monday - datetime.timedelta(weeks=k) for k in range(weeks - 1, -1, -1)]
