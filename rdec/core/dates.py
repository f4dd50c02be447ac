"""Local (Asia/Taipei) days as the aware datetimes the database stores: for filtering records by
the days they were received on."""

from __future__ import annotations

import datetime

from django.utils import timezone


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, in the current time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def days_span(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start of `first`, start of the day after `last`): the half-open range of those days."""
    return day_start(first), day_start(last + datetime.timedelta(days=1))
