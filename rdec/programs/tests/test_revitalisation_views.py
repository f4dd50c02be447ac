"""地方創生's pages: a district office files its own 公所提案 (400 with field errors otherwise),
sees only its district's proposals; the RDEC files a 多元徵案 for a team, records the working
meeting with approval lines; the list's totals, the district roll-up and the scheme catalogue."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from rdec.programs import services_revitalisation as rv
from rdec.programs.models import RevitalisationProposal
from rdec.programs.tests.revitalisation_factories import (
    DONGSHI,
    HEPING,
    approve,
    file,
    office,
    office_user,
    revitalisation_call,
)

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def open_call(personas):
    now = timezone.now()
    return revitalisation_call(
        personas.officer,
        slug="revitalisation-open",
        opens=now - datetime.timedelta(days=1),
        closes=now + datetime.timedelta(days=30),
    )


def form_data(call, **kw):
    data = {
        "call": call.pk,
        "type": "district_office",
        "district": DONGSHI,
        "district_office": office(DONGSHI).pk,
        "title": "東勢山城客家慢遊創生",
        "vision": "以客庄產業帶回青年。",
        "proposers": "東勢區公所\n山城文化創生有限公司",
        "businesses": "客庄小旅行",
        "csr_partners": "中部電力公司",
        "usr_partners": "逢甲大學 USR 團隊",
        "organisation": "臺中市東勢區公所",
        "tax_id": "04595257",
        "requested-TOTAL_FORMS": "4",
        "requested-INITIAL_FORMS": "0",
        "requested-0-ministry": "國家發展委員會",
        "requested-0-amount": "12450000",
        "requested-0-kind": "subsidy",
        "requested-1-ministry": "交通部觀光署",
        "requested-1-amount": "7230000",
        "requested-1-kind": "investment",
    }
    data.update(kw)
    return data


def test_a_district_office_files_its_proposal_with_two_ministries_lines(open_call):
    clerk = office_user(DONGSHI)
    response = client_for(clerk).post("/programs/revitalisation/new/", form_data(open_call))
    assert response.status_code == 302, response.content.decode()
    proposal = RevitalisationProposal.objects.get()
    assert (proposal.district.code, proposal.district_office, proposal.created_by) == (
        DONGSHI,
        office(DONGSHI),
        clerk,
    )
    assert sorted(proposal.requested_resources.values_list("ministry", flat=True)) == [
        "交通部觀光署",
        "國家發展委員會",
    ]
    assert [(p.kind, p.name) for p in proposal.partners.all()] == [
        ("csr", "中部電力公司"),
        ("usr", "逢甲大學 USR 團隊"),
    ]


def test_a_district_office_proposal_without_an_office_is_a_400_with_the_field_error(personas, open_call):
    response = client_for(personas.officer).post(
        "/programs/revitalisation/new/", form_data(open_call, district_office="")
    )
    assert response.status_code == 400
    assert "district_office" in response.context["form"].errors
    assert not RevitalisationProposal.objects.exists()


def test_the_rdec_files_an_open_call_proposal_for_a_team_without_an_office(personas, open_call):
    response = client_for(personas.officer).post(
        "/programs/revitalisation/new/",
        form_data(
            open_call, type="open_call", district=HEPING, district_office="", organisation="和平青年共好協會"
        ),
    )
    assert response.status_code == 302, response.content.decode()
    proposal = RevitalisationProposal.objects.get()
    assert (proposal.type, proposal.district.code, proposal.district_office) == ("open_call", HEPING, None)


def test_a_district_office_cannot_file_for_another_district(open_call):
    clerk = office_user(DONGSHI)
    response = client_for(clerk).post(
        "/programs/revitalisation/new/",
        form_data(open_call, district=HEPING, district_office=office(HEPING).pk),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "district" in errors and "district_office" in errors  # neither is one of its choices
    assert not RevitalisationProposal.objects.exists()


def test_bad_lines_and_a_bad_tax_id_are_a_400_in_chinese(personas, open_call):
    response = client_for(personas.officer).post(
        "/programs/revitalisation/new/",
        form_data(open_call, **{"tax_id": "12345678", "requested-1-kind": "", "requested-0-ministry": ""}),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "tax_id" in form.errors
    assert any("第" in e or "行" in e or "Line" in e for e in form.non_field_errors())


def test_other_agencies_have_no_revitalisation_pages_but_the_catalogue(personas):
    staff = client_for(personas.staff)
    assert staff.get("/programs/revitalisation/").status_code == 403
    assert staff.get("/programs/revitalisation/districts/").status_code == 403
    assert staff.get("/programs/revitalisation/schemes/").status_code == 200
    assert Client().get("/programs/revitalisation/").status_code == 302  # to sign in


def test_a_district_office_sees_only_its_districts_proposals(personas):
    call = revitalisation_call(personas.officer)
    ours = file(call, personas.officer, code=DONGSHI)
    theirs = file(call, personas.officer, code=HEPING, organisation="臺中市和平區公所", title="和平部落創生")
    clerk = client_for(office_user(DONGSHI))
    page = clerk.get("/programs/revitalisation/")
    assert [p.pk for p in page.context["proposals"]] == [ours.pk]
    assert clerk.get(f"/programs/revitalisation/{ours.pk}/").status_code == 200
    assert clerk.get(f"/programs/revitalisation/{theirs.pk}/").status_code == 404


def test_the_rdec_records_the_meeting_with_subsidy_and_investment_lines(personas):
    call = revitalisation_call(personas.officer)
    proposal = file(call, personas.officer)
    rv.screen_proposal(proposal, actor=personas.officer, eligible=True)
    rv.decide_for_meeting(proposal, actor=personas.officer, forward=True)
    client = client_for(personas.officer)
    data = {
        "action": "meeting",
        "meeting-meeting_date": "2023-08-10",
        "meeting-decision": "approved",
        "approvals-TOTAL_FORMS": "4",
        "approvals-INITIAL_FORMS": "0",
        "approvals-0-ministry": "國家發展委員會",
        "approvals-0-amount": "12450000",
        "approvals-0-kind": "subsidy",
        "approvals-1-ministry": "國家發展委員會",
        "approvals-1-amount": "7230000",
        "approvals-1-kind": "investment",
    }
    response = client.post(f"/programs/revitalisation/{proposal.pk}/", data)
    assert response.status_code == 302, response.content.decode()
    page = client.get(f"/programs/revitalisation/{proposal.pk}/")
    html = page.content.decode()
    assert 'data-testid="approved-total" data-value="19680000"' in html
    assert 'data-testid="approved-subsidy-total" data-value="12450000"' in html
    assert 'data-testid="approved-investment-total" data-value="7230000"' in html
    listing = client.get("/programs/revitalisation/").content.decode()
    assert 'data-testid="total-subsidy" data-value="12450000"' in listing
    assert 'data-testid="total-investment" data-value="7230000"' in listing


def test_not_approved_without_a_reason_is_a_400_on_the_reason(personas):
    call = revitalisation_call(personas.officer)
    proposal = file(call, personas.officer)
    rv.screen_proposal(proposal, actor=personas.officer, eligible=True)
    rv.decide_for_meeting(proposal, actor=personas.officer, forward=True)
    response = client_for(personas.officer).post(
        f"/programs/revitalisation/{proposal.pk}/",
        {
            "action": "meeting",
            "meeting-meeting_date": "2023-08-10",
            "meeting-decision": "not_approved",
            "approvals-TOTAL_FORMS": "0",
            "approvals-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "reason" in response.context["forms"]["meeting"].errors


def test_a_district_office_cannot_record_the_meeting_but_logs_milestones(personas):
    call = revitalisation_call(personas.officer)
    proposal = approve(file(call, personas.officer), personas.officer)
    clerk = client_for(office_user(DONGSHI))
    response = clerk.post(
        f"/programs/revitalisation/{proposal.pk}/",
        {"action": "closeout", "closeout-closed_on": "2025-12-31", "closeout-summary": "完成"},
    )
    assert response.status_code == 403
    response = clerk.post(
        f"/programs/revitalisation/{proposal.pk}/",
        {"action": "milestone", "milestone-title": "工作站開幕", "milestone-due_on": "2024-03-01"},
    )
    assert response.status_code == 302
    assert proposal.milestones.get().title == "工作站開幕"


def test_the_list_filters_by_district_type_and_status(personas):
    call = revitalisation_call(personas.officer)
    file(call, personas.officer, code=DONGSHI)
    team = file(call, personas.officer, type="open_call", code=HEPING, title="和平部落創生")
    client = client_for(personas.officer)
    page = client.get(
        "/programs/revitalisation/", {"district": HEPING, "type": "open_call", "status": "submitted"}
    )
    assert [p.pk for p in page.context["proposals"]] == [team.pk]
    page = client.get("/programs/revitalisation/", {"status": "approved"})
    assert page.context["proposals"] == []
    assert client.get("/programs/revitalisation/", {"type": "bogus"}).status_code == 400


def test_the_district_rollup_page_shows_each_towncode(personas):
    call = revitalisation_call(personas.officer)
    approve(file(call, personas.officer, code=DONGSHI), personas.officer)
    approve(
        file(call, personas.officer, type="open_call", code=HEPING, title="和平部落創生"),
        personas.officer,
        lines=[{"ministry": "交通部觀光署", "amount": 3000000, "kind": "subsidy"}],
    )
    html = client_for(personas.officer).get("/programs/revitalisation/districts/").content.decode()
    assert f'data-towncode="{DONGSHI}"' in html and f'data-towncode="{HEPING}"' in html
    assert 'data-testid="total-subsidy" data-value="15450000"' in html
    assert 'data-testid="total-investment" data-value="7230000"' in html


def test_the_catalogue_page_marks_unconfirmed_schemes(personas):
    rv.load_schemes()
    html = client_for(personas.officer).get("/programs/revitalisation/schemes/").content.decode()
    assert "交通部觀光署" in html and 'data-testid="unconfirmed"' in html
