"""Reads of 場域驗證: the public fields and results, and the live figures of strategy KPI 1-4-4."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from rdec.core.permissions import scope_to_agencies
from rdec.programs.models import Call, Field, Need, Programme, Proposal, Result, Submission, Validation

LANDED = (Result.Recommendation.SCALE, Result.Recommendation.PROCURE)
CLOSED = (Validation.Status.CLOSED, Validation.Status.WITHDRAWN)


def fields_public() -> QuerySet[Field]:
    """Published fields, with their owner agency."""
    return (
        Field.objects.filter(published=True).select_related("agency").order_by("available_from", "name", "id")
    )


def fields_of(user) -> QuerySet[Field]:
    """The fields of the user's agencies (every field for the RDEC), published or not."""
    return scope_to_agencies(Field.objects.select_related("agency", "need"), user)


def needs_of(user) -> QuerySet[Need]:
    return scope_to_agencies(Need.objects.select_related("agency"), user)


def needs_open() -> QuerySet[Need]:
    return Need.objects.filter(status=Need.Status.OPEN).select_related("agency")


def open_field_calls(now: datetime.datetime | None = None) -> QuerySet[Call]:
    now = now or timezone.now()
    return Call.objects.filter(programme=Programme.FIELD_VALIDATION, opens__lte=now, closes__gte=now)


def results_public() -> QuerySet[Result]:
    """Results of closed validations (the showcase), newest first."""
    return Result.objects.select_related(
        "validation__match__field__agency", "validation__match__proposal__submission"
    ).order_by("-decided_on", "-id")


def proposals_of(user) -> QuerySet[Proposal]:
    if not (user and user.is_authenticated):
        return Proposal.objects.none()
    return Proposal.objects.filter(created_by=user).select_related("call", "submission", "need")


def _day_bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    lo = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    hi = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return lo, hi


def proposals_submitted(first: datetime.date, last: datetime.date) -> int:
    """Proposals to field-validation calls submitted from `first` to `last` (both included, in the
    city's time zone). A draft has no submission and does not count; a submission made through
    the engine's API without a proposal body counts (it is a proposal to the call)."""
    lo, hi = _day_bounds(first, last)
    return Submission.objects.filter(
        call__programme=Programme.FIELD_VALIDATION, submitted_at__gte=lo, submitted_at__lt=hi
    ).count()


def proposals_submitted_in_year(year: int) -> int:
    return proposals_submitted(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def landing_rate(first: datetime.date, last: datetime.date) -> Decimal | None:
    """Of the validations closed from `first` to `last` (a result, or withdrawn), the share (%)
    closed as scale or procure; None when none closed."""
    counts = Validation.objects.filter(
        status__in=CLOSED, closed_on__gte=first, closed_on__lte=last
    ).aggregate(
        closed=Count("id"),
        landed=Count("id", filter=Q(status=Validation.Status.CLOSED, result__recommendation__in=LANDED)),
    )
    if not counts["closed"]:
        return None
    return (Decimal(counts["landed"]) * 100 / Decimal(counts["closed"])).quantize(Decimal("0.01"))


def reports_overdue(day: datetime.date) -> QuerySet[Validation]:
    """Running validations whose report was due before `day` (overdue from the day after the due date)."""
    return Validation.objects.filter(
        status=Validation.Status.RUNNING, report_received_on__isnull=True, ends_on__lt=day
    ).select_related("match__field__agency", "match__proposal")


# --- live sources of strategy KPI 1-4-4 (registered in apps.py) -------------------------------------


def _quarter_end(year: int, quarter: int) -> datetime.date:
    from rdec.strategy.live import quarter_bounds

    return quarter_bounds(year, quarter)[1]


def live_proposals_submitted(year: int, quarter: int) -> int:
    """Proposals submitted from 1 January to the quarter's end (year to date)."""
    return proposals_submitted(datetime.date(year, 1, 1), _quarter_end(year, quarter))


def live_landing_rate(year: int, quarter: int) -> Decimal | None:
    """The landing rate (%) of the validations closed from 1 January to the quarter's end."""
    return landing_rate(datetime.date(year, 1, 1), _quarter_end(year, quarter))


def validations_visible_to(user) -> QuerySet[Validation]:
    """The RDEC sees every validation; agency staff those on their agencies' fields."""
    qs = Validation.objects.select_related("match__field__agency", "match__proposal__submission")
    return scope_to_agencies(qs, user, field="match__field__agency")
