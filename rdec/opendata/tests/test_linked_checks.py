"""A linked resource is checked when it is created or changed (issue 13, item 13): given by URL
through the CKAN API (resource_create with a url, package_create with resources, resource_update
with a new url) or through the page, it used to keep `checked_at: null` and badge `none` until the
nightly run. Now the check is queued on commit, fetched through fetch.py (SSRF checks) — here in
eager mode, from a local HTTP server on 127.0.0.1 (private addresses allowed as in the demo)."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import ckanapi
import pytest
from django.test import Client

from rdec.conftest import load_reference_data
from rdec.core import services as core_services
from rdec.core.models import Agency
from rdec.core.tests.factories import UserFactory
from rdec.opendata.models import QualityCheck, Resource
from rdec.opendata.tests.factories import CSV, publish

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_after_flush")]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def files(tmp_path, settings):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    (tmp_path / "population.csv").write_bytes(CSV)
    (tmp_path / "landing.html").write_text("<html><body>請至下載頁</body></html>", encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def site(live_server):
    if not Agency.objects.exists():
        load_reference_data()
    construction = Agency.objects.get(code="construction")
    staff = UserFactory(username="od-linked", role="agency_staff", agency=construction)
    dataset = publish(staff, title="臺中市各區人口統計")
    _record, key = core_services.create_api_key(name="上架程式", agency=construction, actor=None)
    api = ckanapi.RemoteCKAN(live_server.url + "/opendata", apikey=key, user_agent="rdec-tests/1.0")
    return {"api": api, "dataset": dataset, "staff": staff}


def test_resource_create_with_a_url_is_checked_at_once(site, files):
    created = site["api"].action.resource_create(
        package_id=site["dataset"].identifier, url=files + "/population.csv", name="人口CSV", format="CSV"
    )
    shown = site["api"].action.resource_show(id=created["id"])
    assert shown["quality"]["checked_at"] is not None
    assert shown["quality"]["badge"] == "gold"
    assert QualityCheck.objects.filter(resource__url=files + "/population.csv").count() == 1


def test_package_create_with_linked_resources_checks_each(site, files):
    created = site["api"].action.package_create(
        name="street-lights",
        title="臺中市路燈資料",
        notes="臺中市路燈位置與型式。",
        owner_org="construction",
        category="A00",
        field_description="區域(行政區名稱)、人口數(該區設籍人口)",
        update_frequency="每月",
        maintainer="王承辦",
        maintainer_email="road@taichung.gov.tw",
        contact_phone="04-22289111",
        resources=[
            {"url": files + "/population.csv", "name": "CSV", "format": "CSV"},
            {"url": files + "/landing.html", "name": "下載頁", "format": "CSV"},
        ],
    )
    shown = site["api"].action.package_show(id=created["id"])
    badges = {r["name"]: r["quality"]["badge"] for r in shown["resources"]}
    assert all(r["quality"]["checked_at"] for r in shown["resources"])
    assert badges == {"CSV": "gold", "下載頁": "none"}
    landing = Resource.objects.get(url=files + "/landing.html")
    assert landing.quality_checks.get().indicators["downloadable"] == 0  # checked, found a landing page


def test_resource_update_with_a_new_url_is_checked_again(site, files):
    created = site["api"].action.resource_create(
        package_id=site["dataset"].identifier, url=files + "/landing.html", name="連結", format="CSV"
    )
    assert site["api"].action.resource_show(id=created["id"])["quality"]["badge"] == "none"
    site["api"].action.resource_update(id=created["id"], url=files + "/population.csv")
    shown = site["api"].action.resource_show(id=created["id"])
    assert shown["quality"]["badge"] == "gold"
    assert (
        QualityCheck.objects.filter(
            resource__pk=Resource.objects.get(url=files + "/population.csv").pk
        ).count()
        == 2
    )


def test_a_link_added_on_the_page_is_checked(site, files):
    browser = Client()
    browser.force_login(site["staff"])
    dataset = site["dataset"]
    response = browser.post(
        f"/opendata/datasets/{dataset.name}/resources/new/",
        {
            "description": "人口CSV連結",
            "url": files + "/population.csv",
            "format": "CSV",
            "encoding": "UTF-8",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get(dataset=dataset, url=files + "/population.csv")
    assert resource.quality_checks.get().badge == "gold"


def test_a_private_address_is_still_refused_by_the_queued_check(site, files, settings):
    settings.RDEC_OPENDATA_FETCH_PRIVATE = False
    created = site["api"].action.resource_create(
        package_id=site["dataset"].identifier, url=files + "/population.csv", name="內網", format="CSV"
    )
    check = Resource.objects.get(
        pk=Resource.objects.get(url=files + "/population.csv").pk
    ).quality_checks.get()
    assert check.indicators["linkable"] == 0
    assert check.messages[0]["code"] == "refused"
    assert site["api"].action.resource_show(id=created["id"])["quality"]["badge"] == "none"
