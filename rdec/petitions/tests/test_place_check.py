"""The address against the place (docs/maps.md): a submission whose address names one district and
whose pin (or, without a pin, chosen district) is in another is sent back with a field error asking to
move the pin or correct the address, unless the person ticks that both are right."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from shapely.geometry import shape

from rdec.core.models import District
from rdec.petitions.models import Case
from rdec.petitions.tests.test_views import form_data, login

pytestmark = pytest.mark.django_db

XITUN = ("24.161500", "120.646900")  # 惠來里, near the city hall


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def point_in(name: str) -> tuple[str, str]:
    p = shape(District.objects.get(name=name).geometry).representative_point()
    return f"{p.y:.6f}", f"{p.x:.6f}"


def test_a_pin_in_another_district_than_the_address_is_sent_back(client):
    lat, lon = point_in("沙鹿區")
    response = client.post(
        reverse("petitions:file"), form_data(address="臺中市西屯區文心路二段1號", lat=lat, lon=lon)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["address"]
    assert any("西屯區" in e and "沙鹿區" in e for e in errors), errors
    body = response.content.decode()
    assert 'name="place_confirmed"' in body  # the way out is offered only now
    assert not Case.objects.exists()


def test_ticking_that_both_are_right_files_the_case_at_the_pin(client):
    lat, lon = point_in("沙鹿區")
    data = form_data(address="西屯區文心路二段1號", lat=lat, lon=lon, place_confirmed="on")
    assert client.post(reverse("petitions:file"), data).status_code == 302
    assert Case.objects.get().district.name == "沙鹿區"


@pytest.mark.parametrize(
    ("address", "where"),
    [
        ("臺中市西屯區文心路二段1號", XITUN),  # they agree
        ("文心路二段1號", XITUN),  # the address names no district
        ("西屯區文心路", ("", "")),  # no pin, no district chosen
    ],
)
def test_agreeing_or_silent_addresses_are_filed(client, address, where):
    data = form_data(address=address, lat=where[0], lon=where[1])
    assert client.post(reverse("petitions:file"), data).status_code == 302
    assert Case.objects.get().district.name == "西屯區"


def test_the_empty_form_does_not_offer_the_confirmation(client):
    body = client.get(reverse("petitions:file")).content.decode()
    assert 'name="place_confirmed"' not in body
    assert 'id="place-warning"' in body and 'role="status"' in body
    assert "<details" in body and 'name="lat"' in body  # coordinates behind a disclosure, still a field


def console_data(**overrides):
    data = {
        "submission_token": uuid.uuid4().hex,
        "petitioner_phone": "0922-333-444",
        "petitioner_name": "林先生",
        "category": "pothole",
        "subject": "坑洞",
        "description": "路面坑洞",
        "address": "西屯區文心路二段",
        "channel": "phone",
    }
    data.update(overrides)
    return data


def test_the_console_checks_the_address_against_the_chosen_district(client, personas):
    login(client, personas.agent)
    shalu = District.objects.get(name="沙鹿區").code
    response = client.post(reverse("petitions:console"), console_data(district=shalu))
    assert response.status_code == 400
    errors = response.context["form"].errors["address"]
    assert any("西屯區" in e and "沙鹿區" in e for e in errors), errors
    confirmed = console_data(district=shalu, place_confirmed="on")
    assert client.post(reverse("petitions:console"), confirmed).status_code == 302
    assert Case.objects.get().district.name == "沙鹿區"


def test_the_console_takes_the_district_from_the_address_when_none_is_chosen(client, personas):
    login(client, personas.agent)
    assert (
        client.post(reverse("petitions:console"), console_data(address="北屯區崇德路二段")).status_code == 302
    )
    assert Case.objects.get().district.name == "北屯區"


def test_the_console_checks_a_pin_too(client, personas):
    login(client, personas.agent)
    lat, lon = point_in("大甲區")
    response = client.post(reverse("petitions:console"), console_data(lat=lat, lon=lon))
    assert response.status_code == 400
    assert "大甲區" in " ".join(response.context["form"].errors["address"])
