"""The agencies' side of the disclosure register and the MOU register (issue 17, "each agency keeps
its items"): the pages call the services, refused steps are shown on the page with status 400, and
only the agency's staff and the RDEC get in."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from weasyprint import HTML

from rdec.transparency.models import DisclosureItem, Mou, MouApproval, MouParty
from rdec.transparency.services import mous

pytestmark = pytest.mark.django_db
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI), tick=False)
    return datetime.date(2026, 3, 2)


def item_data(agency_id, **extra) -> dict:
    return {
        "agency": agency_id,
        "category": "5",
        "title": "臺中市交通統計年報",
        "summary": "每年公布之交通統計。",
        "methods": ["online"],
        "url": "https://www.taichung.gov.tw/stat",
        "responsible_unit": "綜合規劃科",
        "update_months": "",
        "published_on": "2025-01-10",
        "updated_on": "2025-01-10",
        "restriction": "none",
        "restriction_item": "",
        "restriction_reason": "",
        **extra,
    }


def make_item(agency, **extra) -> DisclosureItem:
    values = {
        "agency": agency,
        "category": 5,
        "title": "交通統計",
        "methods": ["online"],
        "published_on": datetime.date(2025, 1, 10),
        "updated_on": datetime.date(2025, 1, 10),
        **extra,
    }
    return DisclosureItem.objects.create(**values)


def mou_data(agency_id, **extra) -> dict:
    return {
        "lead_agency": agency_id,
        "doc_type": "mou",
        "title": "臺中市與廈門市城市交流合作備忘錄",
        "summary": "觀光與文化交流。",
        "signatories": "",
        "cooperation_items": "觀光推廣",
        "term_start": "",
        "term_end": "",
        "party-1-name": "廈門市人民政府",
        "party-1-kind": "mainland",
        "party-1-region": "福建省",
        **extra,
    }


def make_mou(staff, *, kind=MouParty.Kind.MAINLAND) -> Mou:
    return mous.create_mou(
        actor=staff,
        lead_agency=staff.agency,
        title="城市交流合作備忘錄",
        parties=[{"name": "廈門市人民政府", "kind": kind, "region": "福建省"}],
    )


def full_text_pdf() -> bytes:
    html = """<html><body style="font-family: 'Noto Sans CJK TC'"><h1>城市交流合作備忘錄</h1>
    <p>雙方同意就觀光推廣進行合作。</p></body></html>"""
    return HTML(string=html).write_pdf()


def act(client, mou, action, **data):
    return client.post(reverse("transparency:manage-mou", args=[mou.pk]), {"action": action, **data})


# --- disclosure items ----------------------------------------------------------------------------------


def test_staff_add_an_item_for_their_agency(client, personas):
    client.force_login(personas.staff)
    assert client.get(reverse("transparency:manage-disclosure-new")).status_code == 200
    response = client.post(reverse("transparency:manage-disclosure-new"), item_data(personas.staff.agency_id))
    assert response.status_code == 302
    item = DisclosureItem.objects.get()
    assert item.agency_id == personas.staff.agency_id and item.methods == ["online"]
    assert item.category == 5


def test_a_category_1_item_without_the_gazette_is_refused_on_methods(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        reverse("transparency:manage-disclosure-new"),
        item_data(personas.staff.agency_id, category="1", methods=["online"]),
    )
    assert response.status_code == 400
    assert response.context["form"].has_error("methods", code="gazette_required")
    assert not DisclosureItem.objects.exists()


def test_a_withheld_item_needs_its_art_18_ground_and_reason(client, personas):
    client.force_login(personas.staff)
    response = client.post(
        reverse("transparency:manage-disclosure-new"),
        item_data(personas.staff.agency_id, restriction="withheld"),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.has_error("restriction_item", code="restriction_item_required")
    assert form.has_error("restriction_reason", code="restriction_reason_required")


def test_staff_cannot_add_an_item_for_another_agency(client, personas):
    client.force_login(personas.other_staff)
    response = client.post(reverse("transparency:manage-disclosure-new"), item_data(personas.staff.agency_id))
    assert response.status_code == 400 and "agency" in response.context["form"].errors
    assert not DisclosureItem.objects.exists()


def test_the_list_shows_the_agencys_items_flags_stale_ones_and_filters_by_category(client, personas, today):
    agency = personas.staff.agency
    stale = make_item(agency, title="逾期未更新", updated_on=datetime.date(2024, 1, 5))
    fresh = make_item(agency, title="近期更新", category=6, updated_on=datetime.date(2026, 1, 5))
    make_item(personas.other_staff.agency, title="他機關項目")
    client.force_login(personas.staff)
    page = client.get(reverse("transparency:manage-disclosures"))
    assert page.status_code == 200
    rows = {i.pk: i.stale for i in page.context["page"]}
    assert rows == {stale.pk: True, fresh.pk: False}
    assert page.context["stale_count"] == 1
    filtered = client.get(reverse("transparency:manage-disclosures"), {"category": "6"})
    assert [i.pk for i in filtered.context["page"]] == [fresh.pk]
    assert client.get(reverse("transparency:manage-disclosures"), {"category": "11"}).status_code == 400
    client.force_login(personas.officer)
    page = client.get(reverse("transparency:manage-disclosures"))
    assert len(page.context["page"].object_list) == 3  # the RDEC sees every agency's


def test_staff_edit_and_delete_their_item(client, personas):
    item = make_item(personas.staff.agency)
    client.force_login(personas.staff)
    url = reverse("transparency:manage-disclosure-edit", args=[item.pk])
    form = client.get(url)
    assert form.status_code == 200 and form.context["form"].initial["title"] == "交通統計"
    response = client.post(url, item_data(personas.staff.agency_id, title="交通統計（更新）"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "交通統計（更新）"
    refused = client.post(url, item_data(personas.staff.agency_id, category="1"))
    assert refused.status_code == 400 and refused.context["form"].has_error(
        "methods", code="gazette_required"
    )
    delete = reverse("transparency:manage-disclosure-delete", args=[item.pk])
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not DisclosureItem.objects.exists()


def test_another_agency_and_citizens_get_403_on_an_item(client, personas):
    item = make_item(personas.staff.agency)
    edit = reverse("transparency:manage-disclosure-edit", args=[item.pk])
    delete = reverse("transparency:manage-disclosure-delete", args=[item.pk])
    client.force_login(personas.other_staff)
    assert client.get(edit).status_code == 403
    assert client.post(delete).status_code == 403
    client.force_login(personas.citizen)
    assert client.get(reverse("transparency:manage-disclosures")).status_code == 403
    assert client.get(reverse("transparency:manage-disclosure-new")).status_code == 403
    assert client.get(edit).status_code == 403
    client.force_login(personas.officer)
    assert client.get(edit).status_code == 200
    assert DisclosureItem.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("transparency:manage-disclosures"))
    assert response.status_code == 302 and "login" in response["Location"]


# --- MOUs ----------------------------------------------------------------------------------------------


def test_staff_register_an_mou_with_its_parties(client, personas, today):
    client.force_login(personas.staff)
    assert client.get(reverse("transparency:manage-mou-new")).status_code == 200
    response = client.post(
        reverse("transparency:manage-mou-new"),
        mou_data(
            personas.staff.agency_id,
            co_agencies=[personas.other_staff.agency_id],
            **{"party-2-name": "廈門大學", "party-2-kind": "university"},
        ),
    )
    assert response.status_code == 302
    mou = Mou.objects.get()
    assert list(mou.co_agencies.values_list("pk", flat=True)) == [personas.other_staff.agency_id]
    assert response["Location"] == reverse("transparency:manage-mou", args=[mou.pk])
    assert mou.status == Mou.Status.DRAFT and mou.number == "MOU-115-0001"
    assert sorted(mou.parties.values_list("kind", flat=True)) == ["mainland", "university"]


def test_an_mou_needs_at_least_one_party_and_a_kind_for_each(client, personas, today):
    client.force_login(personas.staff)
    data = mou_data(
        personas.staff.agency_id, **{"party-1-name": "", "party-1-kind": "", "party-1-region": ""}
    )
    response = client.post(reverse("transparency:manage-mou-new"), data)
    assert response.status_code == 400 and response.context["party_error"]
    data = mou_data(personas.staff.agency_id, **{"party-1-kind": ""})
    response = client.post(reverse("transparency:manage-mou-new"), data)
    assert response.status_code == 400
    assert "kind" in response.context["parties"][0].errors
    assert not Mou.objects.exists()


def test_staff_cannot_register_an_mou_for_another_agency(client, personas, today):
    client.force_login(personas.other_staff)
    response = client.post(reverse("transparency:manage-mou-new"), mou_data(personas.staff.agency_id))
    assert response.status_code == 400 and "lead_agency" in response.context["form"].errors


def test_the_list_flags_mous_overdue_and_ending_soon_in_every_status(client, personas, today):
    agency = personas.staff.agency
    Mou.objects.create(number="MOU-115-0001", title="草案", lead_agency=agency)
    Mou.objects.create(
        number="MOU-114-0002",
        title="逾期未公開",
        lead_agency=agency,
        status=Mou.Status.SIGNED,
        signed_on=datetime.date(2026, 1, 2),
        publication_due=datetime.date(2026, 2, 1),
    )
    Mou.objects.create(
        number="MOU-114-0003",
        title="即將到期",
        lead_agency=agency,
        status=Mou.Status.ACTIVE,
        signed_on=datetime.date(2024, 1, 2),
        term_end=datetime.date(2026, 3, 20),
        published_at=datetime.datetime(2024, 1, 10, tzinfo=TAIPEI),
    )
    Mou.objects.create(number="MOU-115-0004", title="他機關", lead_agency=personas.other_staff.agency)
    client.force_login(personas.staff)
    page = client.get(reverse("transparency:manage-mous"))
    assert page.status_code == 200
    rows = {m.number: (m.overdue, m.ending) for m in page.context["page"]}
    assert rows == {
        "MOU-115-0001": (False, False),
        "MOU-114-0002": (True, False),
        "MOU-114-0003": (False, True),
    }
    client.force_login(personas.officer)
    assert len(client.get(reverse("transparency:manage-mous")).context["page"].object_list) == 4


def test_signing_a_mainland_mou_without_the_mac_approval_is_refused_on_the_page(client, personas, today):
    mou = make_mou(personas.staff)
    client.force_login(personas.staff)
    assert act(client, mou, "submit").status_code == 302
    mou.refresh_from_db()
    assert mou.status == Mou.Status.UNDER_APPROVAL
    response = act(client, mou, "sign", **{"sign-signed_on": "2026-03-01"})
    assert response.status_code == 400
    assert response.context["forms"]["sign"].has_error("__all__", code="approval_missing_mac")
    assert 'data-testid="sign-form"' in response.content.decode()
    mou.refresh_from_db()
    assert mou.status == Mou.Status.UNDER_APPROVAL


def test_the_whole_flow_through_the_page(client, personas, today):
    mou = make_mou(personas.staff)
    client.force_login(personas.staff)
    act(client, mou, "submit")
    response = act(
        client,
        mou,
        "approval",
        **{
            "approval-body": "mac",
            "approval-status": "approved",
            "approval-decided_on": "2026-02-20",
            "approval-reference": "陸法字第1150000001號",
        },
    )
    assert response.status_code == 302
    assert mou.approvals.get().status == MouApproval.Status.APPROVED
    assert act(client, mou, "sign", **{"sign-signed_on": "2026-03-01"}).status_code == 302
    mou.refresh_from_db()
    assert mou.status == Mou.Status.SIGNED and mou.publication_due == datetime.date(2026, 3, 31)
    refused = act(client, mou, "publish")  # no full text yet
    assert refused.status_code == 400 and refused.context["action_errors"]
    upload = SimpleUploadedFile("mou.pdf", full_text_pdf(), content_type="application/pdf")
    assert act(client, mou, "full_text", **{"text-full_text": upload}).status_code == 302
    assert act(client, mou, "publish").status_code == 302
    mou.refresh_from_db()
    assert mou.published_at is not None
    assert act(client, mou, "status", **{"status-status": "active"}).status_code == 302
    mou.refresh_from_db()
    assert mou.status == Mou.Status.ACTIVE
    response = act(
        client, mou, "report", **{"report-year": "115", "report-results": "辦理觀光推廣活動 2 場。"}
    )
    assert response.status_code == 302
    assert mou.reports.get().year == 2026
    duplicate = act(client, mou, "report", **{"report-year": "2026", "report-results": "再一次"})
    assert duplicate.status_code == 400
    assert duplicate.context["forms"]["report"].has_error("year", code="duplicate")
    client.logout()
    assert client.get(reverse("transparency:mou-detail", args=[mou.number])).status_code == 200


def test_a_step_the_flow_does_not_allow_is_refused(client, personas, today):
    mou = make_mou(personas.staff, kind=MouParty.Kind.COMPANY)
    client.force_login(personas.staff)
    response = act(client, mou, "status", **{"status-status": "expired"})
    assert response.status_code == 400 and "status" in response.context["forms"]["status"].errors
    mou.refresh_from_db()
    assert mou.status == Mou.Status.DRAFT


def test_a_full_text_that_is_not_a_pdf_is_refused(client, personas, today):
    mou = make_mou(personas.staff)
    client.force_login(personas.staff)
    upload = SimpleUploadedFile("mou.pdf", b"not a pdf at all", content_type="application/pdf")
    response = act(client, mou, "full_text", **{"text-full_text": upload})
    assert response.status_code == 400 and "full_text" in response.context["forms"]["full_text"].errors
    mou.refresh_from_db()
    assert not mou.full_text


def test_another_agency_and_citizens_get_403_on_an_mou_and_the_rdec_gets_in(client, personas, today):
    mou = make_mou(personas.staff)
    url = reverse("transparency:manage-mou", args=[mou.pk])
    client.force_login(personas.other_staff)
    assert client.get(url).status_code == 403
    assert act(client, mou, "submit").status_code == 403
    client.force_login(personas.citizen)
    assert client.get(reverse("transparency:manage-mous")).status_code == 403
    assert client.get(reverse("transparency:manage-mou-new")).status_code == 403
    assert client.get(url).status_code == 403
    mou.refresh_from_db()
    assert mou.status == Mou.Status.DRAFT
    client.force_login(personas.officer)
    assert client.get(url).status_code == 200
    assert act(client, mou, "submit").status_code == 302


def test_staff_edit_an_mous_fields_and_co_agencies_and_a_new_title_resets_its_approvals(
    client, personas, today
):
    from rdec.transparency.services import mous as mou_services

    staff = personas.staff
    mou = mou_services.create_mou(
        actor=staff,
        lead_agency=staff.agency,
        title="智慧路燈場域驗證合作備忘錄",
        parties=[{"name": "廈門市人民政府", "kind": "mainland", "region": "大陸地區"}],
    )
    mou_services.submit_mou_for_approval(mou, actor=staff)
    mou_services.record_mou_approval(mou, actor=staff, body="mac", status="approved", decided_on=today)
    client.force_login(personas.other_staff)
    assert client.get(reverse("transparency:manage-mou-edit", args=[mou.pk])).status_code == 403
    client.force_login(staff)
    page = client.get(reverse("transparency:manage-mou-edit", args=[mou.pk]))
    assert page.status_code == 200 and page.context["form"].initial["title"] == mou.title
    data = {
        "lead_agency": staff.agency_id,
        "co_agencies": [personas.agri_staff.agency_id],
        "doc_type": "mou",
        "title": "智慧路燈場域驗證合作備忘錄",
        "summary": "於北屯區試辦",
        "term_start": "",
        "term_end": "",
    }
    bad = client.post(reverse("transparency:manage-mou-edit", args=[mou.pk]), {**data, "title": ""})
    assert bad.status_code == 400 and "title" in bad.context["form"].errors
    response = client.post(reverse("transparency:manage-mou-edit", args=[mou.pk]), data)
    assert response.status_code == 302
    mou.refresh_from_db()
    assert mou.summary == "於北屯區試辦"
    assert list(mou.co_agencies.values_list("pk", flat=True)) == [personas.agri_staff.agency_id]
    assert mou.approvals.get().status == "approved"  # the title did not change
    client.post(
        reverse("transparency:manage-mou-edit", args=[mou.pk]), {**data, "title": "茶葉外銷數量價格協議"}
    )
    assert mou.approvals.get().status == "pending"
