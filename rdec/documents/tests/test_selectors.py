"""Monthly KPIs, ranking, flags, the year's bottom and the half-year report, on documents whose
figures are worked out by hand (see test_rules for the calendar facts)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest

from rdec.documents import selectors, services
from rdec.documents.models import Document
from rdec.documents.tests.factories import document, rule

pytestmark = pytest.mark.django_db
S = Document.Speed
MARCH = datetime.date(2026, 3, 1)
DALI = "district-office-66000280"


@pytest.fixture
def march():
    # 建設局: 3 closed in March, 1 late; avg (1 + 7 + 6) / 3; 2 pending at the month's end
    document("construction", received="2026-03-02", closed="2026-03-03")  # 1 day
    document("construction", received="2026-02-12", closed="2026-03-03")  # 7 days: late
    document("construction", received="2026-03-02", closed="2026-03-12", speed=S.TIME_LIMITED,
             deadline="2026-03-13")  # 8 days, counted 6  # fmt: skip
    document("construction", received="2026-03-20")  # pending
    document("construction", received="2026-03-25", closed="2026-04-02")  # pending on 3/31
    document("construction", received="2026-02-02", closed="2026-02-13")  # February: 9 days, late
    # 環保局: 2 closed on time (0.5 and 2 days)
    document("environment", received="2026-03-02", closed="2026-03-02")
    document(
        "environment", received="2026-03-02", closed="2026-03-04", doc_class=Document.DocClass.APPLICATION
    )
    # 大里區公所: 1 urgent closed after 5 working days: late
    document(DALI, received="2026-03-02", closed="2026-03-09", speed=S.URGENT)


def row(kpis, code):
    return next(k for k in kpis.rows if k.agency.code == code)


def test_the_monthly_kpis_of_an_agency(personas, march):
    k = row(selectors.monthly_kpis(personas.officer, MARCH), "construction")
    assert (k.closed, k.overdue, k.overdue_ratio, k.avg_days, k.on_time_rate, k.pending) == (
        3, 1, Decimal("33.33"), Decimal("4.67"), Decimal("66.67"), 2,
    )  # fmt: skip


def test_agencies_are_ranked_within_their_group_by_overdue_ratio(personas, march):
    kpis = selectors.monthly_kpis(personas.officer, MARCH)
    assert [(k.agency.code, k.rank) for k in kpis.group("agency") if k.rank] == [
        ("environment", 1),
        ("construction", 2),
    ]
    assert [(k.agency.code, k.rank) for k in kpis.group("district") if k.rank] == [(DALI, 1)]


def test_agencies_over_three_percent_are_flagged(personas, march):
    kpis = selectors.monthly_kpis(personas.officer, MARCH)
    assert {k.agency.code for k in kpis.flagged} == {"construction", DALI}


def test_the_ranking_of_one_class_counts_that_class_only(personas, march):
    kpis = selectors.monthly_kpis(personas.officer, MARCH, doc_class=Document.DocClass.APPLICATION)
    env = row(kpis, "environment")
    assert (env.closed, env.avg_days, env.rank, row(kpis, "construction").rank) == (1, Decimal(2), 1, None)


def test_the_threshold_in_force_at_the_months_end_decides_the_flag(personas, march):
    rule("2026-03-01", overdue_threshold_pct=Decimal(40))
    march_flags = {k.agency.code for k in selectors.monthly_kpis(personas.officer, MARCH).flagged}
    february_flags = {
        k.agency.code for k in selectors.monthly_kpis(personas.officer, datetime.date(2026, 2, 1)).flagged
    }
    assert (march_flags, february_flags) == ({DALI}, {"construction"})


def test_agency_staff_see_their_own_row_with_its_city_wide_rank(personas, march):
    kpis = selectors.monthly_kpis(personas.staff, MARCH)
    assert [(k.agency.code, k.rank) for k in kpis.rows] == [("construction", 2)]


def test_the_year_bottom_is_chosen_for_on_site_checks(personas, march):
    rule("2026-01-01", site_check_count=1)
    chosen = services.select_site_checks(2026, actor=personas.officer, through=datetime.date(2026, 3, 31))
    assert sorted((c.group, c.agency.code, c.rank) for c in chosen) == [
        ("agency", "construction", 2),
        ("district", DALI, 1),
    ]


def test_publishing_the_ranking_asks_the_flagged_agencies_for_improvement_reports(personas, march):
    asked = services.publish_ranking(MARCH, actor=personas.officer)
    report = next(r for r in asked if r.agency.code == "construction")
    services.record_improvement_report(report, actor=personas.officer, received_on=datetime.date(2026, 4, 20))
    again = services.publish_ranking(MARCH, actor=personas.officer)
    assert sorted(r.agency.code for r in again) == ["construction", DALI]
    assert next(r for r in again if r.agency.code == "construction").received_on == datetime.date(2026, 4, 20)


def test_agency_staff_cannot_publish_the_ranking(personas, march):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.publish_ranking(MARCH, actor=personas.staff)


def test_the_half_year_report_lists_the_months_over_the_threshold(personas, march):
    report = selectors.half_year_report(personas.officer, 2026, 1)
    construction = next(k for k in report.rows if k.agency.code == "construction")
    # February's, March's and April's documents; the one closed 4/2 took 6 working days: on time
    assert (construction.closed, construction.overdue) == (5, 2)
    assert report.flagged_months[construction.agency.pk] == [
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
    ]


def test_the_agency_drill_down_lists_late_and_overdue_pending_documents(personas, march):
    from rdec.documents.tests.factories import agency

    detail = selectors.agency_detail(personas.staff, agency("construction"), MARCH, months=2)
    assert [len(detail.late), [m for m, _k, flagged in detail.months if flagged]] == [
        1, [datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)],
    ]  # fmt: skip
    assert [d.received_on for d in detail.overdue_pending] == [datetime.date(2026, 3, 20)]


def test_equal_ratio_and_average_share_a_rank_and_idle_agencies_are_unranked():
    from rdec.documents.tests.factories import agency

    rows = [selectors.Kpi(agency(code)) for code in ("construction", "environment", "education", "police")]
    for k, (closed, overdue, days) in zip(
        rows, [(10, 1, 20), (10, 0, 30), (20, 0, 60), (0, 0, 0)], strict=True
    ):
        k.closed, k.overdue, k.days_total = closed, overdue, Decimal(days)
    selectors.rank(rows)
    # 環保局 and 教育局: 0 % and 3.00 days each → both 1st; 建設局 10 % → 3rd; 警察局 closed nothing
    assert [k.rank for k in rows] == [3, 1, 1, None]


def test_the_recount_command_applies_a_rule_added_without_the_service(personas):
    from django.core.management import call_command

    doc = document("construction", received="2026-03-09", closed="2026-03-17")  # 6 days: on time
    rule("2026-01-01", ordinary_days=5)
    call_command("recount_documents", "--since", "2026-01-01", stdout=io.StringIO())
    doc.refresh_from_db()
    assert (doc.is_overdue, doc.due_on) == (True, datetime.date(2026, 3, 16))
