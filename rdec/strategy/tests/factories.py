"""Small builders for strategy tests (plain functions over the models: the arrangement, not the
behaviour under test)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from rdec.core.models import Agency
from rdec.strategy import services
from rdec.strategy.models import ActionPlan, Strategy, Target

YEAR = 2026


def strategy(number: int) -> Strategy:
    return Strategy.objects.get_or_create(number=number, defaults={"name": f"策略{number}"})[0]


def plan(code: str, agency_code: str, *, name: str = "", co=()) -> ActionPlan:
    made = ActionPlan.objects.create(
        code=code,
        name=name or f"行動方案 {code}",
        strategy=strategy(int(code.split("-")[0])),
        agency=Agency.objects.get(code=agency_code),
    )
    made.co_agencies.add(*Agency.objects.filter(code__in=co))
    return made


def target(plan: ActionPlan, key: str, annual, *, year: int = YEAR, **fields) -> Target:
    values = {"name": key, "unit": "件", "annual_target": Decimal(str(annual))}
    values.update(fields)
    return Target.objects.create(plan=plan, year=year, key=key, **values)


def open_window(officer, quarter: int, *, year: int = YEAR, days_left: int = 7):
    today = timezone.localdate()
    return services.open_window(
        actor=officer,
        year=year,
        quarter=quarter,
        opens_on=today - datetime.timedelta(days=1),
        closes_on=today + datetime.timedelta(days=days_left),
    )
