"""The engine's review pages, for every programme: the RDEC's list of calls, a call's review page
(screening, reviewers, the ranking per round, decisions, publication) and its rubric; a reviewer's
own assignments and the scoring form. Thin views over services, services_review and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from rdec.core.forms import apply_errors
from rdec.core.permissions import check, require
from rdec.programs import forms_review as f
from rdec.programs import scoring, selectors, services, services_review
from rdec.programs.models import Assignment, Call, Programme, Score, Submission


@login_required
def call_list(request):
    """Every call of every programme, for the RDEC."""
    require(request.user, "programs.manage_call")
    calls = Call.objects.annotate(
        n_submissions=Count("submissions", distinct=True),
        n_eligible=Count(
            "submissions", filter=Q(submissions__eligibility=Submission.Eligibility.ELIGIBLE), distinct=True
        ),
        n_selected=Count(
            "submissions", filter=Q(submissions__decision=Submission.Decision.SELECTED), distinct=True
        ),
    ).order_by("-opens", "slug")
    return render(
        request,
        "programs/review/call_list.html",
        {"calls": calls, "field_validation": Programme.FIELD_VALIDATION},
    )


# --- a call's review page ----------------------------------------------------------------------------

_ROW_FORMS = {"screen": f.ScreenForm, "assign": f.AssignForm, "decide": f.DecisionForm}


def _rows(call: Call, failed: dict | None = None):
    """Each submission with its assignments and forms, fresh, except the failed one (bound)."""
    failed = failed or {}
    assignments: dict[int, list[Assignment]] = {}
    for a in (
        Assignment.objects.filter(submission__call=call)
        .select_related("reviewer", "round")
        .annotate(n_scores=Count("scores"))
        .order_by("round_id", "id")
    ):
        assignments.setdefault(a.submission_id, []).append(a)
    rows = []
    for submission in call.submissions.order_by("submitted_at", "reference"):
        row = {"submission": submission, "assignments": assignments.get(submission.pk, [])}
        for action, cls in _ROW_FORMS.items():
            prefix = f"{action}-{submission.pk}"
            row[f"{action}_form"] = failed.get(prefix) or cls(prefix=prefix)
        row["unassign_error"] = failed.get(f"unassign-{submission.pk}")
        rows.append(row)
    return rows


def _rankings(call: Call):
    rounds = []
    for round in call.rounds.order_by("id"):
        entries = selectors.ranking(call, round, names=True)
        if any(e.reviews for e in entries):
            rounds.append({"round": round, "entries": entries})
    return rounds


def _act(request, call: Call, action: str, pk: int):
    """Run one action; returns (prefix, bound form or error messages) when it failed, else None."""
    user, data = request.user, request.POST
    if action == "unassign":
        assignment = get_object_or_404(Assignment, pk=pk, round__call=call)
        try:
            services_review.remove_assignment(assignment, actor=user)
        except ValidationError as exc:
            return f"unassign-{assignment.submission_id}", exc.messages
        return None
    if action not in _ROW_FORMS:
        raise Http404
    submission = get_object_or_404(call.submissions, pk=pk)
    prefix = f"{action}-{pk}"
    form = _ROW_FORMS[action](data, prefix=prefix)
    if not form.is_valid():
        return prefix, form
    d = form.cleaned_data
    try:
        if action == "screen":
            services.screen_submission(submission, actor=user, eligible=d["eligible"], reasons=d["reasons"])
        elif action == "assign":
            services.assign_reviewer(
                submission, actor=user, reviewer=d["reviewer"], round_kind=d["round_kind"]
            )
        else:
            services.decide_submission(submission, actor=user, selected=d["selected"], reason=d["reason"])
    except ValidationError as exc:
        apply_errors(form, exc)
        return prefix, form
    return None


@login_required
def call_review(request, slug: str):
    """The RDEC's review page of any call."""
    call = selectors.get_call(slug)
    require(request.user, "programs.manage_call", call)
    failed: dict = {}
    publish_errors: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "publish":
            try:
                services.publish_results(call, actor=request.user)
            except ValidationError as exc:
                publish_errors, status = exc.messages, 400
            else:
                messages.success(request, _("The results are published."))
                return redirect("programs:call-review", slug=call.slug)
        else:
            try:
                pk = int(request.POST.get("pk", ""))
            except ValueError:
                raise Http404 from None
            outcome = _act(request, call, action, pk)
            if outcome is None:
                messages.success(request, _("Saved."))
                return redirect("programs:call-review", slug=call.slug)
            prefix, failure = outcome
            failed[prefix] = failure
            status = 400
    context = {
        "call": call,
        "rows": _rows(call, failed),
        "rankings": _rankings(call),
        "rubric": selectors.current_rubric(call),
        "publish_errors": publish_errors,
        "published": call.status == Call.Status.PUBLISHED,
        "manage_url": call.programme == Programme.FIELD_VALIDATION,
    }
    return render(request, "programs/review/call_review.html", context, status=status)


# --- the rubric ---------------------------------------------------------------------------------------


@login_required
def call_rubric(request, slug: str):
    call = selectors.get_call(slug)
    require(request.user, "programs.manage_call", call)
    current = selectors.current_rubric(call)
    initial = {
        "criteria": "\n".join(f"{c.code}, {c.name}, {c.weight}" for c in current.criteria.all()),
        "tie_break": call.tie_break,
    }
    form = f.RubricForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rubric = services.change_rubric(
                call,
                actor=request.user,
                criteria=form.cleaned_data["criteria"],
                tie_break=form.cleaned_data["tie_break"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The rubric is saved as version %(version)s.") % {"version": rubric.version}
            )
            return redirect("programs:call-rubric", slug=call.slug)
    versions = (
        call.rubrics.order_by("-version")
        .prefetch_related("criteria")
        .annotate(n_scores=Count("criteria__scores"))
    )
    return render(
        request,
        "programs/review/rubric.html",
        {"call": call, "form": form, "versions": versions, "current": current},
        status=400 if form.is_bound else 200,
    )


# --- a reviewer's side ----------------------------------------------------------------------------------


@login_required
def review_list(request):
    """The signed-in account's own assignments, in every call."""
    require(request.user, "programs.view_reviews")
    assignments = (
        Assignment.objects.filter(reviewer=request.user)
        .select_related("round__call", "submission")
        .annotate(n_scores=Count("scores"))
        .order_by("-round__call__opens", "round__call__slug", "submission__reference", "round_id")
    )
    return render(request, "programs/review/review_list.html", {"assignments": assignments})


def _given(assignment: Assignment) -> dict | None:
    """The reviewer's scores as given: each criterion, the rubric version, the weighted total."""
    rows = list(
        Score.objects.filter(assignment=assignment)
        .select_related("criterion__rubric")
        .order_by("criterion__position", "criterion_id")
    )
    if not rows:
        return None
    total = scoring.shown(
        scoring.weighted_total(
            {r.criterion.code: r.score for r in rows}, {r.criterion.code: r.criterion.weight for r in rows}
        )
    )
    return {"rows": rows, "total": total, "version": rows[0].criterion.rubric.version}


@login_required
def review_score(request, pk: int):
    """The scoring form of one assignment: only its reviewer."""
    assignment = get_object_or_404(
        Assignment.objects.select_related("round__call", "submission", "reviewer"), pk=pk
    )
    if not check(request.user, "programs.score_submission", assignment):
        raise PermissionDenied(_("Only the assigned reviewer may score this submission."))
    call = assignment.round.call
    rubric = selectors.current_rubric(call)
    criteria = list(rubric.criteria.all())
    form = f.ScoreForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            services.score_submission(
                assignment,
                actor=request.user,
                scores=form.scores(),
                conflict=form.cleaned_data["conflict"],
                conflict_note=form.cleaned_data["conflict_note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your review is saved."))
            return redirect("programs:review-score", pk=assignment.pk)
    assignment.refresh_from_db()
    context = {
        "assignment": assignment,
        "call": call,
        "submission": assignment.submission,
        "rubric": rubric,
        "form": form,
        "given": _given(assignment),
        "published": call.status == Call.Status.PUBLISHED,
    }
    return render(request, "programs/review/score_form.html", context, status=400 if form.is_bound else 200)


urlpatterns = [
    path("calls/", call_list, name="call-list"),
    path("calls/<slug:slug>/review/", call_review, name="call-review"),
    path("calls/<slug:slug>/rubric/", call_rubric, name="call-rubric"),
    path("reviews/", review_list, name="review-list"),
    path("reviews/<int:pk>/", review_score, name="review-score"),
]
