"""Petition due dates on the government calendar, as properties (hypothesis)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core import workdays
from rdec.petitions import deadlines
from rdec.petitions.models import DeadlineRule

pytestmark = pytest.mark.django_db
TPE = ZoneInfo("Asia/Taipei")
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPS
@given(
    day=st.dates(min_value=datetime.date(2017, 1, 1), max_value=datetime.date(2027, 10, 31)),
    hour=st.integers(min_value=0, max_value=23),
    days=st.integers(min_value=1, max_value=30),
)
def test_the_due_date_is_n_working_days_later_but_never_past_the_ceiling(day, hour, days):
    received = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    due = deadlines.due_date_for(received, days)
    ceiling = day + datetime.timedelta(days=30)
    assert due <= ceiling
    assert due == min(workdays.add_working_days(day, days), ceiling)
    if due < ceiling:
        assert workdays.is_working_day(due)
        assert workdays.working_days_between(day, due) == days


def test_a_late_evening_receipt_counts_from_its_taipei_date():
    # 2026-02-13 23:30 in Taipei is 15:30 UTC: still Friday the 13th locally.
    received = datetime.datetime(2026, 2, 13, 15, 30, tzinfo=datetime.UTC)
    assert deadlines.due_date_for(received, 1) == datetime.date(2026, 2, 23)


def test_the_ceiling_is_a_dated_editable_rule():
    DeadlineRule.objects.create(effective_from=datetime.date(2026, 1, 1), ceiling_calendar_days=15)
    received = datetime.datetime(2026, 3, 2, 9, tzinfo=TPE)
    assert deadlines.due_date_for(received, 20) == datetime.date(2026, 3, 17)
    earlier = datetime.datetime(2025, 3, 3, 9, tzinfo=TPE)
    assert deadlines.due_date_for(earlier, 20) == workdays.add_working_days(datetime.date(2025, 3, 3), 20)


def test_urgency_classes():
    today = datetime.date(2026, 3, 2)
    assert deadlines.urgency(datetime.date(2026, 2, 27), today) == "overdue"
    assert deadlines.urgency(today, today) == "due"
    assert deadlines.urgency(workdays.add_working_days(today, 4), today) == "soon"
    assert deadlines.urgency(workdays.add_working_days(today, 10), today) == "ok"
