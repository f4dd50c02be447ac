"""細則 §84: award results published within 30 days of the award date (the day itself not counted,
行政程序法 §48 para 2), a last day off moved to the next working day (§48 para 4) — §1.5 case 6."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core import workdays
from rdec.transparency.models import TransparencyRule
from rdec.transparency.selectors_contracts import overdue_contracts
from rdec.transparency.services import contracts
from rdec.transparency.services.rules import RULES
from rdec.transparency.tests.pcc_samples import award_notice

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def roll_forward_off():
    TransparencyRule.objects.update(roll_forward_holidays=False)
    RULES.forget()
    yield
    RULES.forget()


def test_case_6_award_on_may_6_is_due_june_5():
    assert contracts.publication_due(D(2025, 5, 6)) == D(2025, 6, 5)


def test_case_6_unpublished_on_june_6_is_overdue_not_on_june_5():
    imported = contracts.import_award(award_notice(**{"決標資料:決標日期": "114/05/06"}))
    assert imported.contract.publication_due == D(2025, 6, 5)
    assert list(overdue_contracts(D(2025, 6, 5))) == []
    assert list(overdue_contracts(D(2025, 6, 6))) == [imported.contract]


def test_a_published_contract_is_never_overdue():
    imported = contracts.import_award(award_notice(**{"決標資料:決標日期": "114/05/06"}))
    imported.contract.published_at = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    imported.contract.save(update_fields=["published_at"])
    assert list(overdue_contracts(D(2025, 7, 1))) == []


def test_case_6_day_30_on_the_april_holidays_rolls_forward_to_april_7():
    """Award 2025-03-05: day 30 is 04-04 (04-03 to 04-06 off)."""
    assert contracts.publication_due(D(2025, 3, 5)) == D(2025, 4, 7)


def test_case_6_without_the_roll_forward_the_due_day_stays_april_4(roll_forward_off):
    assert contracts.publication_due(D(2025, 3, 5)) == D(2025, 4, 4)


def test_the_rule_decides_the_number_of_days():
    TransparencyRule.objects.update(award_publication_days=10)
    RULES.forget()
    assert contracts.publication_due(D(2025, 5, 6)) == D(2025, 5, 16)
    RULES.forget()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(min_value=D(2017, 1, 1), max_value=D(2027, 10, 31)))
def test_due_day_properties(award_date):
    n = 30
    due = contracts.publication_due(award_date)
    plain = award_date + datetime.timedelta(days=n)
    assert due >= plain
    assert workdays.is_working_day(due)
    # never later than the run of days off that follows day N
    day = plain
    while not workdays.is_working_day(day):
        day += datetime.timedelta(days=1)
    assert due == day


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dates(min_value=D(2017, 1, 1), max_value=D(2027, 10, 31)))
def test_without_roll_forward_the_due_day_is_exactly_n_days_after(roll_forward_off, award_date):
    assert contracts.publication_due(award_date) == award_date + datetime.timedelta(days=30)
