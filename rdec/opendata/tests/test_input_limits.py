"""Malformed and oversized input to the CKAN Action API (issue 13, item 10): a body nested 100,000
levels deep, an fq of 2,000 OR terms, a q of 2,000 terms and a start or offset above 2**63 each
answered 500 (some after seconds). Now each is a 400 in CKAN's error shape with the reason, at once —
through Django's test client and through ckanapi, the client harvesters use."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import ckanapi
import pytest

from rdec.conftest import load_reference_data
from rdec.core import services as core_services
from rdec.core.models import Agency
from rdec.core.tests.factories import UserFactory
from rdec.opendata.tests.factories import publish

BASE = "/opendata/api/3/action/"
HUGE = str(2**64)
FQ_2000 = "tags:(" + " OR ".join(f"t{i}" for i in range(2000)) + ")"
FQ_2000_FLAT = " OR ".join(f"tags:t{i}" for i in range(2000))
Q_2000 = " ".join(f"詞{i}" for i in range(2000))


def _refused(response, *words):
    body = response.json()
    assert response.status_code == 400, response.content[:300]
    assert body["success"] is False
    assert body["error"]["__type"] in ("Search Query Error", "Validation Error")
    text = json.dumps(body["error"], ensure_ascii=False)
    for word in words:
        assert word in text, text
    return body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"fq": FQ_2000}, ["2,000", "64"]),
        ({"fq": FQ_2000_FLAT}, ["2,000", "64"]),
        ({"q": Q_2000}, ["2,000", "64"]),
        ({"q": "坑" * 5000}, ["1,000"]),
        ({"start": HUGE}, ["start", "1,000,000"]),
        ({"start": "-1"}, ["start"]),
        ({"rows": HUGE}, ["rows"]),
        ({"start": "9" * 5000}, ["start"]),
    ],
    ids=[
        "fq-or-group",
        "fq-or-flat",
        "q-terms",
        "q-length",
        "start-huge",
        "start-negative",
        "rows-huge",
        "start-digits",
    ],
)
def test_package_search_refuses_oversized_parameters_quickly(client, params, words):
    started = time.monotonic()
    response = client.get(BASE + "package_search", params)
    _refused(response, *words)
    assert time.monotonic() - started < 2


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["package_list", "organization_list"])
def test_list_offsets_above_2_63_are_refused(client, action):
    _refused(client.get(BASE + action, {"offset": HUGE}), "offset")
    _refused(client.get(BASE + action, {"limit": HUGE}), "limit")


@pytest.mark.django_db
def test_the_largest_start_still_answers(client):
    response = client.get(BASE + "package_search", {"start": "1000000", "rows": "1000"})
    assert response.status_code == 200
    assert response.json()["result"]["results"] == []


@pytest.mark.django_db
def test_64_fq_clauses_and_64_q_terms_are_still_searched(client):
    fq = "tags:(" + " OR ".join(f"t{i}" for i in range(64)) + ")"
    q = " ".join(f"t{i}" for i in range(64))
    assert client.get(BASE + "package_search", {"fq": fq}).status_code == 200
    assert client.get(BASE + "package_search", {"q": q}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("nest", ["[" * 100_000 + "]" * 100_000, '{"id": ' * 5000 + "1" + "}" * 5000])
def test_deeply_nested_json_bodies_are_refused(client, nest):
    started = time.monotonic()
    response = client.post(BASE + "package_search", nest, content_type="application/json")
    _refused(response, "巢狀", "32")
    form = client.post(BASE + "package_search", {"resources": nest})  # a JSON field inside a form
    assert form.status_code in (200, 400)
    only_key = client.post(  # a form whose only key is the JSON, as some clients send it
        BASE + "package_create", urlencode({nest: ""}), content_type="application/x-www-form-urlencoded"
    )
    _refused(only_key, "巢狀")
    multipart = client.post(BASE + "package_create", {nest: ""})  # the same as multipart: unreadable
    _refused(multipart)
    assert time.monotonic() - started < 3


@pytest.mark.django_db
def test_the_reason_is_in_english_when_asked(client):
    response = client.get(BASE + "package_search", {"start": HUGE}, headers={"Accept-Language": "en"})
    _refused(response, "start must be a whole number from 0 to 1,000,000.")


# --- as a CKAN client sees it ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_data_after_flush")
def test_ckanapi_gets_a_search_query_error_with_the_reason(live_server):
    if not Agency.objects.exists():
        load_reference_data()
    construction = Agency.objects.get(code="construction")
    publish(
        UserFactory(username="od-limits", role="agency_staff", agency=construction), title="臺中市道路資料"
    )
    _record, key = core_services.create_api_key(name="上架程式", agency=construction, actor=None)
    site = ckanapi.RemoteCKAN(live_server.url + "/opendata", apikey=key, user_agent="rdec-tests/1.0")
    started = time.monotonic()
    with pytest.raises(ckanapi.SearchQueryError) as fq_error:
        site.action.package_search(fq=FQ_2000)
    with pytest.raises(ckanapi.SearchQueryError) as q_error:
        site.action.package_search(q=Q_2000)
    with pytest.raises(ckanapi.SearchQueryError) as start_error:
        site.action.package_search(start=2**64)
    with pytest.raises(ckanapi.SearchQueryError) as deep_error:
        site.action.package_create(
            name="deep", title="深", resources=[{"url": "https://example.org/x", "schema": _deep(40)}]
        )
    assert time.monotonic() - started < 5
    assert "64" in str(fq_error.value) and "64" in str(q_error.value)
    assert "start" in str(start_error.value)
    assert "32" in str(deep_error.value)
    assert site.action.package_search(q="道路")["count"] == 1  # ordinary searches still answer


def _deep(levels: int):
    value: list = []
    for _ in range(levels):
        value = [value]
    return value
