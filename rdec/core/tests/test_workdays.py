"""Working days against the government office calendar itself, and as properties (hypothesis)."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core import reference, workdays

FIRST, LAST = datetime.date(2017, 1, 1), datetime.date(2027, 12, 31)


def government_calendar() -> dict[datetime.date, bool]:
    """date -> is a day off, read straight from the shipped copies of data.gov.tw dataset 14718."""
    days = {}
    for path in sorted(reference.bundled("calendar").glob("*.json")):
        for row in json.loads(path.read_text(encoding="utf-8")):
            days[datetime.datetime.strptime(row["date"], "%Y%m%d").date()] = row["isHoliday"]  # noqa: DTZ007
    return days


GOV = government_calendar()
WORKING = sorted(d for d, off in GOV.items() if not off)


def test_the_calendar_covers_2017_to_2027_without_gaps():
    assert min(GOV) == FIRST and max(GOV) == LAST
    assert len(GOV) == (LAST - FIRST).days + 1


@pytest.mark.django_db
def test_every_day_2017_to_2027_is_a_working_day_exactly_when_the_government_says_so():
    mismatches = [d for d, off in GOV.items() if workdays.is_working_day(d) == off]
    assert mismatches == []


@pytest.mark.django_db
def test_next_working_day_matches_the_government_calendar_on_every_date():
    wrong = []
    for day in GOV:
        expected = next((w for w in WORKING if w > day), None)
        if expected is None:
            with pytest.raises(workdays.CalendarRangeError):
                workdays.add_working_days(day, 1)
            continue
        if workdays.add_working_days(day, 1) != expected:
            wrong.append(day)
    assert wrong == []


@pytest.mark.django_db
def test_make_up_saturdays_are_working_days():
    make_up = [d for d, off in GOV.items() if d.weekday() == 5 and not off]
    assert make_up, "the 2017-2027 calendar has make-up working Saturdays (補行上班)"
    for saturday in make_up:
        friday = saturday - datetime.timedelta(days=1)
        assert workdays.is_working_day(saturday)
        if workdays.is_working_day(friday):
            assert workdays.add_working_days(friday, 1) == saturday


@pytest.mark.django_db
def test_lunar_new_year_2026_is_skipped():
    # 2026-02-14..22 are days off (春節); the next working day after Friday 2026-02-13 is 02-23.
    assert workdays.add_working_days(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 23)


@pytest.mark.django_db
def test_zero_days_is_the_start_itself_and_dates_outside_the_calendar_are_refused():
    assert workdays.add_working_days(datetime.date(2026, 2, 14), 0) == datetime.date(2026, 2, 14)
    with pytest.raises(workdays.CalendarRangeError):
        workdays.add_working_days(datetime.date(2030, 1, 2), 1)
    with pytest.raises(workdays.CalendarRangeError):
        workdays.add_working_days(datetime.date(2027, 12, 20), 30)
    with pytest.raises(workdays.CalendarRangeError):
        workdays.working_days_between(datetime.date(2016, 12, 31), datetime.date(2017, 1, 5))


dates = st.dates(min_value=FIRST, max_value=LAST)
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.django_db
@PROPS
@given(start=dates, n=st.integers(min_value=1, max_value=250))
def test_adding_n_working_days_lands_on_a_working_day_with_n_working_days_counted(start, n):
    try:
        end = workdays.add_working_days(start, n)
    except workdays.CalendarRangeError:
        assert len([w for w in WORKING if w > start]) < n
        return
    assert end > start
    assert not GOV[end]
    assert sum(1 for d in GOV if start < d <= end and not GOV[d]) == n
    assert workdays.working_days_between(start, end) == n


@pytest.mark.django_db
@PROPS
@given(start=dates, n=st.integers(min_value=-250, max_value=250))
def test_going_forward_then_back_returns_to_a_working_start(start, n):
    if GOV[start]:
        return
    try:
        there = workdays.add_working_days(start, n)
    except workdays.CalendarRangeError:
        return
    assert workdays.add_working_days(there, -n) == start


@pytest.mark.django_db
@PROPS
@given(a=dates, b=dates)
def test_counting_between_is_antisymmetric_and_matches_a_plain_count(a, b):
    forward = workdays.working_days_between(a, b)
    assert forward == -workdays.working_days_between(b, a)
    lo, hi = min(a, b), max(a, b)
    plain = sum(1 for d in GOV if lo < d <= hi and not GOV[d])
    assert abs(forward) == plain


@pytest.mark.django_db
@PROPS
@given(start=dates, m=st.integers(min_value=1, max_value=60), n=st.integers(min_value=1, max_value=60))
def test_adding_m_then_n_equals_adding_m_plus_n(start, m, n):
    try:
        expected = workdays.add_working_days(start, m + n)
    except workdays.CalendarRangeError:
        return
    assert workdays.add_working_days(workdays.add_working_days(start, m), n) == expected
