"""The demo content: about 300 tenders with 12–24 months each, some lagging, some agencies under
the threshold last month, and a second run adding nothing."""

from __future__ import annotations

import pytest

from rdec.tenders import demo, selectors
from rdec.tenders.models import MonthlyProgress, Tender

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_lagging_tenders_and_flagged_agencies(personas):
    demo.seed()
    demo.seed()
    report = selectors.control_report(personas.officer, selectors.previous_month())
    assert 280 <= Tender.objects.count() <= 320
    assert MonthlyProgress.objects.count() >= Tender.objects.count() * 11
    assert report.seriously_lagging
    assert 1 <= len(report.flagged) <= 6
    assert report.missing
