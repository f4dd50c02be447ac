"""The home page's work queue (rdec.core.worklist): the registry, each module's count selector
(scoped to the user's agency, overdue and due-soon boundaries on a frozen day), each number equal to
the rows of the filtered list it links to, and the home page of each role."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rdec.core import worklist
from rdec.core.context import acting_as

pytestmark = pytest.mark.django_db
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
TODAY = datetime.date(2026, 11, 10)  # a Tuesday; Wednesday 11 and Thursday 12 are working days


@pytest.fixture
def tuesday(time_machine, fresh_reference):
    time_machine.move_to(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=TAIPEI), tick=False)
    assert timezone.localdate() == TODAY
    return TODAY


def entries(user, group=None) -> dict[str, worklist.Entry]:
    groups = (group,) if group else None
    return {e.key: e for g in worklist.work_for(user, groups=groups) for e in g["entries"]}


def listed(user, url: str) -> int:
    """How many rows the linked list shows (its paginator's count)."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


# --- the registry ------------------------------------------------------------------------------------


@pytest.fixture
def scratch():
    keys = []

    def register(key, **kwargs):
        keys.append(key)
        values = {
            "group": worklist.DUE,
            "visible": lambda user: True,
            "count": lambda user: 3,
            "url_name": "core:agency-list",
        }
        values.update(kwargs)
        return worklist.register_work(key, f"label {key}", **values)

    yield register
    for key in keys:
        worklist.unregister_work(key)


def test_work_for_shows_visible_items_in_group_order_with_their_numbers_and_urls(personas, scratch):
    scratch("test.file", group=worklist.FILE, order=1)
    scratch("test.due_b", order=2, query={"due": "overdue", "x": "1"})
    scratch("test.due_a", order=1, count=lambda user: 0)
    scratch("test.hidden", visible=lambda user: False)
    scratch("test.no_url", url_name="core:no-such-page")
    groups = [g for g in worklist.work_for(personas.officer) if g["key"] in (worklist.DUE, worklist.FILE)]
    mine = [[e.key for e in g["entries"] if e.key.startswith("test.")] for g in groups]
    assert mine == [["test.due_a", "test.due_b"], ["test.file"]]
    found = entries(personas.officer)
    assert found["test.due_b"].url == reverse("core:agency-list") + "?due=overdue&x=1"
    assert found["test.due_b"].count == 3
    assert found["test.due_a"].severity == "quiet", "zero is shown quietly"
    assert "test.hidden" not in found and "test.no_url" not in found


def test_a_query_may_depend_on_the_user_and_a_link_need_not_count(personas, scratch):
    scratch("test.agency", query=lambda user: {"agency": user.agency.code}, count=None)
    entry = entries(personas.staff)["test.agency"]
    assert entry.url.endswith("?agency=construction")
    assert entry.count is None


def test_registration_checks_group_and_severity(scratch):
    with pytest.raises(ValueError, match="group"):
        scratch("test.bad", group="someday")
    with pytest.raises(ValueError, match="severity"):
        scratch("test.bad", severity="purple")


def test_the_modules_register_their_work():
    keys = {item.key for item in worklist.registered()}
    assert {
        "petitions.overdue",
        "petitions.due_soon",
        "petitions.replies_awaiting",
        "petitions.extensions_awaiting",
        "tracking.overdue",
        "tracking.due_soon",
        "tracking.report_missing",
        "tracking.review_waiting",
        "tracking.release_proposed",
        "opendata.feedback",
        "opendata.feedback_overdue",
        "tenders.progress_missing",
        "strategy.to_report",
        "documents.improvement_to_file",
        "opendata.request",
    } <= keys


def test_nobody_sees_a_number_that_leads_to_a_page_they_may_not_open(personas):
    """Every visible item's URL answers 200 for that user (the same check as the view)."""
    for name in ("citizen", "agent", "staff", "supervisor", "officer", "admin"):
        user = getattr(personas, name)
        client = Client()
        client.force_login(user)
        for entry in entries(user).values():
            assert client.get(entry.url).status_code == 200, (name, entry.key, entry.url)


# --- petitions ---------------------------------------------------------------------------------------


def _case(personas, due: datetime.date, **kwargs):
    from rdec.petitions.models import Case
    from rdec.petitions.tests.factories import file

    case, _code = file(None, **kwargs)
    Case.objects.filter(pk=case.pk).update(due_date=due)
    return case


def test_petition_overdue_and_due_soon_boundaries(personas, tuesday):
    from rdec.petitions import selectors
    from rdec.petitions.deadlines import due_soon_until

    assert due_soon_until(TODAY) == datetime.date(2026, 11, 12)  # two working days ahead
    for day in (9, 10, 12, 13):
        _case(personas, datetime.date(2026, 11, day))
    staff = personas.staff
    assert selectors.overdue_count(staff) == 1  # the 9th
    assert selectors.due_soon_count(staff) == 2  # the 10th (today) and the 12th; not the 13th
    found = entries(staff)
    assert found["petitions.overdue"].count == 1 and found["petitions.overdue"].item.severity == "danger"
    assert found["petitions.due_soon"].count == 2
    for key in ("petitions.overdue", "petitions.due_soon"):
        assert listed(staff, found[key].url) == found[key].count, key


def test_petition_counts_are_scoped_to_the_agency(personas, tuesday):
    from rdec.petitions import selectors

    case = _case(personas, datetime.date(2026, 11, 2))
    assert case.agency.code == "construction"
    assert selectors.overdue_count(personas.staff) == 1
    assert selectors.overdue_count(personas.other_staff) == 0  # 環保局 sees none of 建設局's
    assert selectors.overdue_count(personas.officer) == 1  # the RDEC sees the whole city
    assert listed(personas.other_staff, entries(personas.other_staff)["petitions.overdue"].url) == 0


def test_closed_cases_are_not_work(personas, tuesday):
    from rdec.petitions import selectors
    from rdec.petitions.models import Case

    case = _case(personas, datetime.date(2026, 11, 2))
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    assert selectors.overdue_count(personas.staff) == 0


def test_supervisors_see_cases_without_a_handler(personas, tuesday):
    _case(personas, datetime.date(2026, 11, 20))
    assert "petitions.unassigned" not in entries(personas.staff)
    entry = entries(personas.supervisor)["petitions.unassigned"]
    assert entry.count >= 1
    assert listed(personas.supervisor, entry.url) == entry.count


def test_supervisors_see_replies_and_extensions_awaiting_their_decision(personas, tuesday):
    from rdec.petitions import selectors, services

    replied = _case(personas, datetime.date(2026, 11, 20))
    extended = _case(personas, datetime.date(2026, 11, 20))
    _case(personas, datetime.date(2026, 11, 20))  # nothing asked
    other = _case(personas, datetime.date(2026, 11, 20), code="garbage")  # another agency's case
    with acting_as(personas.staff):
        services.save_reply(replied, actor=personas.staff, body="已派員修補完成，謝謝您的反映。")
        services.request_extension(
            extended, actor=personas.staff, working_days=5, reason="需會同管線單位會勘。"
        )
    assert other.agency.code != "construction"
    supervisor = personas.supervisor
    assert selectors.replies_awaiting_approval_count(supervisor) == 1
    assert selectors.extensions_awaiting_decision_count(supervisor) == 1
    assert selectors.replies_awaiting_approval_count(personas.other_staff) == 0
    found = entries(supervisor)
    for key in ("petitions.replies_awaiting", "petitions.extensions_awaiting"):
        assert listed(supervisor, found[key].url) == found[key].count == 1, key
    assert "petitions.replies_awaiting" not in entries(personas.staff), "staff do not approve replies"


# --- tracking ----------------------------------------------------------------------------------------


def test_tracking_counts_follow_the_deadlines_and_the_agency(personas, tuesday):
    from rdec.tracking import rules, selectors
    from rdec.tracking.tests.factories import item

    until = rules.remind_until(TODAY)
    item(personas.officer, deadline=TODAY - datetime.timedelta(days=1))  # overdue
    item(personas.officer, deadline=TODAY)  # due today
    item(personas.officer, deadline=until)  # the last day of the reminder window
    item(personas.officer, deadline=until + datetime.timedelta(days=1))  # not yet
    item(personas.officer, owner="environment", deadline=TODAY - datetime.timedelta(days=3))
    staff = personas.staff
    assert selectors.overdue_count(staff) == 1
    assert selectors.due_soon_count(staff) == 2
    assert selectors.overdue_count(personas.other_staff) == 1
    assert selectors.overdue_count(personas.officer) == 2
    found = entries(staff)
    for key in ("tracking.overdue", "tracking.due_soon", "tracking.report_missing"):
        assert key in found
        assert listed(staff, found[key].url) == found[key].count, key
    assert "tracking.review_waiting" not in found, "only the RDEC reviews (and sees that number)"


def test_reports_missing_and_waiting_for_review(personas, tuesday, time_machine):
    from rdec.tracking import selectors, services
    from rdec.tracking.tests.factories import item

    time_machine.move_to(datetime.datetime(2026, 9, 1, 9, 0, tzinfo=TAIPEI), tick=False)
    reported = item(personas.officer, deadline=datetime.date(2026, 12, 31))
    silent = item(personas.officer, deadline=datetime.date(2026, 12, 31))
    time_machine.move_to(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=TAIPEI), tick=False)
    with acting_as(personas.staff):
        services.submit_report(reported, actor=personas.staff, text="已完成設計，下月發包。", percent=40)
    assert selectors.report_missing_count(personas.staff) == 1
    missing = selectors.filter_items(selectors.items_visible_to(personas.staff), report="missing")
    assert list(missing) == [silent]
    assert selectors.review_waiting_count(personas.officer) == 1
    found = entries(personas.officer)
    assert listed(personas.officer, found["tracking.review_waiting"].url) == 1
    assert listed(personas.officer, found["tracking.report_missing_city"].url) == 1


# --- open data ---------------------------------------------------------------------------------------


def test_feedback_overdue_and_to_handle(personas, time_machine):
    from rdec.opendata import selectors, services
    from rdec.opendata.tests.factories import publish

    dataset = publish(personas.staff)
    time_machine.move_to(datetime.datetime(2026, 11, 1, 9, 0, tzinfo=TAIPEI), tick=False)
    with acting_as(personas.citizen):
        old = services.submit_feedback(
            actor=personas.citizen,
            kind="comment",
            dataset=dataset,
            title="欄位缺漏",
            body="人口數欄位有空白。",
        )
    time_machine.move_to(datetime.datetime(2026, 11, 10, 9, 0, tzinfo=TAIPEI), tick=False)
    with acting_as(personas.citizen):
        services.submit_feedback(
            actor=personas.citizen, kind="comment", dataset=dataset, title="單位錯誤", body="單位應為人。"
        )
    assert old.due_on < TODAY
    assert selectors.feedback_overdue_count(personas.staff) == 1
    assert selectors.feedback_to_handle_count(personas.staff) == 2
    assert selectors.feedback_to_handle_count(personas.other_staff) == 0
    found = entries(personas.staff)
    assert listed(personas.staff, found["opendata.feedback_overdue"].url) == 1
    assert listed(personas.staff, found["opendata.feedback"].url) == 2


# --- tenders -----------------------------------------------------------------------------------------


def test_tenders_without_last_months_progress(personas, tuesday):
    from rdec.tenders import selectors
    from rdec.tenders.tests.factories import progress, tender

    done = tender("construction", status="in_progress", started_on=datetime.date(2026, 1, 5))
    tender("construction", status="in_progress", started_on=datetime.date(2026, 1, 5))
    tender("construction", status="in_progress", started_on=datetime.date(2026, 11, 3))  # began this month
    tender("environment", status="in_progress", started_on=datetime.date(2026, 1, 5))
    progress(done, "2026-10", 50, 50)
    assert selectors.progress_missing_count(personas.staff) == 1
    assert selectors.progress_missing_count(personas.officer) == 2
    entry = entries(personas.staff)["tenders.progress_missing"]
    assert entry.url.endswith("?progress=missing")
    assert listed(personas.staff, entry.url) == 1


# --- documents ---------------------------------------------------------------------------------------


def test_improvement_reports_to_file_and_not_yet_received(personas, tuesday):
    from rdec.documents import selectors
    from rdec.documents.models import ImprovementReport
    from rdec.tenders.tests.factories import agency

    october = datetime.date(2026, 10, 1)
    ImprovementReport.objects.create(agency=agency("construction"), month=october, overdue_ratio=12)
    ImprovementReport.objects.create(
        agency=agency("environment"), month=october, overdue_ratio=11, received_on=datetime.date(2026, 11, 5)
    )
    ImprovementReport.objects.create(
        agency=agency("agriculture"), month=datetime.date(2026, 9, 1), overdue_ratio=15
    )
    assert selectors.improvement_reports_pending_count(personas.staff) == 1
    assert selectors.improvement_reports_pending_count(personas.other_staff) == 0
    assert selectors.improvement_reports_pending_count(personas.officer) == 1  # last month's only
    staff_entry = entries(personas.staff)["documents.improvement_to_file"]
    officer_entry = entries(personas.officer)["documents.improvement_pending"]
    assert "documents.improvement_pending" not in entries(personas.staff)
    assert "documents.improvement_to_file" not in entries(personas.officer)
    for user, entry in ((personas.staff, staff_entry), (personas.officer, officer_entry)):
        assert entry.url.endswith("?month=2026-10")
        client = Client()
        client.force_login(user)
        html = client.get(entry.url).content.decode()
        assert html.count('data-testid="report-pending"') == entry.count == 1


# --- the home page -----------------------------------------------------------------------------------


def home(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response


def test_visitors_and_citizens_land_on_their_tasks(personas):
    for user in (None, personas.citizen):
        response = home(user)
        html = response.content.decode()
        assert 'data-testid="task-file"' in html and 'data-testid="task-track"' in html
        assert 'href="tel:1999"' in html
        assert 'data-testid="work-opendata.request"' in html, "what is open for participation"
        assert 'data-testid="queue"' not in html
    assert 'data-testid="task-mine"' in home(personas.citizen).content.decode()


def test_call_agents_land_on_the_console(personas):
    html = home(personas.agent).content.decode()
    assert f'href="{reverse("petitions:console")}"' in html
    assert 'data-testid="queue"' in html
    assert 'data-testid="task-file"' not in html


def test_staff_and_officers_land_on_their_queue(personas, tuesday):
    _case(personas, datetime.date(2026, 11, 2))
    for user in (personas.staff, personas.officer):
        response = home(user)
        html = response.content.decode()
        assert 'data-testid="queue-due"' in html
        url = reverse("petitions:inbox") + "?due=overdue"
        assert f'href="{url}" data-testid="work-petitions.overdue" data-count="1"' in html
    # 環保局 has none: the zero is there, quiet, and not a link
    html = home(personas.other_staff).content.decode()
    assert (
        '<div class="summary-number work-zero" data-testid="work-petitions.overdue" data-count="0">' in html
    )
