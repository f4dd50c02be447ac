"""Reads of document timeliness, scoped to the user: the monthly KPIs per agency (SQL aggregates
over the counted columns), the monthly ranking in the two groups and four classes, the year's
ordinary performance and its bottom agencies, an agency's drill-down, and the half-year report.

KPIs of a month are those of the documents closed (發文) in it:
- closed: documents closed in the month; overdue: those closed late (rules.count_document);
- overdue_ratio = overdue ÷ closed (%), on_time_rate = (closed − overdue) ÷ closed (%);
- avg_days = Σ counted days ÷ closed (限期 documents closed in time capped at 6 days);
- pending: documents received by the month's end and not closed by then;
- extended: documents closed in the month that had an approved extension.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from rdec.core.models import Agency
from rdec.core.permissions import require, scope_to_agencies, visible_agency_ids
from rdec.documents import rules
from rdec.documents.models import Document, ImportBatch, ImprovementReport, RuleVersion, SiteCheck

GROUPS = (Agency.EvaluationGroup.AGENCY, Agency.EvaluationGroup.DISTRICT)
ALL_CLASSES = ""


def previous_month(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def documents_visible_to(user) -> QuerySet[Document]:
    require(user, "documents.view_kpis")
    return scope_to_agencies(Document.objects.all(), user)


def ranked_agencies(user) -> QuerySet[Agency]:
    """The agencies that are ranked (機關組 and 公所組) and that the user may see."""
    qs = Agency.objects.filter(evaluation_group__in=GROUPS)
    ids = visible_agency_ids(user)
    return qs if ids is None else qs.filter(pk__in=ids)


@dataclass
class Kpi:
    agency: Agency
    closed: int = 0
    overdue: int = 0
    days_total: Decimal = Decimal(0)
    pending: int = 0
    extended: int = 0
    rank: int | None = None
    flagged: bool = False

    @property
    def overdue_ratio(self) -> Decimal | None:
        return rules.ratio(self.overdue, self.closed)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rules.ratio(self.closed - self.overdue, self.closed)

    @property
    def avg_days(self) -> Decimal | None:
        return rules.average(self.days_total, self.closed)

    @property
    def group(self) -> str:
        return self.agency.evaluation_group

    def add(self, other: Kpi) -> None:
        self.closed += other.closed
        self.overdue += other.overdue
        self.days_total += other.days_total
        self.pending += other.pending
        self.extended += other.extended


def _aggregate(qs: QuerySet[Document], first: datetime.date, last: datetime.date, *, by_class: bool):
    """{(agency_id, doc_class or ""): [closed, overdue, days, extended, pending]} in two queries."""
    keys = ["agency_id", "doc_class"] if by_class else ["agency_id"]
    out: dict[tuple, list] = defaultdict(lambda: [0, 0, Decimal(0), 0, 0])
    closed = (
        qs.filter(closed_on__gte=first, closed_on__lte=last)
        .values(*keys)
        .annotate(
            n=Count("id"),
            late=Count("id", filter=Q(is_overdue=True)),
            days=Sum("counted_days"),
            ext=Count("id", filter=Q(extension_days__gt=0)),
        )
        .order_by()
    )
    for row in closed:
        entry = out[(row["agency_id"], row.get("doc_class", ALL_CLASSES))]
        entry[0], entry[1], entry[2], entry[3] = row["n"], row["late"], Decimal(row["days"] or 0), row["ext"]
    pending = (
        qs.filter(received_on__lte=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=last))
        .values(*keys)
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in pending:
        out[(row["agency_id"], row.get("doc_class", ALL_CLASSES))][4] = row["n"]
    return out


@dataclass
class MonthlyKpis:
    month: datetime.date
    rule: RuleVersion
    doc_class: str
    rows: list[Kpi]
    by_class: dict[int, dict[str, Kpi]] = field(default_factory=dict)

    @property
    def due_on(self) -> datetime.date:
        return rules.ranking_due(self.rule, self.month)

    @property
    def flagged(self) -> list[Kpi]:
        return [k for k in self.rows if k.flagged]

    def group(self, group: str) -> list[Kpi]:
        return sorted(
            (k for k in self.rows if k.group == group),
            key=lambda k: (k.rank is None, k.rank or 0, k.agency.sort_order, k.agency.code),
        )


def rank(rows: list[Kpi]) -> None:
    """Rank within each group by overdue ratio (lower is better), then average days; agencies that
    closed nothing are not ranked. Equal ratio and average share a rank (1, 2, 2, 4)."""
    for group in GROUPS:
        ranked = sorted(
            (k for k in rows if k.group == group and k.closed),
            key=lambda k: (k.overdue_ratio, k.avg_days, k.agency.sort_order),
        )
        previous, position = None, 0
        for i, k in enumerate(ranked, start=1):
            key = (k.overdue_ratio, k.avg_days)
            if key != previous:
                position, previous = i, key
            k.rank = position


def monthly_kpis(user, month: datetime.date, *, doc_class: str = ALL_CLASSES) -> MonthlyKpis:
    """Every ranked agency the user may see (RDEC: all) with its KPIs for documents closed in
    `month`, ranked in its group (for one class when `doc_class` is given) and flagged when its
    overall overdue ratio is over the threshold in force at the month's end."""
    require(user, "documents.view_kpis")
    month = month.replace(day=1)
    last = rules.month_end(month)
    rule = rules.RuleBook().on(last)
    agencies = list(Agency.objects.filter(evaluation_group__in=GROUPS))  # ranks count every agency
    totals = _aggregate(Document.objects.all(), month, last, by_class=True)
    by_class: dict[int, dict[str, Kpi]] = {}
    overall: dict[int, Kpi] = {}
    for agency in agencies:
        classes = {c: Kpi(agency) for c in Document.DocClass.values}
        whole = Kpi(agency)
        for c, kpi in classes.items():
            values = totals.get((agency.pk, c))
            if values:
                kpi.closed, kpi.overdue, kpi.days_total, kpi.extended, kpi.pending = values
                whole.add(kpi)
        by_class[agency.pk], overall[agency.pk] = classes, whole
    rows = list(overall.values()) if not doc_class else [by_class[a.pk][doc_class] for a in agencies]
    rank(rows)
    for k in rows:
        k.flagged = rules.over_threshold(rule, overall[k.agency.pk].overdue_ratio)
    ids = visible_agency_ids(user)
    if ids is not None:
        rows = [k for k in rows if k.agency.pk in ids]
        by_class = {pk: v for pk, v in by_class.items() if pk in ids}
    return MonthlyKpis(month=month, rule=rule, doc_class=doc_class, rows=rows, by_class=by_class)


def year_performance(user, year: int, *, through: datetime.date | None = None) -> list[Kpi]:
    """The year's ordinary performance (平時績效) of every ranked agency the user may see: KPIs of
    the documents closed from 1 January to `through` (default: the year's end), ranked."""
    require(user, "documents.view_kpis")
    first = datetime.date(year, 1, 1)
    last = through or datetime.date(year, 12, 31)
    totals = _aggregate(Document.objects.all(), first, last, by_class=False)
    rows = []
    for agency in Agency.objects.filter(evaluation_group__in=GROUPS):
        kpi = Kpi(agency)
        values = totals.get((agency.pk, ALL_CLASSES))
        if values:
            kpi.closed, kpi.overdue, kpi.days_total, kpi.extended, kpi.pending = values
        rows.append(kpi)
    rank(rows)
    ids = visible_agency_ids(user)
    return [k for k in rows if ids is None or k.agency.pk in ids]


def bottom_of_year(rows: list[Kpi], count: int) -> dict[str, list[Kpi]]:
    """The `count` lowest-ranked agencies of each group (worst first)."""
    out = {}
    for group in GROUPS:
        ranked = sorted((k for k in rows if k.group == group and k.rank), key=lambda k: -k.rank)
        out[group] = ranked[:count]
    return out


def get_agency_for_user(user, code: str) -> Agency:
    require(user, "documents.view_kpis")
    agency = Agency.objects.filter(code=code).first()
    if agency is None or not (visible_agency_ids(user) is None or agency.pk in visible_agency_ids(user)):
        raise Http404
    return agency


@dataclass
class AgencyDetail:
    agency: Agency
    months: list[tuple[datetime.date, Kpi, bool]]
    classes: dict[str, Kpi]
    late: list[Document]
    overdue_pending: list[Document]
    reports: list[ImprovementReport]


def agency_detail(user, agency: Agency, month: datetime.date, *, months: int = 12) -> AgencyDetail:
    """An agency's last `months` months of KPIs (with the flag of each), the chosen month's KPIs by
    class, its documents closed late in the month and its pending documents already past due."""
    require(user, "documents.view_agency", agency)
    book = rules.RuleBook()
    month = month.replace(day=1)
    first = month
    for _i in range(months - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    qs = Document.objects.filter(agency=agency)
    series = []
    current = first
    while current <= month:
        last = rules.month_end(current)
        values = _aggregate(qs, current, last, by_class=False).get((agency.pk, ALL_CLASSES))
        kpi = Kpi(agency)
        if values:
            kpi.closed, kpi.overdue, kpi.days_total, kpi.extended, kpi.pending = values
        series.append((current, kpi, rules.over_threshold(book.on(last), kpi.overdue_ratio)))
        current = last + datetime.timedelta(days=1)
    last = rules.month_end(month)
    classes = {c: Kpi(agency) for c in Document.DocClass.values}
    for (_a, c), values in _aggregate(qs, month, last, by_class=True).items():
        (
            classes[c].closed,
            classes[c].overdue,
            classes[c].days_total,
            classes[c].extended,
            classes[c].pending,
        ) = values
    late = list(
        qs.filter(closed_on__gte=month, closed_on__lte=last, is_overdue=True).order_by("closed_on")[:200]
    )
    overdue_pending = list(
        qs.filter(received_on__lte=last, due_on__lt=last)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=last))
        .order_by("due_on")[:200]
    )
    reports = list(ImprovementReport.objects.filter(agency=agency).order_by("-month")[:24])
    return AgencyDetail(agency, series, classes, late, overdue_pending, reports)


def improvement_reports(user, month: datetime.date | None = None) -> QuerySet[ImprovementReport]:
    require(user, "documents.view_kpis")
    qs = scope_to_agencies(ImprovementReport.objects.select_related("agency"), user)
    return qs.filter(month=month.replace(day=1)) if month else qs


def site_checks(user, year: int) -> QuerySet[SiteCheck]:
    require(user, "documents.view_kpis")
    return scope_to_agencies(SiteCheck.objects.select_related("agency").filter(year=year), user)


def rule_versions() -> QuerySet[RuleVersion]:
    return RuleVersion.objects.all()


def import_batches(user) -> QuerySet[ImportBatch]:
    require(user, "documents.import_documents")
    return ImportBatch.objects.select_related("imported_by")


# --- the half-year report to the mayor ------------------------------------------------------------


@dataclass
class HalfYearReport:
    year: int
    half: int
    first: datetime.date
    last: datetime.date
    rule: RuleVersion
    rows: list[Kpi]
    flagged_months: dict[int, list[datetime.date]]
    reports: list[ImprovementReport]
    bottom: dict[str, list[Kpi]]

    def group(self, group: str) -> list[Kpi]:
        return sorted(
            (k for k in self.rows if k.group == group),
            key=lambda k: (k.rank is None, k.rank or 0, k.agency.sort_order),
        )


def half_year_report(user, year: int, half: int) -> HalfYearReport:
    """Each group's ranking over the half year, the months each agency was over the threshold,
    the improvement reports asked and received, and the half's bottom agencies."""
    require(user, "documents.view_half_year_report")
    first = datetime.date(year, 1 if half == 1 else 7, 1)
    last = datetime.date(year, 6, 30) if half == 1 else datetime.date(year, 12, 31)
    book = rules.RuleBook()
    rule = book.on(last)
    totals = _aggregate(Document.objects.all(), first, last, by_class=False)
    rows = []
    for agency in Agency.objects.filter(evaluation_group__in=GROUPS):
        kpi = Kpi(agency)
        values = totals.get((agency.pk, ALL_CLASSES))
        if values:
            kpi.closed, kpi.overdue, kpi.days_total, kpi.extended, kpi.pending = values
        rows.append(kpi)
    rank(rows)
    flagged: dict[int, list[datetime.date]] = defaultdict(list)
    monthly = (
        Document.objects.filter(closed_on__gte=first, closed_on__lte=last)
        .values("agency_id", "closed_on__year", "closed_on__month")
        .annotate(n=Count("id"), late=Count("id", filter=Q(is_overdue=True)))
        .order_by()
    )
    for row in monthly:
        month = datetime.date(row["closed_on__year"], row["closed_on__month"], 1)
        if rules.over_threshold(book.on(rules.month_end(month)), rules.ratio(row["late"], row["n"])):
            flagged[row["agency_id"]].append(month)
    for months in flagged.values():
        months.sort()
    reports = list(
        ImprovementReport.objects.filter(month__gte=first, month__lte=last)
        .select_related("agency")
        .order_by("month", "agency__sort_order")
    )
    return HalfYearReport(
        year,
        half,
        first,
        last,
        rule,
        rows,
        dict(flagged),
        reports,
        bottom_of_year(rows, rule.site_check_count),
    )


# --- counts for the home page's work queue (rdec.core.worklist) ---------------------------------------


def improvement_reports_pending_count(user, today: datetime.date | None = None) -> int:
    """Improvement reports asked for last month's ranking and not yet received: the rows marked
    「not yet received」 in the KPI page of that month (its default month)."""
    return improvement_reports(user, previous_month(today)).filter(received_on__isnull=True).count()
