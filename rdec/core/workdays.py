"""Working-day arithmetic on the government office calendar (行政機關辦公日曆表).

Every deadline in the platform is counted here. A working day is a day the calendar marks as not a
day off: weekdays that are not holidays, and make-up Saturdays (補行上班). Dates outside the loaded
calendar raise `CalendarRangeError`, never a guess.

- `add_working_days(start, n)`: the n-th working day after `start` (start excluded); n < 0 counts
  backwards; n == 0 returns `start`.
- `working_days_between(start, end)`: how many working days lie in (start, end]; negative when
  end < start. So `working_days_between(d, add_working_days(d, n)) == n`.
"""

from __future__ import annotations

import bisect
import datetime
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from rdec.core.dates import roc_date

VERSION_KEY = "rdec:calendar:version"
RECHECK_SECONDS = 30


class CalendarRangeError(ValueError):
    """The date, or the result, lies outside the loaded office calendar."""


@dataclass(frozen=True)
class _Calendar:
    first: datetime.date
    last: datetime.date
    working: list[int]  # sorted ordinals of working days
    days_off: dict[int, str]  # ordinal -> description, days off only
    notes: dict[int, str]  # ordinal -> description, any day with a note


_loaded: _Calendar | None = None
_loaded_version: str | None = None
_checked_at = 0.0


def invalidate() -> None:
    """Call after the calendar table changes: every process reloads within RECHECK_SECONDS."""
    global _loaded, _checked_at
    cache.set(VERSION_KEY, str(time.time_ns()), None)
    _loaded = None
    _checked_at = 0.0


def _build() -> _Calendar:
    from rdec.core.models import CalendarDay

    rows = list(CalendarDay.objects.order_by("date").values_list("date", "is_holiday", "description"))
    if not rows:
        raise CalendarRangeError(_("The government office calendar has not been loaded."))
    working = [d.toordinal() for d, off, _note in rows if not off]
    days_off = {d.toordinal(): note for d, off, note in rows if off}
    notes = {d.toordinal(): note for d, _off, note in rows if note}
    return _Calendar(rows[0][0], rows[-1][0], working, days_off, notes)


def _calendar() -> _Calendar:
    global _loaded, _loaded_version, _checked_at
    now = time.monotonic()
    if _loaded is None or now - _checked_at > RECHECK_SECONDS:
        version = cache.get(VERSION_KEY)
        if _loaded is None or version != _loaded_version:
            _loaded = _build()
            _loaded_version = version
        _checked_at = now
    return _loaded


def calendar_range() -> tuple[datetime.date, datetime.date]:
    cal = _calendar()
    return cal.first, cal.last


def _check(cal: _Calendar, day: datetime.date) -> None:
    if not (cal.first <= day <= cal.last):
        raise CalendarRangeError(
            _("%(date)s is outside the loaded office calendar (%(first)s to %(last)s).")
            % {"date": roc_date(day), "first": roc_date(cal.first), "last": roc_date(cal.last)}
        )


def is_working_day(day: datetime.date) -> bool:
    cal = _calendar()
    _check(cal, day)
    return day.toordinal() not in cal.days_off


def day_note(day: datetime.date) -> str:
    """The calendar's note for the day (e.g. 農曆除夕, 補行上班), or ""."""
    cal = _calendar()
    _check(cal, day)
    return cal.notes.get(day.toordinal(), "")


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    cal = _calendar()
    _check(cal, start)
    if days == 0:
        return start
    ordinal = start.toordinal()
    if days > 0:
        index = bisect.bisect_right(cal.working, ordinal) + days - 1
    else:
        index = bisect.bisect_left(cal.working, ordinal) + days
    if index < 0 or index >= len(cal.working):
        raise CalendarRangeError(
            _("The result lies outside the loaded office calendar (%(first)s to %(last)s).")
            % {"first": roc_date(cal.first), "last": roc_date(cal.last)}
        )
    return datetime.date.fromordinal(cal.working[index])


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    cal = _calendar()
    _check(cal, start)
    _check(cal, end)
    return bisect.bisect_right(cal.working, end.toordinal()) - bisect.bisect_right(
        cal.working, start.toordinal()
    )
