from __future__ import annotations

import datetime
import itertools

from rdec.core.models import Agency
from rdec.documents import rules
from rdec.documents.models import Document, RuleVersion

_numbers = itertools.count(1)


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def document(
    agency_code: str = "construction",
    *,
    received: str,
    closed: str | None = None,
    speed: str = Document.Speed.ORDINARY,
    deadline: str | None = None,
    doc_class: str = Document.DocClass.GENERAL,
    extension_days: int = 0,
    doc_no: str | None = None,
) -> Document:
    """A document counted as the importer counts it (rules in force on receipt)."""
    received_on = d(received)
    closed_on = d(closed) if closed else None
    deadline_on = d(deadline) if deadline else None
    counted = rules.count_document(
        rules.RuleBook().on(received_on),
        rules.WorkingDayIndex(),
        speed=speed,
        received_on=received_on,
        closed_on=closed_on,
        deadline_on=deadline_on,
        extension_days=extension_days,
    )
    return Document.objects.create(
        agency=agency(agency_code),
        doc_no=doc_no or f"D{next(_numbers):07d}",
        doc_class=doc_class,
        speed=speed,
        received_on=received_on,
        deadline_on=deadline_on,
        closed_on=closed_on,
        extension_days=extension_days,
        due_on=counted.due_on,
        days_used=counted.days_used,
        counted_days=counted.counted_days,
        is_overdue=counted.is_overdue,
    )


def rule(effective_from: str, **values) -> RuleVersion:
    return RuleVersion.objects.create(effective_from=d(effective_from), source="測試用規則", **values)
