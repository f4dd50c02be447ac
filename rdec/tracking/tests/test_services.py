"""Tracking services: meetings and their minutes deadline, resolutions put under control, items from
every source, progress reports, the RDEC's review (解除列管 / 繼續列管), scoping, council sessions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from rdec.core import workdays
from rdec.core.models import AuditEntry, Role
from rdec.core.tests.factories import UserFactory
from rdec.tracking import rules, selectors, services
from rdec.tracking.models import CouncilSession, Item, Meeting
from rdec.tracking.tests.factories import agency, at, item, mobile_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("collection_day")]

TODAY = timezone.localdate()


# --- meetings and minutes --------------------------------------------------------------------------


def test_minutes_of_a_mayoral_meeting_are_due_three_working_days_later_across_the_new_year_holidays(personas):
    # Friday 2026-02-13; 2/14–2/22 are days off (春節): 2/23, 2/24, 2/25.
    meeting = mobile_meeting(personas.officer, day=datetime.date(2026, 2, 13))
    assert meeting.minutes_due_on == datetime.date(2026, 2, 25)


def test_minutes_skip_the_bridge_day_and_the_peace_memorial_day(personas):
    # Thursday 2026-02-26; 2/27 (補假), 2/28, 3/1 are days off: 3/2, 3/3, 3/4.
    meeting = mobile_meeting(personas.officer, day=datetime.date(2026, 2, 26))
    assert meeting.minutes_due_on == datetime.date(2026, 3, 4)


def test_minutes_of_a_meeting_not_chaired_at_mayoral_level_have_no_deadline(personas):
    meeting = mobile_meeting(personas.officer, chair_is_mayoral=False, chair_name="研考會主任委員")
    assert meeting.minutes_due_on is None
    assert meeting.minutes_state() == ""


@given(offset=st.integers(min_value=-3000, max_value=300))
@settings(max_examples=40, deadline=None)
def test_minutes_due_is_always_the_third_working_day_after(offset):
    held = datetime.date(2026, 6, 1) + datetime.timedelta(days=offset)
    due = rules.minutes_due_on(held)
    assert workdays.is_working_day(due)
    assert workdays.working_days_between(held, due) == 3


def test_minutes_state_is_due_then_overdue_then_published(personas):
    meeting = mobile_meeting(personas.officer, day=datetime.date(2026, 2, 13))
    assert meeting.minutes_state(datetime.date(2026, 2, 25)) == "due"
    assert meeting.minutes_state(datetime.date(2026, 2, 26)) == "overdue"
    services.publish_minutes(meeting, actor=personas.officer, minutes="會議紀錄")
    assert meeting.minutes_state(datetime.date(2026, 2, 26)) == "published"


def test_publishing_minutes_is_audited_as_late_after_the_due_date(personas):
    meeting = mobile_meeting(personas.officer, day=TODAY - datetime.timedelta(days=20))
    services.publish_minutes(meeting, actor=personas.officer, minutes="會議紀錄")
    entry = AuditEntry.objects.filter(verb="meeting.minutes_published").get()
    assert entry.changes["state"] == "late"


def test_a_mobile_meeting_needs_its_district(personas):
    with pytest.raises(ValidationError) as exc:
        mobile_meeting(personas.officer, district=None)
    assert "district" in exc.value.message_dict


def test_a_custom_meeting_needs_its_name(personas):
    with pytest.raises(ValidationError) as exc:
        mobile_meeting(personas.officer, type=Meeting.Type.CUSTOM, district=None)
    assert "custom_type_name" in exc.value.message_dict


def test_agency_staff_cannot_record_meetings(personas):
    with pytest.raises(PermissionDenied):
        mobile_meeting(personas.staff)


def test_meeting_keeps_its_local_representatives(personas):
    meeting = mobile_meeting(personas.officer)
    assert [(r.role, r.name) for r in meeting.representatives.order_by("id")] == [
        ("district_chief", "陳志明"),
        ("village_chief", "林美華"),
        ("councillor", "張文雄"),
    ]


def test_updating_the_date_moves_the_minutes_deadline(personas):
    meeting = mobile_meeting(personas.officer, day=datetime.date(2026, 2, 13))
    services.update_meeting(meeting, actor=personas.officer, held_at=at(datetime.date(2026, 2, 26)))
    assert meeting.minutes_due_on == datetime.date(2026, 3, 4)


# --- resolutions -----------------------------------------------------------------------------------


def test_a_resolution_is_put_under_control_for_its_agency(personas):
    meeting = mobile_meeting(personas.officer)
    deadline = TODAY + datetime.timedelta(days=60)
    resolution = services.add_resolution(
        meeting,
        actor=personas.officer,
        text="請協助順天路拓寬工程用地取得。",
        owner=agency("construction"),
        co_agencies=[agency("land")],
        deadline=deadline,
    )
    tracked = resolution.item
    assert (resolution.number, tracked.source, tracked.meeting, tracked.owner.code) == (
        1,
        Item.Source.RESOLUTION,
        meeting,
        "construction",
    )
    assert [a.code for a in tracked.co_agencies.all()] == ["land"]
    assert (tracked.status, tracked.deadline, tracked.original_deadline) == ("open", deadline, deadline)


def test_a_suggestion_settled_at_the_meeting_is_not_put_under_control(personas):
    meeting = mobile_meeting(personas.officer)
    resolution = services.add_resolution(
        meeting, actor=personas.officer, text="路燈故障，已當場處理。", settled_on_site=True
    )
    assert not Item.objects.filter(resolution=resolution).exists()


def test_a_resolution_under_control_needs_an_agency_and_a_deadline(personas):
    meeting = mobile_meeting(personas.officer)
    with pytest.raises(ValidationError) as exc:
        services.add_resolution(meeting, actor=personas.officer, text="增設公共托育家園。")
    assert set(exc.value.message_dict) == {"owner", "deadline"}


def test_resolutions_are_numbered_in_order(personas):
    meeting = mobile_meeting(personas.officer)
    numbers = [
        services.add_resolution(meeting, actor=personas.officer, text=f"建議{n}", settled_on_site=True).number
        for n in range(3)
    ]
    assert numbers == [1, 2, 3]


# --- items ---------------------------------------------------------------------------------------


def test_items_are_numbered_by_roc_year(personas):
    first, second = item(personas.officer), item(personas.officer)
    year = TODAY.year - 1911
    assert (first.number, second.number) == (f"{year}-00001", f"{year}-00002")


def test_an_unanswered_interpellation_is_due_seven_days_after_it_was_asked(personas):
    tracked = item(
        personas.officer,
        source=Item.Source.INTERPELLATION,
        deadline=None,
        councillor="張文雄",
        asked_on=datetime.date(2026, 11, 20),
    )
    assert tracked.deadline == datetime.date(2026, 11, 27)


def test_an_interpellation_needs_the_councillor_and_the_day_asked(personas):
    with pytest.raises(ValidationError) as exc:
        item(personas.officer, source=Item.Source.INTERPELLATION, deadline=None)
    assert {"councillor", "asked_on", "deadline"} <= set(exc.value.message_dict)


def test_a_council_resolution_needs_a_session_and_a_unique_number(personas):
    session = CouncilSession.objects.create(
        term=4, number=7, opens_on=datetime.date(2026, 4, 14), closes_on=datetime.date(2026, 6, 20)
    )
    item(personas.officer, source=Item.Source.COUNCIL_RESOLUTION, council_session=session, council_number=3)
    with pytest.raises(ValidationError) as exc:
        item(
            personas.officer, source=Item.Source.COUNCIL_RESOLUTION, council_session=session, council_number=3
        )
    assert "council_number" in exc.value.message_dict


def test_a_petition_item_keeps_the_case_number(personas):
    tracked = item(personas.officer, source=Item.Source.PETITION, petition_number="115-0000123")
    assert tracked.petition_number == "115-0000123"


def test_meeting_resolutions_are_not_created_as_plain_items(personas):
    with pytest.raises(ValidationError) as exc:
        item(personas.officer, source=Item.Source.RESOLUTION)
    assert "source" in exc.value.message_dict


def test_an_agency_may_put_its_own_item_under_self_control(personas):
    tracked = item(personas.staff, level=Item.Level.SELF)
    assert tracked.level == "self"


@pytest.mark.parametrize(
    ("level", "owner"), [(Item.Level.RDEC, "construction"), (Item.Level.SELF, "environment")]
)
def test_an_agency_may_not_put_items_under_rdec_control_or_for_another_agency(personas, level, owner):
    with pytest.raises(PermissionDenied):
        item(personas.staff, level=level, owner=owner)


def test_co_agencies_exclude_the_responsible_agency(personas):
    tracked = item(personas.officer, co=["construction", "environment"])
    assert [a.code for a in tracked.co_agencies.all()] == ["environment"]


# --- progress reports ------------------------------------------------------------------------------


@pytest.fixture
def tracked(personas):
    return item(personas.officer, co=["environment"])


def test_the_responsible_agency_reports_progress(personas, tracked):
    report = services.submit_report(tracked, actor=personas.staff, text="已完成現地會勘。", percent=20)
    tracked.refresh_from_db()
    assert (report.agency.code, tracked.percent, tracked.status) == ("construction", 20, "open")
    assert tracked.last_report_at == report.submitted_at


def test_a_co_agency_reports_too_under_its_own_name(personas, tracked):
    report = services.submit_report(tracked, actor=personas.other_staff, text="配合辦理清運。", percent=10)
    assert report.agency.code == "environment"


def test_only_the_responsible_agency_proposes_release(personas, tracked):
    with pytest.raises(ValidationError) as exc:
        services.submit_report(
            tracked, actor=personas.other_staff, text="已完成", percent=100, propose_release=True
        )
    assert "propose_release" in exc.value.message_dict


@pytest.mark.parametrize("who", ["agri_staff", "citizen", "officer", "agent"])
def test_others_may_not_report(personas, tracked, who):
    with pytest.raises(PermissionDenied):
        services.submit_report(tracked, actor=getattr(personas, who), text="x", percent=10)


@pytest.mark.parametrize(("percent", "field"), [(101, "percent"), (-1, "percent")])
def test_progress_is_a_percentage(personas, tracked, percent, field):
    with pytest.raises(ValidationError) as exc:
        services.submit_report(tracked, actor=personas.staff, text="進度", percent=percent)
    assert field in exc.value.message_dict


def test_a_report_cannot_be_dated_in_the_future(personas, tracked):
    with pytest.raises(ValidationError) as exc:
        services.submit_report(
            tracked,
            actor=personas.staff,
            text="進度",
            percent=5,
            reported_on=TODAY + datetime.timedelta(days=1),
        )
    assert "reported_on" in exc.value.message_dict


def test_proposing_release_moves_the_item_to_release_proposed(personas, tracked):
    services.submit_report(tracked, actor=personas.staff, text="已完工", percent=100, propose_release=True)
    tracked.refresh_from_db()
    assert tracked.status == Item.Status.RELEASE_PROPOSED


def test_an_attachment_must_be_an_allowed_type(personas, tracked):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        services.submit_report(tracked, actor=personas.staff, text="附件", percent=5, attachment=bad)
    assert "attachment" in exc.value.message_dict


def test_a_pdf_attachment_is_kept(personas, tracked, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("會勘照片.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    report = services.submit_report(tracked, actor=personas.staff, text="附件", percent=5, attachment=pdf)
    assert report.attachment_name == "會勘照片.pdf"
    assert report.attachment.read().startswith(b"%PDF-")
    from rdec.core.models import AuditEntry

    created = AuditEntry.objects.get(
        target_type="tracking.progressreport", target_id=str(report.pk), action="create"
    )
    assert created.changes["attachment"][1] == report.attachment.name  # the stored file's name


# --- review ----------------------------------------------------------------------------------------


def _report(personas, tracked, **kw):
    values = {"text": "已完工並驗收", "percent": 100, "propose_release": True}
    values.update(kw)
    return services.submit_report(tracked, actor=personas.staff, **values)


def test_the_rdec_releases_an_item_from_control(personas, tracked):
    report = _report(personas, tracked)
    services.review_report(report, actor=personas.officer, decision="release", comment="同意解除列管。")
    tracked.refresh_from_db()
    report.refresh_from_db()
    assert (tracked.status, report.decision, report.reviewed_by) == ("released", "release", personas.officer)
    assert tracked.released_at is not None
    assert AuditEntry.objects.filter(verb="item.released", target_id=str(tracked.pk)).exists()


def test_continued_control_may_set_a_new_deadline(personas, tracked):
    report = _report(personas, tracked, propose_release=False, percent=60)
    new = TODAY + datetime.timedelta(days=90)
    services.review_report(
        report, actor=personas.officer, decision="continue", comment="請持續辦理。", new_deadline=new
    )
    tracked.refresh_from_db()
    assert (tracked.status, tracked.deadline) == ("continued", new)
    assert tracked.original_deadline != new


def test_a_new_deadline_must_be_after_today(personas, tracked):
    report = _report(personas, tracked, propose_release=False)
    with pytest.raises(ValidationError) as exc:
        services.review_report(
            report, actor=personas.officer, decision="continue", comment="x", new_deadline=TODAY
        )
    assert "new_deadline" in exc.value.message_dict


def test_a_new_deadline_goes_with_continued_control_only(personas, tracked):
    report = _report(personas, tracked)
    with pytest.raises(ValidationError) as exc:
        services.review_report(
            report,
            actor=personas.officer,
            decision="release",
            comment="x",
            new_deadline=TODAY + datetime.timedelta(days=9),
        )
    assert "new_deadline" in exc.value.message_dict


def test_a_review_needs_a_comment(personas, tracked):
    report = _report(personas, tracked)
    with pytest.raises(ValidationError) as exc:
        services.review_report(report, actor=personas.officer, decision="release", comment=" ")
    assert "comment" in exc.value.message_dict


def test_a_report_is_reviewed_once(personas, tracked):
    report = _report(personas, tracked, propose_release=False)
    services.review_report(report, actor=personas.officer, decision="continue", comment="續管")
    with pytest.raises(services.TransitionError):
        services.review_report(report, actor=personas.officer, decision="release", comment="解管")


@pytest.mark.parametrize("who", ["staff", "supervisor", "other_staff"])
def test_agencies_do_not_review_rdec_controlled_items(personas, tracked, who):
    report = _report(personas, tracked)
    with pytest.raises(PermissionDenied):
        services.review_report(report, actor=getattr(personas, who), decision="release", comment="x")


def test_the_supervisor_reviews_the_agencys_self_controlled_items(personas):
    own = item(personas.staff, level=Item.Level.SELF)
    report = services.submit_report(own, actor=personas.staff, text="完成", percent=100, propose_release=True)
    services.review_report(report, actor=personas.supervisor, decision="release", comment="同意")
    own.refresh_from_db()
    assert own.status == "released"


def test_a_released_item_takes_no_more_reports(personas, tracked):
    report = _report(personas, tracked)
    services.review_report(report, actor=personas.officer, decision="release", comment="同意")
    tracked.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.submit_report(tracked, actor=personas.staff, text="補充", percent=100)


def test_after_continued_control_the_agency_reports_and_proposes_again(personas, tracked):
    first = _report(personas, tracked, propose_release=False, percent=50)
    services.review_report(first, actor=personas.officer, decision="continue", comment="續管")
    tracked.refresh_from_db()
    _report(personas, tracked)
    tracked.refresh_from_db()
    assert tracked.status == Item.Status.RELEASE_PROPOSED


# --- scoping ---------------------------------------------------------------------------------------


def test_agency_staff_see_their_own_and_co_handled_items_only(personas):
    own = item(personas.officer, owner="construction")
    co = item(personas.officer, owner="environment", co=["construction"])
    other = item(personas.officer, owner="environment")
    staff_sees = set(selectors.items_visible_to(personas.staff))
    assert staff_sees == {own, co}
    assert set(selectors.items_visible_to(personas.other_staff)) == {co, other}
    assert set(selectors.items_visible_to(personas.officer)) == {own, co, other}
    assert not selectors.items_visible_to(personas.citizen).exists()


def test_a_bureau_sees_its_second_level_agencies_items(personas):
    child = item(personas.officer, owner="animal-protection")
    assert child in selectors.items_visible_to(personas.agri_staff)


def test_an_agency_sees_the_meetings_it_attended_or_has_items_from(personas):
    attended = mobile_meeting(personas.officer)  # construction attends
    elsewhere = mobile_meeting(personas.officer, agencies=[agency("tourism")])
    services.add_resolution(
        elsewhere,
        actor=personas.officer,
        text="垃圾清運",
        owner=agency("environment"),
        deadline=TODAY + datetime.timedelta(days=9),
    )
    assert set(selectors.meetings_visible_to(personas.staff)) == {attended}
    assert set(selectors.meetings_visible_to(personas.other_staff)) == {elsewhere}


def test_filters_by_source_agency_status_and_overdue(personas):
    late = item(personas.officer, deadline=TODAY + datetime.timedelta(days=1))
    Item.objects.filter(pk=late.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    ok = item(personas.officer, owner="environment", source=Item.Source.CUSTOM, custom_source_name="專案")
    qs = selectors.items_visible_to(personas.officer)
    assert list(selectors.filter_items(qs, overdue=True)) == [late]
    assert list(selectors.filter_items(qs, overdue=False)) == [ok]
    assert list(selectors.filter_items(qs, source="custom")) == [ok]
    assert list(selectors.filter_items(qs, agency="construction")) == [late]
    assert set(selectors.filter_items(qs, status="open")) == {late, ok}


def test_the_board_groups_this_weeks_due_and_overdue_items_by_agency(personas):
    monday, sunday = rules.week_bounds(TODAY)
    due = item(personas.officer, deadline=sunday)
    overdue = item(personas.officer, owner="environment", deadline=TODAY + datetime.timedelta(days=1))
    Item.objects.filter(pk=overdue.pk).update(deadline=TODAY - datetime.timedelta(days=3))
    item(personas.officer, deadline=sunday + datetime.timedelta(days=1))  # next week: not on the board
    board = selectors.board_for(personas.officer)
    groups = {g["agency"].code: g for g in board["groups"]}
    assert [i.pk for i in groups["construction"]["due"]] == [due.pk]
    assert [i.pk for i in groups["environment"]["overdue"]] == [overdue.pk]
    assert (board["due_count"], board["overdue_count"]) == (1, 1)


def test_the_board_is_for_the_rdec_only(personas):
    with pytest.raises(PermissionDenied):
        selectors.board_for(personas.supervisor)


def test_items_without_a_report_in_this_cycle_are_listed(personas):
    silent = item(personas.officer)
    reported = item(personas.officer)
    before_cycle = timezone.make_aware(
        datetime.datetime.combine(rules.cycle_start(TODAY) - datetime.timedelta(days=5), datetime.time(9))
    )
    Item.objects.filter(pk__in=[silent.pk, reported.pk]).update(created_at=before_cycle)
    services.submit_report(reported, actor=personas.staff, text="進度", percent=30)
    todo = selectors.todo_for(personas.staff)
    assert [i.pk for i in todo["no_report"]] == [silent.pk]


@given(day=st.dates(min_value=datetime.date(2017, 1, 1), max_value=datetime.date(2027, 12, 31)))
def test_the_cycle_starts_on_the_first_of_the_month_or_quarter(day):
    start = rules.cycle_start(day)
    assert (start.day, start.year, start.month) == (1, day.year, day.month)


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (datetime.date(2026, 11, 27), datetime.date(2026, 10, 1)),
        (datetime.date(2026, 3, 31), datetime.date(2026, 1, 1)),
    ],
)
def test_a_quarterly_cycle_starts_on_the_quarters_first_day(settings, day, start):
    settings.RDEC_TRACKING_REPORT_CYCLE = "quarterly"
    assert rules.cycle_start(day) == start


# --- council ---------------------------------------------------------------------------------------


def _session(term, number, opens_on):
    return CouncilSession.objects.create(
        term=term, number=number, opens_on=opens_on, closes_on=opens_on + datetime.timedelta(days=60)
    )


def test_the_written_report_is_due_seven_days_before_the_session_opens():
    session = _session(4, 8, datetime.date(2026, 12, 15))
    assert session.report_due_on == datetime.date(2026, 12, 8)


def test_the_council_report_covers_every_open_resolution_of_earlier_sessions_in_the_councils_order(personas):
    earlier = _session(4, 6, datetime.date(2025, 10, 14))
    previous = _session(4, 7, datetime.date(2026, 4, 14))
    coming = _session(4, 8, datetime.date(2026, 12, 15))
    made = {}
    for session, number in [(previous, 2), (earlier, 5), (previous, 1), (earlier, 1)]:
        made[(session.number, number)] = item(
            personas.officer,
            source=Item.Source.COUNCIL_RESOLUTION,
            council_session=session,
            council_number=number,
        )
    # released long before the previous report was due: not reported again
    done = made[(6, 5)]
    Item.objects.filter(pk=done.pk).update(
        status=Item.Status.RELEASED, released_at=at(datetime.date(2026, 1, 5))
    )
    # released since the previous report: reported once, as done
    recent = made[(7, 2)]
    Item.objects.filter(pk=recent.pk).update(
        status=Item.Status.RELEASED, released_at=at(datetime.date(2026, 9, 1))
    )
    item(personas.officer, source=Item.Source.COUNCIL_RESOLUTION, council_session=coming, council_number=1)
    listed = [(i.council_session.number, i.council_number) for i in selectors.council_items(coming)]
    assert listed == [(6, 1), (7, 1), (7, 2)]


def test_an_agency_writes_the_execution_text_of_its_own_council_resolution(personas):
    previous = _session(4, 7, datetime.date(2026, 4, 14))
    coming = _session(4, 8, datetime.date(2026, 12, 15))
    tracked = item(
        personas.officer, source=Item.Source.COUNCIL_RESOLUTION, council_session=previous, council_number=1
    )
    text = services.save_council_text(coming, tracked, actor=personas.staff, text="已完成路面刨鋪。")
    again = services.save_council_text(coming, tracked, actor=personas.staff, text="已完成路面刨鋪及標線。")
    assert (text.pk, again.text) == (again.pk, "已完成路面刨鋪及標線。")
    with pytest.raises(PermissionDenied):
        services.save_council_text(coming, tracked, actor=personas.other_staff, text="x")


def test_the_next_session_is_the_first_whose_report_is_not_yet_due():
    _session(4, 7, TODAY - datetime.timedelta(days=30))
    soon = _session(4, 8, TODAY + datetime.timedelta(days=3))  # report due 4 days ago
    later = _session(5, 1, TODAY + datetime.timedelta(days=40))
    assert soon.report_due_on < TODAY
    assert selectors.next_council_session(TODAY) == later


def test_a_council_session_is_recorded_once(personas):
    services.create_council_session(
        actor=personas.officer,
        term=4,
        number=8,
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=60),
    )
    with pytest.raises(ValidationError):
        services.create_council_session(
            actor=personas.officer,
            term=4,
            number=8,
            opens_on=TODAY,
            closes_on=TODAY + datetime.timedelta(days=60),
        )


def test_notifications_are_read_by_their_recipient_only(personas):
    from rdec.tracking.models import Notification

    note = Notification.objects.create(
        recipient=personas.staff, kind="reminder", subject="s", body="b", key="k1"
    )
    with pytest.raises(PermissionDenied):
        services.mark_notification_read(note, actor=personas.supervisor)
    services.mark_notification_read(note, actor=personas.staff)
    assert note.read_at is not None


def test_system_users_with_an_agency_may_report(personas):
    bot = UserFactory(username="bot", role=Role.SYSTEM, agency=agency("construction"))
    tracked = item(personas.officer)
    report = services.submit_report(tracked, actor=bot, text="系統介接回報", percent=40)
    assert report.agency.code == "construction"
