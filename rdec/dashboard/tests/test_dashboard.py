"""The city dashboard (issue 22, first slice): the component registry scoped to the user (an agency
supervisor gets their agency's numbers, the RDEC the city's; a component's number equals its
module's own selector), each value cached with the time it was computed, pin/remove/reorder saved
per user, the public dashboard without login or personal data, and the API's fields."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from rdec.core.context import acting_as
from rdec.dashboard import components as dc
from rdec.dashboard import selectors
from rdec.dashboard.models import Layout

pytestmark = pytest.mark.django_db
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")
NOW = datetime.datetime(2026, 11, 10, 10, 0, tzinfo=TAIPEI)  # a Tuesday


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tuesday(time_machine, fresh_reference):
    time_machine.move_to(NOW, tick=False)
    return NOW.date()


@pytest.fixture
def cases(personas, tuesday, time_machine):
    """Construction: two open cases, one of them overdue; environment: one open case."""
    from rdec.petitions.tests.factories import file

    time_machine.move_to(NOW - datetime.timedelta(days=40), tick=False)
    late, _code = file(personas.citizen)  # filed 40 days ago: past its due date
    time_machine.move_to(NOW, tick=False)
    fresh, _code = file(personas.citizen)
    other, _code = file(personas.citizen, code="garbage")
    from rdec.core.models import Agency
    from rdec.petitions.models import Case

    construction, environment = (
        Agency.objects.get(code="construction"),
        Agency.objects.get(code="environment"),
    )
    Case.objects.filter(pk__in=[late.pk, fresh.pk]).update(agency=construction)
    Case.objects.filter(pk=other.pk).update(agency=environment)
    return late, fresh, other


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def value(name, user):
    return dc.value_for(dc.get(name), user)["data"]


def test_every_module_declares_its_components():
    names = {c.name for c in dc.registered()}
    for name in (
        "petitions.intake_today", "petitions.open", "petitions.overdue", "petitions.on_time_rate",
        "petitions.satisfaction", "tracking.overdue", "tracking.by_agency", "strategy.lights",
        "tenders.execution", "tenders.seriously_lagging", "documents.ranking", "documents.over_threshold",
        "opendata.datasets", "opendata.gold_share", "polls.latest",
    ):  # fmt: skip
        assert name in names
    for c in dc.registered():
        assert c.url(), f"{c.name} links to no page"


def test_petition_numbers_equal_the_inbox_for_the_same_scope(personas, cases):
    from rdec.petitions import selectors as petitions

    for user in (personas.officer, personas.supervisor, personas.other_staff):
        assert value("petitions.open", user)["value"] == petitions.inbox_for(user).count()
        assert value("petitions.overdue", user)["value"] == petitions.overdue_count(user)
    # the supervisor of 建設局 sees their agency's two cases, one overdue; the RDEC the city's three
    assert value("petitions.open", personas.supervisor)["value"] == 2
    assert value("petitions.overdue", personas.supervisor)["value"] == 1
    assert value("petitions.open", personas.officer)["value"] == 3
    assert value("petitions.open", personas.other_staff)["value"] == 1


def test_the_open_data_count_equals_the_catalogue(personas, tuesday):
    from rdec.opendata import selectors as opendata
    from rdec.opendata.tests.factories import publish

    publish(personas.staff)
    publish(personas.other_staff, title="臺中市垃圾清運點")
    city = value("opendata.datasets", personas.officer)
    assert city["value"] == opendata.published_datasets().count() and city["target"] == 3050
    mine = value("opendata.datasets", personas.supervisor)
    assert (
        mine["value"] == opendata.published_datasets().filter(agency=personas.supervisor.agency).count() == 1
    )
    assert "target" not in mine


def test_every_component_computes_for_each_role(personas, cases):
    for user in (personas.officer, personas.supervisor, personas.staff):
        for component in dc.visible_to(user):
            data = dc.value_for(component, user)["data"]
            assert isinstance(data, dict), component.name


def test_who_sees_what(personas):
    assert dc.visible_to(personas.citizen) == [] and dc.visible_to(personas.agent) == []
    assert {c.name for c in dc.visible_to(personas.supervisor)} >= {"petitions.overdue", "tenders.execution"}
    city_only = dc.register(
        "test.city_only",
        "城市",
        module="test",
        visible=lambda u: True,
        data=lambda u: {"value": 1},
        scope=dc.CITY,
    )
    try:
        assert dc.may_see(city_only, personas.officer) and not dc.may_see(city_only, personas.supervisor)
        assert (
            client_for(personas.supervisor).get("/api/v1/dashboard/components/test.city_only/").status_code
            == 404
        )
        assert (
            client_for(personas.officer).get("/api/v1/dashboard/components/test.city_only/").status_code
            == 200
        )
    finally:
        dc.unregister("test.city_only")


def test_a_value_is_cached_with_the_time_it_was_computed(personas, cases, time_machine):
    component = dc.get("petitions.open")
    first = dc.value_for(component, personas.officer)
    assert first["computed_at"] == NOW
    from rdec.petitions.tests.factories import file

    time_machine.move_to(NOW + datetime.timedelta(seconds=30), tick=False)
    file(personas.citizen)
    again = dc.value_for(component, personas.officer)
    assert again == first  # within the refresh interval: the cached value and its time
    time_machine.move_to(NOW + datetime.timedelta(seconds=component.refresh + 1), tick=False)
    # locmem expiry follows time.time(), which time_machine moves
    later = dc.value_for(component, personas.officer)
    assert (
        later["data"]["value"] == first["data"]["value"] + 1 and later["computed_at"] > first["computed_at"]
    )
    page = client_for(personas.officer).get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="computed-petitions.open"' in page


def test_the_page_shows_the_default_and_links_every_number(personas, cases):
    page = client_for(personas.supervisor).get(reverse("dashboard:home"))
    assert page.status_code == 200
    names = [t.name for t in page.context["tiles"]]
    assert names == selectors.default_names(personas.supervisor)
    html = page.content.decode()
    assert 'data-testid="value-petitions.overdue">1<' in html.replace(
        'href="/petitions/inbox/?due=overdue" ', ""
    )
    assert 'href="/petitions/inbox/?due=overdue" data-testid="value-petitions.overdue"' in html
    for who in ("citizen", "agent"):
        assert client_for(getattr(personas, who)).get(reverse("dashboard:home")).status_code == 403


def test_pin_remove_and_reorder_persist(personas, tuesday):
    client = client_for(personas.officer)
    default = selectors.default_names(personas.officer)
    first, second = default[0], default[1]
    assert client.post(reverse("dashboard:move", args=[second]), {"direction": "up"}).status_code == 302
    assert Layout.objects.get(user=personas.officer).components[:2] == [second, first]
    client.post(reverse("dashboard:remove", args=[first]))
    names = [t.name for t in client.get(reverse("dashboard:home")).context["tiles"]]
    assert first not in names and names[0] == second
    client.post(reverse("dashboard:pin"), {"component": first})
    assert selectors.layout_names(personas.officer)[-1] == first
    # nobody else's dashboard changed; a bad request is refused with a message, not an error
    assert selectors.layout_names(personas.supervisor) == selectors.default_names(personas.supervisor)
    response = client.post(reverse("dashboard:pin"), {"component": "no.such"}, follow=True)
    assert response.status_code == 200 and "沒有這個元件" in response.content.decode()
    response = client.post(reverse("dashboard:move", args=[first]), {"direction": "sideways"}, follow=True)
    assert response.status_code == 200
    client.post(reverse("dashboard:reset"))
    assert not Layout.objects.filter(user=personas.officer).exists()


def test_a_change_is_audited(personas, tuesday):
    from rdec.core.models import AuditEntry
    from rdec.dashboard import services

    with acting_as(personas.officer):
        services.remove_component("polls.latest", actor=personas.officer)
    assert AuditEntry.objects.filter(actor=personas.officer, target_type__icontains="layout").exists()


def test_the_public_dashboard_needs_no_login_and_names_nobody(personas, cases):
    response = Client().get(reverse("dashboard:public"))
    assert response.status_code == 200
    html = response.content.decode()
    for personal in ("王小明", "0912-345-678", "wang@example.com", "西屯路二段", cases[0].number):
        assert personal not in html
    months = response.context["figures"]["months"]
    assert len(months) == 12 and months[-1]["month"] == "2026-11"
    assert sum(m["received"] for m in months) == 3
    assert 'data-testid="public-opendata"' in html


def test_the_api_lists_and_reads_components(personas, cases):
    client = client_for(personas.supervisor)
    listed = client.get("/api/v1/dashboard/components/").json()
    assert [c["name"] for c in listed] == [c.name for c in dc.visible_to(personas.supervisor)]
    assert set(listed[0]) == {"name", "title", "module", "kind", "refresh_seconds", "url"}
    body = client.get("/api/v1/dashboard/components/petitions.overdue/").json()
    assert set(body) == {"name", "title", "computed_at", "data"}
    assert body["name"] == "petitions.overdue" and body["data"]["value"] == 1
    assert client.get("/api/v1/dashboard/components/no.such/").status_code == 404
    assert (
        client_for(personas.citizen).get("/api/v1/dashboard/components/petitions.overdue/").status_code == 404
    )
