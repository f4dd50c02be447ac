"""Charts and maps where a tabular resource allows them."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from rdec.core.context import acting_as
from rdec.opendata import charts, services
from rdec.opendata.tests.factories import csv_upload, publish


def test_latitude_and_longitude_columns_give_points_inside_taiwan():
    header = ["站名", "緯度", "經度"]
    rows = [["文心站", "24.1506", "120.6486"], ["壞值", "abc", "120.1"], ["海外", "35.6", "139.7"], ["短"]]
    visual = charts.analyse(header, rows)
    assert visual.points == [{"lat": 24.1506, "lon": 120.6486, "label": "文心站"}]
    assert charts.analyse(["name", "lat", "lng"], [["a", "24.1", "120.6"]]).points[0]["lon"] == 120.6


def test_a_district_column_sums_the_first_numeric_column_by_district():
    header = ["month", "district", "reported", "repaired"]
    rows = [
        ["115/01", "北屯區", "132", "128"],
        ["115/01", "西屯區", "118", "117"],
        ["115/02", "北屯區", "97", "95"],
    ]
    visual = charts.analyse(header, rows)
    # "month" is not numeric (115/01), so "reported" is the first numeric column
    assert visual.bar_label == "reported"
    assert visual.bars == [("北屯區", 229.0), ("西屯區", 118.0)]
    svg = charts.bar_svg(visual.bars, "reported by district")
    assert svg.startswith("<svg") and "229" in svg and "北屯區" in svg


def test_without_numbers_the_rows_are_counted_and_non_districts_give_nothing():
    assert charts.analyse(["區域", "地址"], [["北屯區", "x"], ["北屯區", "y"], ["南區", "z"]]).bars == [
        ("北屯區", 2.0),
        ("南區", 1.0),
    ]
    assert charts.analyse(["區域", "人口"], [["北部", "1"], ["中部", "2"]]).bars == []
    assert charts.bar_svg([("<b>區", 1.0)], "t").count("<b>") == 0  # names are escaped


@pytest.mark.django_db
def test_the_dataset_page_draws_the_map_and_the_district_chart(client, personas):
    dataset = publish(
        personas.staff,
        field_description="站名(站點名稱)、行政區(所在行政區)、車位(車位數)、緯度(WGS84)、經度(WGS84)",
    )
    content = "站名,行政區,車位,緯度,經度\n文心森林公園站,南屯區,24,24.1405,120.6472\n市政府站,西屯區,40,24.1618,120.6469\n".encode()
    with acting_as(personas.staff):
        services.add_resource(dataset, actor=personas.staff, description="站點", upload=csv_upload(content))
    html = client.get(reverse("opendata:dataset-detail", args=[dataset.name])).content.decode()
    assert 'data-testid="map"' in html and "leaflet.js" in html
    points = json.loads(
        re.search(r'<script id="od-points-1" type="application/json">(.*?)</script>', html).group(1)
    )
    assert [p["label"] for p in points] == ["文心森林公園站", "市政府站"]
    assert 'data-testid="district-chart"' in html and ">40<" in html
