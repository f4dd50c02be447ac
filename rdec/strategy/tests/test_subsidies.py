"""一般性補助款基本設施補助計畫: the yearly cycle through the services and pages — proposals,
selection, schedule, monthly reports by the 7th, reminders, the public page."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from rdec.core.models import Agency
from rdec.strategy import selectors, services
from rdec.strategy.models import Reminder, SubsidyCycle, SubsidyProject
from rdec.strategy.tasks import send_reminders
from rdec.strategy.tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("collection_day")]

TODAY = timezone.localdate()


@pytest.fixture
def cycle(personas):
    return services.open_subsidy_cycle(actor=personas.officer, year=TODAY.year)


@pytest.fixture
def selected(personas, cycle):
    project = services.propose_subsidy_project(
        cycle,
        actor=personas.staff,
        agency=personas.staff.agency,
        title="塗城路拓寬工程",
        central_subsidy=800,
        city_match=200,
    )
    services.decide_subsidy_project(project, actor=personas.officer, selected=True, comment="")
    services.set_subsidy_schedule(
        project,
        actor=personas.staff,
        checkpoints=[("細部設計", datetime.date(TODAY.year, 3, 31))],
        months=[(1, 5, 50), (2, 10, 100), (3, 30, 300), (12, 100, 1000)],
    )
    return project


def test_a_cycle_takes_the_seeds_dates():
    cycle = SubsidyCycle(year=2027, **SubsidyCycle.default_dates(2027))
    assert (
        cycle.proposals_open_on,
        cycle.proposals_due_on,
        cycle.review_meeting_by,
        cycle.schedule_due_by,
    ) == (
        datetime.date(2026, 11, 20),
        datetime.date(2026, 11, 30),
        datetime.date(2027, 1, 31),
        datetime.date(2027, 3, 31),
    )
    assert cycle.report_due_on(3) == datetime.date(2027, 4, 7)
    assert cycle.report_due_on(12) == datetime.date(2028, 1, 7)


def test_an_agency_proposes_only_for_itself(personas, cycle):
    with pytest.raises(PermissionDenied):
        services.propose_subsidy_project(
            cycle, actor=personas.other_staff, agency=personas.staff.agency, title="x", central_subsidy=1
        )


def test_proposals_close_at_the_selection_meeting(personas, cycle, selected):
    with pytest.raises(ValidationError):
        services.propose_subsidy_project(
            cycle, actor=personas.staff, agency=personas.staff.agency, title="遲來的提案", central_subsidy=1
        )
    assert cycle.__class__.objects.get(pk=cycle.pk).review_meeting_on == TODAY


def test_only_a_selected_project_gets_a_schedule(personas, cycle):
    project = services.propose_subsidy_project(
        cycle, actor=personas.staff, agency=personas.staff.agency, title="未獲選", central_subsidy=10
    )
    services.decide_subsidy_project(project, actor=personas.officer, selected=False, comment="額度不足")
    with pytest.raises(ValidationError):
        services.set_subsidy_schedule(
            project, actor=personas.staff, checkpoints=[("a", TODAY)], months=[(1, 10, 1)]
        )


def test_the_monthly_plan_is_cumulative(personas, selected):
    with pytest.raises(ValidationError) as caught:
        services.set_subsidy_schedule(
            selected, actor=personas.staff, checkpoints=[("a", TODAY)], months=[(1, 20, 10), (2, 10, 20)]
        )
    assert "months" in caught.value.message_dict


def test_behind_plan_needs_the_reason_and_the_countermeasure(personas, selected):
    with pytest.raises(ValidationError) as caught:
        services.report_subsidy_month(
            selected, actor=personas.staff, month=3, actual_progress=20, actual_spend=200
        )
    assert set(caught.value.message_dict) == {"delay_reason", "countermeasure"}
    row = services.report_subsidy_month(
        selected,
        actor=personas.staff,
        month=3,
        actual_progress=20,
        actual_spend=250,
        delay_reason="管線遷移延宕",
        countermeasure="增派人力",
    )
    assert row.actual_progress == D(20)


def test_the_execution_rate_is_spending_over_budget(personas, selected):
    services.report_subsidy_month(selected, actor=personas.staff, month=1, actual_progress=5, actual_spend=40)
    services.report_subsidy_month(
        selected,
        actor=personas.staff,
        month=3,
        actual_progress=30,
        actual_spend=250,
        delay_reason="",
        countermeasure="",
    )
    row = selectors.subsidy_rows(SubsidyProject.objects.filter(pk=selected.pk), 12)[0]
    # budget 800 + 200 = 1,000 (NT$ thousand); spent 250 → 25.0 %; progress 30 planned 30 → gap 0
    assert (row.month, row.execution_rate, row.gap) == (3, D("25.0"), D(0))


def test_another_agency_cannot_report_the_project(personas, selected):
    with pytest.raises(PermissionDenied):
        services.report_subsidy_month(
            selected, actor=personas.other_staff, month=1, actual_progress=5, actual_spend=1
        )


def test_a_month_cannot_be_reported_before_it_begins(personas):
    cycle = SubsidyCycle.objects.create(year=TODAY.year + 1, **SubsidyCycle.default_dates(TODAY.year + 1))
    project = SubsidyProject.objects.create(
        cycle=cycle, agency=personas.staff.agency, title="明年", central_subsidy=1, status="selected"
    )
    services.set_subsidy_schedule(
        project, actor=personas.staff, checkpoints=[("a", TODAY)], months=[(6, 50, 1)]
    )
    with pytest.raises(ValidationError):
        services.report_subsidy_month(
            project, actor=personas.staff, month=6, actual_progress=60, actual_spend=1
        )


def test_the_public_page_shows_published_quarters_only(personas, selected):
    client = Client()
    assert "塗城路拓寬工程" not in client.get(f"/strategy/subsidies/public/{TODAY.year}/").content.decode()
    services.publish_subsidy_quarter(selected.cycle, actor=personas.officer, quarter=1)
    assert "塗城路拓寬工程" in client.get(f"/strategy/subsidies/public/{TODAY.year}/").content.decode()
    assert client.get("/strategy/subsidies/public/1999/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.publish_subsidy_quarter(selected.cycle, actor=personas.staff, quarter=2)


def test_the_pages_walk_proposal_selection_schedule_and_report(personas, cycle):
    staff, officer = Client(), Client()
    staff.force_login(personas.staff)
    officer.force_login(personas.officer)
    response = staff.post(
        f"/strategy/subsidies/cycles/{cycle.year}/propose/",
        {
            "title": "人行道改善",
            "central_subsidy": "300",
            "city_match": "100",
            "agency": personas.staff.agency_id,
        },
    )
    project = SubsidyProject.objects.get(title="人行道改善")
    assert response.status_code == 302
    officer.post(f"/strategy/subsidies/{project.pk}/decide/", {"selected": "yes", "comment": "同意"})
    staff.post(
        f"/strategy/subsidies/{project.pk}/schedule/",
        {"checkpoints": f"{TODAY.year}-03-31 完成設計", "months": "1 10 40\n2 20 80"},
    )
    response = staff.post(
        f"/strategy/subsidies/{project.pk}/report/",
        {"month": "1", "actual_progress": "10", "actual_spend": "40"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.months.get(month=1).actual_spend) == ("selected", D(40))
    assert Client().get("/strategy/subsidies/").status_code == 302  # sign-in first


# --- reminders ---------------------------------------------------------------------------------------------


def test_an_agency_with_unreported_targets_is_reminded_before_the_window_closes(personas):
    personas.staff.email = "staff@example.tw"
    personas.staff.save()
    f.target(f.plan("3-2-1", "construction"), "road", 10)
    f.open_window(personas.officer, 1, days_left=2)
    assert send_reminders() == 1
    assert send_reminders() == 0  # once
    reminder = Reminder.objects.get()
    assert (reminder.agency.code, reminder.emailed_to) == ("construction", 1)
    assert mail.outbox[0].to == ["staff@example.tw"]


def test_a_late_monthly_report_reminds_the_agency_and_the_rdec(personas):
    cycle = SubsidyCycle.objects.create(year=2026, **SubsidyCycle.default_dates(2026))
    project = SubsidyProject.objects.create(
        cycle=cycle,
        agency=Agency.objects.get(code="construction"),
        title="逾期案",
        central_subsidy=1,
        status="selected",
    )
    project.months.create(month=3, planned_progress=10, planned_spend=1)
    send_reminders(today=datetime.date(2026, 4, 9))
    assert sorted(Reminder.objects.values_list("agency__code", flat=True)) == ["construction", "rdec"]
