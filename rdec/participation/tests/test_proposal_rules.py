"""Property tests of the proposals' dates on the office calendar: the check due date, the support
period and the response due date, for any day and any rule version."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core import workdays
from rdec.core.models import Role
from rdec.core.tests.factories import UserFactory
from rdec.participation.models import ProposalRule
from rdec.participation.services import proposals as services

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
# inside the bundled calendar (2017–2027) with room for the deadlines
days = st.dates(min_value=datetime.date(2017, 1, 1), max_value=datetime.date(2027, 9, 30))
PROPS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def accounts(personas):
    now = timezone.now()
    personas.proposer = UserFactory(
        username="proposer", role=Role.CITIZEN, phone_verified_at=now, email_verified_at=now
    )
    return personas


def set_rule(**values) -> None:
    """Every version changed in place (update() sends no signal: the per-process table is dropped
    here, as saving a version does)."""
    ProposalRule.objects.update(**values)
    services.RULES.forget()


def submit_on(day: datetime.date, hour: int, accounts):
    moment = datetime.datetime.combine(day, datetime.time(hour, 30), TAIPEI)
    with time_machine.travel(moment, tick=False):
        return services.submit_proposal(
            actor=accounts.proposer, title="點子", content="內容", benefits="好處"
        )


@pytest.mark.django_db
@PROPS
@given(day=days, hour=st.integers(min_value=0, max_value=23), n=st.integers(min_value=1, max_value=20))
def test_the_check_is_due_n_working_days_after_the_day_submitted_on_a_working_day(accounts, day, hour, n):
    set_rule(check_working_days=n)
    proposal = submit_on(day, hour, accounts)
    assert proposal.check_due > day
    assert workdays.is_working_day(proposal.check_due)
    assert workdays.working_days_between(day, proposal.check_due) == n


@pytest.mark.django_db
@PROPS
@given(day=days, n=st.integers(min_value=1, max_value=120))
def test_support_stays_open_the_rules_calendar_days_from_acceptance(accounts, day, n):
    set_rule(endorse_days=n)
    proposal = submit_on(day, 10, accounts)
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(15), TAIPEI), tick=False):
        services.check_proposal(proposal, actor=accounts.officer, accept=True)
    assert proposal.endorse_from == day
    assert proposal.endorse_until == day + datetime.timedelta(days=n)


@pytest.mark.django_db
@PROPS
@given(day=days, months=st.integers(min_value=1, max_value=3))
def test_the_response_is_due_on_the_first_working_day_on_or_after_the_months(day, months):
    due = services.response_due_for(day, months)
    target = services.add_months(day, months)
    assert workdays.is_working_day(due)
    assert due >= target
    assert due > day
    # nothing skipped: every day from the target to the due date, but the due date, is a day off
    d = target
    while d < due:
        assert not workdays.is_working_day(d)
        d += datetime.timedelta(days=1)


@given(
    day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2099, 1, 1)),
    months=st.integers(0, 36),
)
def test_adding_months_keeps_the_day_or_takes_the_months_last_day(day, months):
    result = services.add_months(day, months)
    assert (result.year - day.year) * 12 + result.month - day.month == months
    assert result.day == day.day or (result.day < day.day and (result + datetime.timedelta(days=1)).day == 1)
