"""Saying when unsure, on every intake channel (issue 15, item 3): a petition the router is unsure of
waits in the RDEC's 分案 queue (the inbox's ?routing=manual) whichever way it arrived — the citizen's
web form, the REST API, Open311, the queued intake (POST /api/v1/submissions/ and its background
filing) and the 1999 console — because every filing stores its cases through one path
(rdec.petitions.hooks). A case the router is sure of, or whose agency the filer chose, is not flagged.

The router's confidence is made certain by the routing rule: at 100 % every suggestion is unsure, at 0 %
every one is sure enough."""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from rdec.analytics import services
from rdec.analytics.models import RoutingRule
from rdec.core.models import Agency
from rdec.core.services import create_api_key
from rdec.petitions import services as petition_services
from rdec.petitions.forms import make_form_timestamp
from rdec.petitions.models import Case, Category, Submission

pytestmark = pytest.mark.django_db

TEXT = {"subject": "詢問地價稅", "description": "請問今年地價稅的繳納期限是哪一天？"}


@pytest.fixture(autouse=True)
def flagging(settings):
    settings.RDEC_ROUTER_FLAG_UNSURE = True
    settings.RDEC_ROUTER_BROAD = False


def rule(pct: int) -> None:
    RoutingRule.objects.update_or_create(
        effective_from=datetime.date(2000, 1, 1), defaults={"auto_route_min_pct": pct, "source": "test"}
    )


def flagged(case) -> bool:
    return case.events.filter(verb="routing_manual").exists()


def in_queue(client, officer, case) -> bool:
    client.force_login(officer)
    return case.number in client.get(reverse("petitions:inbox"), {"routing": "manual"}).content.decode()


def web_form(client, _personas) -> Case:
    data = {
        "submission_token": uuid.uuid4().hex,
        "started": make_form_timestamp(time.time() - 30),
        "website": "",
        "category_group": "road",
        "category": "pothole",
        **TEXT,
        "address": "西屯區文心路二段1號",
        "district": "",
        "lat": "",
        "lon": "",
        "petitioner_name": "王小明",
        "petitioner_phone": "0912-345-678",
        "petitioner_email": "",
    }
    assert client.post(reverse("petitions:file"), data).status_code == 302
    return Case.objects.latest("pk")


def rest_api(_client, personas) -> Case:
    api = APIClient()
    api.force_authenticate(personas.agent)
    body = {"category": "pothole", **TEXT, "petitioner_name": "王小明", "petitioner_phone": "0912-345-678"}
    response = api.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.content
    return Case.objects.get(number=response.json()["number"])


def open311(_client, _personas) -> Case:
    key = create_api_key(name=f"system-{uuid.uuid4().hex[:6]}", agency=None, actor=None)[1]
    data = {
        "api_key": key,
        "service_code": "pothole",
        "description": f"{TEXT['subject']}\n{TEXT['description']}",
        "lat": "24.1615",
        "long": "120.6469",
    }
    response = Client().post("/open311/v2/requests.json", data)
    assert response.status_code == 201, response.content
    return Case.objects.get(number=response.json()[0]["service_request_id"])


def queued(_client, _personas) -> Case:
    _key, raw = create_api_key(name=f"partner-{uuid.uuid4().hex[:6]}", agency=None, actor=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    body = {"category": "pothole", **TEXT, "petitioner_name": "王小明", "petitioner_phone": "0912-345-678"}
    assert api.post("/api/v1/submissions/", body, format="json").status_code == 202
    assert petition_services.file_submissions(actor=None) == 1  # the background job's filing
    return Submission.objects.latest("pk").case


def console(client, personas) -> Case:
    client.force_login(personas.agent)
    data = {
        "submission_token": uuid.uuid4().hex,
        "petitioner_phone": "0922-333-444",
        "petitioner_name": "林先生",
        "category": "pothole",
        **TEXT,
        "address": "西屯區文心路二段",
        "channel": "email",  # a Mayor's-mailbox e-mail typed in by the agent: the console's filing
    }
    assert client.post(reverse("petitions:console"), data).status_code == 302
    return Case.objects.latest("pk")


CHANNELS = [web_form, rest_api, open311, queued, console]


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda f: f.__name__)
def test_an_unsure_petition_waits_in_the_rdec_routing_queue_whatever_the_channel(channel, client, personas):
    rule(100)
    case = channel(client, personas)
    assert flagged(case)
    event = case.events.get(verb="routing_manual")
    assert 0 <= event.data["confidence"] < 1 and event.data["suggested"]
    assert not event.public  # an internal note: the petitioner's tracking page does not show it
    assert case.agency.code == "construction"  # filed under its category's agency meanwhile
    assert in_queue(client, personas.officer, case)


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda f: f.__name__)
def test_a_petition_the_router_is_sure_of_is_not_flagged(channel, client, personas):
    rule(0)
    case = channel(client, personas)
    assert not flagged(case) and not in_queue(client, personas.officer, case)


def test_a_burst_of_queued_submissions_is_checked_in_one_batch(personas, monkeypatch):
    rule(100)
    from rdec.analytics import selectors

    calls = []
    router = selectors.active_router()
    original = router.suggest_many
    monkeypatch.setattr(
        router, "suggest_many", lambda texts, top=3: calls.append(len(texts)) or original(texts, top)
    )
    _key, raw = create_api_key(name="partner", agency=None, actor=None)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw}")
    for i in range(5):
        body = {"category": "pothole", "subject": f"坑洞 {i}", "description": "市政路上有坑洞"}
        assert api.post("/api/v1/submissions/", body, format="json").status_code == 202
    assert petition_services.file_submissions(actor=None) == 5
    assert calls == [5]  # one suggestion call for the batch
    assert all(flagged(case) for case in Case.objects.all())


def test_a_case_routed_by_hand_is_not_flagged(personas):
    rule(100)
    case, _code = petition_services.file_case(
        actor=personas.officer,
        channel=Case.Channel.WEB,
        category=Category.objects.get(code="pothole"),
        agency=Agency.objects.get(code="tax"),
        **TEXT,
    )
    assert not flagged(case)


def test_a_failing_router_never_loses_the_filed_case(client, personas, monkeypatch):
    rule(100)

    def broken(*_args, **_kwargs):
        raise RuntimeError("router file missing")

    monkeypatch.setattr(services.routing.Router, "suggest_many", broken)
    case = rest_api(client, personas)
    assert Case.objects.filter(pk=case.pk).exists() and not flagged(case)


def test_the_check_can_be_switched_off(client, personas, settings):
    rule(100)
    settings.RDEC_ROUTER_FLAG_UNSURE = False
    assert not flagged(rest_api(client, personas))


def test_the_rule_in_force_on_the_day_of_receipt_decides(personas):
    rule(100)
    RoutingRule.objects.create(effective_from=datetime.date(2026, 6, 1), auto_route_min_pct=0, source="test")
    old = datetime.datetime(2026, 5, 20, 10, 0, tzinfo=datetime.UTC)
    new = datetime.datetime(2026, 6, 20, 10, 0, tzinfo=datetime.UTC)
    pothole = Category.objects.get(code="pothole")
    before, _c = petition_services.file_case(
        actor=personas.officer, channel="web", category=pothole, received_at=old, **TEXT
    )
    after, _c = petition_services.file_case(
        actor=personas.officer, channel="web", category=pothole, received_at=new, **TEXT
    )
    assert flagged(before) and not flagged(after)
