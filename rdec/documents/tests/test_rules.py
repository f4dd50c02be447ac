"""Counting by me-rules.md §1.3 on the 2026 office calendar, expectations worked out by hand.

Calendar facts used (2026): 2/14–2/22 are days off (weekend, 春節 2/16–2/19, 補假 2/20, weekend);
2/27 補假 and 2/28 和平紀念日 are days off; March has only weekends off.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdec.core import workdays
from rdec.documents import rules
from rdec.documents.models import Document
from rdec.documents.tests.factories import d, document, rule

pytestmark = pytest.mark.django_db

S = Document.Speed


def count(speed, received, closed=None, deadline=None, extension_days=0, book=None):
    book = book or rules.RuleBook()
    return rules.count_document(
        book.on(d(received)),
        rules.WorkingDayIndex(),
        speed=speed,
        received_on=d(received),
        closed_on=d(closed) if closed else None,
        deadline_on=d(deadline) if deadline else None,
        extension_days=extension_days,
    )


def test_a_document_closed_on_the_day_it_arrived_counts_half_a_day():
    c = count(S.ORDINARY, "2026-03-03", "2026-03-03")
    assert (c.days_used, c.counted_days, c.is_overdue) == (Decimal("0.5"), Decimal("0.5"), False)


def test_counting_starts_the_day_after_receipt_and_skips_the_new_year_holidays():
    # received Thu 2/12; working days after it: Fri 2/13, then Mon 2/23 → 2
    c = count(S.ORDINARY, "2026-02-12", "2026-02-23")
    assert c.days_used == Decimal(2)


def test_a_most_urgent_document_of_two_working_days_is_late_an_urgent_one_is_not():
    assert count(S.MOST_URGENT, "2026-02-12", "2026-02-23").is_overdue is True
    assert count(S.URGENT, "2026-02-12", "2026-02-23").is_overdue is False


def test_an_ordinary_document_is_due_on_the_sixth_working_day_and_late_the_day_after():
    # 2/13, 2/23, 2/24, 2/25, 2/26 — 2/27 補假, weekend — 3/2 is the sixth working day
    on_time = count(S.ORDINARY, "2026-02-12", "2026-03-02")
    late = count(S.ORDINARY, "2026-02-12", "2026-03-03")
    assert (on_time.due_on, on_time.days_used, on_time.is_overdue) == (d("2026-03-02"), Decimal(6), False)
    assert (late.days_used, late.is_overdue) == (Decimal(7), True)


def test_a_time_limited_document_counts_holidays_towards_its_deadline():
    # deadline Sat 2/14: closed Mon 2/23 after only 2 working days, but past the deadline
    c = count(S.TIME_LIMITED, "2026-02-12", "2026-02-23", deadline="2026-02-14")
    assert (c.due_on, c.days_used, c.is_overdue) == (d("2026-02-14"), Decimal(2), True)


def test_a_time_limited_document_closed_in_time_counts_at_most_six_days_in_averages():
    # received Mon 3/2, deadline Fri 3/13, closed Thu 3/12: 8 working days used, 6 counted
    c = count(S.TIME_LIMITED, "2026-03-02", "2026-03-12", deadline="2026-03-13")
    assert (c.days_used, c.counted_days, c.is_overdue) == (Decimal(8), Decimal(6), False)


def test_a_time_limited_document_closed_late_counts_its_actual_days():
    c = count(S.TIME_LIMITED, "2026-03-02", "2026-03-12", deadline="2026-03-06")
    assert (c.days_used, c.counted_days, c.is_overdue) == (Decimal(8), Decimal(8), True)


def test_a_deadline_already_past_on_receipt_makes_it_an_ordinary_document():
    # received Mon 3/2 with a deadline of 2/27: 6 working days (3/3–3/10), closed 3/10 on time
    on_time = count(S.TIME_LIMITED, "2026-03-02", "2026-03-10", deadline="2026-02-27")
    late = count(S.TIME_LIMITED, "2026-03-02", "2026-03-11", deadline="2026-02-27")
    assert (on_time.due_on, on_time.is_overdue, late.is_overdue) == (d("2026-03-10"), False, True)


def test_an_extension_does_not_save_a_late_document_unless_the_rules_say_so():
    assert count(S.URGENT, "2026-03-02", "2026-03-09", extension_days=5).is_overdue is True
    rule("2026-03-01", extensions_extend_limit=True)
    assert count(S.URGENT, "2026-03-02", "2026-03-09", extension_days=5).is_overdue is False


def test_the_limit_follows_the_rule_in_force_on_receipt():
    rule("2026-03-09", ordinary_days=5)
    # before the change: 6 days allowed; 3/9–3/16 is 6 working days → on time
    before = count(S.ORDINARY, "2026-03-06", "2026-03-16")
    # after: 5 days allowed; 3/10–3/17 is 6 working days → late
    after = count(S.ORDINARY, "2026-03-09", "2026-03-17")
    assert (before.is_overdue, after.is_overdue) == (False, True)


def test_a_pending_document_has_a_due_date_and_no_days():
    c = count(S.URGENT, "2026-03-02")
    assert (c.due_on, c.days_used, c.is_overdue) == (d("2026-03-05"), None, False)


def test_saving_a_rule_version_recounts_the_documents_it_governs(
    personas, django_capture_on_commit_callbacks
):
    from rdec.documents import services
    from rdec.documents.models import RuleVersion

    doc = document(received="2026-03-09", closed="2026-03-17")  # 6 working days: on time
    new = RuleVersion(effective_from=d("2026-01-01"), source="測試用規則", ordinary_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_rule_version(new, actor=personas.officer)
    doc.refresh_from_db()
    assert doc.is_overdue is True


# --- against a slow reference: walk the calendar one day at a time ---------------------------------


def reference_days(received: datetime.date, closed: datetime.date) -> Decimal:
    n, day = 0, received
    while day < closed:
        day += datetime.timedelta(days=1)
        n += workdays.is_working_day(day)
    return Decimal("0.5") if n == 0 else Decimal(n)


def reference_overdue(speed, received, closed, deadline) -> bool:
    if speed == S.TIME_LIMITED and deadline >= received:
        return closed > deadline
    limit = {S.MOST_URGENT: 1, S.URGENT: 3}.get(speed, 6)
    return reference_days(received, closed) > limit


@settings(max_examples=300, deadline=None)
@given(
    received=st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 10, 31)),
    span=st.integers(0, 40),
    deadline_span=st.integers(-5, 30),
    speed=st.sampled_from(list(S)),
)
def test_counting_agrees_with_walking_the_calendar(received, span, deadline_span, speed):
    closed = received + datetime.timedelta(days=span)
    deadline = received + datetime.timedelta(days=deadline_span)
    c = rules.count_document(
        rules.DEFAULT_RULE, rules.WorkingDayIndex(), speed=speed, received_on=received, closed_on=closed,
        deadline_on=deadline,
    )  # fmt: skip
    assert c.days_used == reference_days(received, closed)
    assert c.is_overdue == reference_overdue(speed, received, closed, deadline)
    if speed != S.TIME_LIMITED or deadline < received:
        limit = {S.MOST_URGENT: 1, S.URGENT: 3}.get(speed, 6)
        assert c.due_on == workdays.add_working_days(received, limit)
