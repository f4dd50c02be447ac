"""The tracking pages through HTTP: board and to-do list access, meeting create/edit and resolutions,
the item page's report and review forms, the public meeting page (no login, no internal comments),
Excel exports, and the council page with its report files."""

from __future__ import annotations

import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rdec.core.models import District
from rdec.tracking import services
from rdec.tracking.models import CouncilSession, Item, Meeting
from rdec.tracking.tests.factories import agency, item, mobile_meeting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("collection_day")]

TODAY = timezone.localdate()


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("officer", "tracking:board", 200),
        ("supervisor", "tracking:board", 403),
        ("staff", "tracking:todo", 200),
        ("officer", "tracking:todo", 200),
        ("citizen", "tracking:todo", 403),
        ("staff", "tracking:item-list", 200),
        ("citizen", "tracking:item-list", 403),
        ("staff", "tracking:meeting-list", 200),
        ("staff", "tracking:meeting-create", 403),
        ("officer", "tracking:meeting-create", 200),
        ("officer", "tracking:item-create", 200),
        ("agent", "tracking:item-create", 403),
        ("staff", "tracking:council-list", 200),
        ("citizen", "tracking:notifications", 200),
    ],
)
def test_page_access(personas, who, url, status):
    assert client_for(getattr(personas, who)).get(reverse(url)).status_code == status


def test_pages_ask_anonymous_visitors_to_log_in():
    response = Client().get(reverse("tracking:board"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_tracking_home_sends_each_role_to_its_list(personas):
    assert client_for(personas.officer).get("/tracking/")["Location"].endswith("/tracking/board/")
    assert client_for(personas.staff).get("/tracking/")["Location"].endswith("/tracking/todo/")


def test_the_board_shows_an_overdue_item_under_its_agency(personas):
    late = item(personas.officer, title="逾期的列管案件", deadline=TODAY + datetime.timedelta(days=1))
    Item.objects.filter(pk=late.pk).update(deadline=TODAY - datetime.timedelta(days=4))
    page = client_for(personas.officer).get(reverse("tracking:board")).content.decode()
    assert "逾期的列管案件" in page
    assert "建設局" in page


def test_the_officer_records_a_mobile_meeting_through_the_form(personas):
    district = District.objects.get(name="東勢區")
    response = client_for(personas.officer).post(
        reverse("tracking:meeting-create"),
        {
            "type": "mobile",
            "title": "115年東勢區行動市政會議",
            "held_at": "2026-11-26T14:00",
            "place": "東勢客家文化園區",
            "district": district.pk,
            "chair_name": "市長",
            "chair_is_mayoral": "on",
            "agencies": [agency("construction").pk],
            "representatives": "區長 劉建宏\n里長 徐春梅 中寧里\n議員 黃國華",
            "is_public": "on",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert (meeting.district, meeting.minutes_due_on) == (district, datetime.date(2026, 12, 1))
    assert meeting.representatives.count() == 3


def test_a_mobile_meeting_without_a_district_is_refused_on_the_page(personas):
    response = client_for(personas.officer).post(
        reverse("tracking:meeting-create"),
        {"type": "mobile", "title": "行動市政會議", "held_at": "2026-11-26T14:00", "chair_name": "市長"},
    )
    assert response.status_code == 400
    assert "district" in response.context["form"].errors


def test_a_bad_representative_line_is_refused(personas):
    response = client_for(personas.officer).post(
        reverse("tracking:meeting-create"),
        {
            "type": "city",
            "title": "市政會議",
            "held_at": "2026-11-26T09:00",
            "chair_name": "市長",
            "representatives": "鄉長 王大明",
        },
    )
    assert response.status_code == 400
    assert "representatives" in response.context["form"].errors


def test_the_officer_edits_a_meeting(personas):
    meeting = mobile_meeting(personas.officer)
    url = reverse("tracking:meeting-edit", args=[meeting.pk])
    form = client_for(personas.officer).get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "", False)}
    data.update(
        {
            "held_at": "2026-11-20T14:00",
            "district": meeting.district_id,
            "agencies": [a.pk for a in meeting.agencies.all()],
            "title": "115年大甲區行動市政會議（更正）",
            "chair_is_mayoral": "on",
            "is_public": "on",
        }
    )
    response = client_for(personas.officer).post(url, data)
    meeting.refresh_from_db()
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert meeting.title.endswith("（更正）")


def test_a_resolution_added_on_the_meeting_page_becomes_an_item(personas):
    meeting = mobile_meeting(personas.officer)
    response = client_for(personas.officer).post(
        reverse("tracking:meeting-resolution", args=[meeting.pk]),
        {
            "kind": "suggestion",
            "text": "大甲溪畔自行車道串連。",
            "proposer": "陳區長",
            "owner": agency("tourism").pk,
            "co_agencies": [agency("construction").pk],
            "level": "rdec",
            "deadline": (TODAY + datetime.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert meeting.items.get().owner.code == "tourism"


def test_a_resolution_without_an_agency_is_a_400_on_the_page(personas):
    meeting = mobile_meeting(personas.officer)
    response = client_for(personas.officer).post(
        reverse("tracking:meeting-resolution", args=[meeting.pk]),
        {"kind": "resolution", "text": "x", "level": "rdec"},
    )
    assert response.status_code == 400
    assert "owner" in response.context["resolution_form"].errors


def test_the_agency_reports_and_the_rdec_releases_on_the_item_page(personas, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    tracked = item(personas.officer)
    url = reverse("tracking:item-detail", args=[tracked.number])
    page = client_for(personas.staff).get(url)
    assert page.context["may_report"] and not page.context["may_review"]
    response = client_for(personas.staff).post(
        reverse("tracking:item-report", args=[tracked.number]),
        {
            "reported_on": TODAY.isoformat(),
            "text": "已完工驗收。",
            "percent": 100,
            "propose_release": "on",
            "attachment": SimpleUploadedFile("驗收.pdf", b"%PDF-1.4\n", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    report = tracked.reports.get()
    page = client_for(personas.officer).get(url)
    assert page.context["may_review"]
    response = client_for(personas.officer).post(
        reverse("tracking:item-review", args=[tracked.number, report.pk]),
        {"decision": "release", "comment": "同意解除列管。"},
    )
    tracked.refresh_from_db()
    assert (response.status_code, tracked.status) == (302, "released")
    attachment = client_for(personas.staff).get(
        reverse("tracking:report-attachment", args=[tracked.number, report.pk])
    )
    assert attachment.status_code == 200


def test_a_bad_report_is_shown_again_with_status_400(personas):
    tracked = item(personas.officer)
    response = client_for(personas.staff).post(
        reverse("tracking:item-report", args=[tracked.number]),
        {"reported_on": TODAY.isoformat(), "text": "x", "percent": 120},
    )
    assert response.status_code == 400
    assert "percent" in response.context["report_form"].errors


def test_another_agency_cannot_open_the_item(personas):
    tracked = item(personas.officer)
    assert (
        client_for(personas.other_staff)
        .get(reverse("tracking:item-detail", args=[tracked.number]))
        .status_code
        == 404
    )


def test_the_public_meeting_page_shows_decisions_and_progress_but_no_review_comments(personas):
    meeting = mobile_meeting(personas.officer)
    resolution = services.add_resolution(
        meeting,
        actor=personas.officer,
        text="順天路拓寬工程用地取得。",
        owner=agency("construction"),
        deadline=TODAY + datetime.timedelta(days=60),
    )
    report = services.submit_report(
        resolution.item, actor=personas.staff, text="用地已取得八成。", percent=80
    )
    services.review_report(
        report, actor=personas.officer, decision="continue", comment="內部意見：請加速協調地主。"
    )
    page = Client().get(reverse("tracking:public-meeting", args=[meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "順天路拓寬工程用地取得。" in html
    assert "用地已取得八成。" in html
    assert "內部意見" not in html


def test_a_meeting_that_is_not_public_has_no_public_page(personas):
    meeting = mobile_meeting(personas.officer, is_public=False)
    assert Client().get(reverse("tracking:public-meeting", args=[meeting.pk])).status_code == 404
    assert Client().get(reverse("tracking:public-meeting-list")).status_code == 200


def test_the_item_list_exports_to_excel_within_the_users_scope(personas):
    from openpyxl import load_workbook

    item(personas.officer, title="建設局的案件")
    item(personas.officer, owner="environment", title="環保局的案件")
    response = client_for(personas.staff).get(reverse("tracking:item-export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["建設局的案件"]


def test_the_meeting_list_exports_to_excel(personas):
    from openpyxl import load_workbook

    mobile_meeting(personas.officer)
    response = client_for(personas.officer).get(reverse("tracking:meeting-export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=3).value == "115年大甲區行動市政會議"


def test_the_agency_writes_a_council_text_on_the_council_page(personas):
    previous = CouncilSession.objects.create(
        term=4, number=7, opens_on=datetime.date(2026, 4, 14), closes_on=datetime.date(2026, 6, 20)
    )
    coming = CouncilSession.objects.create(
        term=4,
        number=8,
        opens_on=TODAY + datetime.timedelta(days=20),
        closes_on=TODAY + datetime.timedelta(days=80),
    )
    tracked = item(
        personas.officer, source=Item.Source.COUNCIL_RESOLUTION, council_session=previous, council_number=1
    )
    page = client_for(personas.staff).get(reverse("tracking:council-detail", args=[coming.pk]))
    assert page.context["missing"] == 1
    response = client_for(personas.staff).post(
        reverse("tracking:council-text", args=[coming.pk, tracked.number]), {"text": "已完成。"}
    )
    assert response.status_code == 302
    assert (
        client_for(personas.staff)
        .get(reverse("tracking:council-report", args=[coming.pk, "pdf"]))
        .status_code
        == 403
    )


def test_the_rdec_records_a_council_session(personas):
    response = client_for(personas.officer).post(
        reverse("tracking:council-list"),
        {"term": 5, "number": 1, "opens_on": "2027-03-01", "closes_on": "2027-05-01"},
    )
    assert response.status_code == 302
    assert CouncilSession.objects.get().report_due_on == datetime.date(2027, 2, 22)


def test_an_agency_puts_its_own_item_under_self_control_on_the_page(personas):
    client = client_for(personas.staff)
    form = client.get(reverse("tracking:item-create")).context["form"]
    assert [c for c, _l in form.fields["level"].choices] == ["self"]
    assert "environment" not in {a.code for a in form.fields["owner"].queryset}
    response = client.post(
        reverse("tracking:item-create"),
        {
            "source": "custom",
            "custom_source_name": "局務會議",
            "title": "局內道路巡查",
            "owner": agency("construction").pk,
            "level": "self",
            "deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Item.objects.get().level == "self"


def test_the_rdec_issues_the_written_report_and_downloads_the_kept_files(personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    previous = CouncilSession.objects.create(
        term=4, number=7, opens_on=datetime.date(2026, 4, 14), closes_on=datetime.date(2026, 6, 20)
    )
    coming = CouncilSession.objects.create(
        term=4,
        number=8,
        opens_on=TODAY + datetime.timedelta(days=20),
        closes_on=TODAY + datetime.timedelta(days=80),
    )
    item(personas.officer, source=Item.Source.COUNCIL_RESOLUTION, council_session=previous, council_number=1)
    staff = client_for(personas.staff)
    assert staff.post(reverse("tracking:council-report-issue", args=[coming.pk])).status_code == 403
    rdec = client_for(personas.officer)
    assert rdec.post(reverse("tracking:council-report-issue", args=[coming.pk])).status_code == 302
    issue = coming.report_issues.get()
    page = rdec.get(reverse("tracking:council-detail", args=[coming.pk])).content.decode()
    assert reverse("tracking:council-report-issued", args=[coming.pk, issue.pk, "docx"]) in page
    download = rdec.get(reverse("tracking:council-report-issued", args=[coming.pk, issue.pk, "pdf"]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        staff.get(reverse("tracking:council-report-issued", args=[coming.pk, issue.pk, "pdf"])).status_code
        == 403
    )


def test_a_link_from_another_module_prefills_the_new_item_with_its_agency_and_details(personas):
    query = {
        "source": "custom",
        "title": "新興議題：路燈不亮",
        "description": "本週 15 件，預期 2 件。",
        "owner": "construction",
    }
    form = client_for(personas.officer).get(reverse("tracking:item-create"), query).context["form"]
    assert form.initial["owner"] == agency("construction").pk
    assert (
        form.initial["description"] == "本週 15 件，預期 2 件。"
        and form.initial["title"] == "新興議題：路燈不亮"
    )
    unknown = client_for(personas.officer).get(reverse("tracking:item-create"), {"owner": "nowhere"})
    assert "owner" not in unknown.context["form"].initial


def test_the_item_page_puts_the_review_first_and_confirms_a_release(personas):
    tracked = item(personas.officer)
    client_for(personas.staff).post(
        reverse("tracking:item-report", args=[tracked.number]),
        {"reported_on": TODAY.isoformat(), "text": "已完工驗收。", "percent": 100, "propose_release": "on"},
    )
    body = (
        client_for(personas.officer)
        .get(reverse("tracking:item-detail", args=[tracked.number]))
        .content.decode()
    )
    main = body.index('data-testid="action-main"')
    review = body.index('data-testid="review-form"')
    assert main < body.index('id="review-h"') < review
    # 解除列管 cannot be undone: the review asks for confirmation, naming the item, only for that decision
    form_tag = body[review : body.index(">", review)]
    assert f'data-confirm="確定將列管案件 {tracked.number} 解除列管？"' in form_tag
    assert 'data-confirm-when="decision=release"' in form_tag and 'data-confirm-ok="解除列管"' in form_tag
    assert 'class="required"' in body  # ＊ on the required labels


def test_the_meeting_page_puts_the_resolution_first_and_folds_the_minutes(personas):
    meeting = mobile_meeting(personas.officer)
    body = (
        client_for(personas.officer)
        .get(reverse("tracking:meeting-detail", args=[meeting.pk]))
        .content.decode()
    )
    assert (
        body.index('data-testid="action-main"')
        < body.index('data-testid="resolution-form"')
        < body.index('data-testid="action-more"')
        < body.index('id="minutes-details"')
        < body.index('data-testid="minutes-form"')
    )
    assert body.index('class="table-wrap"') < body.index('data-testid="resolutions"')
    response = client_for(personas.officer).post(reverse("tracking:meeting-minutes", args=[meeting.pk]), {})
    assert response.status_code == 400 and 'id="minutes-details" open' in response.content.decode()
