"""The monthly control report with hand-computed figures, scoping, and the classification of
progress months before and after a new rule version."""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from rdec.tenders import selectors
from rdec.tenders.tests.factories import progress, rule, tender

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 1)


@pytest.fixture
def march():
    """建設局: C1 large works 3億 60/45 (ratio .75, lag 15 ≥ 10: serious), C2 services 1億 50/50.
    環保局: E1 goods 1千萬 80/78 (ratio .975, lag 2: behind).
    農業局: A1 goods 5百萬 50/25, first month (days behind 15: serious)."""
    c1 = tender("construction", number="C1", type="works", amount=300_000_000)
    c2 = tender("construction", number="C2", type="services", amount=100_000_000)
    e1 = tender("environment", number="E1", type="goods", amount=10_000_000)
    a1 = tender("agriculture", number="A1", type="goods", amount=5_000_000)
    progress(c1, "2025-02", 40, 35)
    progress(c1, "2025-03", 60, 45)
    progress(c2, "2025-03", 50, 50)
    progress(e1, "2025-03", 80, 78, is_late=True)
    progress(a1, "2025-03", 50, 25)
    return {"c1": c1, "c2": c2, "e1": e1, "a1": a1}


def by_code(report):
    return {a.agency.code: a for a in report.agencies}


def test_agency_performance_is_weighted_by_contract_amount(personas, march):
    report = selectors.control_report(personas.officer, MARCH)
    agencies = by_code(report)
    # 建設局: (3億 × 45/60 + 1億 × 1) / 4億 = (2.25 + 1) / 4 = 81.25 %
    assert agencies["construction"].performance == D("81.25")
    assert agencies["environment"].performance == D("97.50")  # 78 / 80
    assert agencies["agriculture"].performance == D("50.00")  # 25 / 50
    assert [a.agency.code for a in report.flagged] == ["construction", "agriculture"]


def test_seriously_lagging_tenders_are_listed_case_by_case(personas, march):
    report = selectors.control_report(personas.officer, MARCH)
    rows = [(r.tender_no, r.planned_pct, r.actual_pct, r.lag, r.days) for r in report.seriously_lagging]
    # A1: the plan line runs from 3/1 (0 %) to 3/31 (50 %); 25 % was planned for 3/16, 15 days before 3/31
    assert rows == [("C1", D(60), D(45), D(15), None), ("A1", D(50), D(25), D(25), 15)]


def test_flagged_agencies_list_their_lagging_tenders(personas, march):
    report = selectors.control_report(personas.officer, MARCH)
    assert [r.tender_no for r in by_code(report)["construction"].lagging] == ["C1"]
    assert by_code(report)["environment"].lagging[0].klass == "behind"
    assert by_code(report)["environment"].late == 1


def test_agency_staff_see_their_own_agency_only(personas, march):
    report = selectors.control_report(personas.staff, MARCH)
    assert [a.agency.code for a in report.agencies] == ["construction"]
    assert [r.tender_no for r in report.seriously_lagging] == ["C1"]


def test_citizens_cannot_read_the_control_report(personas, march):
    with pytest.raises(PermissionDenied):
        selectors.control_report(personas.citizen, MARCH)


def test_months_before_and_after_a_rule_change_are_classified_by_their_own_version(personas):
    """From 2025-07-01 the city lowers 'other tenders' to 15 points without the days condition.
    A goods tender 16 points behind: June (old rule: needs 20) is behind; July (new rule) is serious."""
    rule(datetime.date(2025, 7, 1), serious_other_pct=D(15), serious_other_min_days=0)
    t = tender(type="goods", amount=1_000_000)
    progress(t, "2025-06", 50, 34)
    progress(t, "2025-07", 60, 44)
    june = selectors.control_report(personas.officer, datetime.date(2025, 6, 1))
    july = selectors.control_report(personas.officer, datetime.date(2025, 7, 1))
    assert [p.klass for p in selectors.tender_progress(t)] == ["behind", "serious"]
    assert (june.seriously_lagging, [r.tender_no for r in july.seriously_lagging]) == ([], [t.number])


def test_the_performance_threshold_follows_the_rule_version(personas):
    """92.5 % is under a 95 % threshold in force from 2025-07-01 but not under 90 % before."""
    rule(datetime.date(2025, 7, 1), performance_threshold_pct=D(95))
    t = tender(type="services")
    progress(t, "2025-06", 40, 37)  # 92.5 %
    progress(t, "2025-07", 40, 37)
    june = selectors.control_report(personas.officer, datetime.date(2025, 6, 1))
    july = selectors.control_report(personas.officer, datetime.date(2025, 7, 1))
    assert (june.agencies[0].below_threshold, july.agencies[0].below_threshold) == (False, True)


def test_the_tender_list_is_scoped_and_filtered(personas, march):
    assert set(selectors.tenders_visible_to(personas.staff).values_list("number", flat=True)) == {"C1", "C2"}
    qs = selectors.filter_tenders(
        selectors.tenders_visible_to(personas.officer), type="goods", agency="農業局"
    )
    assert list(qs.values_list("number", flat=True)) == ["A1"]


def test_tenders_under_contract_without_the_months_progress_are_listed(personas, march):
    tender("construction", number="C9", status="in_progress")
    tender("construction", number="C8", status="closed")
    tender("construction", number="C7", started_on=datetime.date(2025, 4, 1))
    report = selectors.control_report(personas.staff, MARCH)
    assert [t.number for t in report.missing] == ["C9"]
    assert [t.number for t in by_code(report)["construction"].missing] == ["C9"]
