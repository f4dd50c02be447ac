from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.utils import timezone

from rdec.core.models import Agency
from rdec.tenders.models import MonthlyProgress, RuleVersion, Tender

_numbers = itertools.count(1)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def tender(
    agency_code: str = "construction", *, type=Tender.Type.WORKS, amount=10_000_000, **fields
) -> Tender:
    fields.setdefault("number", f"T{next(_numbers):06d}")
    fields.setdefault("name", f"測試標案 {fields['number']}")
    return Tender.objects.create(
        agency=agency(agency_code),
        type=type,
        contract_amount=Decimal(amount) if amount is not None else None,
        **fields,
    )


def progress(t: Tender, month: str, planned, actual, *, reason: str = "", **fields) -> MonthlyProgress:
    year, mon = (int(p) for p in month.split("-"))
    fields.setdefault("entered_at", timezone.now())
    return MonthlyProgress.objects.create(
        tender=t,
        month=datetime.date(year, mon, 1),
        planned_pct=Decimal(str(planned)),
        actual_pct=Decimal(str(actual)),
        reason=reason or ("落後" if Decimal(str(actual)) < Decimal(str(planned)) else ""),
        **fields,
    )


def rule(effective_from: datetime.date, **values) -> RuleVersion:
    return RuleVersion.objects.create(effective_from=effective_from, source="測試用規則", **values)


def inspection(actor, t: Tender, day: datetime.date, score, codes=(), **fields):
    """An inspection recorded through the service (graded, with improvement reports)."""
    from rdec.tenders import services

    fields.setdefault("members", "研考會 林研考\n外聘委員 陳教授")
    return services.record_inspection(
        actor=actor,
        tender=t,
        inspected_on=day,
        score=Decimal(str(score)),
        findings=[{"code": c} for c in codes],
        today=max(day, timezone.localdate()),
        **fields,
    )


def inspection_rule(effective_from: datetime.date, **values):
    from rdec.tenders.models import InspectionRule

    return InspectionRule.objects.create(effective_from=effective_from, source="測試用規則", **values)
