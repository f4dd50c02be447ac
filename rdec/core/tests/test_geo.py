"""Point → district and village on the real MOI boundaries."""

from __future__ import annotations

import pytest
from shapely.geometry import shape

from rdec.core import geo
from rdec.core.models import District, Village

pytestmark = pytest.mark.django_db


def test_a_point_in_xitun_resolves_to_xitun_and_huilai_village():
    place = geo.resolve(24.1615, 120.6469)  # near 臺中市政府, 西屯區
    assert (place.district_name, place.village_name) == ("西屯區", "惠來里")
    assert place.district_code == "66000060" and place.village_code == "66000060005"


def test_every_village_resolves_to_itself_and_its_district():
    wrong = []
    for village in Village.objects.select_related("district"):
        point = shape(village.geometry).representative_point()
        place = geo.resolve(point.y, point.x)
        if place is None or (place.district_code, place.village_code) != (
            village.district.code,
            village.code,
        ):
            wrong.append(village.code)
    assert wrong == []


def test_every_district_resolves_to_itself():
    for district in District.objects.all():
        point = shape(district.geometry).representative_point()
        assert geo.resolve(point.y, point.x).district_code == district.code


@pytest.mark.parametrize(("lat", "lon"), [(25.0330, 121.5654), (23.0, 120.2), (24.2, 120.3)])
def test_points_outside_taichung_resolve_to_nothing(lat, lon):
    assert geo.resolve(lat, lon) is None
