"""Reads of the strategy cycle, scoped to the user, and the progress tables (achievement rates,
roll-ups and lights) the pages, the exports and the API show."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core.dates import roc_date
from rdec.core.permissions import is_oversight, require, visible_agency_ids
from rdec.strategy import achievement as calc
from rdec.strategy import live
from rdec.strategy.models import (
    ActionPlan,
    LightRule,
    QuarterlyReport,
    ReportingWindow,
    Strategy,
    Target,
    TargetChangeRequest,
)


def plans_visible_to(user) -> QuerySet[ActionPlan]:
    """RDEC: every plan; agency members: the plans their agency (or one below it) owns or helps
    with; anyone else: none."""
    qs = ActionPlan.objects.select_related("strategy", "agency").filter(active=True)
    if is_oversight(user):
        return qs
    if not (user and user.is_authenticated and user.is_active and user.is_agency_member):
        return qs.none()
    ids = visible_agency_ids(user)
    if not ids:
        return qs.none()
    return qs.filter(Q(agency__in=ids) | Q(co_agencies__in=ids)).distinct()


def get_plan_for_user(user, code: str) -> ActionPlan:
    require(user, "strategy.view_strategy")
    plan = plans_visible_to(user).filter(code=code).first()
    if plan is None:
        raise Http404
    return plan


def windows() -> QuerySet[ReportingWindow]:
    return ReportingWindow.objects.select_related("opened_by", "closed_by").order_by("-year", "-quarter")


def open_windows(today: datetime.date | None = None) -> list[ReportingWindow]:
    today = today or timezone.localdate()
    return list(
        ReportingWindow.objects.filter(
            closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today
        ).order_by("year", "quarter")
    )


def current_period(today: datetime.date | None = None) -> tuple[int, int]:
    """The period the pages show by default: the latest window that has opened; before any, today's
    quarter."""
    today = today or timezone.localdate()
    window = ReportingWindow.objects.filter(opens_on__lte=today).order_by("-year", "-quarter").first()
    if window is not None:
        return window.year, window.quarter
    return today.year, (today.month - 1) // 3 + 1


def window_refusal(window: ReportingWindow, today: datetime.date | None = None) -> str | None:
    """Why the window takes no report today (a sentence for people), or None when it is open."""
    state = window.state(today)
    if state == "closed":
        return _(
            "The reporting window for %(period)s was closed by the RDEC; reports are no longer accepted."
        ) % {"period": window.label}
    if state == "late":
        return _(
            "The reporting window for %(period)s ended on %(date)s; late reports are not accepted. "
            "Ask the RDEC to extend it."
        ) % {"period": window.label, "date": roc_date(window.closes_on)}
    if state == "scheduled":
        return _("The reporting window for %(period)s opens on %(date)s.") % {
            "period": window.label,
            "date": roc_date(window.opens_on),
        }
    return None


def thresholds_for(day: datetime.date) -> calc.Thresholds:
    """The light thresholds in force on `day` (the default 100 % / 80 % without any rule)."""
    rule = LightRule.objects.in_force(day)
    if rule is None:
        return calc.Thresholds()
    return calc.Thresholds(rule.green_from, rule.yellow_from)


def light_rule_for(day: datetime.date) -> LightRule | None:
    return LightRule.objects.in_force(day)


# --- progress ------------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    target: Target
    year: int
    quarter: int
    reports: dict[int, QuarterlyReport]
    actual: Decimal | None
    period_target: Decimal
    raw_rate: Decimal | None  # unrounded
    light: str
    live_now: bool = False  # the actual includes an unstored live value for the quarter

    @property
    def rate(self) -> Decimal | None:
        return calc.rounded(self.raw_rate)

    @property
    def shown_rate(self) -> Decimal | None:
        """The rate as the light shows it: at most 100 %."""
        return calc.rounded(calc.capped(self.raw_rate))

    @property
    def period(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def report(self) -> QuarterlyReport | None:
        return self.reports.get(self.quarter)


@dataclass
class Rollup:
    raw_rate: Decimal | None
    light: str
    rated: int
    total: int

    @property
    def rate(self) -> Decimal | None:
        return calc.rounded(self.raw_rate)


@dataclass
class PlanRow:
    plan: ActionPlan
    targets: list[TargetRow]
    rollup: Rollup


@dataclass
class StrategyRow:
    strategy: Strategy
    plans: list[PlanRow]
    rollup: Rollup


@dataclass
class AgencyRow:
    agency: object
    plans: list[PlanRow] = field(default_factory=list)
    rollup: Rollup | None = None


def _rollup(values: list[Decimal | None], thresholds: calc.Thresholds) -> Rollup:
    mean = calc.mean(values)
    return Rollup(mean, calc.light(mean, thresholds), sum(v is not None for v in values), len(values))


def target_row(
    target: Target,
    reports: dict[int, QuarterlyReport],
    quarter: int,
    thresholds: calc.Thresholds,
    *,
    live_quarter: bool = False,
) -> TargetRow:
    values = {q: r.value for q, r in reports.items()}
    live_now = False
    if live_quarter and target.live_source and quarter not in values:
        number = live.live_value(target.live_source, target.year, quarter)
        if number is not None:
            values[quarter] = number
            live_now = True
    actual = calc.actual_as_of(target.value_type, values, quarter)
    goal = calc.target_for_quarter(
        value_type=target.value_type,
        annual=target.annual_target,
        quarter=quarter,
        baseline=target.baseline,
        milestone=target.milestone(quarter),
    )
    raw = calc.rate(target.direction, goal, actual)
    return TargetRow(
        target=target,
        year=target.year,
        quarter=quarter,
        reports=reports,
        actual=actual,
        period_target=goal,
        raw_rate=raw,
        light=calc.light(raw, thresholds),
        live_now=live_now,
    )


def _live_quarter(year: int, quarter: int) -> bool:
    """Live targets show the source's current count while the quarter's window is not closed."""
    window = ReportingWindow.objects.filter(year=year, quarter=quarter).first()
    return window is None or not window.is_closed


def plan_rows(plans, year: int, quarter: int) -> list[PlanRow]:
    """The plans' targets for `year` as of `quarter`, with rates, lights and each plan's roll-up."""
    thresholds = thresholds_for(live.quarter_bounds(year, quarter)[1])
    plans = list(
        plans.prefetch_related(
            Prefetch(
                "targets",
                Target.objects.filter(year=year).prefetch_related(
                    Prefetch("reports", QuarterlyReport.objects.filter(quarter__lte=quarter))
                ),
                to_attr="year_targets",
            )
        )
    )
    live_quarter = _live_quarter(year, quarter)
    rows = []
    for plan in plans:
        targets = [
            target_row(
                t, {r.quarter: r for r in t.reports.all()}, quarter, thresholds, live_quarter=live_quarter
            )
            for t in plan.year_targets
        ]
        rows.append(PlanRow(plan, targets, _rollup([calc.capped(t.raw_rate) for t in targets], thresholds)))
    return rows


def strategy_tree(user, year: int, quarter: int) -> list[StrategyRow]:
    """Every strategy with the user's visible plans; a strategy's rate is the mean of its plans'."""
    require(user, "strategy.view_strategy")
    thresholds = thresholds_for(live.quarter_bounds(year, quarter)[1])
    by_strategy: dict[int, list[PlanRow]] = defaultdict(list)
    for row in plan_rows(plans_visible_to(user), year, quarter):
        by_strategy[row.plan.strategy_id].append(row)
    strategies = Strategy.objects.select_related("core_value").all()
    if not is_oversight(user):
        strategies = strategies.filter(pk__in=list(by_strategy))
    return [
        StrategyRow(
            s,
            by_strategy.get(s.pk, []),
            _rollup([p.rollup.raw_rate for p in by_strategy.get(s.pk, [])], thresholds),
        )
        for s in strategies
    ]


def agency_rollups(user, year: int, quarter: int, rows: list[PlanRow] | None = None) -> list[AgencyRow]:
    """Each owner agency (主辦) with the mean of its plans' rates."""
    require(user, "strategy.view_strategy")
    thresholds = thresholds_for(live.quarter_bounds(year, quarter)[1])
    if rows is None:
        rows = plan_rows(plans_visible_to(user), year, quarter)
    agencies: dict[int, AgencyRow] = {}
    for row in rows:
        agencies.setdefault(row.plan.agency_id, AgencyRow(row.plan.agency)).plans.append(row)
    for item in agencies.values():
        item.rollup = _rollup([p.rollup.raw_rate for p in item.plans], thresholds)
    return sorted(agencies.values(), key=lambda a: (a.agency.sort_order, a.agency.code))


def mayor_summary(user, year: int, quarter: int) -> dict:
    require(user, "strategy.view_summary")
    tree = strategy_tree(user, year, quarter)
    rows = [p for s in tree for p in s.plans]
    thresholds = thresholds_for(live.quarter_bounds(year, quarter)[1])
    overall = _rollup([s.rollup.raw_rate for s in tree if s.plans], thresholds)
    lights = defaultdict(int)
    for row in rows:
        for t in row.targets:
            lights[t.light] += 1
    return {
        "strategies": tree,
        "agencies": agency_rollups(user, year, quarter, rows),
        "overall": overall,
        "lights": dict(lights),
        "thresholds": thresholds,
    }


def reporting_rows(user, window: ReportingWindow) -> list[TargetRow]:
    """The targets the user reports in `window` (their agency's owned plans), with this quarter's
    report if any."""
    from rdec.strategy.permissions import reporting_agency_ids

    require(user, "strategy.report")
    plans = ActionPlan.objects.filter(active=True, agency__in=reporting_agency_ids(user)).select_related(
        "strategy", "agency"
    )
    rows = plan_rows(plans, window.year, window.quarter)
    return [t for row in rows for t in row.targets]


def plan_history(user, plan: ActionPlan) -> list[dict]:
    """Every year's targets of the plan with all their quarterly reports, newest year first."""
    require(user, "strategy.view_plan", plan)
    targets = (
        Target.objects.filter(plan=plan)
        .prefetch_related(Prefetch("reports", QuarterlyReport.objects.select_related("reported_by")))
        .order_by("-year", "sort_order", "id")
    )
    years: dict[int, list[TargetRow]] = defaultdict(list)
    for target in targets:
        reports = {r.quarter: r for r in target.reports.all()}
        last = max(reports) if reports else 4
        thresholds = thresholds_for(live.quarter_bounds(target.year, last)[1])
        years[target.year].append(target_row(target, reports, last, thresholds))
    return [{"year": y, "targets": rows} for y, rows in sorted(years.items(), reverse=True)]


def change_requests_visible_to(user) -> QuerySet[TargetChangeRequest]:
    require(user, "strategy.view_strategy")
    qs = TargetChangeRequest.objects.select_related(
        "target", "target__plan", "target__plan__agency", "requested_by", "decided_by"
    )
    plan_ids = plans_visible_to(user).values("pk")
    if not is_oversight(user):
        qs = qs.filter(target__plan__in=plan_ids)
    return qs


def years_available() -> list[int]:
    years = set(Target.objects.values_list("year", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# --- subsidy projects ----------------------------------------------------------------------------------


def subsidy_projects_visible_to(user) -> QuerySet:
    """RDEC: every project; agency members: their agency's (and those below it)."""
    from rdec.strategy.models import SubsidyProject
    from rdec.strategy.permissions import reporting_agency_ids

    require(user, "strategy.view_subsidies")
    qs = SubsidyProject.objects.select_related("cycle", "agency")
    if is_oversight(user):
        return qs
    return qs.filter(agency__in=reporting_agency_ids(user))


def get_subsidy_project_for_user(user, pk: int):
    project = subsidy_projects_visible_to(user).filter(pk=pk).first()
    if project is None:
        raise Http404
    return project


@dataclass
class SubsidyRow:
    project: object
    month: int | None  # the latest month reported up to the asked month
    planned_progress: Decimal | None
    actual_progress: Decimal | None
    actual_spend: Decimal | None
    execution_rate: Decimal | None  # actual spending ÷ budget × 100
    late_reports: int
    checkpoints_overdue: int

    @property
    def gap(self) -> Decimal | None:
        """Actual minus planned progress, in percentage points (negative: behind)."""
        if self.actual_progress is None or self.planned_progress is None:
            return None
        return self.actual_progress - self.planned_progress


def subsidy_rows(projects, up_to_month: int, today: datetime.date | None = None) -> list[SubsidyRow]:
    """Each project's position at the latest month reported up to `up_to_month`."""
    today = today or timezone.localdate()
    rows = []
    for project in projects.prefetch_related("months", "checkpoints"):
        months = sorted(project.months.all(), key=lambda m: m.month)
        reported = [m for m in months if m.reported_at is not None and m.month <= up_to_month]
        last = reported[-1] if reported else None
        due = [m for m in months if m.month <= up_to_month and project.cycle.report_due_on(m.month) < today]
        budget = project.central_subsidy + project.city_match
        rate = None
        if last is not None and budget:
            rate = calc.rounded(Decimal(last.actual_spend) / Decimal(budget) * 100)
        rows.append(
            SubsidyRow(
                project=project,
                month=last.month if last else None,
                planned_progress=last.planned_progress if last else None,
                actual_progress=last.actual_progress if last else None,
                actual_spend=last.actual_spend if last else None,
                execution_rate=rate,
                late_reports=sum(1 for m in due if m.is_late),
                checkpoints_overdue=sum(
                    1 for c in project.checkpoints.all() if c.done_on is None and c.planned_on < today
                ),
            )
        )
    return rows


def public_subsidy_report(year: int) -> dict | None:
    """What the public page shows: the published quarters of the year, each with the selected
    projects' position at the quarter's last month. No personal data is involved."""
    from rdec.strategy.models import SubsidyCycle, SubsidyProject

    cycle = SubsidyCycle.objects.filter(year=year).first()
    if cycle is None:
        return None
    quarters = []
    projects = SubsidyProject.objects.filter(
        cycle=cycle, status=SubsidyProject.Status.SELECTED
    ).select_related("cycle", "agency")
    for publication in cycle.publications.order_by("-quarter"):
        quarters.append({"publication": publication, "rows": subsidy_rows(projects, publication.quarter * 3)})
    return {"cycle": cycle, "quarters": quarters}


def reminders_for(user, limit: int = 10):
    from rdec.strategy.models import Reminder
    from rdec.strategy.permissions import reporting_agency_ids

    ids = reporting_agency_ids(user)
    if not ids:
        return Reminder.objects.none()
    return Reminder.objects.filter(agency__in=ids).select_related("agency")[:limit]


# --- counts for the home page's work queue (rdec.core.worklist) ---------------------------------------


def targets_to_report_count(user, today: datetime.date | None = None) -> int:
    """Targets the user's agencies have not yet reported in the first open window: the report
    page's 「N of M targets reported」 counts the same rows (reporting_rows). 0 with no open window."""
    from django.db.models import Exists, OuterRef

    from rdec.strategy.permissions import reporting_agency_ids

    windows_open = open_windows(today)
    if not windows_open:
        return 0
    window = windows_open[0]
    reported = QuarterlyReport.objects.filter(quarter=window.quarter, target=OuterRef("pk"))
    return (
        Target.objects.filter(
            year=window.year, plan__active=True, plan__agency__in=reporting_agency_ids(user)
        )
        .exclude(Exists(reported))
        .count()
    )
