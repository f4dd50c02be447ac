"""The demo year: every screen has something to show, and a second run adds nothing."""

from __future__ import annotations

import pytest

from rdec.tracking import demo
from rdec.tracking.models import CouncilSession, CouncilText, Item, Meeting, ProgressReport

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_plausible_year_once(personas):
    made = demo.seed()
    assert made > 40
    assert Meeting.objects.filter(type=Meeting.Type.CITY_COUNCIL).count() == 12
    mobile = Meeting.objects.filter(type=Meeting.Type.MOBILE)
    assert mobile.count() == 6
    assert mobile.values("district").distinct().count() == 6
    statuses = set(Item.objects.values_list("status", flat=True))
    assert statuses == {"open", "release_proposed", "released", "continued"}
    sources = set(Item.objects.values_list("source", flat=True))
    assert {"resolution", "mayor", "council_resolution", "interpellation", "councillor_concern"} <= sources
    assert ProgressReport.objects.filter(decision="").exists()
    assert CouncilSession.objects.count() == 3
    assert CouncilText.objects.exists()
    assert any(i.is_overdue() for i in Item.objects.all())
    assert demo.seed() == 0
