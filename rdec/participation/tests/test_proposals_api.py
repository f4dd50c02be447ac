"""The proposals API: public list and page (no personal data), and a citizen's support (201, 409,
400, 403)."""

from __future__ import annotations

import datetime
import json
import zoneinfo

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rdec.core.models import Role
from rdec.core.tests.factories import UserFactory, agency
from rdec.participation.models import Proposal, ProposalRule
from rdec.participation.services import proposals as services

pytestmark = pytest.mark.django_db

TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
URL = "/api/v1/participation/proposals/"
FIELDS = {
    "id",
    "number",
    "title",
    "content",
    "benefits",
    "display_name",
    "status",
    "endorsement_count",
    "under_review_count",
    "threshold",
    "endorse_from",
    "endorse_until",
    "agency",
    "co_agencies",
    "response_due",
    "responded_at",
    "response",
}


def citizen(username: str, **kw):
    now = timezone.now()
    return UserFactory(
        username=username,
        role=Role.CITIZEN,
        email=f"{username}@example.tw",
        phone=kw.pop("phone", "0922333444"),
        phone_verified_at=now,
        email_verified_at=now,
        date_joined=now - datetime.timedelta(days=30),
        **kw,
    )


@pytest.fixture
def world(personas, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=TAIPEI), tick=False)
    ProposalRule.objects.create(
        effective_from=datetime.date(2026, 1, 1), source="test", threshold=2, endorse_days=30
    )
    personas.proposer = citizen("proposer-account", display_name="提案小幫手", phone="0911222333")
    personas.supporters = [citizen(f"s{i}") for i in range(4)]

    def make(title, *, accept=True):
        p = services.submit_proposal(
            actor=personas.proposer, title=title, content=f"{title}的內容", benefits="好處"
        )
        if accept is not None:
            services.check_proposal(
                p,
                actor=personas.officer,
                accept=accept,
                ground="" if accept else "advertising",
                reason="廣告",
            )
        p.refresh_from_db()
        return p

    personas.checking = make("尚在檢核的提案", accept=None)
    personas.rejected = make("不予通過的提案", accept=False)
    personas.open = make("增設公園遮蔭")
    personas.done = make("延長公車營運時間")
    for s in personas.supporters[:2]:
        services.endorse_proposal(personas.done, actor=s)
    services.assign_proposal(
        personas.done,
        actor=personas.officer,
        lead_agency=agency("construction"),
        co_agencies=[agency("environment")],
    )
    services.respond_to_proposal(
        personas.done, actor=personas.staff, summary="將研議延長。", points=[("延長營運", "試辦三個月。")]
    )
    return personas


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_list_shows_only_proposals_accepted_after_checking_with_their_status(world):
    body = api().get(URL).json()
    rows = {r["number"]: r for r in body["results"]}
    assert set(rows) == {world.open.number, world.done.number}
    assert rows[world.open.number]["status"] == "endorsing"
    assert rows[world.done.number]["status"] == "responded"
    assert set(rows[world.open.number]) == FIELDS
    assert api().get(URL, {"status": "responded"}).json()["count"] == 1
    assert [r["number"] for r in api().get(URL, {"q": "公園"}).json()["results"]] == [world.open.number]
    assert api().get(URL, {"status": "checking"}).status_code == 400


def test_a_proposal_page_has_the_agency_the_due_date_and_the_response(world):
    body = api().get(f"{URL}{world.done.pk}/").json()
    assert set(body) == FIELDS
    assert body["agency"] == agency("construction").name
    assert body["co_agencies"] == [agency("environment").name]
    assert body["response_due"] == "2026-05-04"
    assert body["endorsement_count"] == 2 and body["threshold"] == 2
    assert body["response"] == {
        "summary": "將研議延長。",
        "points": [{"point": "延長營運", "response": "試辦三個月。"}],
    }
    assert api().get(f"{URL}{world.checking.pk}/").status_code == 404
    assert api().get(f"{URL}{world.rejected.pk}/").status_code == 404


def test_no_proposers_account_phone_or_e_mail_reaches_the_api(world):
    text = api().get(URL).content.decode() + api().get(f"{URL}{world.done.pk}/").content.decode()
    for secret in ("proposer-account", "0911222333", "@example.tw", "0922333444"):
        assert secret not in text
    assert "提案小幫手" in json.loads(api().get(f"{URL}{world.open.pk}/").content)["display_name"]


def test_a_citizen_supports_once_and_a_second_support_is_a_409_in_zh_hant(world):
    url = f"{URL}{world.open.pk}/endorsements/"
    first = api(world.supporters[0]).post(url)
    assert first.status_code == 201
    assert first.json() == {
        "proposal": world.open.pk,
        "endorsement_count": 1,
        "status": "endorsing",
        "under_review": False,
    }
    second = api(world.supporters[0]).post(url)
    assert second.status_code == 409
    assert "已附議" in second.json()["detail"]
    established = api(world.supporters[1]).post(url).json()
    assert (established["endorsement_count"], established["status"]) == (2, "established")
    assert api().get(f"{URL}{world.open.pk}/").json()["endorsement_count"] == 2


def test_a_support_through_a_session_needs_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.supporters[0])
    assert client.post(f"{URL}{world.open.pk}/endorsements/").status_code == 403
    assert Proposal.objects.get(pk=world.open.pk).endorsement_count == 0


def test_supporting_a_proposal_not_open_is_a_400_and_unverified_accounts_get_a_403(world):
    closed = api(world.supporters[2]).post(f"{URL}{world.done.pk}/endorsements/")
    assert closed.status_code == 400
    assert "附議期間" in json.dumps(closed.json(), ensure_ascii=False)
    refused = api(world.citizen).post(f"{URL}{world.open.pk}/endorsements/")
    assert refused.status_code == 403
    assert "驗證" in refused.json()["detail"]
    assert api(world.staff).post(f"{URL}{world.open.pk}/endorsements/").status_code == 403
    assert api().post(f"{URL}{world.open.pk}/endorsements/").status_code in (401, 403)
    own = api(world.proposer).post(f"{URL}{world.open.pk}/endorsements/")
    assert own.status_code == 400
    assert Proposal.objects.get(pk=world.open.pk).endorsement_count == 0


def test_supports_under_review_are_counted_and_shown(world):
    newcomer = citizen("newcomer")
    newcomer.date_joined = timezone.now()
    newcomer.save()
    body = api(newcomer).post(f"{URL}{world.open.pk}/endorsements/").json()
    assert (body["endorsement_count"], body["under_review"]) == (1, True)
    assert api().get(f"{URL}{world.open.pk}/").json()["under_review_count"] == 1
