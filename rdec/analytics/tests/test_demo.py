"""The demo fills the report pages: last month's city and 建設局 reports, built, with figures."""

from __future__ import annotations

import io

import pytest

from rdec.analytics import demo
from rdec.analytics.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_builds_last_months_reports_once(personas):
    from rdec.petitions import demo as petitions_demo

    petitions_demo.seed(io.StringIO(), size=600)
    demo.seed_reports(io.StringIO())
    demo.seed_reports(io.StringIO())
    reports = list(Report.objects.order_by("id"))
    assert len(reports) == 2
    assert [r.status for r in reports] == ["done", "done"]
    assert reports[0].figures["volume"]["current"] > 0
    assert reports[1].agency.code == "construction" and reports[1].summary


def test_the_demo_has_an_emerging_issue_the_hotspot_detection_finds(personas):
    """塗城路's street lights (大里區塗城里): a few reports two weeks before the demo's day, many the week
    after — a hotspot in that week, and a place reported again and again."""
    import datetime

    from rdec.analytics import selectors
    from rdec.petitions import demo as petitions_demo

    today = datetime.date(2026, 11, 18)  # a Wednesday; the seeded week is the one before
    seeded_week = datetime.date(2026, 11, 9)
    petitions_demo.seed(io.StringIO(), size=2000, today=today)
    found = selectors.hotspots(
        personas.officer, start=seeded_week, end=seeded_week + datetime.timedelta(days=6)
    )
    assert [(h["district"].name, h["category"].code) for h in found][:1] == [("大里區", "light-out")]
    assert found[0]["count"] >= 16 and found[0]["period_start"] == seeded_week
    villages = selectors.hotspots(
        personas.officer, start=seeded_week, end=seeded_week + datetime.timedelta(days=6), level="village"
    )
    assert any(h["village"] and h["village"].name == "塗城里" for h in villages)
    places = selectors.point_clusters(
        personas.officer, start=seeded_week, end=seeded_week + datetime.timedelta(days=6)
    )
    assert any(p["category"].code == "light-out" and p["count"] >= 5 for p in places)
