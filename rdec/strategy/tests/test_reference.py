"""The bundled data file: every action plan and target the seed document states."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from rdec.strategy.models import ActionPlan, Strategy, Target
from rdec.strategy.reference import load_plans

pytestmark = pytest.mark.django_db


def test_the_seed_plans_and_targets_load():
    counts = load_plans()
    assert counts == {"core_values": 0, "strategies": 12, "plans": 11, "targets": 13}
    assert Strategy.objects.count() == 12
    assert list(ActionPlan.objects.values_list("code", flat=True)) == [
        "1-4-4",
        "7-1-1",
        "10-1-1",
        "10-1-2",
        "10-1-3",
        "10-2-3",
        "10-2-4",
        "10-3-13",
        "10-5-1",
        "10-5-2",
        "11-1-1",
    ]
    assert set(ActionPlan.objects.values_list("agency__code", flat=True)) == {"rdec"}


@pytest.mark.parametrize(
    ("code", "key", "annual", "value_type"),
    [
        ("1-4-4", "proposals", D(3), "cumulative"),
        ("10-1-3", "datasets-total", D(3050), "level"),
        ("10-1-3", "datasets-added", D(200), "cumulative"),
        ("10-2-3", "inspection-rate", D(10), "level"),
        ("10-2-3", "inspections", D(200), "cumulative"),
        ("10-3-13", "fee-payment-items", D(10), "cumulative"),
        ("11-1-1", "plenary-meetings", D(2), "cumulative"),
        ("11-1-1", "youth-members", D(100), "level"),
        ("10-5-2", "university-meetings", D(3), "cumulative"),
    ],
)
def test_the_stated_targets_have_their_seed_values(code, key, annual, value_type):
    load_plans()
    target = Target.objects.get(plan__code=code, key=key, year=2022)
    assert (target.annual_target, target.value_type, target.direction) == (annual, value_type, "higher")


def test_loading_again_for_another_year_keeps_edited_values():
    load_plans()
    Target.objects.filter(key="proposals", year=2022).update(annual_target=5)
    call_command("load_strategy_plans", "--year", "2026", stdout=__import__("io").StringIO())
    load_plans()
    assert Target.objects.get(key="proposals", year=2022).annual_target == D(5)
    assert Target.objects.get(key="proposals", year=2026).annual_target == D(3)
    assert ActionPlan.objects.count() == 11


def test_the_strategies_have_names_not_placeholders():
    load_plans()
    names = dict(Strategy.objects.values_list("number", "name"))
    assert names[7] == "均衡發展與地方創生" and names[10] == "效能政府與公民參與"
    assert not any("待確認" in n or "第" in n for n in names.values())
    assert not Strategy.objects.filter(name_confirmed=True).exists()  # the admin shows they await the RDEC


def test_a_placeholder_name_from_an_earlier_file_is_replaced_a_confirmed_name_kept():
    Strategy.objects.create(number=1, name="第1大施政發展策略（名稱待確認）")
    Strategy.objects.create(number=7, name="地方創生與城鄉均衡", name_confirmed=True)
    load_plans()
    assert Strategy.objects.get(number=1).name == "產業發展與智慧城市"
    assert Strategy.objects.get(number=7).name == "地方創生與城鄉均衡"
