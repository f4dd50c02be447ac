"""GET /api/v1/programs/fields/: public, published fields only, JSON (paged) and GeoJSON (by
`?format=geojson` or the Accept header)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rdec.programs.tests.field_factories import field

pytestmark = pytest.mark.django_db

URL = "/api/v1/programs/fields/"


@pytest.fixture
def sites(personas):
    shown = field(personas.staff, personas.staff.agency)
    hidden = field(personas.staff, personas.staff.agency, name="未公開場域", published=False)
    return shown, hidden


def test_anyone_lists_the_published_fields(sites):
    response = APIClient().get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["name"] == "水湳經貿園區智慧路口"
    assert row["agency"]["code"] == sites[0].agency.code
    assert (row["latitude"], row["longitude"]) == (24.178693, 120.64735)
    assert (row["available_from"], row["available_until"]) == ("2022-07-01", "2023-06-30")


@pytest.mark.parametrize("how", ["query", "accept"])
def test_geojson_by_query_or_accept_header(sites, how):
    client = APIClient()
    if how == "query":
        response = client.get(URL, {"format": "geojson"})
    else:
        response = client.get(URL, HTTP_ACCEPT="application/geo+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    (feature,) = body["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [120.64735, 24.178693]}
    assert feature["properties"]["name"] == "水湳經貿園區智慧路口"
    assert "latitude" not in feature["properties"]


def test_an_unknown_format_is_a_404(sites):
    assert APIClient().get(URL, {"format": "kml"}).status_code == 404
