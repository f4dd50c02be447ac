"""Hotspots on generated data with known planted patterns: a street-light outage cluster in one
district, a seasonal rise that comes back every summer (no alarm), and nothing on a pattern-free
set."""

from __future__ import annotations

import datetime
import random
import uuid

import pytest
from rest_framework.test import APIClient

from rdec.analytics import hotspots, selectors
from rdec.core.models import Agency, District
from rdec.petitions.models import Case, Category

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
PERIOD_START = datetime.date(2026, 11, 2)  # a Monday
PERIOD_END = datetime.date(2026, 11, 15)
CATEGORIES = ["light-out", "pothole", "garbage", "noise-business"]
DISTRICTS = ["66000060", "66000070", "66000080", "66000090"]


def _cases(rows):
    """rows: (district code, category code, date) → cases, made in bulk (the counts are what matter)."""
    agency = Agency.objects.get(code="construction")
    cats = {c.code: c for c in Category.objects.filter(code__in=CATEGORIES)}
    districts = {d.code: d for d in District.objects.filter(code__in=DISTRICTS)}
    Case.objects.bulk_create(
        [
            Case(
                number=f"t-{uuid.uuid4().hex[:12]}",
                channel="web",
                category=cats[cat],
                subject="測試",
                description="測試",
                district=districts[dist],
                agency=agency,
                status="closed",
                received_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
                due_date=day,
                original_due_date=day,
            )
            for dist, cat, day in rows
        ],
        batch_size=2000,
    )


def _background(rng, weeks=70, rate=2.0, summer_boost=None):
    """Poisson-ish weekly counts for every district × category, ending with the period."""
    rows = []
    first = PERIOD_START - datetime.timedelta(weeks=weeks - 2)
    for w in range(weeks):
        week = first + datetime.timedelta(weeks=w)
        for dist in DISTRICTS:
            for cat in CATEGORIES:
                lam = rate
                if summer_boost and cat == summer_boost and week.month in (6, 7, 8):
                    lam *= 4
                n = _poisson(rng, lam)
                rows += [(dist, cat, week + datetime.timedelta(days=rng.randrange(7))) for _i in range(n)]
    return rows


def _poisson(rng, lam):
    # Knuth's method: fine for small rates
    limit, k, p = pow(2.718281828, -lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def test_a_planted_street_light_outage_cluster_is_the_top_hotspot(personas):
    rng = random.Random(7)
    rows = _background(rng)
    spike_day = PERIOD_START + datetime.timedelta(days=8)  # the second week
    rows += [("66000070", "light-out", spike_day) for _i in range(15)]
    _cases(rows)
    found = selectors.hotspots(personas.officer, start=PERIOD_START, end=PERIOD_END)
    top = found[0]
    assert (top["district"].code, top["category"].code) == ("66000070", "light-out")
    assert top["period_start"] == hotspots.monday(spike_day) and top["count"] >= 15
    assert top["expected"] < 4 and top["score"] > 3
    # nothing else stands out in this noise
    assert [(h["district"].code, h["category"].code) for h in found] == [("66000070", "light-out")]


def test_no_false_alarm_on_a_pattern_free_set(personas):
    _cases(_background(random.Random(11)))
    assert selectors.hotspots(personas.officer, start=PERIOD_START, end=PERIOD_END) == []


def test_a_rise_that_returns_every_summer_is_expected_by_the_season_term():
    """Six cases in a July week is a hotspot against June's 2 a week alone, not once last July is
    known to have been as busy."""
    july = datetime.date(2026, 7, 6)
    cell = {}
    for k in range(1, 60):
        week = july - datetime.timedelta(weeks=k)
        cell[week] = 6 if week.month in (7, 8) else 2
    cell[july] = 6
    cells = {(1, 1): cell}
    with_season = hotspots.score(
        cells, july, july + datetime.timedelta(days=6), data_since=july - datetime.timedelta(weeks=60)
    )
    without = hotspots.score(
        cells, july, july + datetime.timedelta(days=6), data_since=july - datetime.timedelta(weeks=20)
    )
    assert with_season == [] and len(without) == 1


def test_benjamini_hochberg_controls_the_false_discoveries():
    tests = [hotspots.Hotspot(1, 1, PERIOD_START, 1, 1.0, p, 1.0) for p in (0.001, 0.008, 0.039, 0.041, 0.9)]
    hotspots._benjamini_hochberg(tests)
    assert [t.q for t in tests] == pytest.approx([0.005, 0.02, 0.05125, 0.05125, 0.9])


def test_the_api_answers_the_documented_shape_and_validates(personas):
    rng = random.Random(7)
    rows = (
        _background(rng, weeks=20)
        + [("66000070", "light-out", PERIOD_START + datetime.timedelta(days=8))] * 15
    )
    _cases(rows)
    api = APIClient()
    api.force_authenticate(personas.officer)
    response = api.get("/api/v1/analytics/hotspots/", {"start": PERIOD_START, "end": PERIOD_END})
    assert response.status_code == 200
    (first, *_rest) = response.json()["results"]
    assert set(first) == {"district", "village", "category", "period_start", "count", "expected", "score"}
    assert first["district"]["code"] == "66000070" and first["category"] == {
        "code": "light-out",
        "name": "路燈不亮",
    }
    filtered = api.get(
        "/api/v1/analytics/hotspots/", {"start": PERIOD_START, "end": PERIOD_END, "category": "garbage"}
    ).json()["results"]
    assert all(h["category"]["code"] == "garbage" for h in filtered)
    bad = api.get("/api/v1/analytics/hotspots/", {"start": PERIOD_END, "end": PERIOD_START})
    assert bad.status_code == 400 and "end" in bad.json()["errors"]
    api.force_authenticate(personas.citizen)
    assert (
        api.get("/api/v1/analytics/hotspots/", {"start": PERIOD_START, "end": PERIOD_END}).status_code == 403
    )


def test_a_street_light_outage_in_one_village_is_found_at_village_level(personas):
    """Twelve reports from one village in a week, over a quiet history spread across the district's
    villages: the village × category cell stands out and is named."""
    from rdec.core.models import Village

    agency = Agency.objects.get(code="construction")
    light = Category.objects.get(code="light-out")
    xitun = District.objects.get(code="66000060")
    villages = list(Village.objects.filter(district=xitun).order_by("code")[:8])
    hit = villages[3]
    rows = []
    for w in range(1, 40):
        week = PERIOD_START - datetime.timedelta(weeks=w)
        for v in villages:
            if (w + v.pk) % 4 == 0:  # about one case a month in each village
                rows.append((v, week + datetime.timedelta(days=1)))
    rows += [(hit, PERIOD_START + datetime.timedelta(days=i % 5)) for i in range(12)]
    Case.objects.bulk_create(
        [
            Case(
                number=f"t-{uuid.uuid4().hex[:12]}",
                channel="phone",
                category=light,
                subject="路燈不亮",
                description="路燈不亮",
                district=xitun,
                village=v,
                agency=agency,
                status="closed",
                received_at=datetime.datetime.combine(day, datetime.time(10), tzinfo=TZ),
                due_date=day,
                original_due_date=day,
            )
            for v, day in rows
        ]
    )
    found = selectors.hotspots(
        personas.officer, start=PERIOD_START, end=PERIOD_START + datetime.timedelta(days=6), level="village"
    )
    assert [(h["village"].code, h["category"].code, h["count"]) for h in found] == [
        (hit.code, "light-out", 12)
    ]
    assert found[0]["district"].code == "66000060"
    api = APIClient()
    api.force_authenticate(personas.officer)
    body = api.get(
        "/api/v1/analytics/hotspots/",
        {"start": PERIOD_START.isoformat(), "end": PERIOD_END.isoformat(), "level": "village"},
    ).json()
    assert body["results"][0]["village"] == {"code": hit.code, "name": hit.name}
    district_level = api.get(
        "/api/v1/analytics/hotspots/", {"start": PERIOD_START.isoformat(), "end": PERIOD_END.isoformat()}
    ).json()
    assert all(r["village"] is None for r in district_level["results"])
    assert (
        api.get(
            "/api/v1/analytics/hotspots/", {"start": "2026-11-02", "end": "2026-11-08", "level": "street"}
        ).status_code
        == 400
    )
