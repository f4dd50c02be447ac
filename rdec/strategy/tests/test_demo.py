from __future__ import annotations

import datetime

import pytest

from rdec.strategy import demo
from rdec.strategy.models import ActionPlan, QuarterlyReport, ReportingWindow

pytestmark = pytest.mark.django_db


def test_the_demo_fills_last_year_and_this_years_past_quarters_once(personas):
    made = demo.seed(today=datetime.date(2026, 11, 27))
    assert made > 0
    assert [(w.year, w.quarter) for w in ReportingWindow.objects.order_by("year", "quarter")] == [
        (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2), (2026, 3),
    ]  # fmt: skip
    assert all(w.is_closed for w in ReportingWindow.objects.all())
    assert ActionPlan.objects.filter(agency__code="construction").exists()
    assert demo.seed(today=datetime.date(2026, 11, 27)) == 0
    assert QuarterlyReport.objects.count() == made
