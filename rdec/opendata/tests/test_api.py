"""The CKAN Action API through Django's test client: envelope, errors, search, paging, writes."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdec.core import services as core_services
from rdec.core.tests.factories import agency
from rdec.opendata import services
from rdec.opendata.models import Dataset
from rdec.opendata.tests.factories import csv_upload, publish

pytestmark = pytest.mark.django_db

BASE = "/opendata/api/3/action/"


@pytest.fixture
def catalog(personas):
    population = publish(personas.staff, title="臺中市各區人口統計", tags=["人口", "統計"])
    services.add_resource(population, actor=personas.staff, description="人口CSV", upload=csv_upload())
    accidents = publish(
        personas.other_staff,
        title="臺中市交通事故資料",
        description="每月交通事故件數與地點。",
        category="A00",
        field_description="發生時間(事故發生日期時間)、事故地點(路口或地址)",
        tags=["交通事故"],
    )
    services.add_resource(
        accidents, actor=personas.other_staff, description="事故JSON", url="https://example.org/a.json"
    )
    return population, accidents


@pytest.fixture
def key(personas):
    _record, raw = core_services.create_api_key(
        name="建設局資料上架", agency=agency("construction"), actor=None
    )
    return raw


def call(client, action, method="get", headers=None, **data):
    if method == "get":
        response = client.get(BASE + action, data, headers=headers or {})
    else:
        response = client.post(
            BASE + action, json.dumps(data), content_type="application/json", headers=headers or {}
        )
    return response, response.json()


def test_package_list_returns_sorted_names_in_the_envelope(client, catalog):
    response, body = call(client, "package_list")
    assert response.status_code == 200
    assert body["success"] is True
    assert body["help"].endswith("/api/3/action/help_show?name=package_list")
    assert body["result"] == sorted(d.name for d in catalog)


def test_package_show_by_name_or_identifier_maps_the_national_fields(client, catalog):
    population, _ = catalog
    _r, by_name = call(client, "package_show", id=population.name)
    _r, by_identifier = call(client, "package_show", id=population.identifier)
    result = by_name["result"]
    assert result == by_identifier["result"]
    assert result["id"] == population.identifier
    assert result["title"] == "臺中市各區人口統計"
    assert result["organization"]["name"] == "construction"
    assert result["license_title"] == "政府資料開放授權條款第1版"
    assert result["field_description"] == population.field_description
    assert {"key": "update_frequency", "value": "每月"} in result["extras"]
    assert [t["name"] for t in result["tags"]] == ["人口", "統計"]
    resource = result["resources"][0]
    assert resource["id"] == f"{population.identifier}-001"
    assert resource["format"] == "CSV"
    assert resource["encoding"] == "UTF-8"
    assert resource["url"].startswith("http://testserver/opendata/resources/")


def test_unknown_dataset_is_a_not_found_error(client, catalog):
    response, body = call(client, "package_show", id="nope")
    assert response.status_code == 404
    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"


def test_unknown_action_answers_400_with_a_string(client):
    response = client.get(BASE + "no_such_action")
    assert response.status_code == 400
    body = response.json()  # CKAN answers an unknown action with a bare string
    assert isinstance(body, str) and "no_such_action" in body
    english = client.get(BASE + "no_such_action", headers={"Accept-Language": "en"}).json()
    assert "Action name not known: no_such_action" in english


def test_a_get_to_a_write_action_is_refused(client):
    response = client.get(BASE + "package_create")
    assert response.status_code == 400


def test_search_finds_a_two_character_word_inside_a_title(client, catalog):
    _r, body = call(client, "package_search", q="事故")
    assert body["result"]["count"] == 1
    assert body["result"]["results"][0]["title"] == "臺中市交通事故資料"


def test_search_filters_with_fq_on_organization_tags_and_format(client, catalog):
    population, accidents = catalog
    _r, by_org = call(client, "package_search", fq="organization:environment")
    _r, by_tag = call(client, "package_search", fq='tags:"人口"')
    _r, by_format = call(client, "package_search", fq="res_format:csv")
    _r, negated = call(client, "package_search", fq="-organization:environment")
    _r, either = call(client, "package_search", fq="organization:environment OR tags:人口")
    assert [d["id"] for d in by_org["result"]["results"]] == [accidents.identifier]
    assert [d["id"] for d in by_tag["result"]["results"]] == [population.identifier]
    assert [d["id"] for d in by_format["result"]["results"]] == [population.identifier]
    assert [d["id"] for d in negated["result"]["results"]] == [population.identifier]
    assert either["result"]["count"] == 2


def test_paging_really_offsets_in_identifier_order(client, catalog):
    _r, first = call(client, "package_search", rows=1, start=0, sort="id asc")
    _r, second = call(client, "package_search", rows=1, start=1, sort="id asc")
    _r, third = call(client, "package_search", rows=1, start=2, sort="id asc")
    assert first["result"]["count"] == 2
    assert first["result"]["results"][0]["id"] < second["result"]["results"][0]["id"]
    assert third["result"]["results"] == []


def test_metadata_modified_range_of_the_harvester(client, catalog):
    _r, since_past = call(client, "package_search", fq="metadata_modified:[2020-01-01T00:00:00Z TO *]")
    _r, since_future = call(client, "package_search", fq="metadata_modified:[2999-01-01T00:00:00Z TO *]")
    assert since_past["result"]["count"] == 2
    assert since_future["result"]["count"] == 0


def test_facets_in_both_forms(client, catalog):
    _r, body = call(client, "package_search", **{"facet.field": '["organization","res_format"]'})
    result = body["result"]
    assert result["facets"]["res_format"] == {"CSV": 1, "JSON": 1}
    items = result["search_facets"]["organization"]["items"]
    assert {i["name"] for i in items} == {"construction", "environment"}


def test_an_unknown_fq_field_is_a_search_query_error(client, catalog):
    response, body = call(client, "package_search", fq="colour:red")
    assert response.status_code == 400
    assert body["error"]["__type"] == "Search Query Error"


def test_organizations_tags_and_resources(client, catalog):
    population, _ = catalog
    _r, names = call(client, "organization_list")
    _r, full = call(client, "organization_list", all_fields="true")
    _r, org = call(client, "organization_show", id="construction", include_datasets="true")
    _r, tags = call(client, "tag_list")
    _r, resource = call(client, "resource_show", id=f"{population.identifier}-001")
    _r, site = call(client, "site_read")
    assert sorted(names["result"]) == ["construction", "environment"]
    assert {o["name"]: o["package_count"] for o in full["result"]} == {"construction": 1, "environment": 1}
    assert org["result"]["title"] == "臺中市政府建設局"
    assert [p["id"] for p in org["result"]["packages"]] == [population.identifier]
    assert tags["result"] == ["交通事故", "人口", "統計"]
    assert resource["result"]["package_id"] == population.identifier
    assert site["result"] is True


def test_withdrawn_datasets_leave_the_api(client, catalog, personas):
    population, _ = catalog
    services.delete_dataset(population, actor=personas.staff)
    _r, listed = call(client, "package_list")
    response, _body = call(client, "package_show", id=population.name)
    assert population.name not in listed["result"]
    assert response.status_code == 404


NEW = {
    "name": "road-maintenance",
    "title": "臺中市道路養護案件",
    "notes": "道路坑洞與養護案件之月統計。",
    "owner_org": "construction",
    "category": "A00",
    "field_description": "月份(統計月份)、件數(養護案件數)",
    "update_frequency": "每月",
    "maintainer": "王承辦",
    "maintainer_email": "road@taichung.gov.tw",
    "extras": [{"key": "contact_phone", "value": "04-22289111"}],
    "tags": [{"name": "道路"}],
    "resources": [{"name": "養護案件CSV", "url": "https://example.org/road.csv", "format": "CSV"}],
}


@pytest.mark.parametrize("scheme", ["{key}", "Api-Key {key}"])
def test_package_create_with_an_agency_key(client, key, scheme):
    response, body = call(
        client, "package_create", method="post", headers={"Authorization": scheme.format(key=key)}, **NEW
    )
    assert response.status_code == 200, body
    assert body["result"]["name"] == "road-maintenance"
    assert body["result"]["resources"][0]["format"] == "CSV"
    assert Dataset.objects.get(name="road-maintenance").contact_phone == "04-22289111"


def test_the_ckan_key_header_is_accepted_too(client, key):
    response, _body = call(client, "package_create", method="post", headers={"X-CKAN-API-Key": key}, **NEW)
    assert response.status_code == 200


def test_writes_without_a_key_are_refused(client):
    response, body = call(client, "package_create", method="post", **NEW)
    assert response.status_code == 403
    assert body["error"]["__type"] == "Authorization Error"


def test_a_wrong_key_is_refused(client):
    response, body = call(client, "package_list", headers={"Authorization": "abc.def"})
    assert response.status_code == 403


def test_an_agency_key_cannot_write_for_another_agency(client, key):
    response, body = call(
        client,
        "package_create",
        method="post",
        headers={"Authorization": key},
        **{**NEW, "owner_org": "environment"},
    )
    assert response.status_code == 403


def test_validation_errors_use_ckan_field_names_and_name_the_field(client, key):
    bad = {**NEW, "field_description": "統計項目、分類", "update_frequency": "每15日或每2月", "notes": ""}
    response, body = call(client, "package_create", method="post", headers={"Authorization": key}, **bad)
    assert response.status_code == 409
    error = body["error"]
    assert error["__type"] == "Validation Error"
    assert set(error) >= {"field_description", "update_frequency", "notes"}
    assert error["field_description"][0].startswith(
        str(Dataset._meta.get_field("field_description").verbose_name)
    )
    assert not Dataset.objects.exists()


def test_package_update_changes_the_given_keys(client, key, personas):
    dataset = publish(personas.staff)
    response, body = call(
        client,
        "package_update",
        method="post",
        headers={"Authorization": key},
        id=dataset.name,
        title="臺中市各區人口統計（月）",
        tags=["人口"],
    )
    assert response.status_code == 200, body
    assert body["result"]["title"] == "臺中市各區人口統計（月）"
    assert body["result"]["notes"] == dataset.description
    assert [t["name"] for t in body["result"]["tags"]] == ["人口"]


def test_resource_create_by_upload(client, key, personas):
    dataset = publish(personas.staff)
    response = client.post(
        BASE + "resource_create",
        {"package_id": dataset.name, "name": "人口CSV", "upload": csv_upload()},
        headers={"Authorization": key},
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["result"]["size"] == len(csv_upload().read())
    assert body["result"]["url_type"] == "upload"
    download = client.get(body["result"]["url"].replace("http://testserver", ""))
    assert download.status_code == 200


def test_package_search_query_count_does_not_grow_with_rows(
    client, catalog, personas, django_assert_max_num_queries
):
    for n in range(5):
        publish(personas.staff, title=f"測試資料集{n}")
    with django_assert_max_num_queries(8):
        client.get(BASE + "package_search", {"rows": 100})


def test_package_show_carries_the_quality_of_its_resources(client, personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(dataset, actor=personas.staff, description="人口", upload=csv_upload())
    services.check_resource_quality(resource, actor=personas.staff)
    _r, body = call(client, "package_show", id=dataset.name)
    quality = body["result"]["quality"]
    assert quality["badge"] == "gold"
    assert quality["indicators"]["encoding_match"] == 1
    assert quality["checked_at"] is not None
    assert body["result"]["resources"][0]["quality"]["badge"] == "gold"


@pytest.mark.urls("rdec.opendata.tests.root_urls")
@pytest.mark.parametrize("prefix", ["/api/3/action/", "/api/action/"])
def test_the_api_answers_at_the_site_root_once_mounted(client, catalog, prefix):
    response = client.get(prefix + "package_list")
    assert response.json()["result"] == sorted(d.name for d in catalog)


def test_group_show_and_help_show(client, catalog):
    _r, group = call(client, "group_show", id="A00")
    _r, by_name = call(client, "group_show", id="交通及通訊")
    _r, helped = call(client, "help_show", name="package_search")
    assert group["result"]["title"] == "交通及通訊"
    assert group["result"]["package_count"] == 1
    assert by_name["result"]["id"] == "A00"
    assert "rows" in helped["result"]


def test_fq_and_facets_on_the_badge(client, personas):
    dataset = publish(personas.staff)
    resource = services.add_resource(dataset, actor=personas.staff, description="人口", upload=csv_upload())
    services.check_resource_quality(resource, actor=None)
    publish(personas.staff, title="未檢測")
    _r, gold = call(client, "package_search", fq="badge:gold", **{"facet.field": '["badge"]'})
    assert [d["id"] for d in gold["result"]["results"]] == [dataset.identifier]
    assert gold["result"]["facets"]["badge"] == {"gold": 1}


FQ_TEXT = st.text(
    alphabet=st.sampled_from(list('organization:tags-+"[]() TO*OR AND 2024-13-45T00:00:00Z 交通 ,:')),
    max_size=60,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fq=FQ_TEXT,
    q=st.text(max_size=20).filter(lambda t: "\x00" not in t),
    sort=st.sampled_from(["", "id asc", "x y", "title desc"]),
)
def test_any_search_input_answers_200_or_a_ckan_error_never_500(client, personas, fq, q, sort):
    response = client.get(BASE + "package_search", {"fq": fq, "q": q, "sort": sort})
    assert response.status_code in (200, 400, 409)
    assert "success" in response.json()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10).filter(lambda t: "\x00" not in t),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=5,
)
KEYS = st.sampled_from(
    [
        "name",
        "title",
        "notes",
        "owner_org",
        "tags",
        "extras",
        "resources",
        "category",
        "update_frequency",
        "field_description",
        "maintainer_email",
        "temporal_coverage_from",
        "number_of_data",
        "url",
        "license_id",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(KEYS, JSON_VALUES, max_size=8))
def test_any_package_create_body_answers_a_ckan_result_never_500(client, key, body):
    body.setdefault("owner_org", "construction")
    response = client.post(
        BASE + "package_create",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": key},
    )
    assert response.status_code in (200, 400, 403, 409), response.content[:300]
    assert "success" in response.json()


def test_status_show_and_license_list_for_probing_clients(client):
    _r, status = call(client, "status_show")
    _r, licences = call(client, "license_list")
    assert status["result"]["ckan_version"].startswith("2.")
    assert licences["result"][0]["title"] == "政府資料開放授權條款第1版"
