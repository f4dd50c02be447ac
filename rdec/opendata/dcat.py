"""The catalog as DCAT-AP (W3C DCAT v2 with the DCAT-AP classes and properties), built with rdflib,
and a dataset as schema.org Dataset JSON-LD for search engines (open-data.md §1.6).

- `/opendata/catalog.ttl`, `/opendata/catalog.jsonld`: a `dcat:Catalog` with a page of datasets
  (`?page=N`, `PAGE_SIZE` = 100 as ckanext-dcat, `?modified_since=YYYY-MM-DD`). Paging is written in
  the Hydra vocabulary as ckanext-dcat does: a `hydra:PagedCollection` node (its URI is the page's
  address) with `hydra:totalItems`, `hydra:itemsPerPage`, `hydra:firstPage`/`first`,
  `hydra:lastPage`/`last`, `hydra:nextPage`/`next`, `hydra:previousPage`/`previous`; the catalog
  points to it with `hydra:view`.
- `/opendata/dataset/<identifier or name>.ttl` (and `.jsonld`): one `dcat:Dataset`.

A dataset's URI is its page's address; a distribution's is `<dataset page>#<resourceID>`.
"""

from __future__ import annotations

import json
import math
import re

from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from rdec.opendata import vocab
from rdec.opendata.models import Dataset, Resource

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
CNT = Namespace("http://www.w3.org/2011/content#")
SCHEMA = "https://schema.org/"
FREQ = "http://publications.europa.eu/resource/authority/frequency/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LANG = "http://publications.europa.eu/resource/authority/language/"

PAGE_SIZE = 100

# 更新頻率 -> EU frequency authority (other frequencies are written as a literal).
FREQUENCIES = {
    "即時": "UPDATE_CONT",
    "每日": "DAILY",
    "每週": "WEEKLY",
    "每2週": "BIWEEKLY",
    "每月": "MONTHLY",
    "每2月": "BIMONTHLY",
    "每季": "QUARTERLY",
    "每3月": "QUARTERLY",
    "每半年": "ANNUAL_2",
    "每6月": "ANNUAL_2",
    "每年": "ANNUAL",
    "每2年": "BIENNIAL",
    "不定期": "IRREG",
    "每小時": "HOURLY",
}
MEDIA_TYPES = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "XML": "application/xml",
    "GEOJSON": "application/geo+json",
    "KML": "application/vnd.google-earth.kml+xml",
    "ODS": "application/vnd.oasis.opendocument.spreadsheet",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "XLS": "application/vnd.ms-excel",
    "PDF": "application/pdf",
    "ZIP": "application/zip",
    "TXT": "text/plain",
}


def dataset_uri(request, dataset: Dataset) -> URIRef:
    return URIRef(request.build_absolute_uri(reverse("opendata:dataset-detail", args=[dataset.name])))


def catalog_uri(request) -> URIRef:
    return URIRef(request.build_absolute_uri(reverse("opendata:dataset-list")))


def download_url(request, resource: Resource) -> str:
    if resource.file:
        return request.build_absolute_uri(reverse("opendata:resource-download", args=[resource.pk]))
    return resource.url


def _bind(graph: Graph) -> Graph:
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("hydra", HYDRA),
        ("spdx", SPDX),
        ("adms", ADMS),
        ("cnt", CNT),
    ):
        graph.bind(prefix, namespace)
    return graph


def _date(value) -> Literal:
    if hasattr(value, "hour"):
        return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


def add_dataset(graph: Graph, request, dataset: Dataset, resources: list[Resource] | None = None) -> URIRef:
    """Add one dataset with its publisher, contact point and distributions; returns its URI."""
    uri = dataset_uri(request, dataset)
    add = graph.add
    add((uri, RDF.type, DCAT.Dataset))
    add((uri, DCTERMS.identifier, Literal(dataset.identifier)))
    add((uri, DCTERMS.title, Literal(dataset.title, lang="zh-TW")))
    if dataset.title_en:
        add((uri, DCTERMS.title, Literal(dataset.title_en, lang="en")))
    add((uri, DCTERMS.description, Literal(dataset.description, lang="zh-TW")))
    add((uri, DCTERMS.issued, _date(dataset.published_on)))
    add((uri, DCTERMS.modified, _date(dataset.metadata_modified)))
    add((uri, DCTERMS.language, URIRef(LANG + "ZHO")))
    add((uri, DCAT.landingPage, URIRef(dataset.landing_page) if dataset.landing_page else uri))
    add((uri, DCAT.theme, Literal(f"{dataset.category} {vocab.Category(dataset.category).label}")))
    add((uri, DCTERMS.type, Literal(dataset.dataset_type)))
    frequency = FREQUENCIES.get(dataset.update_frequency)
    add(
        (
            uri,
            DCTERMS.accrualPeriodicity,
            URIRef(FREQ + frequency) if frequency else Literal(dataset.update_frequency, lang="zh-TW"),
        )
    )
    for tag in sorted(t.name for t in dataset.tags.all()):
        add((uri, DCAT.keyword, Literal(tag, lang="zh-TW")))
    if dataset.spatial:
        add((uri, DCTERMS.spatial, Literal(dataset.spatial, lang="zh-TW")))
    if dataset.temporal_from or dataset.temporal_to:
        period = BNode(f"temporal-{dataset.identifier}")
        add((uri, DCTERMS.temporal, period))
        add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_from:
            add((period, DCAT.startDate, _date(dataset.temporal_from)))
        if dataset.temporal_to:
            add((period, DCAT.endDate, _date(dataset.temporal_to)))
    publisher = URIRef(f"{catalog_uri(request)}?agency={dataset.agency.code}")
    add((uri, DCTERMS.publisher, publisher))
    add((publisher, RDF.type, FOAF.Organization))
    add((publisher, FOAF.name, Literal(dataset.agency.name, lang="zh-TW")))
    if dataset.agency.oid:
        add((publisher, DCTERMS.identifier, Literal(dataset.agency.oid)))
    if dataset.contact_name or dataset.contact_email:
        contact = BNode(f"contact-{dataset.identifier}")
        add((uri, DCAT.contactPoint, contact))
        add((contact, RDF.type, VCARD.Organization))
        if dataset.contact_name:
            add((contact, VCARD.fn, Literal(dataset.contact_name)))
        if dataset.contact_email:
            add((contact, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
        if dataset.contact_phone:
            add((contact, VCARD.hasTelephone, Literal(dataset.contact_phone)))
    license_uri = URIRef(dataset.license_url) if dataset.license_url else None
    if resources is None:
        resources = [r for r in dataset.resources.all() if r.state == Resource.State.ACTIVE]
    for resource in resources:
        dist = URIRef(f"{uri}#{resource.resource_id}")
        add((uri, DCAT.distribution, dist))
        add((dist, RDF.type, DCAT.Distribution))
        add((dist, DCTERMS.identifier, Literal(resource.resource_id)))
        add((dist, DCTERMS.title, Literal(resource.description, lang="zh-TW")))
        url = download_url(request, resource)
        if url:
            add((dist, DCAT.accessURL, URIRef(url)))
            add((dist, DCAT.downloadURL, URIRef(url)))
        if resource.format:
            add(
                (dist, DCTERMS.format, URIRef(FILE_TYPE + re.sub(r"[^A-Z0-9_]", "", resource.format.upper())))
            )
            if resource.format.upper() in MEDIA_TYPES:
                add((dist, DCAT.mediaType, Literal(MEDIA_TYPES[resource.format.upper()])))
        add((dist, CNT.characterEncoding, Literal(resource.encoding)))
        add((dist, DCTERMS.modified, _date(resource.modified_at)))
        add((dist, DCTERMS.issued, _date(resource.created_at)))
        if resource.size is not None:
            add((dist, DCAT.byteSize, Literal(resource.size, datatype=XSD.nonNegativeInteger)))
        if resource.sha256:
            checksum = BNode(f"checksum-{resource.resource_id}")
            add((dist, SPDX.checksum, checksum))
            add((checksum, RDF.type, SPDX.Checksum))
            add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
            add((checksum, SPDX.checksumValue, Literal(resource.sha256, datatype=XSD.hexBinary)))
        if license_uri:
            add((dist, DCTERMS.license, license_uri))
    if license_uri:
        add((uri, DCTERMS.license, license_uri))
    return uri


def _page_url(request, page: int) -> URIRef:
    query = request.GET.copy()
    query["page"] = str(page)
    return URIRef(request.build_absolute_uri(f"{request.path}?{query.urlencode()}"))


def catalog_graph(request, datasets, *, page: int, total: int, title: str) -> Graph:
    """A catalog page: the `dcat:Catalog`, the page's datasets and the Hydra paging node."""
    graph = _bind(Graph())
    catalog = catalog_uri(request)
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal(title, lang="zh-TW")))
    graph.add((catalog, DCTERMS.description, Literal(title, lang="zh-TW")))
    graph.add((catalog, DCTERMS.language, URIRef(LANG + "ZHO")))
    graph.add((catalog, FOAF.homepage, catalog))
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, add_dataset(graph, request, dataset)))
    last = max(1, math.ceil(total / PAGE_SIZE))
    view = _page_url(request, page)
    graph.add((catalog, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PagedCollection))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((view, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    links = {"first": 1, "last": last}
    if page < last:
        links["next"] = page + 1
    if page > 1:
        links["previous"] = page - 1
    for name, number in links.items():
        # ckanext-dcat writes hydra:firstPage etc. (Hydra's older terms); Hydra now says first/next/...
        graph.add((view, HYDRA[f"{name}Page"], _page_url(request, number)))
        graph.add((view, HYDRA[name], _page_url(request, number)))
    return graph


def dataset_graph(request, dataset: Dataset) -> Graph:
    graph = _bind(Graph())
    add_dataset(graph, request, dataset)
    return graph


def schema_org(request, dataset: Dataset, resources: list[Resource]) -> str:
    """schema.org Dataset JSON-LD for the dataset page's <script type="application/ld+json">
    (Google Dataset Search's required and recommended properties). Safe to embed: `<`, `>` and
    `&` are escaped."""
    uri = str(dataset_uri(request, dataset))
    data = {
        "@context": SCHEMA,
        "@type": "Dataset",
        "@id": uri,
        "url": uri,
        "identifier": dataset.identifier,
        "name": dataset.title,
        "description": dataset.description,
        "keywords": sorted(t.name for t in dataset.tags.all()),
        "license": dataset.license_url,
        "isAccessibleForFree": dataset.cost == vocab.Cost.FREE,
        "inLanguage": dataset.language,
        "datePublished": dataset.published_on.isoformat(),
        "dateModified": dataset.metadata_modified.replace(microsecond=0).isoformat(),
        "creator": {"@type": "GovernmentOrganization", "name": dataset.agency.name},
        "publisher": {"@type": "GovernmentOrganization", "name": dataset.agency.name},
        "distribution": [
            {
                "@type": "DataDownload",
                "name": r.description,
                "encodingFormat": MEDIA_TYPES.get(r.format.upper(), r.format),
                "contentUrl": download_url(request, r),
                **({"contentSize": str(r.size)} if r.size is not None else {}),
            }
            for r in resources
        ],
    }
    if dataset.spatial:
        data["spatialCoverage"] = dataset.spatial
    if dataset.temporal_from or dataset.temporal_to:
        start = dataset.temporal_from.isoformat() if dataset.temporal_from else ".."
        end = dataset.temporal_to.isoformat() if dataset.temporal_to else ".."
        data["temporalCoverage"] = f"{start}/{end}"
    if dataset.contact_email:
        data["creator"]["contactPoint"] = {
            "@type": "ContactPoint",
            "contactType": "customer service",
            "email": dataset.contact_email,
            **({"name": dataset.contact_name} if dataset.contact_name else {}),
        }
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
