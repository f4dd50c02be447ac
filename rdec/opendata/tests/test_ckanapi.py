"""The Action API as a real CKAN client sees it: ckanapi (from PyPI) against a live server.

ckanapi calls `<site>/api/action/<name>` with POST and a JSON body and sends the key as both
`Authorization` and `X-CKAN-API-Key`. The site address is http://host/opendata.

These tests need a committed database (the server runs in another thread, the dump CLI in another
process), so they are transactional; pytest-django runs them after the others (the reference data
is loaded again after each flush: rdec/conftest.py's `reference_data_after_flush`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import ckanapi
import pytest

from rdec.conftest import load_reference_data
from rdec.core import services as core_services
from rdec.core.models import Agency
from rdec.core.tests.factories import UserFactory
from rdec.opendata import services
from rdec.opendata.tests.factories import csv_upload, publish

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_after_flush")]


@pytest.fixture
def site(live_server, settings, tmp_path):
    if not Agency.objects.exists():
        load_reference_data()
    staff = UserFactory(
        username="od-staff", role="agency_staff", agency=Agency.objects.get(code="construction")
    )
    population = publish(staff, title="臺中市各區人口統計", tags=["人口"])
    services.add_resource(population, actor=staff, description="人口CSV", upload=csv_upload())
    publish(staff, title="臺中市交通事故資料", category="A00", tags=["交通事故"])
    _record, key = core_services.create_api_key(
        name="建設局上架程式", agency=Agency.objects.get(code="construction"), actor=None
    )
    return {"url": live_server.url + "/opendata", "key": key}


def test_ckanapi_lists_searches_shows_and_creates(site):
    anonymous = ckanapi.RemoteCKAN(site["url"], user_agent="rdec-tests/1.0")
    names = anonymous.action.package_list()
    found = anonymous.action.package_search(q="事故", fq="organization:construction", rows=10)
    shown = anonymous.action.package_show(id=names[0])
    orgs = anonymous.action.organization_list(all_fields=True)
    tags = anonymous.action.tag_list()

    writer = ckanapi.RemoteCKAN(site["url"], apikey=site["key"], user_agent="rdec-tests/1.0")
    created = writer.action.package_create(
        name="road-maintenance",
        title="臺中市道路養護案件",
        notes="道路坑洞與養護案件之月統計。",
        owner_org="construction",
        category="A00",
        field_description="月份(統計月份)、件數(養護案件數)",
        update_frequency="每月",
        maintainer="王承辦",
        maintainer_email="road@taichung.gov.tw",
        contact_phone="04-22289111",
        tags=[{"name": "道路"}],
    )
    resource = writer.action.resource_create(
        package_id=created["id"], name="養護案件", url="https://example.org/road.csv", format="csv"
    )
    updated = writer.action.package_update(id="road-maintenance", title="臺中市道路養護案件（月報）")

    assert len(names) == 2
    assert [d["title"] for d in found["results"]] == ["臺中市交通事故資料"]
    assert shown["organization"]["name"] == "construction"
    assert orgs[0]["package_count"] == 2
    assert tags == ["交通事故", "人口"]
    assert resource["format"] == "CSV"
    assert updated["title"] == "臺中市道路養護案件（月報）"
    assert updated["num_resources"] == 1


def test_ckanapi_raises_its_own_errors(site):
    anonymous = ckanapi.RemoteCKAN(site["url"], user_agent="rdec-tests/1.0")
    writer = ckanapi.RemoteCKAN(site["url"], apikey=site["key"], user_agent="rdec-tests/1.0")
    with pytest.raises(ckanapi.NotFound):
        anonymous.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.NotAuthorized):
        anonymous.action.package_create(name="x", owner_org="construction")
    with pytest.raises(ckanapi.ValidationError) as caught:
        writer.action.package_create(name="bad", owner_org="construction", update_frequency="每15日或每2月")
    assert "update_frequency" in caught.value.error_dict
    with pytest.raises(ckanapi.NotAuthorized):
        writer.action.package_create(name="elsewhere", owner_org="environment", title="x")


def test_ckanapi_dump_datasets_cli(site, tmp_path):
    output = tmp_path / "datasets.jsonl"
    cli = Path(sys.executable).parent / "ckanapi"
    completed = subprocess.run(  # noqa: S603 - our own venv's ckanapi against the test server
        [str(cli), "dump", "datasets", "--all", "-r", site["url"], "-O", str(output), "-p", "1", "-q"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={
            **os.environ,
            "PATH": f"{cli.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        },  # workers run `ckanapi`
    )
    assert completed.returncode == 0, completed.stderr
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["title"] for r in records) == ["臺中市交通事故資料", "臺中市各區人口統計"]
    assert all(r["license_title"] == "政府資料開放授權條款第1版" for r in records)
