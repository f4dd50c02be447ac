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
