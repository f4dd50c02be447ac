"""Importing monthly tender progress (`rdec import_tender_progress FILE`, and the agencies' upload page).

Columns (header row; extra columns are ignored; the workbook template's Chinese headers are accepted too):
tender_no, agency, name, type, contract_amount, month, planned_pct, actual_pct, reason.

- File: CSV in UTF-8 (with or without BOM) or Big5 (cp950), or an .xlsx workbook (first sheet).
- tender_no: a number not yet in the platform creates the tender (name, type and agency are then
  required); an existing tender keeps its name, type and amount, and must belong to the agency given.
- agency: code, short name (建設局) or full name (臺中市政府建設局); 台/臺 and spaces do not matter.
- type: 工程/財物/勞務 or works/goods/services.
- month: YYYY-MM (2025-03), ROC 114-03 or 114/03, or a date cell in the month; not in the future.
- planned_pct, actual_pct: cumulative percentages 0–100 ("45.5" or "45.5%").
- reason: required when the actual progress is below the plan (PCC: 落後原因).

**All or nothing.** Every row is checked first and every problem is reported as "row N, column X:
what is wrong" (the header is row 1). With any error nothing is written. Otherwise everything is
written in one transaction: new tenders, new progress rows, and rows of a month already entered
replaced by the file's. The entry time is the import time; rows entered after the due day are late.
Who may import which agency's rows is checked by the caller (`services.import_tender_progress`
passes `may_write(agency_id)`); the command without --user imports as the system.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit, tabular
from rdec.core.models import Agency
from rdec.core.tabular import ImportFailed
from rdec.tenders import rules
from rdec.tenders.models import MonthlyProgress, Tender

COLUMNS = (
    "tender_no",
    "agency",
    "name",
    "type",
    "contract_amount",
    "month",
    "planned_pct",
    "actual_pct",
    "reason",
)
REQUIRED_COLUMNS = ("tender_no", "agency", "month", "planned_pct", "actual_pct")
HEADER_ALIASES = {
    "標案案號": "tender_no",
    "標案編號": "tender_no",
    "機關": "agency",
    "主辦機關": "agency",
    "標案名稱": "name",
    "採購類別": "type",
    "決標金額": "contract_amount",
    "契約金額": "contract_amount",
    "月份": "month",
    "預定進度": "planned_pct",
    "預定進度(%)": "planned_pct",
    "實際進度": "actual_pct",
    "實際進度(%)": "actual_pct",
    "落後原因": "reason",
}
TYPE_ALIASES = {
    "工程": Tender.Type.WORKS,
    "財物": Tender.Type.GOODS,
    "勞務": Tender.Type.SERVICES,
    "works": Tender.Type.WORKS,
    "goods": Tender.Type.GOODS,
    "services": Tender.Type.SERVICES,
}
MONTH = re.compile(r"^(\d{2,4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
MAX_ERRORS = 500


@dataclass
class ImportResult:
    rows: int = 0
    tenders_created: int = 0
    progress_created: int = 0
    progress_updated: int = 0
    late: int = 0


def _norm(text) -> str:
    return re.sub(r"\s+", "", str(text or "").replace("台", "臺")).lower()


def read_table(data: bytes, filename: str = "") -> list[list]:
    """The rows of the file (header first), as strings (and dates from workbook cells)."""
    try:
        rows = [
            [c.strip() if isinstance(c, str) else c for c in row] for row in tabular.iter_rows(data, filename)
        ]
    except tabular.UnreadableFile as exc:
        raise ImportFailed([exc.message]) from exc
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def parse_month(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    match = MONTH.match(str(value).strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if year < 1000:
        year += 1911
    if not 1 <= month <= 12:
        return None
    return datetime.date(year, month, 1)


def parse_pct(value) -> Decimal | None:
    text = str(value).strip().rstrip("%").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > 100:
        return None
    return number.quantize(Decimal("0.01"))


def parse_amount(value) -> Decimal | None:
    text = str(value).strip().replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number >= Decimal(10) ** 15:
        return None
    return number.quantize(Decimal(1))


@dataclass
class _Row:
    line: int
    tender_no: str
    agency: Agency
    name: str
    type: str
    contract_amount: Decimal | None
    month: datetime.date
    planned: Decimal
    actual: Decimal
    reason: str


def _check(
    table: list[list], may_write: Callable[[int], bool], today: datetime.date
) -> tuple[list[_Row], list[str]]:
    errors: list[str] = []
    if not table:
        return [], [_("The file is empty.")]
    header = [HEADER_ALIASES.get(str(h).strip(), _norm(h)) for h in table[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        return [], [_("Row 1: the columns %(columns)s are missing.") % {"columns": ", ".join(missing)}]
    index = {name: header.index(name) for name in COLUMNS if name in header}
    agencies: dict[str, Agency] = {}
    for a in Agency.objects.all():
        for key in (a.code, a.short_name, a.name, a.oid):
            if key:
                agencies.setdefault(_norm(key), a)
    numbers = {str(row[index["tender_no"]]).strip() for row in table[1:] if len(row) > index["tender_no"]}
    existing = {t.number: t for t in Tender.objects.filter(number__in=numbers)}
    seen: dict[tuple[str, datetime.date], int] = {}
    new_tenders: dict[str, tuple[int, Agency]] = {}
    rows: list[_Row] = []

    for line, raw in enumerate(table[1:], start=2):
        if not any(str(c).strip() for c in raw):
            continue

        def get(column: str, raw=raw):
            i = index.get(column)
            return raw[i] if i is not None and i < len(raw) else ""

        def err(column: str, message: str, line=line):
            errors.append(
                _("Row %(row)s, column %(column)s: %(message)s")
                % {"row": line, "column": column, "message": message}
            )

        before = len(errors)
        number = str(get("tender_no")).strip()
        if not number:
            err("tender_no", _("the tender number is empty."))
        elif len(number) > 60:
            err("tender_no", _("the tender number is longer than 60 characters."))
        agency_text = str(get("agency")).strip()
        agency = agencies.get(_norm(agency_text)) if agency_text else None
        if not agency_text:
            err("agency", _("the agency is empty."))
        elif agency is None:
            err("agency", _("no agency has the code or name %(value)s.") % {"value": agency_text})
        elif not may_write(agency.pk):
            err("agency", _("you may not enter progress for %(agency)s.") % {"agency": agency.name})
        tender = existing.get(number)
        name = str(get("name")).strip()
        type_text = str(get("type")).strip()
        tender_type = TYPE_ALIASES.get(_norm(type_text)) if type_text else None
        if type_text and tender_type is None:
            err("type", _("%(value)s is not 工程, 財物 or 勞務.") % {"value": type_text})
        amount_text = str(get("contract_amount")).strip()
        amount = parse_amount(amount_text) if amount_text else None
        if amount_text and amount is None:
            err("contract_amount", _("%(value)s is not an amount of money.") % {"value": amount_text})
        if tender is not None:
            if agency is not None and tender.agency_id != agency.pk:
                err(
                    "agency",
                    _("tender %(number)s belongs to %(agency)s.")
                    % {"number": number, "agency": tender.agency.name},
                )
        elif number:
            if not name:
                err("name", _("a new tender needs its name."))
            elif len(name) > 300:
                err("name", _("the name is longer than 300 characters."))
            if not type_text:
                err("type", _("a new tender needs its type (工程, 財物 or 勞務)."))
            first = new_tenders.get(number)
            if first is None and agency is not None:
                new_tenders[number] = (line, agency)
            elif first is not None and agency is not None and first[1].pk != agency.pk:
                err("agency", _("row %(row)s gives another agency for this tender.") % {"row": first[0]})
        month_raw = get("month")
        month = parse_month(month_raw) if str(month_raw).strip() else None
        if not str(month_raw).strip():
            err("month", _("the month is empty."))
        elif month is None:
            err("month", _("%(value)s is not a month like 2025-03.") % {"value": month_raw})
        elif month > today.replace(day=1):
            err("month", _("%(value)s is in the future.") % {"value": month_raw})
        pcts = {}
        for column in ("planned_pct", "actual_pct"):
            text = str(get(column)).strip()
            pcts[column] = parse_pct(text) if text else None
            if not text:
                err(column, _("the percentage is empty."))
            elif pcts[column] is None:
                err(column, _("%(value)s is not a percentage between 0 and 100.") % {"value": text})
        reason = str(get("reason")).strip()
        if (
            pcts["planned_pct"] is not None
            and pcts["actual_pct"] is not None
            and pcts["actual_pct"] < pcts["planned_pct"]
            and not reason
        ):
            err("reason", _("the actual progress is below the plan: give the reason for the delay."))
        if number and month is not None:
            key = (number, month)
            if key in seen:
                err(
                    "month",
                    _("row %(row)s already gives this tender's progress for this month.")
                    % {"row": seen[key]},
                )
            else:
                seen[key] = line
        if len(errors) > MAX_ERRORS:
            errors.append(_("Too many errors; checking stopped."))
            break
        if len(errors) == before:
            rows.append(
                _Row(
                    line=line,
                    tender_no=number,
                    agency=agency,
                    name=name,
                    type=tender_type or "",
                    contract_amount=amount,
                    month=month,
                    planned=pcts["planned_pct"],
                    actual=pcts["actual_pct"],
                    reason=reason,
                )
            )
    if not rows and not errors:
        errors.append(_("The file has no data rows."))
    return rows, errors


def import_table(
    table: list[list],
    *,
    actor=None,
    may_write: Callable[[int], bool] = lambda agency_id: True,
    now: datetime.datetime | None = None,
) -> ImportResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    rows, errors = _check(table, may_write, today)
    if errors:
        raise ImportFailed(errors)
    book = rules.RuleBook()
    result = ImportResult(rows=len(rows))
    user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        tenders = {t.number: t for t in Tender.objects.filter(number__in={r.tender_no for r in rows})}
        new = {}
        for r in rows:
            if r.tender_no not in tenders and r.tender_no not in new:
                new[r.tender_no] = Tender(
                    number=r.tender_no,
                    name=r.name,
                    agency=r.agency,
                    type=r.type,
                    contract_amount=r.contract_amount,
                    status=Tender.Status.IN_PROGRESS,
                    created_at=now,
                    updated_at=now,
                )
        Tender.objects.bulk_create(new.values(), batch_size=2000)  # no signals: audited below
        audit.write_all([audit.created_entry(t) for t in new.values()])
        tenders.update(new)
        result.tenders_created = len(new)
        existing = {
            (p.tender_id, p.month): p
            for p in MonthlyProgress.objects.filter(
                tender__in=[t.pk for t in tenders.values()], month__in={r.month for r in rows}
            )
        }
        creates, updates = [], []
        touched: dict[int, list[str]] = {}
        for r in rows:
            tender = tenders[r.tender_no]
            late = today > rules.due_date(book.for_month(r.month), r.month)
            result.late += late
            touched.setdefault(tender.pk, []).append(f"{r.month:%Y-%m}")
            values = {
                "planned_pct": r.planned,
                "actual_pct": r.actual,
                "reason": r.reason,
                "entered_at": now,
                "entered_by": user,
                "is_late": late,
            }
            row = existing.get((tender.pk, r.month))
            if row is None:
                creates.append(MonthlyProgress(tender=tender, month=r.month, **values))
            else:
                for key, value in values.items():
                    setattr(row, key, value)
                updates.append(row)
        MonthlyProgress.objects.bulk_create(creates, batch_size=2000)
        MonthlyProgress.objects.bulk_update(
            updates,
            ["planned_pct", "actual_pct", "reason", "entered_at", "entered_by", "is_late"],
            batch_size=2000,
        )
        result.progress_created, result.progress_updated = len(creates), len(updates)
        by_pk = {t.pk: t for t in tenders.values()}
        audit.write_all(
            [
                audit.event_entry("tender.progress_imported", by_pk[pk], months=sorted(months))
                for pk, months in touched.items()
            ]
        )
    return result


def import_file(data: bytes, filename: str = "", **kwargs) -> ImportResult:
    return import_table(read_table(data, filename), **kwargs)
