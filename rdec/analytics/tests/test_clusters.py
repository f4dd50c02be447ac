"""Location-level hot spots: a street light reported 15 times among scattered reports is found as
one place; scattered reports alone, or reports of different categories at one place, are not."""

from __future__ import annotations

import datetime
import math
import random
import uuid

import pytest
from rest_framework.test import APIClient

from rdec.analytics import clusters
from rdec.core.models import Agency, District
from rdec.petitions.models import Case, Category

LIGHT = (24.16250, 120.64700)  # a street light in 西屯區


def _near(rng, lat, lon, metres):
    """A point at most `metres` from (lat, lon)."""
    r, a = metres * math.sqrt(rng.random()), rng.random() * 2 * math.pi
    return lat + r * math.cos(a) / 111_320, lon + r * math.sin(a) / (111_320 * math.cos(math.radians(lat)))


def _scattered(rng, n, key="x", category=1):
    """n points spread over about 3 km × 3 km around the light."""
    return [
        (
            f"{key}{i}",
            category,
            LIGHT[0] + (rng.random() - 0.5) * 0.027,
            LIGHT[1] + (rng.random() - 0.5) * 0.03,
        )
        for i in range(n)
    ]


def test_one_light_reported_15_times_is_one_place():
    rng = random.Random(7)
    reports = [(f"light{i}", 1, *_near(rng, *LIGHT, 30)) for i in range(15)]
    found = clusters.point_clusters(reports + _scattered(rng, 200))
    assert len(found) == 1
    place = found[0]
    assert {f"light{i}" for i in range(15)} <= set(place.members) and place.count <= 17
    assert clusters._haversine_m(place.lat, place.lon, *LIGHT) < 15
    assert place.radius_m < 100  # members chain: each within 60 m of another


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scattered_reports_make_no_place(seed):
    assert clusters.point_clusters(_scattered(random.Random(seed), 300)) == []


def test_categories_are_not_mixed_and_four_reports_are_not_enough():
    rng = random.Random(3)
    lights = [(f"l{i}", 1, *_near(rng, *LIGHT, 20)) for i in range(7)]
    holes = [(f"h{i}", 2, *_near(rng, *LIGHT, 20)) for i in range(7)]
    few = [(f"f{i}", 3, *_near(rng, *LIGHT, 20)) for i in range(4)]
    found = clusters.point_clusters(lights + holes + few + [("none", 4, None, None)])
    assert sorted((c.category_id, c.count) for c in found) == [(1, 7), (2, 7)]


@pytest.mark.django_db
def test_the_api_lists_the_place_with_its_cases_for_those_who_may_see_them(personas):
    rng = random.Random(11)
    today = datetime.date(2026, 11, 23)
    light_out = Category.objects.get(code="light-out")
    agency = Agency.objects.get(code="construction")
    xitun = District.objects.get(code="66000060")
    numbers = []
    for i in range(8):
        lat, lon = _near(rng, *LIGHT, 25)
        when = datetime.datetime(
            2026, 11, 23 + i % 5, 9, i, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
        )
        case = Case.objects.create(
            number=f"t-{uuid.uuid4().hex[:10]}",
            channel="phone",
            category=light_out,
            subject="路燈不亮",
            description="路燈不亮",
            district=xitun,
            agency=agency,
            status="assigned",
            received_at=when,
            due_date=today,
            original_due_date=today,
            lat=lat,
            lon=lon,
        )
        numbers.append(case.number)
    api = APIClient()
    api.force_authenticate(personas.officer)
    query = {"start": "2026-11-23", "end": "2026-11-29"}
    body = api.get("/api/v1/analytics/point-clusters/", query).json()
    assert len(body["results"]) == 1
    place = body["results"][0]
    assert place["count"] == 8 and place["category"]["code"] == "light-out"
    assert place["district"] == {"code": "66000060", "name": "西屯區"}
    assert set(place["cases"]) == set(numbers)
    assert place["first_received"] < place["last_received"]
    api.force_authenticate(personas.other_staff)  # 環保局: not their cases
    assert api.get("/api/v1/analytics/point-clusters/", query).json()["results"] == []
    api.force_authenticate(personas.citizen)
    assert api.get("/api/v1/analytics/point-clusters/", query).status_code == 403
    api.force_authenticate(personas.officer)
    too_long = api.get("/api/v1/analytics/point-clusters/", {"start": "2026-01-01", "end": "2026-11-29"})
    assert too_long.status_code == 400 and "end" in too_long.json()["errors"]
    assert api.get("/api/v1/analytics/point-clusters/", {"start": "soon"}).status_code == 400
