"""The quarterly cycle through the services, with hand-computed expectations.

The scenario (2026, default thresholds green ≥ 100 %, yellow ≥ 80 %):

建設局 owns 3-1-1 (strategy 3):
  T1 cumulative, higher, annual 200 → Q2 target 200 × 2/4 = 100; Q2 report 90 → 90.0 % yellow
  T2 level, higher, baseline 1000, annual 1200 → Q2 target 1000 + 200 × 2/4 = 1100;
     Q2 report 1155 → 105.0 % green (counted 100 in roll-ups)
  plan 3-1-1 = mean(90, 100) = 95.0 yellow
環保局 owns 3-2-1 (strategy 3):
  T3 level, lower, annual 20, no baseline → target 20 all year; Q2 report 25 → 20/25 = 80.0 % yellow
  T4 period, higher, annual 40, Q2 milestone 15; Q1 report 5, Q2 report 4 → actual 9 → 60.0 % red
  plan 3-2-1 = mean(80, 60) = 70.0 red
環保局 owns 5-1-1 (strategy 5):
  T5 cumulative, higher, annual 10 → Q2 target 5; Q2 report 6 → 120.0 % green (100 in roll-ups)
  plan 5-1-1 = 100.0 green
strategy 3 = mean(95, 70) = 82.5 yellow; strategy 5 = 100.0 green
建設局 = 95.0 yellow; 環保局 = mean(70, 100) = 85.0 yellow
overall (mayor's summary) = mean(82.5, 100) = 91.25 → 91.3 yellow
"""

from __future__ import annotations

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from rdec.core.dates import roc_date
from rdec.core.models import AuditEntry
from rdec.strategy import live, selectors, services
from rdec.strategy.models import QuarterlyReport, Target, TargetChangeRequest
from rdec.strategy.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(personas):
    p = personas
    a1 = f.plan("3-1-1", "construction")
    b1 = f.plan("3-2-1", "environment")
    b2 = f.plan("5-1-1", "environment")
    t = {
        "T1": f.target(a1, "t1", 200, value_type="cumulative"),
        "T2": f.target(a1, "t2", 1200, value_type="level", baseline=D(1000)),
        "T3": f.target(b1, "t3", 20, value_type="level", direction="lower"),
        "T4": f.target(b1, "t4", 40, value_type="period", milestone_q2=D(15)),
        "T5": f.target(b2, "t5", 10, value_type="cumulative"),
    }
    q1 = f.open_window(p.officer, 1)
    services.submit_report(t["T4"], actor=p.other_staff, window=q1, value=5, narrative="第一季辦理 5 場")
    services.close_window(q1, actor=p.officer)
    q2 = f.open_window(p.officer, 2)
    services.submit_report(t["T1"], actor=p.staff, window=q2, value=90, narrative="累計 90 件")
    services.submit_report(t["T2"], actor=p.supervisor, window=q2, value=1155, narrative="季底 1,155")
    services.submit_report(t["T3"], actor=p.other_staff, window=q2, value=25, narrative="季底 25")
    services.submit_report(t["T4"], actor=p.other_staff, window=q2, value=4, narrative="本季 4 場")
    services.submit_report(t["T5"], actor=p.other_staff, window=q2, value=6, narrative="累計 6 項")
    services.close_window(q2, actor=p.officer)
    return {"targets": t, "q2": q2, "personas": p}


def _rates(tree):
    return {
        t.target.key: (t.actual, t.period_target, t.rate, t.light)
        for s in tree
        for p in s.plans
        for t in p.targets
    }


def test_a_closed_quarter_gives_the_hand_computed_target_rates(scenario):
    tree = selectors.strategy_tree(scenario["personas"].officer, 2026, 2)
    assert _rates(tree) == {
        "t1": (D(90), D(100), D("90.0"), "yellow"),
        "t2": (D(1155), D(1100), D("105.0"), "green"),
        "t3": (D(25), D(20), D("80.0"), "yellow"),
        "t4": (D(9), D(15), D("60.0"), "red"),
        "t5": (D(6), D(5), D("120.0"), "green"),
    }


def test_plans_and_strategies_roll_up_as_the_mean_of_capped_children(scenario):
    tree = selectors.strategy_tree(scenario["personas"].officer, 2026, 2)
    plans = {p.plan.code: (p.rollup.rate, p.rollup.light) for s in tree for p in s.plans}
    strategies = {s.strategy.number: (s.rollup.rate, s.rollup.light) for s in tree}
    assert plans == {
        "3-1-1": (D("95.0"), "yellow"),
        "3-2-1": (D("70.0"), "red"),
        "5-1-1": (D("100.0"), "green"),
    }
    assert strategies == {3: (D("82.5"), "yellow"), 5: (D("100.0"), "green")}


def test_the_mayors_summary_rolls_up_per_agency_and_overall(scenario):
    summary = selectors.mayor_summary(scenario["personas"].officer, 2026, 2)
    agencies = {a.agency.code: (a.rollup.rate, a.rollup.light) for a in summary["agencies"]}
    assert agencies == {"construction": (D("95.0"), "yellow"), "environment": (D("85.0"), "yellow")}
    assert (summary["overall"].rate, summary["overall"].light) == (D("91.3"), "yellow")
    assert summary["lights"] == {"green": 2, "yellow": 2, "red": 1}


def test_a_raw_rate_above_100_is_kept_and_shown_capped(scenario):
    tree = selectors.strategy_tree(scenario["personas"].officer, 2026, 2)
    t5 = next(t for s in tree for p in s.plans for t in p.targets if t.target.key == "t5")
    assert (t5.rate, t5.shown_rate) == (D("120.0"), D("100.0"))


def test_q1_compares_with_the_pro_rated_target_and_q1_reports(scenario):
    tree = selectors.strategy_tree(scenario["personas"].officer, 2026, 1)
    assert _rates(tree)["t4"] == (D(5), D(10), D("50.0"), "red")  # no Q1 milestone: 40 × 1/4
    assert _rates(tree)["t1"] == (None, D(50), None, "grey")


def test_a_newer_threshold_rule_applies_from_its_date_only(scenario):
    p = scenario["personas"]
    services.set_light_rule(
        actor=p.officer,
        effective_from=datetime.date(2026, 6, 30),
        green_from=95,
        yellow_from=70,
        source="府函",
    )
    services.set_light_rule(
        actor=p.officer,
        effective_from=datetime.date(2026, 7, 1),
        green_from=100,
        yellow_from=50,
        source="府函",
    )
    tree = selectors.strategy_tree(p.officer, 2026, 2)  # Q2 ends on 30 June
    plans = {pl.plan.code: pl.rollup.light for s in tree for pl in s.plans}
    assert plans == {"3-1-1": "green", "3-2-1": "yellow", "5-1-1": "green"}


def test_agency_staff_see_only_their_own_plans(scenario):
    tree = selectors.strategy_tree(scenario["personas"].staff, 2026, 2)
    assert [p.plan.code for s in tree for p in s.plans] == ["3-1-1"]


def test_a_co_agency_sees_the_plan_but_cannot_report_it(personas):
    plan = f.plan("3-3-1", "construction", co=["environment"])
    t = f.target(plan, "x", 10)
    window = f.open_window(personas.officer, 3)
    assert [p.code for p in selectors.plans_visible_to(personas.other_staff)] == ["3-3-1"]
    with pytest.raises(PermissionDenied):
        services.submit_report(t, actor=personas.other_staff, window=window, value=1, narrative="協辦")


# --- reporting rules -----------------------------------------------------------------------------------


@pytest.fixture
def one_target(personas):
    return f.target(f.plan("3-1-9", "construction"), "k", 100)


def test_an_agency_cannot_report_another_agencys_target(personas, one_target):
    window = f.open_window(personas.officer, 2)
    with pytest.raises(PermissionDenied):
        services.submit_report(one_target, actor=personas.other_staff, window=window, value=1, narrative="x")


def test_a_closed_window_refuses_reports_with_a_zh_hant_message(personas, one_target):
    window = f.open_window(personas.officer, 2)
    services.close_window(window, actor=personas.officer)
    with pytest.raises(ValidationError) as caught:
        services.submit_report(one_target, actor=personas.staff, window=window, value=1, narrative="遲交")
    expected = gettext(
        "The reporting window for %(period)s was closed by the RDEC; reports are no longer accepted."
    ) % {"period": "115 年第 2 季"}
    assert caught.value.message_dict["window"] == [expected]  # zh-Hant once the catalogue has it


def test_a_window_past_its_closing_date_refuses_late_reports(personas, one_target):
    today = timezone.localdate()
    window = services.open_window(
        actor=personas.officer,
        year=2026,
        quarter=2,
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as caught:
        services.submit_report(one_target, actor=personas.staff, window=window, value=1, narrative="遲交")
    # The closing date as people read it (ROC in zh-Hant, ISO in English).
    assert roc_date(today - datetime.timedelta(days=1)) in caught.value.message_dict["window"][0]
    services.extend_window(window, actor=personas.officer, closes_on=today)
    services.submit_report(one_target, actor=personas.staff, window=window, value=1, narrative="展延後填報")
    assert QuarterlyReport.objects.get(target=one_target).value == D(1)


@pytest.mark.parametrize(
    ("value", "narrative", "field"),
    [(None, "x", "value"), (-1, "x", "value"), ("abc", "x", "value"), (5, "  ", "narrative")],
)
def test_a_report_needs_a_non_negative_value_and_a_narrative(personas, one_target, value, narrative, field):
    window = f.open_window(personas.officer, 2)
    with pytest.raises(ValidationError) as caught:
        services.submit_report(
            one_target, actor=personas.staff, window=window, value=value, narrative=narrative
        )
    assert field in caught.value.message_dict


def test_reporting_again_replaces_the_value_and_the_audit_keeps_both(personas, one_target):
    window = f.open_window(personas.officer, 2)
    services.submit_report(one_target, actor=personas.staff, window=window, value=10, narrative="初報")
    services.submit_report(one_target, actor=personas.staff, window=window, value=12, narrative="更正")
    assert QuarterlyReport.objects.get(target=one_target).value == D(12)
    assert AuditEntry.objects.filter(verb="strategy.reported").count() == 2


def test_only_the_rdec_opens_and_closes_windows(personas):
    with pytest.raises(PermissionDenied):
        f.open_window(personas.staff, 1)
    window = f.open_window(personas.officer, 1)
    with pytest.raises(PermissionDenied):
        services.close_window(window, actor=personas.supervisor)


def test_a_quarter_has_one_window(personas):
    f.open_window(personas.officer, 1)
    with pytest.raises(ValidationError):
        f.open_window(personas.officer, 1)


# --- live sources ----------------------------------------------------------------------------------------


@pytest.fixture
def fake_source():
    live.register_live_source("test.count", "測試計數", lambda year, quarter: 7 * quarter)
    yield "test.count"
    live.unregister_live_source("test.count")


def test_closing_a_window_stores_the_live_value_of_live_targets(personas, fake_source):
    t = f.target(f.plan("10-9-1", "rdec"), "live", 20, live_source=fake_source)
    window = f.open_window(personas.officer, 2)
    services.close_window(window, actor=personas.officer)
    report = QuarterlyReport.objects.get(target=t, quarter=2)
    assert (report.value, report.origin) == (D(14), "live")


def test_a_live_target_shows_the_current_count_while_the_window_is_open(personas, fake_source):
    f.target(f.plan("10-9-1", "rdec"), "live", 20, live_source=fake_source)
    f.open_window(personas.officer, 3)
    tree = selectors.strategy_tree(personas.officer, 2026, 3)
    row = tree[0].plans[0].targets[0]
    assert (row.actual, row.period_target, row.rate, row.live_now) == (D(21), D(15), D("140.0"), True)


def test_the_petitions_live_source_counts_cases_received_in_the_year(personas):
    from rdec.petitions.tests.factories import file

    file(personas.citizen)
    file(personas.citizen)
    year = timezone.localdate().year
    quarter = (timezone.localdate().month - 1) // 3 + 1
    assert live.live_value("petitions.cases_received", year, quarter) == D(2)
    assert live.live_value("petitions.cases_received", year - 1, 4) == D(0)
    assert live.live_value("petitions.replied_on_time_rate", year, quarter) is None  # none replied yet


# --- target change requests ------------------------------------------------------------------------------


def test_lowering_a_target_waits_for_the_rdec_and_keeps_history(personas, one_target):
    change = services.request_target_change(
        one_target,
        actor=personas.staff,
        new_value=80,
        justification="工期延宕",
        response_strategy="增加班次趕辦",
    )
    one_target.refresh_from_db()
    assert (change.status, one_target.annual_target) == ("pending", D(100))
    services.decide_target_change(change, actor=personas.officer, approve=True, comment="同意")
    one_target.refresh_from_db()
    assert one_target.annual_target == D(80)
    again = services.request_target_change(
        one_target, actor=personas.staff, new_value=60, justification="再延宕", response_strategy="再趕辦"
    )
    services.decide_target_change(
        again, actor=personas.officer, approve=False, comment="理由不足，維持原目標"
    )
    one_target.refresh_from_db()
    assert one_target.annual_target == D(80)
    assert list(
        TargetChangeRequest.objects.filter(target=one_target).values_list("status", "old_value", "new_value")
    ) == [
        ("rejected", D(80), D(60)),
        ("approved", D(100), D(80)),
    ]


def test_lowering_needs_a_justification_and_a_response_strategy(personas, one_target):
    with pytest.raises(ValidationError) as caught:
        services.request_target_change(one_target, actor=personas.staff, new_value=50)
    assert set(caught.value.message_dict) == {"justification", "response_strategy"}


def test_raising_a_target_applies_at_once(personas, one_target):
    change = services.request_target_change(one_target, actor=personas.staff, new_value=120)
    one_target.refresh_from_db()
    assert (change.status, one_target.annual_target) == ("approved", D(120))


def test_for_lower_is_better_a_higher_value_is_the_loosening(personas):
    t = f.target(f.plan("5-9-1", "environment"), "pm", 15, direction=Target.Direction.LOWER)
    change = services.request_target_change(
        t, actor=personas.other_staff, new_value=17, justification="境外污染", response_strategy="加強稽查"
    )
    assert change.status == "pending"


def test_only_the_rdec_decides_and_a_rejection_needs_a_comment(personas, one_target):
    change = services.request_target_change(
        one_target, actor=personas.staff, new_value=80, justification="a", response_strategy="b"
    )
    with pytest.raises(PermissionDenied):
        services.decide_target_change(change, actor=personas.supervisor, approve=True)
    with pytest.raises(ValidationError):
        services.decide_target_change(change, actor=personas.officer, approve=False, comment="")


def test_another_agency_cannot_ask_to_change_a_target(personas, one_target):
    with pytest.raises(PermissionDenied):
        services.request_target_change(one_target, actor=personas.other_staff, new_value=120)


def test_one_pending_request_at_a_time(personas, one_target):
    services.request_target_change(
        one_target, actor=personas.staff, new_value=80, justification="a", response_strategy="b"
    )
    with pytest.raises(ValidationError):
        services.request_target_change(
            one_target, actor=personas.staff, new_value=70, justification="a", response_strategy="b"
        )
