"""Reads of construction quality inspections, scoped to the user (agency staff: their agencies'
works; RDEC officers: all): the inspection list and page, the coverage of the year's targets,
the planning suggestions, and the deficiency statistics with the 金質獎 candidates."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from rdec.core.permissions import require, scope_to_agencies
from rdec.tenders import inspection_rules
from rdec.tenders.models import (
    Deficiency,
    Finding,
    ImprovementReport,
    Inspection,
    InspectionPhoto,
    InspectionRule,
    MonthlyProgress,
    Tender,
)

# A work counts as under execution in a year when it is a works tender in one of these statuses,
# started by the year's end (or without a start date) and not completed before the year began.
EXECUTION_STATUSES = (
    Tender.Status.IN_PROGRESS,
    Tender.Status.SUSPENDED,
    Tender.Status.ACCEPTANCE,
    Tender.Status.CLOSED,
)
OPEN_STATUSES = (Tender.Status.IN_PROGRESS, Tender.Status.SUSPENDED)
GRADES = (Inspection.Grade.A, Inspection.Grade.B, Inspection.Grade.C)


def inspections_visible_to(user) -> QuerySet[Inspection]:
    require(user, "tenders.view_inspections")
    qs = Inspection.objects.select_related("tender", "tender__agency")
    return scope_to_agencies(qs, user, field="tender__agency")


def get_inspection_for_user(user, pk: int) -> Inspection:
    inspection = (
        inspections_visible_to(user)
        .prefetch_related(
            Prefetch("findings", queryset=Finding.objects.select_related("deficiency")),
            Prefetch("photos", queryset=InspectionPhoto.objects.select_related("finding__deficiency")),
            "improvements",
            "consequences",
        )
        .filter(pk=pk)
        .first()
    )
    if inspection is None:
        raise Http404
    return inspection


def filter_inspections(
    qs: QuerySet[Inspection], *, year: int | None = None, agency: str = "", grade: str = "", q: str = ""
) -> QuerySet[Inspection]:
    if year:
        qs = qs.filter(inspected_on__year=year)
    if agency:
        qs = qs.filter(Q(tender__agency__code=agency) | Q(tender__agency__short_name=agency))
    if grade:
        qs = qs.filter(grade=grade)
    if q:
        qs = qs.filter(
            Q(tender__number__icontains=q) | Q(tender__name__icontains=q) | Q(tender__contractor__icontains=q)
        )
    return qs


def follow_up_status(inspection: Inspection, today: datetime.date | None = None) -> str:
    """The inspection's follow-up: 逾期未改善 if any report is overdue, else 待改善 if any is
    pending, else 已改善 (or "" when there was nothing to improve)."""
    today = today or timezone.localdate()
    states = {r.status_on(today) for r in inspection.improvements.all()}
    for state in (ImprovementReport.OVERDUE, ImprovementReport.PENDING, ImprovementReport.DONE):
        if state in states:
            return state
    return ""


def deductions(tender: Tender) -> dict[int, Decimal]:
    """Each inspection's money deduction (inspection id → NT$), in date order, under the rules in
    force on each inspection's date, all within the cap of the contract."""
    book = inspection_rules.InspectionRuleBook()
    points = dict(
        Finding.objects.filter(inspection__tender=tender)
        .values_list("inspection_id")
        .annotate(total=Sum("points"))
    )
    out: dict[int, Decimal] = {}
    already = Decimal(0)
    for inspection in tender.inspections.order_by("inspected_on", "id"):
        amount = inspection_rules.deduction(
            book.on(inspection.inspected_on),
            tender.contract_amount,
            points.get(inspection.pk) or Decimal(0),
            already,
        )
        out[inspection.pk] = amount
        already += amount
    return out


def inspection_rule_versions() -> QuerySet[InspectionRule]:
    return InspectionRule.objects.all()


def active_deficiencies() -> QuerySet[Deficiency]:
    return Deficiency.objects.filter(is_active=True).order_by("code")


def works_in_year(tenders: QuerySet[Tender], year: int) -> QuerySet[Tender]:
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return tenders.filter(type=Tender.Type.WORKS, status__in=EXECUTION_STATUSES).filter(
        Q(started_on__isnull=True) | Q(started_on__lte=end),
        Q(actual_completion_on__isnull=True) | Q(actual_completion_on__gte=start),
    )


def coverage(user, year: int, today: datetime.date | None = None) -> inspection_rules.Coverage:
    """The year's inspections against the targets of the version in force on the year's last day:
    inspections ≥ coverage % of the works under execution, and ≥ the yearly count."""
    require(user, "tenders.view_inspections")
    today = today or timezone.localdate()
    tenders = scope_to_agencies(Tender.objects.all(), user)
    inspections = inspections_visible_to(user).filter(inspected_on__year=year)
    return inspection_rules.Coverage(
        year=year,
        rule=inspection_rules.InspectionRuleBook().for_year(year),
        works=works_in_year(tenders, year).count(),
        inspections=inspections.count(),
        works_inspected=inspections.values("tender_id").distinct().count(),
        today=today,
    )


def planning(user, today: datetime.date | None = None, limit: int = 50) -> list[inspection_rules.Candidate]:
    """Works under execution now, ranked for inspection with the reasons (see inspection_rules)."""
    require(user, "tenders.view_inspections")
    today = today or timezone.localdate()
    rule = inspection_rules.InspectionRuleBook().on(today)
    latest = MonthlyProgress.objects.filter(tender=OuterRef("pk")).order_by("-month")
    works = (
        scope_to_agencies(Tender.objects.all(), user)
        .filter(type=Tender.Type.WORKS, status__in=OPEN_STATUSES)
        .filter(Q(started_on__isnull=True) | Q(started_on__lte=today))
    )
    tenders = list(
        works.select_related("agency").annotate(
            last_planned=Subquery(latest.values("planned_pct")[:1]),
            last_actual=Subquery(latest.values("actual_pct")[:1]),
        )
    )
    ids = works.values("pk")
    last: dict[int, tuple] = {}  # tender id → (date, score, grade) of its latest inspection
    for tender_id, day, score, grade in (
        Inspection.objects.filter(tender_id__in=ids, inspected_on__lte=today)
        .order_by("tender_id", "inspected_on", "id")
        .values_list("tender_id", "inspected_on", "score", "grade")
    ):
        last[tender_id] = (day, score, grade)
    points = dict(
        Finding.objects.filter(inspection__tender_id__in=ids, inspection__inspected_on__lte=today)
        .values_list("inspection__tender_id")
        .annotate(total=Sum("points"))
    )
    overdue = dict(
        ImprovementReport.objects.filter(
            inspection__tender_id__in=ids, submitted_on__isnull=True, due_on__lt=today
        )
        .values_list("inspection__tender_id")
        .annotate(n=Count("id"))
    )
    out = []
    for tender in tenders:
        lag = (
            tender.last_planned - tender.last_actual
            if tender.last_planned is not None and tender.last_actual is not None
            else None
        )
        previous = last.get(tender.pk)
        out.append(
            inspection_rules.rank_candidate(
                rule,
                tender,
                today=today,
                lag=lag,
                last_inspected_on=previous[0] if previous else None,
                last_score=previous[1] if previous else None,
                last_grade=previous[2] if previous else "",
                past_points=points.get(tender.pk) or Decimal(0),
                overdue_improvements=overdue.get(tender.pk, 0),
            )
        )
    return inspection_rules.rank(out)[:limit]


@dataclass
class CodeCount:
    code: str
    description: str
    count: int
    points: Decimal


@dataclass
class GroupTop:
    label: str
    findings: int
    inspections: int
    top: list[CodeCount]


@dataclass
class QuarterRow:
    quarter: str
    inspections: int = 0
    score_sum: Decimal = Decimal(0)
    grades: dict = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    findings: int = 0
    categories: dict = field(default_factory=dict)

    @property
    def average(self) -> Decimal | None:
        if not self.inspections:
            return None
        return (self.score_sum / self.inspections).quantize(Decimal("0.01"))


@dataclass
class AwardCandidate:
    tender: Tender
    inspection: Inspection


@dataclass
class Statistics:
    year: int
    rule: InspectionRule
    inspections: int
    findings: int
    grades: dict
    top_codes: list[CodeCount]
    by_agency: list[GroupTop]
    by_contractor: list[GroupTop]
    by_work_type: list[GroupTop]
    quarters: list[QuarterRow]
    award_candidates: list[AwardCandidate]


def _top(counter: Counter, points: dict, names: dict, n: int) -> list[CodeCount]:
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
    return [CodeCount(code, names[code], count, points[code]) for code, count in rows]


@dataclass
class _Row:
    """One inspection as plain values (the statistics read tuples, not model instances)."""

    pk: int
    tender_id: int
    inspected_on: datetime.date
    score: Decimal
    grade: str
    work_type: str
    agency: str
    contractor: str


def _groups(findings, rows_by_id, inspections, key, names, n=3) -> list[GroupTop]:
    counters: dict[str, Counter] = defaultdict(Counter)
    points: dict[str, dict] = defaultdict(lambda: defaultdict(Decimal))
    for inspection_id, code, _category, value in findings:
        k = key(rows_by_id[inspection_id])
        counters[k][code] += 1
        points[k][code] += value
    seen = Counter(key(i) for i in inspections)
    rows = [
        GroupTop(
            label, sum(counters[label].values()), seen[label], _top(counters[label], points[label], names, n)
        )
        for label in seen
    ]
    return sorted(rows, key=lambda g: (-g.findings, g.label))


def statistics(user, year: int, today: datetime.date | None = None) -> Statistics:
    """Deficiency statistics of the year (and the quarters of the year before, for the trend)."""
    require(user, "tenders.view_inspection_statistics")
    today = today or timezone.localdate()
    rule = inspection_rules.InspectionRuleBook().for_year(year)
    scoped = inspections_visible_to(user).filter(inspected_on__year__in=[year - 1, year])
    trend = [
        _Row(pk, tender_id, day, score, grade, work_type, short or name, contractor or "—")
        for pk, tender_id, day, score, grade, work_type, short, name, contractor in scoped.order_by(
            "inspected_on", "id"
        ).values_list(
            "id", "tender_id", "inspected_on", "score", "grade", "work_type", "tender__agency__short_name",
            "tender__agency__name", "tender__contractor",
        )
    ]  # fmt: skip
    by_id = {r.pk: r for r in trend}
    names: dict[str, str] = {}
    trend_findings = []
    for inspection_id, code, description, category, value in (
        Finding.objects.filter(inspection__in=scoped.values("id"))
        .order_by("id")
        .values_list(
            "inspection_id", "deficiency__code", "deficiency__description", "deficiency__category", "points"
        )
    ):
        names[code] = description
        trend_findings.append((inspection_id, code, category, value))
    inspections = [r for r in trend if r.inspected_on.year == year]
    findings = [f for f in trend_findings if by_id[f[0]].inspected_on.year == year]
    overall = Counter(code for _i, code, _c, _v in findings)
    overall_points: dict = defaultdict(Decimal)
    for _i, code, _c, value in findings:
        overall_points[code] += value
    work_labels = dict(Inspection.WorkType.choices)

    quarters = {f"{y}Q{q}": QuarterRow(f"{y}Q{q}") for y in (year - 1, year) for q in (1, 2, 3, 4)}
    for r in trend:
        row = quarters[inspection_rules.quarter(r.inspected_on)]
        row.inspections += 1
        row.score_sum += r.score
        row.grades[r.grade] = row.grades.get(r.grade, 0) + 1
    for inspection_id, _code, category, _v in trend_findings:
        row = quarters[inspection_rules.quarter(by_id[inspection_id].inspected_on)]
        row.findings += 1
        row.categories[category] = row.categories.get(category, 0) + 1

    latest: dict[int, _Row] = {}
    had_c: set[int] = set()
    for r in inspections:
        latest[r.tender_id] = r
        if r.grade == Inspection.Grade.C:
            had_c.add(r.tender_id)
    chosen = [
        r.pk
        for tender_id, r in latest.items()
        if r.grade == Inspection.Grade.A and r.score >= rule.award_min_score and tender_id not in had_c
    ]
    overdue = set(
        ImprovementReport.objects.filter(
            inspection_id__in=chosen, submitted_on__isnull=True, due_on__lt=today
        )
        .values_list("inspection_id", flat=True)
        .distinct()
    )
    candidates = [
        AwardCandidate(i.tender, i)
        for i in Inspection.objects.select_related("tender", "tender__agency").filter(
            pk__in=[pk for pk in chosen if pk not in overdue]
        )
    ]
    candidates.sort(key=lambda c: (-c.inspection.score, c.tender.number))
    return Statistics(
        year=year,
        rule=rule,
        inspections=len(inspections),
        findings=len(findings),
        grades={g: sum(1 for r in inspections if r.grade == g) for g in GRADES},
        top_codes=_top(overall, overall_points, names, 10),
        by_agency=_groups(findings, by_id, inspections, lambda r: r.agency, names),
        by_contractor=_groups(findings, by_id, inspections, lambda r: r.contractor, names),
        by_work_type=_groups(
            findings, by_id, inspections, lambda r: str(work_labels.get(r.work_type, r.work_type)), names
        ),
        quarters=list(quarters.values()),
        award_candidates=candidates,
    )
