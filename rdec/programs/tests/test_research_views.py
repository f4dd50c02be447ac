"""跨域委託研究's pages: a topic form showing the archive's duplicates before saving and refusing an
opinion poll (400 with the field's error), the library (restricted reports by title and reason
only), the GRB form's errors, the adoption form (the responsible agency only; 400 without a reason),
and the yearly report."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from rdec.programs import services_research as svc
from rdec.programs.models import Adoption, TopicProposal
from rdec.programs.tests.factories import TAIPEI
from rdec.programs.tests.test_research import project, recommendation, report

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


TOPIC = {
    "proposer_kind": "university",
    "proposer": "國立中興大學",
    "title": "臺中市青年就業政策研究",
    "kind": "research",
    "background": "青年失業率偏高",
    "aims": "研擬青年就業與創業政策",
    "keywords": "青年就業",
}


def test_a_topic_form_shows_the_duplicates_before_saving_then_saves_when_confirmed(personas, time_machine):
    time_machine.move_to(datetime.datetime(2022, 6, 15, 10, 0, tzinfo=TAIPEI), tick=False)
    old = report(personas, year=2019)
    client = client_for(personas.citizen)
    page = client.post("/programs/research/topics/new/", TOPIC)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="duplicate-warnings"' in html and old.title in html and "2019" in html
    assert not TopicProposal.objects.exists()
    saved = client.post("/programs/research/topics/new/", {**TOPIC, "confirm": "on"})
    assert saved.status_code == 302
    assert TopicProposal.objects.get().duplicates[0]["year"] == 2019


def test_an_opinion_poll_topic_is_a_400_with_the_kind_error(personas):
    page = client_for(personas.citizen).post(
        "/programs/research/topics/new/", {**TOPIC, "kind": "opinion_poll"}
    )
    assert page.status_code == 400
    assert "民意調查" in page.content.decode() or "Opinion polls" in page.content.decode()
    assert not TopicProposal.objects.exists()


def test_the_library_searches_public_reports_and_hides_restricted_content(personas):
    report(personas, title="公車路網研究", full_text="公車轉乘優惠之效益", year=2021)
    secret = report(
        personas,
        title="捷運場站土地開發研究",
        full_text="某廠商之財務模型",
        access="restricted",
        restriction_item=7,
        restriction_reason="涉及廠商營業秘密",
    )
    found = Client().get("/programs/research/reports/", {"q": "轉乘"}).content.decode()
    assert "公車路網研究" in found and "捷運場站" not in found
    page = Client().get(f"/programs/research/reports/{secret.pk}/").content.decode()
    assert "涉及廠商營業秘密" in page and "財務模型" not in page and 'data-testid="restricted"' in page


def test_the_project_page_shows_the_grb_deadline_overdue(personas, time_machine):
    time_machine.move_to(datetime.datetime(2022, 5, 6, 10, 0, tzinfo=TAIPEI), tick=False)
    p = project(personas)
    page = client_for(personas.staff).get(f"/programs/research/projects/{p.pk}/")
    assert page.status_code == 200
    assert 'data-testid="grb-overdue"' in page.content.decode()
    bad = client_for(personas.staff).post(
        f"/programs/research/projects/{p.pk}/",
        {"action": "grb", "grb-grb_id": "PG1", "grb-registered_on": "2022-05-01"},
    )
    assert bad.status_code == 400
    assert client_for(personas.other_staff).get(f"/programs/research/projects/{p.pk}/").status_code == 404


def test_the_adoption_form_answers_for_the_responsible_agency_only(personas):
    rec = recommendation(personas)
    url = f"/programs/research/recommendations/{rec.pk}/answer/"
    assert client_for(personas.other_staff).get(url).status_code == 404
    client = client_for(personas.staff)
    bad = client.post(url, {"decision": "not_adopted"})
    assert bad.status_code == 400 and not Adoption.objects.exists()
    assert client.post(url, {"decision": "not_adopted", "reason": "已有類似服務"}).status_code == 302
    assert Adoption.objects.get().reason == "已有類似服務"


def test_the_yearly_report_gives_the_adoption_rate(personas):
    rec = recommendation(personas)
    svc.record_adoption(
        rec, actor=personas.staff, decision="partial", action="試辦", due_on=datetime.date(2099, 1, 1)
    )
    page = Client().get("/programs/research/adoption/", {"year": 2022}).content.decode()
    assert "100.0 %" in page


PROJECT = {
    "title": "臺中市青年就業政策研究",
    "contractor": "國立中興大學",
    "pi_role": "公共行政學系教授",
    "budget": "800000",
    "signed_on": "2022-05-02",
    "starts_on": "2022-05-02",
    "ends_on": "2022-12-31",
}


def test_a_project_is_created_by_its_lead_agency_and_an_unknown_tender_is_a_400(personas):
    client = client_for(personas.staff)
    data = {**PROJECT, "lead_agency": personas.staff.agency.pk}
    bad = client.post("/programs/research/projects/new/", {**data, "tender_number": "NO-SUCH-1"})
    assert bad.status_code == 400 and 'id="id_tender_number"' in bad.content.decode()
    assert client.post("/programs/research/projects/new/", data).status_code == 302
    assert client_for(personas.citizen).get("/programs/research/projects/new/").status_code == 403


def test_a_restricted_report_without_its_reason_is_a_400_then_recommendations_are_added(personas):
    client = client_for(personas.officer)
    data = {
        "agency": personas.staff.agency.pk,
        "title": "捷運場站土地開發研究",
        "year": 2022,
        "access": "restricted",
    }
    bad = client.post("/programs/research/reports/new/", data)
    assert bad.status_code == 400
    ok = client.post(
        "/programs/research/reports/new/", {**data, "restriction_item": 7, "restriction_reason": "營業秘密"}
    )
    assert ok.status_code == 302
    url = ok["Location"]
    added = client.post(
        url, {"text": "檢討場站周邊容積", "kind": "mid_long", "agency": personas.staff.agency.pk}
    )
    assert added.status_code == 302
    assert "檢討場站周邊容積" in client_for(personas.staff).get(url).content.decode()
    assert (
        Client().post(url, {"text": "x", "kind": "mid_long", "agency": personas.staff.agency.pk}).status_code
        == 404
    )
