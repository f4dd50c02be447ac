"""The district an address names (rdec.core.places), the address locator, the village boundaries and
the basemap setting (docs/maps.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given, settings
from hypothesis import strategies as st

from rdec.core import basemap, geo, places

NAMES = [
    "中區", "東區", "南區", "西區", "北區", "西屯區", "南屯區", "北屯區", "豐原區", "東勢區", "大甲區",
    "清水區", "沙鹿區", "梧棲區", "后里區", "神岡區", "潭子區", "大雅區", "新社區", "石岡區", "外埔區",
    "大安區", "烏日區", "大肚區", "龍井區", "霧峰區", "太平區", "大里區", "和平區",
]  # fmt: skip
CITY = st.sampled_from(["臺中市", "台中市", "", "407臺中市", "40701 台中市"])
# text around the district: roads, numbers, no district name and no character that makes one
FILLER = st.text(
    alphabet="路街巷弄號樓之一二三四五六七八九十0123456789文心市政崇德中港－ ", max_size=12
).filter(lambda t: not places.districts_named(t, NAMES))


@pytest.mark.parametrize(
    ("address", "named"),
    [
        ("臺中市西屯區文心路二段1號", ["西屯區"]),
        ("台中市西屯區文心路", ["西屯區"]),
        ("407臺中市西屯區惠來里", ["西屯區"]),
        ("ＸＸ西屯區", ["西屯區"]),  # full width
        ("台中市 沙鹿區 中山路", ["沙鹿區"]),
        ("台中市中區中華路一段", ["中區"]),
        ("中區中華路", ["中區"]),
        ("（東區）", ["東區"]),
        ("臺中區監理所", []),  # 中區 inside a longer word is not the district
        ("北屯路100號", []),  # a road named after a district is not the district
        ("臺中縣沙鹿鎮中山路", ["沙鹿區"]),  # the pre-2010 county form
        ("台中縣豐原市中正路", ["豐原區"]),
        ("西屯區與北屯區交界", ["西屯區", "北屯區"]),
        ("南屯區大墩路", ["南屯區"]),  # not 南區 or 屯區
        ("", []),
    ],
)
def test_the_district_an_address_names(address, named):
    assert places.districts_named(address, NAMES) == named


@given(city=CITY, before=FILLER, after=FILLER, district=st.sampled_from(NAMES))
def test_any_address_written_city_district_road_names_that_district(city, before, after, district):
    address = f"{city}{district}{after}" if city else f"{district}{after}"
    assert places.districts_named(address, NAMES) == [district]
    # and a road part in front of the city does not change it
    assert places.districts_named(f"{before}（{district}）{after}", NAMES) == [district]


@given(address=st.text(max_size=40), place=st.sampled_from(NAMES))
def test_the_rule_disagrees_only_when_the_address_names_districts_and_none_is_the_place(address, place):
    named = places.districts_named(address, NAMES)
    assert set(named) <= set(NAMES)
    assert all(places.normalise(n) in places.normalise(address) or "縣" in address for n in named)
    other = places.disagrees(address, place, NAMES)
    assert bool(other) == (bool(named) and place not in named)
    assert places.disagrees(address, None, NAMES) == []


@given(a=st.sampled_from(NAMES), b=st.sampled_from(NAMES), road=FILLER)
def test_an_address_in_one_district_and_a_place_in_another_disagree(a, b, road):
    assert (places.disagrees(f"臺中市{a}{road}", b, NAMES) != []) == (a != b)


@pytest.mark.django_db
def test_locate_puts_the_pin_inside_the_named_village_or_district():
    found = places.locate("台中市西屯區惠來里市政北二路")
    assert found["district"].name == "西屯區" and found["village"].name == "惠來里"
    assert found["precision"] == "village"
    place = geo.resolve(found["lat"], found["lon"])
    assert (place.district_name, place.village_name) == ("西屯區", "惠來里")
    found = places.locate("沙鹿區中山路")
    assert found["precision"] == "district" and found["village"] is None
    assert geo.resolve(found["lat"], found["lon"]).district_name == "沙鹿區"
    assert places.locate("文心路二段") is None


@pytest.mark.django_db
def test_the_locate_api_names_the_districts_and_gives_a_point(client):
    body = client.get("/api/v1/districts/locate/", {"address": "臺中市西屯區惠來里"}).json()
    assert [d["name"] for d in body["named"]] == ["西屯區"]
    assert body["district"]["name"] == "西屯區" and body["village"]["name"] == "惠來里"
    assert geo.resolve(body["lat"], body["lon"]).village_name == "惠來里"
    nothing = client.get("/api/v1/districts/locate/", {"address": "文心路"}).json()
    assert nothing == {
        "named": [],
        "district": None,
        "village": None,
        "lat": None,
        "lon": None,
        "precision": None,
    }
    assert client.get("/api/v1/districts/locate/").status_code == 400


@pytest.mark.django_db
def test_village_boundaries_carry_a_label_point_inside_each_village(client):
    body = client.get("/api/v1/villages/boundaries/", {"district": "66000060"}).json()
    features = body["features"]
    assert body["type"] == "FeatureCollection" and len(features) > 30
    assert {f["properties"]["district"] for f in features} == {"66000060"}
    for f in features[:10]:
        lat, lon = f["properties"]["label"]
        assert geo.resolve(lat, lon).village_code == f["properties"]["code"]
    everything = client.get("/api/v1/villages/boundaries/").json()["features"]
    assert len(everything) == 625


def test_the_basemap_setting():
    assert basemap.config("") is None and basemap.config("off") is None
    nlsc = basemap.config("nlsc")
    assert nlsc["url"] == "https://wmts.nlsc.gov.tw/wmts/EMAP/default/GoogleMapsCompatible/{z}/{y}/{x}"
    assert "國土測繪中心" in nlsc["attribution"]
    assert basemap.origin(nlsc) == "https://wmts.nlsc.gov.tw"
    own = basemap.config("http://127.0.0.1:9999/tiles/{z}/{x}/{y}.png", "Our tiles", "17")
    assert own == {
        "url": "http://127.0.0.1:9999/tiles/{z}/{x}/{y}.png",
        "attribution": "Our tiles",
        "max_zoom": 17,
    }
    assert basemap.origin(own) == "http://127.0.0.1:9999"
    for bad in ("javascript:alert(1)", "ftp://x/{z}", "https://tiles.example/no-placeholders"):
        with pytest.raises(ImproperlyConfigured):
            basemap.config(bad)


@pytest.mark.django_db
def test_maps_carry_the_basemap_and_no_basemap_by_default(client, settings):
    settings.RDEC_BASEMAP = None
    html = client.get("/districts/").content.decode()
    assert 'data-basemap="{}"' in html and 'data-villages="/api/v1/villages/boundaries/"' in html
    settings.RDEC_BASEMAP = basemap.config("nlsc")
    html = client.get("/districts/").content.decode()
    attr = html.split('data-basemap="', 1)[1].split('"', 1)[0]
    assert json.loads(attr.replace("&quot;", '"'))["url"] == basemap.NLSC_EMAP_URL


def _img_src(tmp_path, **env) -> list[str]:
    code = "from rdec import settings as s; print(json.dumps(s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("RDEC_BASEMAP")}
    environment.update(RDEC_DATA_DIR=str(tmp_path), **env)
    out = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import json\n" + code],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_the_csp_allows_the_tile_host_only_when_a_basemap_is_set(tmp_path):
    assert _img_src(tmp_path) == ["'self'", "data:"]
    assert _img_src(tmp_path, RDEC_BASEMAP_URL="nlsc") == ["'self'", "data:", "https://wmts.nlsc.gov.tw"]


def test_every_map_is_made_by_the_shared_setup():
    from pathlib import Path

    rdec = Path(__file__).resolve().parents[2]
    scripts = [p for p in rdec.glob("*/static/*/*.js") if "vendor" not in p.parts]
    makers = sorted(p.name for p in scripts if "L.map(" in p.read_text(encoding="utf-8"))
    assert makers == ["maps.js"]
    # a map is made by maps.js's createMap, or by its formPlacePicker (a place-picking form's map)
    users = [
        p
        for p in scripts
        if p.name != "maps.js"
        and any(f in p.read_text(encoding="utf-8") for f in ("createMap(", "formPlacePicker("))
    ]
    assert {p.name for p in users} >= {
        "districts.js",
        "file_map.js",
        "console.js",
        "map.js",
        "hotspot_map.js",
    }
    for template in rdec.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        assert "data-boundaries=" not in text, f"{template.name}: use {{% map_attrs %}}"


@pytest.mark.django_db
@settings(deadline=None, max_examples=60)
@given(address=st.text(max_size=250))
def test_the_locate_api_answers_any_text_without_failing(address):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/districts/locate/", {"address": address})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        body = response.json()
        assert [d["name"] for d in body["named"]] == places.districts_named(address, places.district_names())
