"""Duplicate candidates (併案): same category group, within 30 days, nearby, similar text."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from rdec.analytics import selectors, similar
from rdec.petitions.models import Case
from rdec.petitions.tests.factories import file

pytestmark = pytest.mark.django_db

HERE = {"lat": 24.1615, "lon": 120.6469}


def _file(code="light-out", subject="路燈不亮", description="文心路上的路燈整排不亮", days_ago=0, **place):
    case, _code = file(code=code, subject=subject, description=description, **(place or HERE))
    if days_ago:
        Case.objects.filter(pk=case.pk).update(received_at=timezone.now() - datetime.timedelta(days=days_ago))
        case.refresh_from_db()
    return case


def test_the_same_issue_nearby_is_found_and_others_are_not(personas):
    main = _file()
    twin = _file(description="文心路路燈整排都不亮，很暗", lat=24.1617, lon=120.6471)  # ~30 m away
    far = _file(lat=24.20, lon=120.70)  # km away
    old = _file(days_ago=60)  # too long ago
    other_kind = _file(code="pothole", subject="路面坑洞", description="文心路上有坑洞")  # another group
    found = selectors.similar_cases(personas.officer, main)
    numbers = [row["case"].number for row in found]
    assert numbers[0] == twin.number
    assert not {far.number, old.number, other_kind.number} & set(numbers)
    top = found[0]
    assert 0.35 <= top["similarity"] <= 1 and top["distance_m"] == pytest.approx(
        similar.distance_m(main.lat, main.lon, twin.lat, twin.lon)
    )
    assert 20 < top["distance_m"] < 40


def test_the_haversine_distance_is_right():
    # 臺中火車站 to 臺中市政府 (a straight line of about 4.8 km)
    assert similar.distance_m(24.1369, 120.6850, 24.1618, 120.6469) == pytest.approx(4_800, rel=0.15)


def test_agency_staff_see_only_candidates_they_may_see(personas):
    main = _file()
    _file(description="文心路路燈整排都不亮", lat=24.1616, lon=120.6470)
    assert selectors.similar_cases(personas.staff, main)  # 建設局 handles street lights
    api = APIClient()
    api.force_authenticate(personas.other_staff)  # 環保局: cannot see the case at all
    assert api.get(f"/api/v1/petitions/{main.number}/similar/").status_code == 404


def test_the_api_lists_candidates_with_similarity_and_distance(personas):
    main = _file()
    twin = _file(description="文心路路燈整排都不亮", lat=24.1616, lon=120.6470)
    api = APIClient()
    api.force_authenticate(personas.staff)
    body = api.get(f"/api/v1/petitions/{main.number}/similar/").json()
    (first, *_rest) = body["results"]
    assert first["number"] == twin.number and first["category"] == "light-out"
    assert isinstance(first["distance_m"], float | int) and 0 < first["similarity"] <= 1
    api.force_authenticate(personas.citizen)
    assert api.get(f"/api/v1/petitions/{main.number}/similar/").status_code in (403, 404)


def test_the_case_page_loads_the_candidates_with_a_merge_button(client, personas):
    main = _file()
    twin = _file(description="文心路路燈整排都不亮", lat=24.1616, lon=120.6470)
    client.force_login(personas.staff)
    page = client.get(reverse("petitions:case", args=[main.number])).content.decode()
    url = reverse("analytics:similar-cases", args=[main.number])
    assert url in page
    fragment = client.get(url).content.decode()
    assert twin.number in fragment and f'data-merge-into="{twin.number}"' in fragment


def test_a_candidates_subject_reaches_non_handlers_with_personal_data_masked(personas):
    main = _file()
    _file(
        subject="路燈不亮，我是王大明電話0933222111",
        description="文心路路燈整排都不亮",
        lat=24.1616,
        lon=120.6470,
    )
    officer_view = selectors.similar_cases(personas.officer, main)  # RDEC sees every case, handles none
    assert officer_view and "0933222111" not in officer_view[0]["subject"]
    assert "王大明" not in officer_view[0]["subject"] and "路燈不亮" in officer_view[0]["subject"]
    api = APIClient()
    api.force_authenticate(personas.officer)
    body = api.get(f"/api/v1/petitions/{main.number}/similar/").json()
    assert body["results"] and "0933222111" not in body["results"][0]["subject"]
    staff_view = selectors.similar_cases(personas.staff, main)  # 建設局 handles both cases
    assert "0933222111" in staff_view[0]["subject"]
