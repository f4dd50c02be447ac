"""Reads of 地方創生: proposals scoped to the user (the RDEC: all; a district office: its district),
the totals of approved 補助 and 投資 (kept apart), 資源對接 successes (distinct ministries with an
approved line), the roll-up by district (TOWNCODE) and the live figures of strategy plan 7-1-1."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.utils import timezone

from rdec.core.models import District
from rdec.core.permissions import is_oversight
from rdec.programs.models import (
    ApprovalLine,
    Call,
    FundingKind,
    Programme,
    ResourceRequest,
    RevitalisationKpi,
    RevitalisationMeasurement,
    RevitalisationProposal,
    Scheme,
    Submission,
)
from rdec.programs.permissions_revitalisation import office_district_id

INDICATORS = RevitalisationKpi.Indicator
ZERO = Decimal(0)


def proposals_visible_to(user) -> QuerySet[RevitalisationProposal]:
    qs = RevitalisationProposal.objects.select_related("district", "district_office", "submission", "call")
    if is_oversight(user):
        return qs
    own = office_district_id(user)
    return qs.none() if own is None else qs.filter(district_id=own)


def schemes() -> QuerySet[Scheme]:
    return Scheme.objects.all()


def open_calls(now: datetime.datetime | None = None) -> QuerySet[Call]:
    now = now or timezone.now()
    return Call.objects.filter(programme=Programme.REVITALISATION, opens__lte=now, closes__gte=now)


@dataclass
class Split:
    """Amounts by kind, never merged: subsidy (補助) and investment (投資); the total is their sum."""

    subsidy: Decimal = ZERO
    investment: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.subsidy + self.investment

    def add(self, kind: str, amount: Decimal) -> None:
        if kind == FundingKind.SUBSIDY:
            self.subsidy += amount
        else:
            self.investment += amount


def split(lines) -> Split:
    result = Split()
    for line in lines:
        result.add(line.kind, line.amount)
    return result


def approved_split(proposals) -> Split:
    """The approved 補助 and 投資 of the proposals (a queryset or ids), each summed on its own."""
    result = Split()
    rows = ApprovalLine.objects.filter(proposal__in=proposals).values("kind").annotate(total=Sum("amount"))
    for row in rows:
        result.add(row["kind"], row["total"])
    return result


def requested_split(proposals) -> Split:
    result = Split()
    rows = ResourceRequest.objects.filter(proposal__in=proposals).values("kind").annotate(total=Sum("amount"))
    for row in rows:
        result.add(row["kind"], row["total"])
    return result


def dockings(proposal: RevitalisationProposal) -> int:
    """資源對接 successes of a proposal: the distinct ministries with an approved line."""
    return len({line.ministry for line in proposal.approvals.all()})


def dockings_of(proposals) -> int:
    """資源對接 successes of many proposals: per proposal, its distinct ministries with an approved line."""
    return (
        ApprovalLine.objects.filter(proposal__in=proposals).values("proposal", "ministry").distinct().count()
    )


@dataclass
class MinistryRow:
    ministry: str
    requested: Split = field(default_factory=Split)
    approved: Split = field(default_factory=Split)


def by_ministry(proposal: RevitalisationProposal) -> list[MinistryRow]:
    """Requested and approved per ministry (in the order first requested, then approved)."""
    rows: dict[str, MinistryRow] = {}
    for line in proposal.requested_resources.all():
        rows.setdefault(line.ministry, MinistryRow(line.ministry)).requested.add(line.kind, line.amount)
    for line in proposal.approvals.all():
        rows.setdefault(line.ministry, MinistryRow(line.ministry)).approved.add(line.kind, line.amount)
    return list(rows.values())


@dataclass
class KpiRow:
    indicator: str
    label: str
    baseline: Decimal = ZERO
    target: Decimal = ZERO
    measured: Decimal | None = None
    measured_on: datetime.date | None = None


def latest_measurements(kpis) -> dict[int, RevitalisationMeasurement]:
    latest: dict[int, RevitalisationMeasurement] = {}
    for m in RevitalisationMeasurement.objects.filter(kpi__in=kpis).order_by("kpi", "measured_on", "id"):
        latest[m.kpi_id] = m
    return latest


def kpi_rows(proposal: RevitalisationProposal) -> list[KpiRow]:
    kpis = list(proposal.kpis.all())
    latest = latest_measurements(kpis)
    rows = []
    for kpi in kpis:
        m = latest.get(kpi.pk)
        rows.append(
            KpiRow(
                kpi.indicator,
                kpi.get_indicator_display(),
                kpi.baseline,
                kpi.target,
                m.value if m else None,
                m.measured_on if m else None,
            )
        )
    return rows


@dataclass
class DistrictRow:
    code: str  # the MOI TOWNCODE
    name: str
    proposals: int = 0
    approved: Split = field(default_factory=Split)
    dockings: int = 0
    kpis: dict[str, KpiRow] = field(default_factory=dict)

    def kpi(self, indicator: str) -> KpiRow:
        return self.kpis[indicator]


def district_rollup(proposals: QuerySet[RevitalisationProposal]) -> list[DistrictRow]:
    """Per district (keyed by its TOWNCODE): the proposals, approved 補助 and 投資, 資源對接 successes
    and the KPIs summed over its proposals (baseline, target, each KPI's latest measurement)."""
    proposals = proposals.select_related("district")
    rows: dict[str, DistrictRow] = {}
    district_of: dict[int, str] = {}
    for p in proposals:
        code = p.district.code
        district_of[p.pk] = code
        row = rows.setdefault(code, DistrictRow(code, p.district.name))
        row.proposals += 1
        for indicator, label in INDICATORS.choices:
            row.kpis.setdefault(indicator, KpiRow(indicator, str(label)))
    ids = list(district_of)
    for line in ApprovalLine.objects.filter(proposal_id__in=ids).only("proposal_id", "kind", "amount"):
        rows[district_of[line.proposal_id]].approved.add(line.kind, line.amount)
    docked = defaultdict(set)
    for pid, ministry in ApprovalLine.objects.filter(proposal_id__in=ids).values_list(
        "proposal_id", "ministry"
    ):
        docked[pid].add(ministry)
    for pid, ministries in docked.items():
        rows[district_of[pid]].dockings += len(ministries)
    kpis = list(RevitalisationKpi.objects.filter(proposal_id__in=ids))
    latest = latest_measurements(kpis)
    for kpi in kpis:
        total = rows[district_of[kpi.proposal_id]].kpis[kpi.indicator]
        total.baseline += kpi.baseline
        total.target += kpi.target
        m = latest.get(kpi.pk)
        if m is not None:
            total.measured = (total.measured or ZERO) + m.value
            if total.measured_on is None or m.measured_on > total.measured_on:
                total.measured_on = m.measured_on
    return [rows[code] for code in sorted(rows)]


def districts() -> QuerySet[District]:
    return District.objects.filter(city_code="66000").order_by("code")


# --- live sources of strategy plan 7-1-1 (registered in apps.py) ------------------------------------


def _bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return lo, hi


def proposals_submitted(first: datetime.date, last: datetime.date) -> int:
    """Revitalisation proposals (submissions to revitalisation calls) from `first` to `last`."""
    lo, hi = _bounds(first, last)
    return Submission.objects.filter(
        call__programme=Programme.REVITALISATION, submitted_at__gte=lo, submitted_at__lt=hi
    ).count()


def dockings_between(first: datetime.date, last: datetime.date) -> int:
    """資源對接 successes approved from `first` to `last`: distinct (proposal, ministry) pairs of
    approval lines approved in the period."""
    return (
        ApprovalLine.objects.filter(approved_on__gte=first, approved_on__lte=last)
        .values("proposal", "ministry")
        .distinct()
        .count()
    )


def _quarter_end(year: int, quarter: int) -> datetime.date:
    from rdec.strategy.live import quarter_bounds

    return quarter_bounds(year, quarter)[1]


def live_proposals(year: int, quarter: int) -> int:
    return proposals_submitted(datetime.date(year, 1, 1), _quarter_end(year, quarter))


def live_dockings(year: int, quarter: int) -> int:
    return dockings_between(datetime.date(year, 1, 1), _quarter_end(year, quarter))
