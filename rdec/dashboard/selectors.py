"""Reads of the city dashboard: the components a user sees (their own layout, else their role's
default), each with its cached value and the time it was computed; the public figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from rdec.core.permissions import require
from rdec.dashboard import components as dc
from rdec.dashboard.models import Layout


def default_names(user) -> list[str]:
    """A role's default dashboard: every component the user may see (the RDEC and administrators:
    the whole city's; agency staff and supervisors: their agency's, as the data functions scope)."""
    return [c.name for c in dc.visible_to(user)]


def layout_names(user) -> list[str]:
    """The names the user's dashboard shows, in order: their own layout (without any component
    they may no longer see), else the default."""
    layout = Layout.objects.filter(user=user).first()
    if layout is None:
        return default_names(user)
    visible = {c.name for c in dc.visible_to(user)}
    return [name for name in layout.components if name in visible]


def has_own_layout(user) -> bool:
    return Layout.objects.filter(user=user).exists()


def available_to_pin(user) -> list[dc.Component]:
    shown = set(layout_names(user))
    return [c for c in dc.visible_to(user) if c.name not in shown]


def component_for(user, name: str) -> dc.Component:
    """The component `name` if the user may see it, else 404 (as if it did not exist)."""
    component = dc.get(name)
    if component is None or not dc.may_see(component, user):
        raise Http404
    return component


@dataclass
class Tile:
    component: dc.Component
    computed_at: datetime.datetime
    data: dict
    url: str
    first: bool = False
    last: bool = False

    @property
    def name(self) -> str:
        return self.component.name


def tile(user, component: dc.Component) -> Tile:
    value = dc.value_for(component, user)
    return Tile(component, value["computed_at"], value["data"], component.url())


def tiles_for(user) -> list[Tile]:
    require(user, "dashboard.view_dashboard")
    found = []
    for name in layout_names(user):
        component = dc.get(name)
        if component is not None:
            found.append(tile(user, component))
    if found:
        found[0].first, found[-1].last = True, True
    return found


# --- the public dashboard -----------------------------------------------------------------------------

PUBLIC_MONTHS = 12
PUBLIC_SECONDS = 3600


def _month_periods(today: datetime.date, months: int):
    from rdec.analytics import report

    period = report.period_of(report.MONTH, today)
    found = [period]
    for _i in range(months - 1):
        period = report.previous_period(period)
        found.append(period)
    return list(reversed(found))


def public_figures(today: datetime.date | None = None) -> dict:
    """The public dashboard's figures, for the whole city, counts and rates only (nobody's name,
    phone or case): per month of the last twelve, cases received by channel, the on-time rate and
    average working days of the replies, the average satisfaction; the cases received per month
    against a year earlier; the open data catalogue's figures. Cached for an hour with the time
    they were computed: {"computed_at", "months": [...], "channels": [...], "trend": [...],
    "opendata": {...}}."""
    today = today or timezone.localdate()
    key = f"dashboard:v1:public:{today.isoformat()}:{get_language() or ''}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    figures = _public_figures(today)
    cache.set(key, figures, PUBLIC_SECONDS)
    return figures


def _public_figures(today: datetime.date) -> dict:
    from rdec.analytics import report
    from rdec.petitions.models import Case

    city = report.Scope()
    channels = [(c.value, str(c.label)) for c in Case.Channel]
    names = {
        "channel": {value: (value, label) for value, label in channels},
        "category": {},
        "district": {},
        "village": {},
        "agency": {},
        "group_of": {},
    }
    months = []
    for period in _month_periods(today, PUBLIC_MONTHS):
        volume = report.volumes(city, period, names)
        by_channel = {row["code"]: row["current"] for row in volume["by"]["channel"]}
        timely = report.timeliness(city, period, {"agency": {}, "category": {}}, today)
        rated = report.satisfaction(city, period, {"category": {}}, timely["replied"])
        months.append(
            {
                "month": f"{period.start:%Y-%m}",
                "label": period.label,
                "received": volume["volume"]["current"],
                "by_channel": [by_channel.get(value, 0) for value, _label in channels],
                "replied": timely["replied"],
                "on_time_pct": timely["on_time_pct"],
                "avg_working_days": timely["avg_working_days"],
                "ratings": rated["ratings"],
                "satisfaction": rated["average"],
            }
        )
    last = report.period_of(report.MONTH, today)
    return {
        "computed_at": timezone.now(),
        "channels": [label for _value, label in channels],
        "months": months,
        "trend": report.monthly(city, last),
        "opendata": _public_opendata(today),
    }


def _public_opendata(today: datetime.date) -> dict:
    from django.db.models import Count, Q

    from rdec.opendata import selectors
    from rdec.opendata.dashboard_components import TARGET_DATASETS
    from rdec.opendata.models import Badge

    published = selectors.published_datasets().order_by()
    counts = published.aggregate(total=Count("pk"), gold=Count("pk", filter=Q(quality_badge=Badge.GOLD)))
    quarter = (today.month - 1) // 3 + 1
    return {
        "datasets": counts["total"],
        "target": TARGET_DATASETS,
        "added_this_year": selectors.datasets_added_in_year_to_quarter(today.year, quarter),
        "gold": counts["gold"],
        "gold_pct": round(100 * counts["gold"] / counts["total"], 1) if counts["total"] else None,
    }
