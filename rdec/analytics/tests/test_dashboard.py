"""The dashboards: the RDEC overview counts what it says (today's intake by channel, open,
overdue and soon-due cases by agency), an agency sees only its own cases, the figures refresh as a
fragment, and the hotspot map lists a planted hotspot with a 列管 link for the category's agency."""

from __future__ import annotations

import datetime
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rdec.analytics import dashboard
from rdec.core import workdays
from rdec.core.models import Agency, District
from rdec.petitions.models import Case, Category

pytestmark = pytest.mark.django_db


def _case(
    agency_code,
    *,
    received,
    due,
    status="assigned",
    channel="web",
    category="pothole",
    district="66000060",
    lat=None,
    lon=None,
):
    when = timezone.make_aware(datetime.datetime.combine(received, datetime.time(9)))
    return Case.objects.create(
        number=f"t-{uuid.uuid4().hex[:12]}",
        channel=channel,
        category=Category.objects.get(code=category),
        subject="測試",
        description="測試",
        district=District.objects.get(code=district),
        agency=Agency.objects.get(code=agency_code),
        status=status,
        received_at=when,
        due_date=due,
        original_due_date=due,
        lat=lat,
        lon=lon,
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def city():
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    soon = workdays.add_working_days(today, dashboard.SOON_WORKING_DAYS)
    # construction: 2 received today (web, phone), 1 overdue, 1 due soon; environment: 1 overdue, 1 closed
    _case("construction", received=today, due=today + 30 * day, channel="web")
    _case("construction", received=today, due=soon, channel="phone")
    _case("construction", received=today - 20 * day, due=today - day)
    _case("environment", received=today - 7 * day, due=today - 2 * day, category="garbage")
    _case("environment", received=today - 7 * day, due=today - 2 * day, status="closed", category="garbage")
    return today


def test_the_rdec_overview_counts_the_whole_city(personas, city):
    figures = dashboard.overview(personas.officer, today=city)
    assert figures["intake"]["today"] == 2 and figures["intake"]["same_day_last_week"] == 2
    assert sorted(n for _label, n in figures["intake"]["by_channel"]) == [1, 1]
    assert (figures["open"], figures["overdue"], figures["due_soon"]) == (4, 2, 1)
    rows = {r["code"]: (r["open"], r["overdue"], r["due_soon"]) for r in figures["by_agency"]}
    assert rows == {"construction": (3, 1, 1), "environment": (1, 1, 0)}
    # the agency with more overdue cases first; equal overdue: more open cases first
    assert [r["code"] for r in figures["by_agency"]] == ["construction", "environment"]


def test_agency_staff_see_only_their_agency(personas, city):
    figures = dashboard.overview(personas.staff, today=city)
    assert [r["code"] for r in figures["by_agency"]] == ["construction"]
    assert (figures["open"], figures["overdue"], figures["intake"]["today"]) == (3, 1, 2)
    assert figures["intake"]["same_day_last_week"] == 0  # the environment bureau's cases are not counted
    page = client_for(personas.other_staff).get(reverse("analytics:dashboard"))
    assert page.status_code == 200 and page.context["figures"]["open"] == 1


def test_the_page_refreshes_its_figures_without_reloading(personas, city):
    page = client_for(personas.officer).get(reverse("analytics:dashboard"))
    html = page.content.decode()
    assert 'hx-get="/analytics/dashboard/figures/"' in html and "every 60s" in html
    fragment = client_for(personas.officer).get(reverse("analytics:dashboard-figures"))
    assert fragment.status_code == 200 and b"<html" not in fragment.content
    assert 'data-testid="overdue-count">2<' in fragment.content.decode()


@pytest.mark.parametrize("who", ["citizen", "agent"])
def test_citizens_and_call_agents_have_no_dashboard(personas, who):
    for name in ("analytics:dashboard", "analytics:dashboard-figures", "analytics:hotspot-map"):
        assert client_for(getattr(personas, who)).get(reverse(name)).status_code == 403


def test_the_hotspot_map_lists_an_emerging_issue_to_put_under_control(personas):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    # a quiet history of one case every other week, then 12 street-light reports this week
    for k in range(2, 30, 2):
        _case("construction", received=monday - datetime.timedelta(weeks=k), due=today, category="light-out")
    for _i in range(12):
        _case("construction", received=monday, due=today, category="light-out")
    page = client_for(personas.officer).get(reverse("analytics:hotspot-map"))
    assert page.status_code == 200
    found = page.context["found"]
    assert [(h["district"].code, h["category"].code, h["count"]) for h in found] == [
        ("66000060", "light-out", 12)
    ]
    assert page.context["district_scores"] == {"66000060": found[0]["score"]}
    link = urlsplit(found[0]["track_url"])
    query = parse_qs(link.query)
    assert link.path == reverse("tracking:item-create")
    assert query["owner"] == ["construction"] and query["source"] == ["custom"]
    assert "12" in query["description"][0] and "路燈不亮" in query["title"][0]
    # the slider: an earlier week has no hotspot; a week out of range falls back to this week
    earlier = client_for(personas.officer).get(
        reverse("analytics:hotspot-week"), {"week": (monday - datetime.timedelta(weeks=3)).isoformat()}
    )
    assert earlier.context["found"] == []
    wrong = client_for(personas.officer).get(reverse("analytics:hotspot-week"), {"week": "2001-01-01"})
    assert wrong.context["week"] == monday and len(wrong.context["found"]) == 1
    nonsense = client_for(personas.officer).get(reverse("analytics:hotspot-week"), {"week": "soon"})
    assert nonsense.status_code == 200 and nonsense.context["week"] == monday


def test_agency_staff_see_their_own_hotspots_and_may_put_them_under_self_control(personas):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for _i in range(12):
        _case("construction", received=monday, due=today, category="light-out")
    found = client_for(personas.staff).get(reverse("analytics:hotspot-map")).context["found"]
    assert len(found) == 1 and found[0]["track_url"].startswith(reverse("tracking:item-create"))  # 自行列管
    assert client_for(personas.other_staff).get(reverse("analytics:hotspot-map")).context["found"] == []


def test_the_map_shows_a_place_reported_again_and_again(personas):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for i in range(6):  # one street light, six reports within a few metres
        _case(
            "construction",
            received=monday,
            due=today,
            category="light-out",
            lat=24.1625 + i * 1e-5,
            lon=120.647,
        )
    page = client_for(personas.officer).get(reverse("analytics:hotspot-map"))
    places = page.context["places"]
    assert [(p["category"].code, p["count"], p["district"]["code"]) for p in places] == [
        ("light-out", 6, "66000060")
    ]
    assert page.context["place_markers"][0]["count"] == 6
    assert 'data-testid="places"' in page.content.decode()


def test_the_hotspot_map_opens_on_the_latest_week_with_hotspots(personas):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    two_weeks_ago = monday - datetime.timedelta(weeks=2)
    for _i in range(12):  # an outbreak two weeks ago; nothing this week
        _case("construction", received=two_weeks_ago, due=today, category="light-out")
    page = client_for(personas.officer).get(reverse("analytics:hotspot-map"))
    assert page.context["week"] == two_weeks_ago
    assert [h["count"] for h in page.context["found"]] == [12]
    body = page.content.decode()
    assert 'data-testid="this-week-empty"' in body
    assert f'href="?week={monday.isoformat()}"' in body  # this week is one link away
    assert f'value="{page.context["weeks"].index(two_weeks_ago)}"' in body  # the slider stands on it
    # asked for this week: empty, with the way back to the latest week with hotspots
    this_week = client_for(personas.officer).get(
        reverse("analytics:hotspot-map"), {"week": monday.isoformat()}
    )
    assert this_week.context["week"] == monday and this_week.context["found"] == []
    assert f'href="?week={two_weeks_ago.isoformat()}"' in this_week.content.decode()


def test_the_hotspot_map_says_when_no_week_has_a_hotspot(personas):
    page = client_for(personas.officer).get(reverse("analytics:hotspot-map"))
    assert page.context["week"] == page.context["this_week"] and page.context["found"] == []
    assert 'data-testid="no-hotspots"' in page.content.decode()


def test_this_weeks_hotspot_opens_without_a_notice(personas):
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    for _i in range(12):
        _case("construction", received=monday, due=today, category="light-out")
    page = client_for(personas.officer).get(reverse("analytics:hotspot-map"))
    assert page.context["week"] == monday
    assert 'data-testid="this-week-empty"' not in page.content.decode()


def test_a_week_of_one_day_so_far_is_titled_with_one_date(personas):
    """On a Monday the current week is one day long: 「115年12月7日的熱點」, not 「115年12月7日 至 115年12月7日」."""
    import datetime

    from django.template.loader import render_to_string
    from django.utils import translation

    monday = datetime.date(2026, 12, 7)
    with translation.override("zh-hant"):
        one = render_to_string(
            "analytics/_hotspot_week.html",
            {"week": monday, "week_end": monday, "hotspots": [], "clusters": []},
        )
        full = render_to_string(
            "analytics/_hotspot_week.html",
            {"week": monday, "week_end": monday + datetime.timedelta(days=6), "hotspots": [], "clusters": []},
        )
    assert "115年12月7日的熱點" in one and "至" not in one.split("</h2>")[0]
    assert "115年12月7日至115年12月13日的熱點" in full
