"""Progress reminders: before the due day, after it, once per agency and month."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from rdec.tenders.models import Reminder
from rdec.tenders.tasks import send_progress_reminders
from rdec.tenders.tests.factories import progress, tender

pytestmark = pytest.mark.django_db


@pytest.fixture
def march(personas):
    personas.staff.email = "staff@example.test"
    personas.staff.save()
    entered = tender("environment", number="E1")
    progress(entered, "2025-03", 10, 10)
    tender("construction", number="C1", name="北屯路工程")
    return personas


def test_agencies_missing_last_month_are_reminded_three_days_before_the_10th(march):
    assert send_progress_reminders(datetime.date(2025, 4, 6)) == 0
    assert send_progress_reminders(datetime.date(2025, 4, 7)) == 1
    assert mail.outbox[0].to == ["staff@example.test"]
    assert "C1 北屯路工程" in mail.outbox[0].body


def test_a_reminder_is_sent_once_and_an_overdue_notice_after_the_10th(march):
    send_progress_reminders(datetime.date(2025, 4, 8))
    send_progress_reminders(datetime.date(2025, 4, 9))
    send_progress_reminders(datetime.date(2025, 4, 11))
    assert list(Reminder.objects.order_by("sent_at").values_list("kind", flat=True)) == ["due", "overdue"]
    assert len(mail.outbox) == 2
