"""Reads of the calls-and-review engine, scoped to the user."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from rdec.core.permissions import is_oversight
from rdec.programs import scoring
from rdec.programs.models import Assignment, Call, ReviewRound, Rubric, Score, Submission


def calls_visible_to(user) -> QuerySet[Call]:
    """Calls are public (their window, themes, eligibility and documents are the call itself)."""
    return Call.objects.all()


def get_call(slug: str) -> Call:
    return get_object_or_404(Call, slug=slug)


def current_rubric(call: Call) -> Rubric:
    return call.rubrics.order_by("-version").prefetch_related("criteria").first()


def submissions_visible_to(user, call: Call) -> QuerySet[Submission]:
    """The RDEC sees every submission; others their own and those they are assigned to review."""
    qs = call.submissions.all()
    if is_oversight(user):
        return qs
    if not (user and user.is_authenticated):
        return qs.none()
    return qs.filter(Q(submitted_by=user) | Q(assignments__reviewer=user)).distinct()


def default_round(call: Call) -> ReviewRound | None:
    """The latest round holding scores (the panel after the written review), else the written one."""
    scored = ReviewRound.objects.filter(call=call, assignments__scores__isnull=False).order_by("-id").first()
    return scored or call.rounds.order_by("id").first()


def ranking(call: Call, round: ReviewRound | None, *, names: bool) -> list[scoring.Entry]:
    """The ranking of the eligible (or not yet screened) submissions in one round. `names`: the
    reviewers' usernames (the RDEC); otherwise each reviewer appears as "reviewer-N"."""
    submissions = list(call.submissions.exclude(eligibility=Submission.Eligibility.INELIGIBLE))
    entries = {s.pk: scoring.Entry(reference=s.reference, submitted_at=s.submitted_at) for s in submissions}
    if round is not None:
        assignments = (
            Assignment.objects.filter(round=round, submission__in=entries)
            .select_related("reviewer")
            .order_by("id")
        )
        scores: dict[int, list[Score]] = {}
        for score in Score.objects.filter(assignment__in=assignments).select_related("criterion"):
            scores.setdefault(score.assignment_id, []).append(score)
        ordinals: dict[int, int] = {}
        for assignment in assignments:
            ordinals.setdefault(assignment.reviewer_id, len(ordinals) + 1)
            rows = scores.get(assignment.pk, [])
            label = assignment.reviewer.username if names else f"reviewer-{ordinals[assignment.reviewer_id]}"
            entries[assignment.submission_id].reviews.append(
                scoring.Review(
                    reviewer=label,
                    scores={r.criterion.code: r.score for r in rows},
                    weights={r.criterion.code: r.criterion.weight for r in rows},
                    conflict=assignment.conflict,
                )
            )
    return scoring.rank_entries(list(entries.values()), call.tie_break)


def get_round(call: Call, kind: str) -> ReviewRound:
    try:
        return call.rounds.get(kind=kind)
    except ReviewRound.DoesNotExist:
        raise ValidationError(
            {"round": ValidationError(_("Choose the written or the panel round."), code="invalid_choice")}
        ) from None
