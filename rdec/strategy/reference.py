"""Loading strategies, action plans and targets from a JSON file (rdec load_strategy_plans)."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from rdec.core.models import Agency
from rdec.core.permissions import require
from rdec.core.reference import ReferenceDataError
from rdec.strategy.models import ActionPlan, CoreValue, Strategy, Target

BUNDLED = Path(str(resources.files("rdec.strategy") / "data" / "strategy-plans-111.json"))
PLACEHOLDER_SUFFIX = "（名稱待確認）"  # the names earlier files carried


def _fail(path, message: str):
    raise ReferenceDataError(f"{path}: {message}")


@transaction.atomic
def load_plans(path: Path = BUNDLED, *, year: int | None = None, actor=None) -> dict[str, int]:
    """Create or update the file's strategies, plans and targets (targets for `year`, default the
    file's). Idempotent: plans by code, targets by (plan, year, key). Existing target values are
    left as they are (a loaded file never overwrites a value the RDEC approved since)."""
    if actor is not None:
        require(actor, "strategy.manage_plans")
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    year = int(year or data["year"])
    source = data.get("source", "")
    agencies = {a.code: a for a in Agency.objects.all()}
    counts = {"core_values": 0, "strategies": 0, "plans": 0, "targets": 0}
    values = {}
    for n, row in enumerate(data.get("core_values", []), 1):
        value, _created = CoreValue.objects.update_or_create(
            code=row["code"],
            defaults={"name": row["name"], "name_en": row.get("name_en", ""), "sort_order": n},
        )
        values[value.code] = value
        counts["core_values"] += 1
    strategies = {}
    for row in data["strategies"]:
        strategy = Strategy.objects.filter(number=row["number"]).first()
        if strategy is None:
            strategy = Strategy.objects.create(
                number=row["number"],
                name=row["name"],
                name_en=row.get("name_en", ""),
                core_value=values.get(row.get("core_value")),
                name_confirmed=row.get("name_confirmed", False),
            )
        elif strategy.name.endswith(PLACEHOLDER_SUFFIX) and not strategy.name_confirmed:
            strategy.name = row["name"]  # an earlier file's placeholder (「第N大施政發展策略（名稱待確認）」)
            strategy.save(update_fields=["name"])
        strategies[strategy.number] = strategy
        counts["strategies"] += 1
    for n, row in enumerate(data["plans"], 1):
        for key in ("code", "name", "agency"):
            if not row.get(key):
                _fail(path, _("plan %(n)s: the field %(field)s is required.") % {"n": n, "field": key})
        number = int(row["code"].split("-")[0])
        strategy = strategies.get(number) or Strategy.objects.filter(number=number).first()
        if strategy is None:
            _fail(
                path,
                _("plan %(code)s: strategy %(number)s is not defined.")
                % {"code": row["code"], "number": number},
            )
        agency = agencies.get(row["agency"])
        if agency is None:
            _fail(
                path,
                _("plan %(code)s: agency %(agency)s is not loaded.")
                % {"code": row["code"], "agency": row["agency"]},
            )
        plan, _created = ActionPlan.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "strategy": strategy,
                "agency": agency,
                "description": row.get("description", ""),
                "source": row.get("source", source)[:300],
            },
        )
        co = [agencies[c] for c in row.get("co_agencies", []) if c in agencies]
        if co:
            plan.co_agencies.add(*co)
        counts["plans"] += 1
        for order, t in enumerate(row.get("targets", []), 1):
            milestones = {int(q): Decimal(str(v)) for q, v in (t.get("milestones") or {}).items()}
            defaults = {
                "name": t["name"],
                "unit": t["unit"],
                "baseline": Decimal(str(t["baseline"])) if t.get("baseline") is not None else None,
                "annual_target": Decimal(str(t["annual_target"])),
                "direction": t.get("direction", Target.Direction.HIGHER),
                "value_type": t.get("value_type", Target.ValueType.CUMULATIVE),
                "milestone_q1": milestones.get(1),
                "milestone_q2": milestones.get(2),
                "milestone_q3": milestones.get(3),
                "formula": t.get("formula", ""),
                "data_source": t.get("data_source", ""),
                "live_source": t.get("live_source", ""),
                "source": (t.get("stated", "") + (" [推估]" if t.get("inferred") else ""))[:300],
                "sort_order": order,
            }
            Target.objects.get_or_create(plan=plan, year=year, key=t["key"], defaults=defaults)
            counts["targets"] += 1
    return counts
