"""場域驗證's pages: the public showcase (fields and results), an agency posting a need and a field
(its own agency only), a proposal to an open field-validation call (and none after it closes)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from rdec.programs import services_fields
from rdec.programs.models import Field, Need, Proposal, Validation
from rdec.programs.tests.factories import TAX_IDS
from rdec.programs.tests.field_factories import field, field_call, propose, validating

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def open_call(personas):
    now = timezone.now()
    return field_call(
        personas.officer,
        slug="field-open",
        opens=now - datetime.timedelta(days=1),
        closes=now + datetime.timedelta(days=30),
    )


def test_the_showcase_lists_published_fields_and_closed_results(personas):
    site = field(personas.staff, personas.staff.agency)
    field(personas.staff, personas.staff.agency, name="未公開場域", published=False)
    call = field_call(personas.officer)
    validation = validating(personas.officer, propose(call, personas.citizen, "FV-1"), site)
    services_fields.receive_report(validation, actor=personas.staff, received_on=datetime.date(2022, 12, 30))
    services_fields.record_result(
        validation, actor=personas.officer, recommendation="procure", reasons="準確率達標"
    )
    page = Client().get("/programs/fields/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "水湳經貿園區智慧路口" in html and "未公開場域" not in html
    assert site.agency.name in html
    assert "準確率達標" in html and 'data-testid="result-row"' in html
    assert 'data-testid="post-field"' not in html  # a visitor posts nothing


def test_an_agency_posts_a_need_then_a_field_answering_it(personas):
    client = client_for(personas.staff)
    agency = personas.staff.agency
    response = client.post(
        "/programs/needs/new/",
        {"agency": agency.pk, "title": "路口壅塞", "description": "尖峰時段壅塞", "survey_year": 2026},
    )
    assert response.status_code == 302
    need = Need.objects.get()
    response = client.post(
        "/programs/fields/new/",
        {
            "agency": agency.pk,
            "name": "文心路智慧路口",
            "address": "臺中市西屯區文心路",
            "latitude": "24.16",
            "longitude": "120.64",
            "available_from": "2026-07-01",
            "available_until": "2027-06-30",
            "need": need.pk,
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    site = Field.objects.get()
    assert (site.agency, site.need, site.published) == (agency, need, True)


def test_an_agency_cannot_post_for_another_agency_and_errors_sit_by_their_fields(personas):
    client = client_for(personas.staff)
    response = client.post(
        "/programs/fields/new/",
        {
            "agency": personas.other_staff.agency.pk,
            "name": "x",
            "address": "y",
            "latitude": "24",
            "longitude": "120",
            "available_from": "2026-07-01",
            "available_until": "2026-06-30",
        },
    )
    assert response.status_code == 400
    assert "agency" in response.context["form"].errors  # not one of the agency's own choices
    response = client.post(
        "/programs/fields/new/",
        {
            "agency": personas.staff.agency.pk,
            "name": "x",
            "address": "y",
            "latitude": "24",
            "longitude": "120",
            "available_from": "2026-07-01",
            "available_until": "2026-06-30",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["available_until"]
    assert not Field.objects.exists()


def test_a_citizen_may_not_open_the_agency_pages(personas):
    client = client_for(personas.citizen)
    assert client.get("/programs/fields/new/").status_code == 403
    assert client.get("/programs/needs/new/").status_code == 403


def test_a_firm_proposes_to_an_open_call(personas, open_call):
    client = client_for(personas.citizen)
    url = f"/programs/calls/{open_call.slug}/propose/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "theme": "智慧交通",
            "title": "AI 路口車流偵測",
            "solution": "邊緣運算攝影機",
            "technology": "AI 影像辨識",
            "kpis": "車流辨識準確率, 95, %\n壅塞降低, 10, %",
            "budget": "1200000",
            "funding": "subsidised",
            "privacy_security_plan": "去識別化",
            "organisation": "臺中智慧科技股份有限公司",
            "tax_id": TAX_IDS[0],
        },
    )
    assert response.status_code == 302, response.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.submission.reference == f"P{proposal.pk:05d}"
    assert proposal.kpis == [
        {"name": "車流辨識準確率", "target": "95", "unit": "%"},
        {"name": "壅塞降低", "target": "10", "unit": "%"},
    ]
    page = client.get(response["Location"])
    assert page.status_code == 200 and "臺中智慧科技股份有限公司" in page.content.decode()
    assert client_for(personas.other_staff).get(response["Location"]).status_code == 404


def test_a_bad_tax_id_leaves_no_draft_behind(personas, open_call):
    response = client_for(personas.citizen).post(
        f"/programs/calls/{open_call.slug}/propose/",
        {
            "theme": "智慧交通",
            "title": "t",
            "solution": "s",
            "technology": "t",
            "kpis": "k",
            "budget": "1",
            "funding": "self_funded",
            "privacy_security_plan": "p",
            "organisation": "o",
            "tax_id": "12345678",
        },
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["tax_id"]
    assert not Proposal.objects.exists()


def test_a_closed_call_takes_no_proposal(personas):
    call = field_call(personas.officer)  # closed in 2022
    client = client_for(personas.citizen)
    page = client.get(f"/programs/calls/{call.slug}/propose/")
    assert 'data-testid="call-closed"' in page.content.decode()
    assert client.post(f"/programs/calls/{call.slug}/propose/", {"title": "x"}).status_code == 403
    assert not Proposal.objects.exists()


# --- the RDEC's page of a call -------------------------------------------------------------------------


def test_the_rdec_decides_matches_starts_closes_a_validation_on_the_call_s_page(personas):
    site = field(personas.staff, personas.staff.agency)
    call = field_call(personas.officer)
    proposal = propose(call, personas.citizen, "FV-1")
    submission = proposal.submission
    url = f"/programs/calls/{call.slug}/manage/"
    client = client_for(personas.officer)
    assert client.get(url).status_code == 200
    assert client_for(personas.staff).get(url).status_code == 403
    assert f'href="{url}"' in client.get("/programs/fields/").content.decode()

    # a refusal without a reason: the error sits on the row's form
    response = client.post(
        url, {"action": "decide", "pk": submission.pk, f"decide-{submission.pk}-selected": "0"}
    )
    assert response.status_code == 400
    assert response.content.decode().count('id="form-errors"') == 1
    submission.refresh_from_db()
    assert submission.decision == "pending"

    def post(action, pk, **values):
        data = {"action": action, "pk": pk, **{f"{action}-{pk}-{k}": v for k, v in values.items()}}
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()

    post("decide", submission.pk, selected="1", reason="")
    post("match", proposal.pk, field=site.pk, agreed_on="2022-07-20")
    match = proposal.matches.get()
    # the field is not available from 2024: the service's error on the row's form
    response = client.post(
        url,
        {
            "action": "start",
            "pk": match.pk,
            f"start-{match.pk}-starts_on": "2024-01-01",
            f"start-{match.pk}-months": "5",
        },
    )
    assert response.status_code == 400 and "2023-06-30" in response.content.decode()
    post("start", match.pk, starts_on="2022-08-01", months="5")
    validation = Validation.objects.get()
    assert validation.ends_on == datetime.date(2022, 12, 31)
    post("report", validation.pk, received_on="2022-12-28")
    post("result", validation.pk, recommendation="scale", reasons="市區推廣", kpis_achieved="準確率 96%")
    validation.refresh_from_db()
    assert (validation.status, validation.result.recommendation) == ("closed", "scale")
    assert "市區推廣" in Client().get("/programs/fields/").content.decode()


def test_the_rdec_records_a_follow_on_tender_or_withdraws_a_validation_on_the_call_s_page(personas):
    from rdec.tenders.models import Tender

    site = field(personas.staff, personas.staff.agency)
    call = field_call(personas.officer)
    landed = validating(personas.officer, propose(call, personas.citizen, "FV-1"), site)
    services_fields.receive_report(landed, actor=personas.officer, received_on=datetime.date(2022, 12, 30))
    result = services_fields.record_result(
        landed, actor=personas.officer, recommendation="procure", reasons="達標"
    )
    running = validating(
        personas.officer, propose(call, personas.agri_staff, "FV-2", tax_id=TAX_IDS[1]), site
    )
    Tender.objects.create(
        number="1120301-S", name="路口車流偵測服務", agency=personas.staff.agency, type=Tender.Type.SERVICES
    )
    url = f"/programs/calls/{call.slug}/manage/"
    client = client_for(personas.officer)
    p = f"follow_on-{result.pk}"
    response = client.post(
        url,
        {
            "action": "follow_on",
            "pk": result.pk,
            f"{p}-kind": "tender",
            f"{p}-tender_number": "nope",
            f"{p}-recorded_on": "2023-03-01",
        },
    )
    assert response.status_code == 400
    assert response.context["rows"][0]["matches"][0]["follow_on_form"].errors["tender_number"]
    response = client.post(
        url,
        {
            "action": "follow_on",
            "pk": result.pk,
            f"{p}-kind": "tender",
            f"{p}-tender_number": "1120301-S",
            f"{p}-recorded_on": "2023-03-01",
        },
    )
    assert response.status_code == 302
    assert result.follow_ons.get().tender.number == "1120301-S"
    w = f"withdraw-{running.pk}"
    response = client.post(
        url, {"action": "withdraw", "pk": running.pk, f"{w}-reason": "廠商撤案", f"{w}-on": "2022-10-01"}
    )
    assert response.status_code == 302
    running.refresh_from_db()
    assert (running.status, running.closed_on) == ("withdrawn", datetime.date(2022, 10, 1))
    assert "1120301-S" in client.get(url).content.decode()


# --- the field's owner agency logs the validation --------------------------------------------------------


def test_the_field_s_agency_logs_milestones_measurements_incidents_and_the_report(personas):
    site = field(personas.staff, personas.staff.agency)
    call = field_call(personas.officer)
    validation = validating(personas.officer, propose(call, personas.citizen, "FV-1"), site)
    client = client_for(personas.staff)
    listing = client.get("/programs/validations/")
    assert listing.status_code == 200
    assert 'data-testid="overdue"' in listing.content.decode()  # ended 2022-12-31, no report
    url = f"/programs/validations/{validation.pk}/"
    assert client.get(url).status_code == 200
    assert client_for(personas.other_staff).get(url).status_code == 404  # another agency's field
    assert client_for(personas.citizen).get("/programs/validations/").status_code == 403

    def post(kind, **values):
        return client.post(url, {"action": kind, **{f"{kind}-{k}": v for k, v in values.items()}})

    assert post("milestone", title="設備安裝", due_on="2022-08-31").status_code == 302
    assert (
        post(
            "measurement", kpi="車流辨識準確率", value="96.5", unit="%", measured_on="2022-10-01"
        ).status_code
        == 302
    )
    response = post("incident", occurred_on="2022-09-02", severity="major", description="")
    assert response.status_code == 400 and "description" in response.context["forms"]["incident"].errors
    assert (
        post("incident", occurred_on="2022-09-02", severity="major", description="颱風斷電").status_code
        == 302
    )
    assert post("report", received_on="2023-01-03").status_code == 302
    validation.refresh_from_db()
    assert (validation.status, validation.report_received_on) == ("reported", datetime.date(2023, 1, 3))
    page = client.get(url).content.decode()
    assert "設備安裝" in page and "96.50" in page and "颱風斷電" in page
    assert 'data-testid="overdue"' not in client.get("/programs/validations/").content.decode()
