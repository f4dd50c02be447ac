"""屆期 reminders and 逾期 escalation (the periodic deadline job)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from rdec.core import workdays
from rdec.petitions.models import Case
from rdec.petitions.tasks import run_deadline_checks
from rdec.petitions.tests.factories import file

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(personas):
    for user, email in (
        (personas.staff, "staff@example.gov.tw"),
        (personas.supervisor, "boss@example.gov.tw"),
        (personas.officer, "rdec@example.gov.tw"),
    ):
        user.email = email
        user.save()
    return personas


def test_a_case_due_within_two_working_days_reminds_its_handler_once_a_day(emails):
    case, _ = file()
    case.handler = emails.staff
    case.save()
    today = workdays.add_working_days(case.due_date, -1)
    mail.outbox.clear()
    assert run_deadline_checks(today)["reminded"] == 1
    assert [m.to for m in mail.outbox] == [["staff@example.gov.tw"]]
    assert run_deadline_checks(today)["reminded"] == 0


def test_an_overdue_case_is_escalated_to_the_supervisor_and_rdec(emails):
    case, _ = file(received_at=timezone.now() - datetime.timedelta(days=20))
    mail.outbox.clear()
    counts = run_deadline_checks(timezone.localdate())
    assert counts["escalated"] == 1
    assert {m.to[0] for m in mail.outbox} == {"boss@example.gov.tw", "rdec@example.gov.tw"}
    assert "escalated" in case.events.values_list("verb", flat=True)


def test_closed_cases_are_left_alone(emails):
    case, _ = file(received_at=timezone.now() - datetime.timedelta(days=20))
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    assert run_deadline_checks(timezone.localdate()) == {"reminded": 0, "escalated": 0}


def test_the_cron_command_runs_the_checks(emails, capsys):
    file(received_at=timezone.now() - datetime.timedelta(days=20))
    call_command("petition_deadlines")
    assert "1" in capsys.readouterr().out
