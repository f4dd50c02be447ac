"""Open311 GeoReport v2 at /open311/v2/, through HTTP: discovery, services, requests (read and
create), tokens, in JSON and XML, the spec's errors — and no personal data in any public answer.

The georeport client (PyPI `georeport`, GET calls only) is driven against the test client through
a small requests adapter, so it talks to this server exactly as it would to a city's endpoint."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET  # noqa: S405 — parsing our own answers

import pytest
import requests
from django.test import Client
from django.utils import timezone
from georeport import GeoReport
from requests.structures import CaseInsensitiveDict

from rdec.core import workdays
from rdec.core.services import create_api_key
from rdec.petitions import services, tracking
from rdec.petitions.models import Case, Category

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"
XITUN = {"lat": "24.1615", "long": "120.6469"}  # 西屯區惠來里
NAME, PHONE, EMAIL = "王小明", "0912345678", "xiaoming.wang@example.com"
ADDRESS = "西屯區臺灣大道三段99號5樓"


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def api_key(db):
    _key, raw = create_api_key(name="open311-client", agency=None, actor=None)
    return raw


@pytest.fixture
def pothole(db):
    return Category.objects.get(code="pothole")


@pytest.fixture
def case(personas, pothole):
    """A case with every personal field filled in, and personal data typed into the description."""
    filed, _code = services.file_case(
        actor=personas.agent,
        channel=Case.Channel.PHONE,
        category=pothole,
        subject="臺灣大道路面坑洞",
        description=f"臺灣大道三段99號前有坑洞，請回電 0912-345-678 {NAME}，或寄 {EMAIL}。",
        address=ADDRESS,
        lat=24.161512,
        lon=120.646934,
        petitioner_name=NAME,
        petitioner_phone=PHONE,
        petitioner_email=EMAIL,
    )
    return filed


def xml(response) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(response.content)  # noqa: S314 — our own answer


def post(client, data, fmt="json", **headers):
    return client.post(f"{BASE}/requests.{fmt}", data, headers=headers)


# --- discovery and services --------------------------------------------------------------------------


def test_discovery_in_json_names_the_endpoint_its_formats_and_the_key_service(client):
    response = client.get(f"{BASE}/discovery.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    (endpoint,) = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert set(endpoint["formats"]) == {"text/xml", "application/json"}
    assert endpoint["type"] in {"production", "test"}


def test_discovery_in_xml_has_the_same_fields(client):
    root = xml(client.get(f"{BASE}/discovery.xml"))
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/specification") == "http://wiki.open311.org/GeoReport_v2"
    assert {f.text for f in root.findall("endpoints/endpoint/formats/format")} == {
        "text/xml",
        "application/json",
    }
    assert root.findtext("key_service")


def test_services_are_the_leaf_categories_with_their_group(client):
    body = client.get(f"{BASE}/services.json").json()
    leaves = Category.objects.filter(parent__isnull=False, active=True).count()
    assert len(body) == leaves >= 40
    pothole = next(s for s in body if s["service_code"] == "pothole")
    assert pothole["service_name"] == "路面坑洞"
    assert pothole["group"] == "道路維護"
    assert pothole["metadata"] is False and pothole["type"] == "realtime"
    assert "路面坑洞" in pothole["keywords"] and "建設局" in pothole["description"]
    assert "road" not in {s["service_code"] for s in body}  # a group is not a service


def test_services_in_xml(client):
    root = xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    pothole = next(s for s in root.findall("service") if s.findtext("service_code") == "pothole")
    assert pothole.findtext("metadata") == "false"
    assert pothole.findtext("type") == "realtime"
    assert pothole.findtext("group") == "道路維護"


def test_services_follow_accept_language_english(client):
    body = client.get(f"{BASE}/services.json", headers={"Accept-Language": "en"}).json()
    pothole = next(s for s in body if s["service_code"] == "pothole")
    assert pothole["service_name"] == "Pothole"
    assert pothole["group"] == "Road maintenance"


def test_a_service_definition_has_no_attributes(client):
    assert client.get(f"{BASE}/services/pothole.json").json() == {
        "service_code": "pothole",
        "attributes": [],
    }
    root = xml(client.get(f"{BASE}/services/pothole.xml"))
    assert root.tag == "service_definition" and root.findtext("service_code") == "pothole"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_code_is_a_404_in_the_spec_error_format(client, fmt):
    response = client.get(f"{BASE}/services/no-such-thing.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        (error,) = response.json()
        assert error["code"] == 404 and error["description"]
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert root.findtext("error/code") == "404" and root.findtext("error/description")


# --- reading requests --------------------------------------------------------------------------------


def test_a_request_reads_with_status_agency_and_dates(client, case):
    (item,) = client.get(f"{BASE}/requests/{case.number}.json").json()
    assert item["service_request_id"] == case.number
    assert item["status"] == "open"
    assert item["service_code"] == "pothole" and item["service_name"] == "路面坑洞"
    assert item["agency_responsible"] == "臺中市政府建設局"
    assert item["status_notes"] == "已分案至臺中市政府建設局。"
    assert item["requested_datetime"] == timezone.localtime(case.received_at).isoformat(timespec="seconds")
    assert item["expected_datetime"] == f"{case.due_date.isoformat()}T23:59:59+08:00"
    assert item["zipcode"] == ""
    assert item["lat"] == 24.162 and item["long"] == 120.647  # rounded to about 100 m


def test_a_request_in_xml(client, case):
    root = xml(client.get(f"{BASE}/requests/{case.number}.xml"))
    assert root.tag == "service_requests"
    (request,) = root.findall("request")
    assert request.findtext("service_request_id") == case.number
    assert request.findtext("status") == "open"
    assert request.findtext("address") == "西屯區臺灣大道三段＊號＊樓"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_id_is_a_404(client, fmt):
    response = client.get(f"{BASE}/requests/115-9999999.{fmt}")
    assert response.status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", ["requests.{fmt}", "requests/{number}.{fmt}"])
def test_no_personal_data_in_any_public_answer(client, case, fmt, path):
    response = client.get(f"{BASE}/" + path.format(fmt=fmt, number=case.number))
    text = response.content.decode("utf-8")
    assert case.number in text
    for secret in (NAME, PHONE, "0912-345-678", "345-678", EMAIL, "xiaoming", "99號", "5樓", "24.161512"):
        assert secret not in text


def test_the_description_keeps_its_words_with_the_personal_data_masked(client, case):
    (item,) = client.get(f"{BASE}/requests/{case.number}.json").json()
    assert item["description"].startswith(
        "臺灣大道三段＊號前有坑洞，請回電 0912-***-678 王○明，或寄 x***@example.com"
    )


def test_a_confidential_case_shows_no_description_address_or_point(client, personas, pothole):
    secret, _code = services.file_case(
        actor=personas.agent,
        channel=Case.Channel.PHONE,
        category=pothole,
        subject="檢舉",
        description="隔壁的坑洞",
        address=ADDRESS,
        lat=24.1615,
        lon=120.6469,
        petitioner_name=NAME,
        petitioner_phone=PHONE,
        confidential=True,
    )
    (item,) = client.get(f"{BASE}/requests/{secret.number}.json").json()
    assert item["description"] == "" and item["address"] == ""
    assert "lat" not in item and "long" not in item


def test_requests_list_the_last_90_days_by_default(client, case, personas, pothole):
    old, _code = services.file_case(
        actor=personas.agent,
        channel=Case.Channel.PHONE,
        category=pothole,
        subject="舊案",
        description="舊案",
        address="西屯區",
        received_at=timezone.now() - datetime.timedelta(days=120),
    )
    numbers = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert case.number in numbers and old.number not in numbers


def test_service_request_id_takes_a_comma_list_and_overrides_the_other_filters(
    client, case, personas, pothole
):
    old, _code = services.file_case(
        actor=personas.agent,
        channel=Case.Channel.PHONE,
        category=pothole,
        subject="舊案",
        description="舊案",
        address="西屯區",
        received_at=timezone.now() - datetime.timedelta(days=400),
    )
    body = client.get(
        f"{BASE}/requests.json",
        {"service_request_id": f"{case.number},{old.number}", "status": "closed", "service_code": "noise"},
    ).json()
    assert {r["service_request_id"] for r in body} == {case.number, old.number}


def test_requests_filter_by_service_code_status_and_dates(client, case, personas):
    noise, _code = services.file_case(
        actor=personas.agent,
        channel=Case.Channel.PHONE,
        category=Category.objects.filter(parent__isnull=False).exclude(code="pothole").first(),
        subject="另一案",
        description="另一案",
        address="西屯區",
    )
    services.withdraw_case(noise, actor=personas.officer, reason="民眾撤回")

    def numbers(**params):
        return {r["service_request_id"] for r in client.get(f"{BASE}/requests.json", params).json()}

    assert numbers(service_code="pothole") == {case.number}
    assert numbers(service_code=f"pothole,{noise.category.code}") == {case.number, noise.number}
    assert numbers(status="open") == {case.number}
    assert numbers(status="closed") == {noise.number}
    assert numbers(status="open,closed") == {case.number, noise.number}
    assert numbers(status="", service_code="") == {case.number, noise.number}  # empty = absent
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert numbers(start_date=f"{tomorrow}T00:00:00+08:00") == set()
    assert numbers(start_date="2026-01-01T00:00:00Z", end_date="2026-01-31T00:00:00Z") == set()
    assert numbers(end_date=f"{tomorrow}T00:00:00+08:00") == {case.number, noise.number}


def test_requests_page_newest_first_with_page_and_page_size(client, case, personas, pothole):
    later = [
        services.file_case(
            actor=personas.agent,
            channel=Case.Channel.PHONE,
            category=pothole,
            subject=f"坑洞 {i}",
            description="坑洞",
            address="西屯區",
        )[0]
        for i in range(4)
    ]
    newest_first = [c.number for c in reversed([case, *later])]

    def page(**params):
        return [r["service_request_id"] for r in client.get(f"{BASE}/requests.json", params).json()]

    assert page(page_size=2) == newest_first[:2]
    assert page(page_size=2, page=2) == newest_first[2:4]
    assert page(page_size=2, page=3) == newest_first[4:]
    assert page(page_size=2, page=4) == []
    assert page() == newest_first


def test_a_closed_request_has_its_close_time_as_updated_datetime(client, personas, pothole):
    withdrawn, _code = services.file_case(
        actor=personas.agent,
        channel=Case.Channel.PHONE,
        category=pothole,
        subject="撤回",
        description="撤回",
        address="西屯區",
    )
    services.withdraw_case(withdrawn, actor=personas.officer, reason="")
    withdrawn.refresh_from_db()
    (item,) = client.get(f"{BASE}/requests/{withdrawn.number}.json").json()
    assert item["status"] == "closed" and item["status_notes"] == "民眾已撤回本案。"
    assert item["updated_datetime"] == timezone.localtime(withdrawn.closed_at).isoformat(timespec="seconds")


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},  # > 90 days
        {"start_date": "2026-03-01T00:00:00Z", "end_date": "2026-02-01T00:00:00Z"},  # reversed
        {"start_date": "yesterday"},
        {"status": "pending"},
        {"service_code": "no-such-service"},
        {"page_size": "0"},
        {"page_size": "1001"},
        {"page": "first"},
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_a_400_in_the_spec_error_format(client, params, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 400
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert all(e["code"] == 400 and e["description"] for e in response.json())
    else:
        root = xml(response)
        assert root.tag == "errors" and root.findtext("error/code") == "400"


def test_errors_follow_accept_language(client):
    zh = client.get(f"{BASE}/requests.json", {"status": "pending"}).json()[0]["description"]
    en = client.get(f"{BASE}/requests.json", {"status": "pending"}, headers={"Accept-Language": "en"})
    assert zh != en.json()[0]["description"]
    assert en.json()[0]["description"] == "status must be open, closed, or both separated by a comma."


def test_an_unknown_resource_or_format_is_a_404_in_the_spec_format(client):
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


# --- creating requests -------------------------------------------------------------------------------


def test_post_with_a_key_files_a_case_routed_to_the_default_agency_due_on_working_days(
    client, api_key, pothole
):
    response = post(
        client,
        {
            "api_key": api_key,
            "service_code": "pothole",
            "description": "路面有一個大坑洞\n機車容易摔倒",
            "media_url": "https://example.org/photo.jpg",
            "first_name": "小明",
            "last_name": "王",
            "phone": "0912-345-678",
            "email": EMAIL,
            "device_id": "ignored",
            "account_id": "ignored",
            **XITUN,
        },
    )
    assert response.status_code == 201
    (created,) = response.json()
    assert set(created) == {"service_request_id", "service_notice"}  # an id, never also a token
    case = Case.objects.get(number=created["service_request_id"])
    assert case.channel == Case.Channel.OPEN311
    assert case.agency == pothole.default_agency and case.agency.code == "construction"
    assert case.due_date == workdays.add_working_days(timezone.localdate(), pothole.working_days)
    assert case.district.name == "西屯區"
    assert (case.petitioner_name, case.petitioner_phone, case.petitioner_email) == (NAME, PHONE, EMAIL)
    assert case.subject == "路面有一個大坑洞"
    assert case.due_date.isoformat() in created["service_notice"]
    (item,) = client.get(f"{BASE}/requests/{case.number}.json").json()
    assert item["media_url"] == "https://example.org/photo.jpg"
    assert item["agency_responsible"] == "臺中市政府建設局"


def test_post_in_xml_answers_xml(client, api_key):
    response = post(
        client, {"api_key": api_key, "service_code": "pothole", "address_string": "西屯區市政路"}, "xml"
    )
    assert response.status_code == 201
    root = xml(response)
    number = root.findtext("request/service_request_id")
    assert Case.objects.filter(number=number, address="西屯區市政路").exists()


def test_post_accepts_the_key_in_the_authorization_header_too(client, api_key):
    response = post(
        client,
        {"service_code": "pothole", "address_string": "西屯區市政路"},
        Authorization=f"Api-Key {api_key}",
    )
    assert response.status_code == 201


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", [None, "not-a-key"])
def test_post_without_a_valid_key_is_a_403_and_creates_nothing(client, key, fmt):
    data = {"service_code": "pothole", **XITUN}
    if key:
        data["api_key"] = key
    response = post(client, data, fmt)
    assert response.status_code == 403
    assert not Case.objects.exists()
    if fmt == "json":
        assert response.json()[0]["code"] == 403
    else:
        assert xml(response).findtext("error/code") == "403"


def test_post_with_a_revoked_key_is_a_403(client, api_key):
    from rdec.core.models import APIKey
    from rdec.core.services import revoke_api_key

    revoke_api_key(prefix=APIKey.objects.get().prefix, actor=None)
    response = post(client, {"api_key": api_key, "service_code": "pothole", **XITUN})
    assert response.status_code == 403


def test_post_with_an_unknown_service_code_is_a_404_and_without_one_a_400(client, api_key):
    assert post(client, {"api_key": api_key, "service_code": "nope", **XITUN}).status_code == 404
    assert post(client, {"api_key": api_key, "service_code": "road", **XITUN}).status_code == 404  # a group
    assert post(client, {"api_key": api_key, **XITUN}).status_code == 400
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},  # no location
        {"lat": "24.1615"},  # lat without long
        {"lat": "north", "long": "120.6469"},
        {"lat": "25.0330", "long": "121.5654"},  # Taipei 101: outside the city
        {"address_id": "A-1"},
        {"address_string": "西屯區", "description": "x" * 4001},
        {"address_string": "西屯區", "description": "<b>坑洞</b>"},
        {"address_string": "西屯區", "media_url": "javascript:alert(1)"},
        {"address_string": "西屯區", "email": "not an address"},
    ],
)
def test_post_with_bad_input_is_a_400_and_creates_nothing(client, api_key, data):
    response = post(client, {"api_key": api_key, "service_code": "pothole", **data})
    assert response.status_code == 400
    assert all(e["code"] == 400 for e in response.json())
    assert not Case.objects.exists()


def test_a_retry_with_the_same_idempotency_key_makes_one_case(client, api_key):
    data = {"api_key": api_key, "service_code": "pothole", "description": "坑洞", **XITUN}
    first = post(client, data, **{"Idempotency-Key": "c0ffee-1"})
    again = post(client, data, **{"Idempotency-Key": "c0ffee-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()[0]["service_request_id"] == again.json()[0]["service_request_id"]
    assert Case.objects.count() == 1
    other = post(client, data, **{"Idempotency-Key": "c0ffee-2"})
    assert other.status_code == 201 and Case.objects.count() == 2


def test_the_idempotency_key_and_the_tracking_token_resolve_through_tokens(client, api_key):
    data = {"api_key": api_key, "service_code": "pothole", **XITUN}
    number = post(client, data, **{"Idempotency-Key": "k-42"}).json()[0]["service_request_id"]
    assert client.get(f"{BASE}/tokens/k-42.json").json() == [{"service_request_id": number, "token": "k-42"}]
    signed = tracking.tracking_token(Case.objects.get(number=number))
    root = xml(client.get(f"{BASE}/tokens/{signed}.xml"))
    assert root.findtext("request/service_request_id") == number
    assert client.get(f"{BASE}/tokens/unknown.json").status_code == 404


def test_a_public_read_of_a_case_filed_through_open311_shows_no_personal_data(client, api_key):
    data = {
        "api_key": api_key,
        "service_code": "pothole",
        "first_name": "小明",
        "last_name": "王",
        "phone": PHONE,
        "email": EMAIL,
        "address_string": ADDRESS,
    }
    number = post(client, data).json()[0]["service_request_id"]
    for fmt in ("json", "xml"):
        for path in (f"requests/{number}.{fmt}", f"requests.{fmt}"):
            text = client.get(f"{BASE}/{path}").content.decode()
            assert number in text
            assert NAME not in text and PHONE not in text and EMAIL not in text and "99號" not in text


def test_other_methods_are_a_405(client):
    response = client.delete(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response.json()[0]["code"] == 405


# --- a real Open311 client ---------------------------------------------------------------------------


class DjangoClientAdapter(requests.adapters.BaseAdapter):
    """Sends requests' calls to Django's test client instead of the network."""

    def __init__(self, client: Client):
        super().__init__()
        self.client = client

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        answer = self.client.generic(
            request.method,
            path,
            data=request.body or b"",
            content_type=request.headers.get("Content-Type", "application/octet-stream"),
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(answer.headers)
        response.url, response.request, response.encoding = request.url, request, "utf-8"
        return response

    def close(self):
        pass


@pytest.fixture
def georeport_client(client, monkeypatch):
    adapter = DjangoClientAdapter(client)
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)
    return lambda fmt: GeoReport("http://testserver/open311/v2/", output_format=fmt)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_georeport_client_lists_services_and_reads_requests(georeport_client, case, fmt):
    geo = georeport_client(fmt)
    services_ = geo.get_service_list()
    assert any(s["service_code"] == "pothole" and s["group"] == "道路維護" for s in services_)
    assert geo.get_service_definition("pothole")["service_code"] == "pothole"
    one = geo.get_service_request(case.number)
    if fmt == "xml":  # xmltodict gives a list of one request as the request itself
        assert one["service_request_id"] == case.number
    else:
        assert one["service_request_id"] == case.number and one["status"] == "open"
    found = geo.get_service_requests(service_code="pothole", status="open")
    found = [found] if isinstance(found, dict) else found
    assert [r["service_request_id"] for r in found] == [case.number]


def test_the_georeport_client_sees_404_for_an_unknown_request(georeport_client):
    with pytest.raises(requests.HTTPError) as raised:
        georeport_client("json").get_service_request("115-9999999")
    assert raised.value.response.status_code == 404
