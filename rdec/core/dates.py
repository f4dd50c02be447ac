"""Dates in and out of the platform.

- Local (Asia/Taipei) days as the aware datetimes the database stores: for filtering records by the
  days they were received on (day_start, days_span).
- Reading a date typed by hand: ISO 2026-11-01, 2026/11/01, ROC 115/11/01 or 115年11月1日 (parse_date).
- Writing one for people: ROC 115年11月1日 in Chinese, ISO in English (roc_date), a range that
  shows one date when it is one day (date_range), a quarter as 115 年第 3 季 (quarter_label).

Machine formats (CSV, the API, open data, <time datetime>, <input type=date>) stay ISO 8601.
See docs/i18n/dates.md."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone
from django.utils.translation import get_language, gettext, pgettext


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def days_span(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start of `first`, start of the day after `last`): the half-open range of those days."""
    return day_start(first), day_start(last + datetime.timedelta(days=1))


# --- reading -----------------------------------------------------------------------------------------

ROC_OFFSET = 1911
# 2026-11-01, 2026/11/01, 2026.11.01, 115/11/01, 115-11-01, 115年11月1日, 民國115年11月1日 (spaces allowed).
_DATE_RE = re.compile(
    r"^\s*(?:民國\s*)?(?P<y>\d{1,4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?\s*$"
)


def parse_date(text: str) -> datetime.date | None:
    """The date in `text`, or None. Years of 4 digits are Gregorian (2026/11/01), of 1–3 digits ROC
    (115/11/01 → 2026-11-01): a clerk types the year as offices write it."""
    match = _DATE_RE.match(str(text or ""))
    if not match:
        return None
    digits = match.group("y")
    year = int(digits) + (ROC_OFFSET if len(digits) < 4 else 0)
    try:
        return datetime.date(year, int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


# --- writing -----------------------------------------------------------------------------------------


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _as_local(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def roc_year(year: int) -> int:
    return year - ROC_OFFSET


def roc_date(value) -> str:
    """115年3月7日 in Chinese, 2026-03-07 in English; "" for no date."""
    if not value:
        return ""
    if isinstance(value, str):  # an ISO date kept in JSON (a report's figures)
        value = datetime.date.fromisoformat(value[:10])
    value = _as_local(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if _english():
        return value.isoformat()
    return f"{roc_year(value.year)}年{value.month}月{value.day}日"


def roc_month(value, *, short: bool = False) -> str:
    """A month (a date, or "2026-07" as JSON keeps it): 115年7月 in Chinese (short: 115/07, for a
    chart's axis), 2026-07 in English."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:7] + "-01")
    if _english():
        return f"{value:%Y-%m}"
    if short:
        return f"{roc_year(value.year)}/{value.month:02d}"
    return f"{roc_year(value.year)}年{value.month}月"


def date_range(first, last) -> str:
    """115年12月1日至115年12月7日; one date when the range is one day; one open end reads
    "115年12月1日起" / "至115年12月7日"."""
    a, b = roc_date(first), roc_date(last)
    if a and b and a == b:
        return a
    if a and b:
        return pgettext("date range", "%(start)s to %(end)s") % {"start": a, "end": b}
    if a:
        return pgettext("date range", "from %(start)s") % {"start": a}
    if b:
        return pgettext("date range", "until %(end)s") % {"end": b}
    return ""


def quarter_label(year: int, quarter: int) -> str:
    """115 年第 3 季 in Chinese (ROC year), Q3 2026 in English."""
    if _english():
        return gettext("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": year}
    return gettext("Q%(quarter)s %(year)s") % {"quarter": quarter, "year": roc_year(year)}
