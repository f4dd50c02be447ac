"""Write use cases of the calls-and-review engine: one function each, keyword-only `actor`,
atomic, permission-checked, audited. Bad input raises ValidationError with field names and codes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core.permissions import require
from rdec.programs import selectors
from rdec.programs.checks import tax_id_is_valid, validate_criteria
from rdec.programs.models import (
    Assignment,
    Call,
    Criterion,
    Programme,
    ReviewRound,
    Rubric,
    Score,
    Submission,
    tax_id_validator,
)


def _create_rubric(call: Call, version: int, criteria: list[dict]) -> Rubric:
    rubric = Rubric.objects.create(call=call, version=version)
    Criterion.objects.bulk_create(Criterion(rubric=rubric, position=i, **c) for i, c in enumerate(criteria))
    return rubric


@transaction.atomic
def create_call(
    *,
    actor,
    slug: str,
    title: str,
    programme: str,
    opens: datetime.datetime,
    closes: datetime.datetime,
    criteria: Iterable[Mapping],
    tie_break: str,
    themes: list[str] | None = None,
    eligibility: str = "",
    required_documents: list[str] | None = None,
) -> Call:
    require(actor, "programs.manage_call")
    errors: dict[str, list] = {}
    try:
        cleaned = validate_criteria(list(criteria), tie_break)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if programme not in Programme.values:
        errors["programme"] = [ValidationError(_("Choose one of the programmes."), code="invalid_choice")]
    if closes <= opens:
        errors["closes"] = [ValidationError(_("A call closes after it opens."), code="before_opens")]
    if Call.objects.filter(slug=slug).exists():
        errors["slug"] = [ValidationError(_("A call with this short name already exists."), code="unique")]
    if errors:
        raise ValidationError(errors)
    call = Call(
        slug=slug,
        title=title,
        programme=programme,
        opens=opens,
        closes=closes,
        tie_break=tie_break,
        themes=list(themes or []),
        eligibility=eligibility,
        required_documents=list(required_documents or []),
        created_by=actor,
    )
    call.full_clean()
    call.save()
    _create_rubric(call, 1, cleaned)
    for kind in ReviewRound.Kind.values:
        ReviewRound.objects.create(call=call, kind=kind)
    audit.record("programs.call_created", call, programme=programme)
    return call


@transaction.atomic
def change_rubric(call: Call, *, actor, criteria: Iterable[Mapping], tie_break: str) -> Rubric:
    """A new rubric for the call. The current version is edited in place while nobody has scored
    under it; once a score exists, a new version is made and the old scores keep theirs."""
    require(actor, "programs.manage_call", call)
    cleaned = validate_criteria(list(criteria), tie_break)
    call = Call.objects.select_for_update().get(pk=call.pk)
    current = call.rubrics.order_by("-version").first()
    if Score.objects.filter(criterion__rubric=current).exists():
        rubric = _create_rubric(call, current.version + 1, cleaned)
    else:
        current.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(rubric=current, position=i, **c) for i, c in enumerate(cleaned)
        )
        rubric = current
    call.tie_break = tie_break
    call.save(update_fields=["tie_break"])
    audit.record("programs.rubric_changed", call, version=rubric.version)
    return rubric


@transaction.atomic
def submit_to_call(
    call: Call,
    *,
    actor,
    reference: str,
    title: str,
    organisation: str,
    tax_id: str,
    team: str = "",
    now: datetime.datetime | None = None,
) -> Submission:
    """A submission while the call is open (from `opens` to `closes`, both included); a late one
    is refused."""
    require(actor, "programs.submit_to_call", call)
    now = now or timezone.now()
    errors: dict[str, list] = {}
    if now > call.closes:
        errors["call"] = [
            ValidationError(
                _("This call closed on %(closes)s; submissions are no longer accepted.")
                % {"closes": timezone.localtime(call.closes).strftime("%Y-%m-%d %H:%M")},
                code="closed",
            )
        ]
    elif now < call.opens:
        errors["call"] = [ValidationError(_("This call is not open yet."), code="not_open")]
    try:
        tax_id_validator(tax_id)
        if not tax_id_is_valid(tax_id):
            raise ValidationError(_("This 統一編號 fails its check digit."), code="checksum")
    except ValidationError as exc:
        errors["tax_id"] = [exc]
    if not str(reference).strip():
        errors["reference"] = [ValidationError(_("This field is required."), code="required")]
    elif call.submissions.filter(reference=reference).exists():
        errors["reference"] = [
            ValidationError(_("This call already has a submission with this reference."), code="unique")
        ]
    if errors:
        raise ValidationError(errors)
    submission = Submission(
        call=call,
        reference=reference,
        title=title,
        organisation=organisation,
        tax_id=tax_id,
        team=team,
        submitted_at=now,
        submitted_by=actor if getattr(actor, "pk", None) else None,
    )
    submission.full_clean()
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        raise ValidationError(
            {
                "reference": ValidationError(
                    _("This call already has a submission with this reference."), code="unique"
                )
            }
        ) from None
    return submission


@transaction.atomic
def screen_submission(submission: Submission, *, actor, eligible: bool, reasons: str = "") -> Submission:
    """Eligibility screening; "not eligible" needs its reasons."""
    require(actor, "programs.manage_call", submission.call)
    reasons = (reasons or "").strip()
    if not eligible and not reasons:
        raise ValidationError(
            {
                "reasons": ValidationError(
                    _("Give the reasons why the submission is not eligible."), code="required"
                )
            }
        )
    submission.eligibility = (
        Submission.Eligibility.ELIGIBLE if eligible else Submission.Eligibility.INELIGIBLE
    )
    submission.eligibility_reasons = reasons
    submission.save(update_fields=["eligibility", "eligibility_reasons"])
    return submission


@transaction.atomic
def assign_reviewer(submission: Submission, *, actor, reviewer, round_kind: str = "written") -> Assignment:
    require(actor, "programs.manage_call", submission.call)
    if submission.eligibility == Submission.Eligibility.INELIGIBLE:
        raise ValidationError(
            {
                "submission": ValidationError(
                    _("This submission was screened out as not eligible."), code="ineligible"
                )
            }
        )
    round = selectors.get_round(submission.call, round_kind)
    assignment, _created = Assignment.objects.get_or_create(
        round=round, submission=submission, reviewer=reviewer
    )
    return assignment


def _clean_scores(rubric: Rubric, scores: Mapping[str, object]) -> dict[Criterion, Decimal]:
    criteria = {c.code: c for c in rubric.criteria.all()}
    problems = []
    unknown = sorted(set(scores) - set(criteria))
    if unknown:
        problems.append(
            ValidationError(
                _("Unknown criteria: %(codes)s.") % {"codes": ", ".join(unknown)}, code="unknown_criterion"
            )
        )
    missing = [code for code in criteria if code not in scores]
    if missing:
        problems.append(
            ValidationError(
                _("Score every criterion; missing: %(codes)s.") % {"codes": ", ".join(missing)},
                code="missing",
            )
        )
    cleaned = {}
    for code, criterion in criteria.items():
        if code not in scores:
            continue
        try:
            value = Decimal(str(scores[code]))
        except (InvalidOperation, ValueError):
            value = None
        if (
            value is None
            or not value.is_finite()
            or not 0 <= value <= 100
            or value != value.quantize(Decimal("0.01"))
        ):
            problems.append(
                ValidationError(
                    _("The score of %(code)s must be a number from 0 to 100 (at most 2 decimals).")
                    % {"code": code},
                    code="out_of_range",
                )
            )
            continue
        cleaned[criterion] = value
    if problems:
        raise ValidationError({"scores": problems})
    return cleaned


@transaction.atomic
def score_submission(
    assignment: Assignment,
    *,
    actor,
    scores: Mapping[str, object] | None,
    conflict: bool = False,
    conflict_note: str = "",
    now: datetime.datetime | None = None,
) -> Assignment:
    """A reviewer's scores on every criterion of the rubric in use, or a conflict-of-interest
    declaration (then scores may be left out; any given are kept but excluded from the result).
    Scoring again replaces the reviewer's own earlier scores (under the rubric now in use) until the
    results are published."""
    require(actor, "programs.score_submission", assignment)
    call = assignment.round.call
    if call.status == Call.Status.PUBLISHED:
        raise ValidationError(
            {
                "call": ValidationError(
                    _("The results of this call are published; scores are closed."), code="published"
                )
            }
        )
    if assignment.submission.eligibility == Submission.Eligibility.INELIGIBLE:
        raise ValidationError(
            {
                "submission": ValidationError(
                    _("This submission was screened out as not eligible."), code="ineligible"
                )
            }
        )
    cleaned: dict[Criterion, Decimal] = {}
    if scores or not conflict:
        rubric = call.rubrics.order_by("-version").first()
        cleaned = _clean_scores(rubric, scores or {})
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if cleaned:
        assignment.scores.all().delete()
        Score.objects.bulk_create(
            Score(assignment=assignment, criterion=c, score=v) for c, v in cleaned.items()
        )
    assignment.conflict = bool(conflict)
    assignment.conflict_note = conflict_note or ""
    assignment.scored_at = now or timezone.now()
    assignment.save(update_fields=["conflict", "conflict_note", "scored_at"])
    if conflict:
        audit.record("programs.conflict_declared", assignment.submission, round=assignment.round.kind)
    return assignment


@transaction.atomic
def decide_submission(submission: Submission, *, actor, selected: bool, reason: str = "") -> Submission:
    """The RDEC's decision; a refusal without a reason is refused."""
    require(actor, "programs.manage_call", submission.call)
    reason = (reason or "").strip()
    if not selected and not reason:
        raise ValidationError({"reason": ValidationError(_("A refusal needs its reason."), code="required")})
    submission.decision = Submission.Decision.SELECTED if selected else Submission.Decision.REFUSED
    submission.decision_reason = reason
    submission.decided_at = timezone.now()
    submission.save(update_fields=["decision", "decision_reason", "decided_at"])
    audit.record("programs.decided", submission, decision=submission.decision)
    return submission


@transaction.atomic
def publish_results(call: Call, *, actor) -> Call:
    """Publish the ranking and the decisions (the ranking becomes public)."""
    require(actor, "programs.manage_call", call)
    call.status = Call.Status.PUBLISHED
    call.results_published_at = timezone.now()
    call.save(update_fields=["status", "results_published_at"])
    audit.record("programs.results_published", call)
    return call


def import_scores(data: bytes, call: Call, *, actor, filename: str = "", round_kind: str = "written"):
    """A paper panel's scores (rdec.programs.score_import), all or nothing, by an RDEC officer."""
    from rdec.programs import score_import

    require(actor, "programs.manage_call", call)
    return score_import.import_scores(data, call, filename=filename, round_kind=round_kind, actor=actor)
