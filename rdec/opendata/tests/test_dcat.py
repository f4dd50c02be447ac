"""DCAT-AP (Turtle, JSON-LD with Hydra paging), schema.org JSON-LD, full-catalog downloads and the
daily change list, read back the way consumers read them."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from rdec.core.context import acting_as
from rdec.opendata import dcat, exports, importer, services
from rdec.opendata.models import Dataset
from rdec.opendata.tests.factories import csv_upload, publish

pytestmark = pytest.mark.django_db
HYDRA = dcat.HYDRA
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")


def _catalog(personas, n: int) -> list[Dataset]:
    found = []
    for i in range(n):
        found.append(publish(personas.staff, title=f"資料集{i:03d}", tags=["人口"]))
    return found


def test_catalog_ttl_parses_back_with_every_dataset_and_its_distribution(client, personas):
    first = publish(personas.staff)
    with acting_as(personas.staff):
        services.add_resource(first, actor=personas.staff, description="人口CSV", upload=csv_upload())
    second = publish(personas.other_staff, title="空氣品質監測", tags=["空氣"])
    response = client.get("/opendata/catalog.ttl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    graph = Graph().parse(data=response.content.decode(), format="turtle")
    identifiers = {
        str(o) for s, o in graph.subject_objects(DCTERMS.identifier) if (s, RDF.type, DCAT.Dataset) in graph
    }
    assert identifiers == {first.identifier, second.identifier}
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(list(graph.objects(catalog, DCAT.dataset))) == 2
    dist = next(graph.subjects(RDF.type, DCAT.Distribution))
    assert str(graph.value(dist, DCTERMS.identifier)) == f"{first.identifier}-001"
    download = str(graph.value(dist, DCAT.downloadURL))
    assert download.endswith(reverse("opendata:resource-download", args=[first.resources.get().pk]))
    assert str(graph.value(dist, DCAT.byteSize)) == str(len(csv_upload().read()))
    assert str(graph.value(dist, DCAT.mediaType)) == "text/csv"
    uri = dcat.dataset_uri(response.wsgi_request, first)
    assert str(graph.value(uri, DCTERMS.accrualPeriodicity)).endswith("/frequency/MONTHLY")
    assert {str(k) for k in graph.objects(uri, DCAT.keyword)} == {"人口", "統計"}
    assert str(graph.value(uri, DCTERMS.license)) == "https://data.gov.tw/license"
    publisher = graph.value(uri, DCTERMS.publisher)
    assert str(graph.value(publisher, URIRef("http://xmlns.com/foaf/0.1/name"))) == personas.staff.agency.name


def test_withdrawn_datasets_are_not_in_the_catalog(client, personas):
    kept = publish(personas.staff)
    gone = publish(personas.staff, title="將下架")
    with acting_as(personas.staff):
        services.delete_dataset(gone, actor=personas.staff)
    graph = Graph().parse(data=client.get("/opendata/catalog.ttl").content.decode(), format="turtle")
    assert {str(o) for o in graph.objects(None, DCTERMS.identifier)} == {kept.identifier}
    assert client.get(f"/opendata/dataset/{gone.identifier}.ttl").status_code == 404


def test_catalog_jsonld_pages_with_hydra_and_every_dataset_is_reached(client, personas, monkeypatch):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 2)
    datasets = _catalog(personas, 5)
    seen: set[str] = set()
    url = "/opendata/catalog.jsonld"
    pages = 0
    while url:
        response = client.get(url)
        assert response["Content-Type"].startswith("application/ld+json")
        json.loads(response.content)  # valid JSON
        graph = Graph().parse(data=response.content.decode(), format="json-ld")
        view = next(graph.subjects(RDF.type, HYDRA.PagedCollection))
        assert int(graph.value(view, HYDRA.totalItems)) == 5
        assert str(graph.value(view, HYDRA.last)).endswith("page=3")
        seen |= {
            str(o)
            for s, o in graph.subject_objects(DCTERMS.identifier)
            if (s, RDF.type, DCAT.Dataset) in graph
        }
        following = graph.value(view, HYDRA.next)
        url = str(following).replace("http://testserver", "") if following else None
        pages += 1
    assert pages == 3
    assert seen == {d.identifier for d in datasets}


def test_modified_since_filters_and_a_bad_date_is_400(client, personas):
    publish(personas.staff)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    graph = Graph().parse(
        data=client.get(f"/opendata/catalog.ttl?modified_since={tomorrow}").content.decode(), format="turtle"
    )
    assert list(graph.subjects(RDF.type, DCAT.Dataset)) == []
    assert client.get("/opendata/catalog.ttl?modified_since=yesterday").status_code == 400
    assert client.get("/opendata/catalog.rdf").status_code == 404


def test_dataset_ttl_by_identifier_or_name(client, personas):
    dataset = publish(personas.staff, temporal_from=datetime.date(2024, 1, 1), spatial="臺中市")
    for key in (dataset.identifier, dataset.name):
        graph = Graph().parse(
            data=client.get(f"/opendata/dataset/{key}.ttl").content.decode(), format="turtle"
        )
        uri = next(graph.subjects(RDF.type, DCAT.Dataset))
        assert str(graph.value(uri, DCTERMS.title)) == dataset.title
        period = graph.value(uri, DCTERMS.temporal)
        assert str(graph.value(period, DCAT.startDate)) == "2024-01-01"


def test_the_dataset_page_embeds_schema_org_json_ld(client, personas):
    dataset = publish(personas.staff, description="含 </script> 的描述")
    with acting_as(personas.staff):
        services.add_resource(dataset, actor=personas.staff, description="人口CSV", upload=csv_upload())
    html = client.get(reverse("opendata:dataset-detail", args=[dataset.name])).content.decode()
    block = re.search(
        r'<script type="application/ld\+json" data-testid="schema-org">(.*?)</script>', html, re.S
    )
    data = json.loads(block.group(1))
    assert data["@type"] == "Dataset"
    assert data["name"] == dataset.title
    assert data["description"] == "含 </script> 的描述"  # escaped in the page, intact once parsed
    assert data["license"] == "https://data.gov.tw/license"
    assert data["distribution"][0]["encodingFormat"] == "text/csv"
    assert data["creator"]["name"] == personas.staff.agency.name
    assert 'rel="alternate" type="text/turtle"' in html


def test_full_catalog_csv_has_the_portals_columns_and_reimports(client, personas, settings):
    dataset = publish(personas.staff)
    with acting_as(personas.staff):
        services.add_resource(dataset, actor=personas.staff, description="人口CSV", upload=csv_upload())
        services.add_resource(
            dataset, actor=personas.staff, description="連結", url="https://example.org/a.json"
        )
    response = client.get("/opendata/downloads/catalog.csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == exports.COLUMNS
    row = rows[0]
    assert row["資料集識別碼"] == dataset.identifier
    assert row["服務分類"] == "公共資訊"
    assert row["檔案格式"] == "CSV;JSON"
    assert row["資料下載網址"].split(";")[1] == "https://example.org/a.json"
    assert row["品質檢測"] in {"金標章", "銀標章", "銅標章", "無"}
    assert row["提供機關"] == personas.staff.agency.name
    as_json = client.get("/opendata/downloads/catalog.json").json()
    assert as_json[0]["資料集識別碼"] == dataset.identifier and list(as_json[0]) == exports.COLUMNS
    # The download is the importer's input: the same rows come back (duplicates refused here).
    with pytest.raises(importer.ImportFailed) as failed:
        importer.import_bytes(response.content, actor=personas.officer)
    # Every column was read and valid; only the identifier, already in the catalog, is refused.
    assert len(failed.value.errors) == 1 and "資料集識別碼" in failed.value.errors[0]


def test_the_change_list_names_added_changed_and_withdrawn(client, personas, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, tzinfo=TAIPEI), tick=False)
    old = publish(personas.staff, title="舊資料集", published_on=datetime.date(2026, 3, 2))
    gone = publish(personas.staff, title="要下架", published_on=datetime.date(2026, 3, 2))
    time_machine.move_to(datetime.datetime(2026, 3, 4, 23, 59, tzinfo=TAIPEI), tick=False)
    publish(personas.staff, title="前一天")
    time_machine.move_to(datetime.datetime(2026, 3, 5, 9, tzinfo=TAIPEI), tick=False)
    new = publish(personas.staff, title="新資料集")
    with acting_as(personas.staff):
        services.update_dataset(old, actor=personas.staff, remarks="更新")
        services.delete_dataset(gone, actor=personas.staff)
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/opendata/downloads/changes.csv?date=2026-03-05").content.decode("utf-8-sig")
            )
        )
    )
    kinds = {r["資料集識別碼"]: r["異動類型"] for r in rows}
    assert kinds == {new.identifier: "新增", old.identifier: "修改", gone.identifier: "下架"}
    assert list(rows[0])[0] == "異動類型"
    # Without a date: yesterday's (2026-03-04) list; 23:59 Taipei time is still that day.
    yesterday = client.get("/opendata/downloads/changes.json").json()
    assert [r["資料集名稱"] for r in yesterday] == ["前一天"]
    assert "2026-03-04.json" in client.get("/opendata/downloads/changes.json")["Content-Disposition"]
    assert client.get("/opendata/downloads/changes.csv?date=2026-13-01").status_code == 400
