"""Live KPI sources: a target can take its value from a count another module keeps, instead of a
number an agency types.

A module registers its sources once, in its AppConfig.ready():

    from rdec.strategy.live import register_live_source
    register_live_source(
        "opendata.datasets_published",            # the key a Target's `live_source` names
        _("Datasets published (total)"),          # shown on the pages
        lambda year, quarter: datasets_published_until(quarter_end(year, quarter)),
        value_type="level",                       # what the number means (Target.ValueType)
    )

The callable takes (year, quarter) and returns a number (int, float or Decimal) or None when it
cannot tell. It must read through the module's own selectors (no other module's models) and be
cheap: the pages call it for every live target shown while a window is open, and the RDEC's
closing of a window stores its value as the quarter's report.

Two sources are registered by rdec.strategy itself (apps.py), reading rdec.petitions.selectors:
`petitions.cases_received` and `petitions.replied_on_time_rate`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

Number = int | float | Decimal


@dataclass(frozen=True)
class LiveSource:
    key: str
    label: str
    func: Callable[[int, int], Number | None]
    value_type: str = "cumulative"
    unit: str = ""


_sources: dict[str, LiveSource] = {}


def register_live_source(
    key: str,
    label,
    func: Callable[[int, int], Number | None],
    *,
    value_type: str = "cumulative",
    unit: str = "",
) -> None:
    """Register (or replace) the live source `key`; a second registration of a key replaces it."""
    if "." not in key:
        raise ValueError(f"a live source key looks like 'module.name', got {key!r}")
    _sources[key] = LiveSource(key, label, func, value_type, unit)


def unregister_live_source(key: str) -> None:
    _sources.pop(key, None)


def live_sources() -> list[LiveSource]:
    return sorted(_sources.values(), key=lambda s: s.key)


def get_live_source(key: str) -> LiveSource | None:
    return _sources.get(key)


def live_value(key: str, year: int, quarter: int) -> Decimal | None:
    """The source's value for the quarter, as a Decimal with 2 places; None if unknown."""
    source = _sources.get(key)
    if source is None:
        return None
    raw = source.func(year, quarter)
    if raw is None:
        return None
    try:
        return Decimal(str(raw)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """(1 January, the quarter's last day): the year-to-date span a cumulative count covers."""
    last_month = quarter * 3
    if last_month == 12:
        end = datetime.date(year, 12, 31)
    else:
        end = datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)
    return datetime.date(year, 1, 1), end


# --- the sources strategy registers itself (reading rdec.petitions.selectors) ------------------------


def _aware_range(start: datetime.date, end: datetime.date):
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return lo, hi


def petitions_cases_received(year: int, quarter: int) -> int:
    """Petition cases received from 1 January to the quarter's end (year to date)."""
    from rdec.petitions import selectors

    lo, hi = _aware_range(*quarter_bounds(year, quarter))
    return selectors.cases_public().filter(received_at__gte=lo, received_at__lt=hi).count()


def petitions_replied_on_time_rate(year: int, quarter: int) -> Decimal | None:
    """Of the cases received from 1 January to the quarter's end that have been replied to, the
    share (%) replied on or before their due date. None when none was replied yet."""
    from django.db.models import Count, F, Q

    from rdec.petitions import selectors

    lo, hi = _aware_range(*quarter_bounds(year, quarter))
    counts = (
        selectors.cases_public()
        .filter(received_at__gte=lo, received_at__lt=hi, replied_at__isnull=False)
        .aggregate(
            replied=Count("id"),
            on_time=Count("id", filter=Q(replied_at__date__lte=F("due_date"))),
        )
    )
    if not counts["replied"]:
        return None
    return (Decimal(counts["on_time"]) * 100 / Decimal(counts["replied"])).quantize(Decimal("0.01"))
