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


def test_the_demo_reads_like_a_citys_data(personas, client):
    """No 「（示範）」 or 「名稱待確認」 on the strategy pages, no unconfirmed-threshold note on the tree
    or the mayor's summary (the windows page, the RDEC's, keeps it)."""
    from django.urls import reverse

    from rdec.strategy.models import Strategy, SubsidyProject

    demo.seed(today=datetime.date(2026, 11, 27))
    assert not Strategy.objects.filter(name__contains="待確認").exists()
    assert not ActionPlan.objects.filter(name__contains="示範").exists()
    assert not ActionPlan.objects.filter(description__contains="示範資料").exists()
    assert not SubsidyProject.objects.filter(title__contains="示範").exists()
    client.force_login(personas.officer)
    for name in ("strategy:tree", "strategy:summary"):
        body = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
        assert "示範" not in body and "待確認" not in body
        assert "尚未經研考會確認" not in body and "未確認" not in body, name
    plan = client.get(
        reverse("strategy:plan", args=["3-2-1"]), HTTP_ACCEPT_LANGUAGE="zh-hant"
    ).content.decode()
    assert "道路品質提升" in plan and "示範" not in plan
