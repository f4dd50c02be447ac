"""Reads of 跨域委託研究: the public report library (word search), projects with their GRB
deadlines, recommendations and their follow-up, the yearly adoption report and its live KPI source."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Q, QuerySet

from rdec.core.permissions import scope_to_agencies, visible_agency_ids
from rdec.core.textsearch import match_words
from rdec.programs.models import Adoption, Project, Recommendation, Report, TopicProposal
from rdec.programs.services_research import rule_for

MAX_WORDS = 5


def public_reports(q: str = "") -> QuerySet[Report]:
    """Public reports, newest year first; every word of `q` in the title, an abstract, the keywords
    or the full text (through the pairs index on PostgreSQL; rdec.core.textsearch)."""
    qs = Report.objects.filter(access=Report.Access.PUBLIC).select_related("agency")
    return match_words(
        qs,
        q,
        phrase_fields=Report.PAIRS_FROM,
        pairs_column="search_pairs",
        vector_column="search_vector",
        max_words=MAX_WORDS,
    )


def library(q: str = "") -> QuerySet[Report]:
    """The library's list: the public reports found by `q`; without `q`, every report (a restricted
    one is listed with its title and the reason only)."""
    if (q or "").strip():
        return public_reports(q)
    return Report.objects.select_related("agency")


def topics_visible_to(user) -> QuerySet[TopicProposal]:
    """The RDEC sees every topic; others the topics they proposed and those of their agencies."""
    qs = TopicProposal.objects.select_related("agency")
    ids = visible_agency_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(created_by=user) | Q(agency_id__in=ids or []))


def projects_visible_to(user) -> QuerySet[Project]:
    qs = Project.objects.select_related("lead_agency", "tender")
    return scope_to_agencies(qs, user, field="lead_agency")


def grb_deadlines(project: Project, day: datetime.date) -> dict:
    """The GRB registration due (signing + N calendar days) and the agency's confirmation due
    (registration + M days); each overdue when not done by its due date (or done late)."""
    rule = rule_for(project.signed_on)
    registration_due = rule.grb_due(project.signed_on)
    registered = project.grb_registered_on
    confirmation_due = rule.confirmation_due(registered) if registered else None
    confirmed = project.agency_confirmed_on
    return {
        "registration_due": registration_due,
        "registration_overdue": (registered or day) > registration_due,
        "confirmation_due": confirmation_due,
        "confirmation_overdue": confirmation_due is not None and (confirmed or day) > confirmation_due,
    }


def follow_up_due(recommendation: Recommendation) -> datetime.date | None:
    """The date by which the responsible agency decides (the report's acceptance + the rule's
    months); None while the report is not accepted."""
    accepted = recommendation.report.accepted_on
    return rule_for(accepted).follow_up_due(accepted) if accepted else None


def recommendation_overdue(recommendation: Recommendation, day: datetime.date) -> bool:
    """Undecided after the follow-up deadline (overdue from the day after)."""
    if _has_adoption(recommendation):
        return False
    due = follow_up_due(recommendation)
    return due is not None and day > due


def _has_adoption(recommendation: Recommendation) -> bool:
    try:
        return recommendation.adoption is not None
    except Adoption.DoesNotExist:
        return False


def recommendations_visible_to(user) -> QuerySet[Recommendation]:
    qs = Recommendation.objects.select_related("report", "agency", "adoption", "adoption__tracked_item")
    return scope_to_agencies(qs, user, field="agency")


def adoption_counts(recommendations) -> dict:
    """decided / adopted / partial / not adopted / undecided of `recommendations`, and the adoption
    rate = (採行 + 部分採行) / decided (%, None when none decided)."""
    counts = {"total": 0, "decided": 0, "adopted": 0, "partial": 0, "not_adopted": 0}
    for rec in recommendations:
        counts["total"] += 1
        if not _has_adoption(rec):
            continue
        counts["decided"] += 1
        counts[rec.adoption.decision] += 1
    counts["undecided"] = counts["total"] - counts["decided"]
    counts["rate"] = (
        (Decimal(counts["adopted"] + counts["partial"]) * 100 / counts["decided"]).quantize(Decimal("0.1"))
        if counts["decided"]
        else None
    )
    return counts


def yearly_report(year: int, day: datetime.date) -> dict:
    """The recommendations of the reports of `year`: the counts, the rate, and those overdue on `day`."""
    recs = list(
        Recommendation.objects.filter(report__year=year).select_related("report", "agency", "adoption")
    )
    counts = adoption_counts(recs)
    counts["overdue"] = [r for r in recs if recommendation_overdue(r, day)]
    counts["year"] = year
    return counts


# --- live source of the programme's KPI (registered in apps.py) --------------------------------------


def live_adoption_rate(year: int, quarter: int) -> Decimal | None:
    """Of the recommendations decided from 1 January to the quarter's end, the share (%) adopted or
    partially adopted."""
    from rdec.strategy.live import quarter_bounds

    last = quarter_bounds(year, quarter)[1]
    adoptions = Adoption.objects.filter(decided_on__gte=datetime.date(year, 1, 1), decided_on__lte=last)
    decided = adoptions.count()
    if not decided:
        return None
    used = adoptions.exclude(decision=Adoption.Decision.NOT_ADOPTED).count()
    return (Decimal(used) * 100 / Decimal(decided)).quantize(Decimal("0.01"))
