"""Reminders and escalation (run_reminders): who is told what, on the platform and by e-mail, and
never twice a day; the council report reminders 14 and 7 days before the report is due."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from rdec.core.models import Role
from rdec.core.tests.factories import UserFactory
from rdec.tracking import services, tasks
from rdec.tracking.models import CouncilSession, Item, Notification
from rdec.tracking.tests.factories import agency, at, item

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("collection_day")]

TODAY = timezone.localdate()


@pytest.fixture
def people(personas):
    for user, email in [
        (personas.staff, "staff@example.tw"),
        (personas.supervisor, "boss@example.tw"),
        (personas.officer, "rdec@example.tw"),
    ]:
        user.email = email
        user.save(update_fields=["email"])
    return personas


def _recipients(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_an_item_due_soon_reminds_the_responsible_agency(people):
    soon = item(people.officer, deadline=TODAY + datetime.timedelta(days=1))
    counts = tasks.run_reminders(TODAY)
    assert counts["reminded"] == 1
    assert _recipients("reminder") == ["staff", "supervisor"]
    assert Notification.objects.filter(item=soon, kind="reminder").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.tw", "staff@example.tw"]
    assert soon.number in mail.outbox[0].subject


def test_an_overdue_item_escalates_to_the_supervisor_and_the_rdec(people):
    late = item(people.officer, deadline=TODAY + datetime.timedelta(days=1))
    Item.objects.filter(pk=late.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    counts = tasks.run_reminders(TODAY)
    assert counts["escalated"] == 1
    assert _recipients("escalation") == ["officer", "supervisor"]


def test_the_same_reminder_is_not_sent_twice_a_day(people):
    item(people.officer, deadline=TODAY + datetime.timedelta(days=1))
    tasks.run_reminders(TODAY)
    sent = len(mail.outbox)
    again = tasks.run_reminders(TODAY)
    assert (again["reminded"], len(mail.outbox)) == (0, sent)


def test_the_next_day_reminds_again(people):
    item(people.officer, deadline=TODAY + datetime.timedelta(days=2))
    tasks.run_reminders(TODAY)
    tasks.run_reminders(TODAY + datetime.timedelta(days=1))
    assert Notification.objects.filter(kind="reminder", recipient=people.staff).count() == 2


def test_items_far_from_their_deadline_or_released_are_quiet(people):
    item(people.officer, deadline=TODAY + datetime.timedelta(days=60))
    done = item(people.officer, deadline=TODAY + datetime.timedelta(days=1))
    report = services.submit_report(done, actor=people.staff, text="完成", percent=100, propose_release=True)
    services.review_report(report, actor=people.officer, decision="release", comment="同意")
    counts = tasks.run_reminders(TODAY)
    assert (counts["reminded"], counts["escalated"]) == (0, 0)


def test_an_item_without_a_report_this_cycle_reminds_once_per_cycle(people):
    from rdec.tracking import rules

    silent = item(people.officer, deadline=TODAY + datetime.timedelta(days=90))
    cycle = rules.cycle_start(TODAY)
    Item.objects.filter(pk=silent.pk).update(created_at=at(cycle - datetime.timedelta(days=10)))
    day = cycle + datetime.timedelta(days=1)
    first = tasks.run_reminders(day)
    second = tasks.run_reminders(day + datetime.timedelta(days=1))
    assert (first["no_report"], second["no_report"]) == (1, 0)


def test_the_council_report_reminds_agencies_that_owe_texts_14_and_7_days_before(people):
    previous = CouncilSession.objects.create(
        term=4,
        number=7,
        opens_on=TODAY - datetime.timedelta(days=120),
        closes_on=TODAY - datetime.timedelta(days=60),
    )
    coming = CouncilSession.objects.create(
        term=4,
        number=8,
        opens_on=TODAY + datetime.timedelta(days=30),
        closes_on=TODAY + datetime.timedelta(days=90),
    )
    owed = item(
        people.officer,
        source=Item.Source.COUNCIL_RESOLUTION,
        council_session=previous,
        council_number=1,
    )
    written = item(
        people.officer,
        owner="environment",
        source=Item.Source.COUNCIL_RESOLUTION,
        council_session=previous,
        council_number=2,
    )
    env = UserFactory(username="env-boss", role=Role.SUPERVISOR, agency=agency("environment"))
    services.save_council_text(coming, written, actor=env, text="已辦理")
    due = coming.report_due_on  # TODAY + 23
    assert tasks.run_reminders(due - datetime.timedelta(days=15))["council"] == 0
    assert tasks.run_reminders(due - datetime.timedelta(days=14))["council"] == 2  # staff and supervisor
    assert tasks.run_reminders(due - datetime.timedelta(days=10))["council"] == 0
    assert tasks.run_reminders(due - datetime.timedelta(days=7))["council"] == 2
    assert set(_recipients("council")) == {"staff", "supervisor"}
    assert owed.owner.code == "construction"


def test_the_written_report_is_generated_on_its_due_date_with_every_open_council_resolution(
    people, settings, tmp_path
):
    import io

    from docx import Document

    from rdec.tracking.models import CouncilReportIssue

    settings.MEDIA_ROOT = tmp_path
    previous = CouncilSession.objects.create(
        term=4,
        number=7,
        opens_on=TODAY - datetime.timedelta(days=120),
        closes_on=TODAY - datetime.timedelta(days=60),
    )
    coming = CouncilSession.objects.create(
        term=4,
        number=8,
        opens_on=TODAY + datetime.timedelta(days=30),
        closes_on=TODAY + datetime.timedelta(days=90),
    )
    titles = ["請市府檢討停車費率調整方案。", "請市府加速國中小校舍耐震補強。", "請市府改善大里區淹水問題。"]
    items = [
        item(
            people.officer,
            source=Item.Source.COUNCIL_RESOLUTION,
            council_session=previous,
            council_number=n + 1,
            title=t,
        )
        for n, t in enumerate(titles)
    ]
    services.save_council_text(coming, items[0], actor=people.officer, text="已完成費率檢討並公告。")
    due = coming.report_due_on
    assert due == coming.opens_on - datetime.timedelta(days=7)
    assert tasks.run_reminders(due - datetime.timedelta(days=1))["council_reports"] == 0
    assert tasks.run_reminders(due)["council_reports"] == 1
    assert tasks.run_reminders(due + datetime.timedelta(days=1))["council_reports"] == 0  # issued once
    issue = CouncilReportIssue.objects.get()
    assert (issue.resolutions, issue.missing_texts) == (3, 2)
    text = "\n".join(p.text for p in Document(io.BytesIO(issue.docx.read())).paragraphs)
    text += "\n".join(
        c.text for t in Document(io.BytesIO(issue.docx.open().read())).tables for r in t.rows for c in r.cells
    )
    for title in titles:
        assert title in text
    assert issue.pdf.read().startswith(b"%PDF") and issue.odt.read()[:2] == b"PK"
    told = Notification.objects.filter(key__startswith="council-issued").values_list(
        "recipient__username", flat=True
    )
    assert list(told) == ["officer"]  # the RDEC is told the report is ready


def test_minutes_of_a_mayoral_meeting_remind_the_rdec_on_the_due_date_and_once_when_overdue(people):
    from rdec.tracking.models import Meeting

    meeting = Meeting.objects.create(
        type=Meeting.Type.CITY_COUNCIL,
        title="市政會議",
        held_at=timezone.now(),
        chair_name="市長",
        chair_is_mayoral=True,
        minutes_due_on=TODAY,
    )
    assert tasks.run_reminders(TODAY - datetime.timedelta(days=1))["minutes"] == 0
    assert tasks.run_reminders(TODAY)["minutes"] == 1
    assert tasks.run_reminders(TODAY)["minutes"] == 0
    assert tasks.run_reminders(TODAY + datetime.timedelta(days=1))["minutes"] == 1  # overdue, once
    assert tasks.run_reminders(TODAY + datetime.timedelta(days=2))["minutes"] == 0
    Meeting.objects.filter(pk=meeting.pk).update(minutes_published_at=timezone.now())
    assert _recipients("minutes") == ["officer", "officer"]


def test_the_management_command_runs_the_reminders(people, capsys):
    item(people.officer, deadline=TODAY + datetime.timedelta(days=1))
    call_command("tracking_reminders")
    assert Notification.objects.filter(kind="reminder").count() == 2


def test_the_celery_task_is_registered_for_beat(settings):
    from rdec.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["tracking-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
