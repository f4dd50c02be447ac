"""Reads of tenders, scoped to the user: the tender list and page, the S-curve series, and the
monthly control report (標案進度管制會報) computed from the progress of one month under the rules
in force at that month's end."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from rdec.core.models import Agency
from rdec.core.permissions import require, scope_to_agencies
from rdec.tenders import rules
from rdec.tenders.models import MonthlyProgress, RuleVersion, Tender, month_end


def tenders_visible_to(user) -> QuerySet[Tender]:
    require(user, "tenders.view_tenders")
    return scope_to_agencies(Tender.objects.select_related("agency"), user)


def get_tender_for_user(user, number: str) -> Tender:
    tender = tenders_visible_to(user).filter(number=number).first()
    if tender is None:
        raise Http404
    return tender


def filter_tenders(
    qs: QuerySet[Tender], *, agency: str = "", type: str = "", status: str = "", q: str = ""
) -> QuerySet[Tender]:
    if agency:
        qs = qs.filter(Q(agency__code=agency) | Q(agency__short_name=agency))
    if type:
        qs = qs.filter(type=type)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(name__icontains=q) | Q(contractor__icontains=q))
    return qs


def rule_versions() -> QuerySet[RuleVersion]:
    return RuleVersion.objects.all()


def previous_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@dataclass
class ProgressPoint:
    progress: MonthlyProgress
    lag: Decimal
    klass: str
    days: int | None


def tender_progress(tender: Tender) -> list[ProgressPoint]:
    """Each month's progress with its lag and class under the rules in force at that month's end."""
    book = rules.RuleBook()
    rows = list(tender.progress.order_by("month"))
    start = tender.started_on or (rows[0].month if rows else None)
    points = [(r.month_end, r.planned_pct) for r in rows]
    out = []
    for r in rows:
        rule = book.for_month(r.month)
        kwargs = {
            "planned": r.planned_pct,
            "actual": r.actual_pct,
            "tender_type": tender.type,
            "contract_amount": tender.contract_amount,
        }
        days = (
            rules.days_behind(points, start=start, at=r.month_end, actual=r.actual_pct)
            if rules.needs_days(rule, **kwargs)
            else None
        )
        out.append(ProgressPoint(r, r.lag, rules.classify(rule, days=days, **kwargs), days))
    return out


OPEN_STATUSES = (Tender.Status.IN_PROGRESS, Tender.Status.SUSPENDED)


def missing_progress(user, month: datetime.date) -> QuerySet[Tender]:
    """Tenders under contract (or suspended) that started by the month's end and have no progress
    for the month (PCC: entered by the 10th of the next month)."""
    return (
        tenders_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=month_end(month)))
        .exclude(pk__in=MonthlyProgress.objects.filter(month=month).values("tender_id"))
        .order_by("number")
    )


# --- the control report -----------------------------------------------------------------------------


@dataclass
class LagRow:
    tender_id: int
    tender_no: str
    name: str
    agency: Agency
    type: str
    contract_amount: Decimal | None
    planned_pct: Decimal
    actual_pct: Decimal
    lag: Decimal
    klass: str
    days: int | None
    reason: str
    is_late: bool

    @property
    def klass_label(self) -> str:
        return str(rules.CLASS_LABELS[self.klass])


@dataclass
class AgencyRow:
    agency: Agency
    performance: Decimal | None
    below_threshold: bool
    tenders: int = 0
    late: int = 0
    lagging: list[LagRow] = field(default_factory=list)
    missing: list[Tender] = field(default_factory=list)


@dataclass
class ControlReport:
    month: datetime.date
    rule: RuleVersion
    agencies: list[AgencyRow]
    seriously_lagging: list[LagRow]

    @property
    def missing(self) -> list[Tender]:
        return [t for a in self.agencies for t in a.missing]

    @property
    def flagged(self) -> list[AgencyRow]:
        return [a for a in self.agencies if a.below_threshold]

    @property
    def due_on(self) -> datetime.date:
        return rules.due_date(self.rule, self.month)


def control_report(user, month: datetime.date) -> ControlReport:
    """The month's report for the user's agencies (every agency for the RDEC): each agency's
    execution performance and whether it is under the threshold, its lagging tenders, and every
    seriously lagging tender."""
    require(user, "tenders.view_control_report")
    month = month.replace(day=1)
    rule = rules.RuleBook().for_month(month)
    at = month_end(month)
    qs = scope_to_agencies(MonthlyProgress.objects.filter(month=month), user, "tender__agency")
    data = list(
        qs.values_list(
            "tender_id",
            "tender__number",
            "tender__name",
            "tender__agency_id",
            "tender__type",
            "tender__contract_amount",
            "tender__budget_amount",
            "tender__started_on",
            "planned_pct",
            "actual_pct",
            "reason",
            "is_late",
        )
    )
    need_days = [
        row[0]
        for row in data
        if rules.needs_days(rule, planned=row[8], actual=row[9], tender_type=row[4], contract_amount=row[5])
    ]
    curves: dict[int, list[tuple[datetime.date, Decimal]]] = defaultdict(list)
    if need_days:
        for tender_id, point_month, planned in (
            MonthlyProgress.objects.filter(tender_id__in=need_days, month__lte=month)
            .order_by("tender_id", "month")
            .values_list("tender_id", "month", "planned_pct")
        ):
            curves[tender_id].append((month_end(point_month), planned))
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={row[3] for row in data})}
    weights: dict[int, list[tuple[Decimal, Decimal, Decimal]]] = defaultdict(list)
    by_agency: dict[int, AgencyRow] = {}
    serious: list[LagRow] = []
    for tid, number, name, agency_id, ttype, amount, budget, started, planned, actual, reason, late in data:
        days = None
        if tid in curves:
            start = started or curves[tid][0][0].replace(day=1)
            days = rules.days_behind(curves[tid], start=start, at=at, actual=actual)
        klass = rules.classify(
            rule, planned=planned, actual=actual, tender_type=ttype, contract_amount=amount, days=days
        )
        weights[agency_id].append((amount or budget or Decimal(0), planned, actual))
        entry = by_agency.setdefault(agency_id, AgencyRow(agencies[agency_id], None, False))
        entry.tenders += 1
        entry.late += bool(late)
        if klass != rules.NORMAL:
            row = LagRow(
                tid, number, name, agencies[agency_id], ttype, amount, planned, actual,
                planned - actual, klass, days, reason, late,
            )  # fmt: skip
            entry.lagging.append(row)
            if klass == rules.SERIOUS:
                serious.append(row)
    for t in missing_progress(user, month):
        entry = by_agency.setdefault(t.agency_id, AgencyRow(t.agency, None, False))
        entry.missing.append(t)
    for agency_id, entry in by_agency.items():
        entry.performance = rules.performance(weights[agency_id])
        entry.below_threshold = rules.below_threshold(rule, entry.performance)
        entry.lagging.sort(key=lambda r: (-r.lag, r.tender_no))
    ordered = sorted(by_agency.values(), key=lambda a: (a.agency.sort_order, a.agency.code))
    serious.sort(key=lambda r: (r.agency.sort_order, r.agency.code, -r.lag, r.tender_no))
    return ControlReport(month=month, rule=rule, agencies=ordered, seriously_lagging=serious)


# --- counts for the home page's work queue (rdec.core.worklist) ---------------------------------------


def progress_missing_count(user, today: datetime.date | None = None) -> int:
    """Tenders still without last month's progress (the tender list with ?progress=missing)."""
    return missing_progress(user, previous_month(today)).order_by().count()
