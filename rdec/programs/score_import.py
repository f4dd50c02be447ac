"""Paper panels' scores from a CSV (or .xlsx) file: `rdec import_scores SLUG FILE.csv`.

Columns (a header row, any order): `submission` (the reference), `reviewer` (a username),
`criterion` (a code of the rubric in use), `score` (0–100, at most 2 decimals; may be empty on a
conflict row), `conflict` (true/false, 1/0, yes/no, 是/否). Each reviewer's rows for a submission
must score every criterion unless the reviewer declared a conflict, and carry the same conflict
value. Every row is checked first: any error is reported by row and column and nothing is imported.
A reviewer is assigned to the submission in the round if not already; importing again replaces that
reviewer's scores on that submission."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit, tabular
from rdec.core.models import User
from rdec.core.tabular import ImportFailed
from rdec.programs.models import Assignment, Call, Criterion, Score, Submission

COLUMNS = ("submission", "reviewer", "criterion", "score", "conflict")
TRUE = {"true", "1", "yes", "y", "t", "是"}
FALSE = {"false", "0", "no", "n", "f", "否", ""}


@dataclass
class ImportResult:
    rows: int = 0
    reviews: int = 0
    conflicts: int = 0


@dataclass
class _Group:
    first_row: int
    submission: Submission
    reviewer: User
    conflict: bool
    scores: dict[Criterion, Decimal] = field(default_factory=dict)


def _error(row: int, column: str, message: str) -> str:
    return _("row %(row)s, column %(column)s: %(message)s") % {
        "row": row,
        "column": column,
        "message": message,
    }


def import_scores(
    data: bytes, call: Call, *, filename: str = "", round_kind: str = "written", actor=None
) -> ImportResult:
    errors: list[str] = []
    if call.status == Call.Status.PUBLISHED:
        raise ImportFailed([_("The results of this call are published; scores are closed.")])
    round = call.rounds.filter(kind=round_kind).first()
    if round is None:
        raise ImportFailed([_("Choose the written or the panel round.")])
    try:
        rows = list(tabular.iter_rows(data, filename))
    except tabular.UnreadableFile as exc:
        raise ImportFailed([exc.message]) from None
    if not rows:
        raise ImportFailed([_("The file is empty.")])
    header = [str(h).strip().lower() for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportFailed([_("row 1: missing column(s) %(columns)s.") % {"columns": ", ".join(missing)}])
    at = {c: header.index(c) for c in COLUMNS}
    rubric = call.rubrics.order_by("-version").first()
    criteria = {c.code: c for c in rubric.criteria.all()}
    submissions = {s.reference: s for s in call.submissions.all()}
    groups: dict[tuple[int, int], _Group] = {}
    users: dict[str, User | None] = {}
    count = 0
    for number, raw in enumerate(rows[1:], start=2):
        cells = [str(v).strip() for v in raw] + [""] * len(COLUMNS)
        value = {c: cells[at[c]] for c in COLUMNS}
        if not any(value.values()):
            continue
        count += 1
        row_errors = len(errors)
        submission = submissions.get(value["submission"])
        if submission is None:
            errors.append(_error(number, "submission", _("no submission with this reference in this call.")))
        elif submission.eligibility == Submission.Eligibility.INELIGIBLE:
            errors.append(
                _error(number, "submission", _("this submission was screened out as not eligible."))
            )
        if value["reviewer"] not in users:
            users[value["reviewer"]] = User.objects.filter(username=value["reviewer"], is_active=True).first()
        reviewer = users[value["reviewer"]]
        if reviewer is None:
            errors.append(_error(number, "reviewer", _("no active user with this username.")))
        criterion = criteria.get(value["criterion"])
        if criterion is None:
            errors.append(_error(number, "criterion", _("not a criterion of the rubric in use.")))
        flag = value["conflict"].lower()
        if flag not in TRUE | FALSE:
            errors.append(_error(number, "conflict", _("write true or false.")))
        conflict = flag in TRUE
        score = None
        if value["score"] or not conflict:
            try:
                score = Decimal(value["score"])
            except InvalidOperation:
                score = None
            if (
                score is None
                or not score.is_finite()
                or not 0 <= score <= 100
                or score != score.quantize(Decimal("0.01"))
            ):
                errors.append(_error(number, "score", _("a number from 0 to 100 (at most 2 decimals).")))
                score = None
        if len(errors) > row_errors:
            continue
        group = groups.setdefault(
            (submission.pk, reviewer.pk),
            _Group(first_row=number, submission=submission, reviewer=reviewer, conflict=conflict),
        )
        if group.conflict != conflict:
            errors.append(
                _error(number, "conflict", _("differs from this reviewer's other rows for the submission."))
            )
        elif criterion in group.scores:
            errors.append(_error(number, "criterion", _("scored twice by this reviewer for the submission.")))
        elif score is not None:
            group.scores[criterion] = score
    for group in groups.values():
        if group.conflict:
            continue
        absent = [code for code, c in criteria.items() if c not in group.scores]
        if absent:
            errors.append(
                _error(
                    group.first_row,
                    "criterion",
                    _("%(reviewer)s did not score %(codes)s for %(submission)s.")
                    % {
                        "reviewer": group.reviewer.username,
                        "codes": ", ".join(absent),
                        "submission": group.submission.reference,
                    },
                )
            )
    if errors:
        raise ImportFailed(errors)
    if not groups:
        raise ImportFailed([_("The file has no score rows.")])
    return _write(call, round, list(groups.values()), count, actor)


@transaction.atomic
def _write(call, round, groups: list[_Group], count: int, actor) -> ImportResult:
    now: datetime.datetime = timezone.now()
    result = ImportResult(rows=count)
    for group in groups:
        assignment, _created = Assignment.objects.get_or_create(
            round=round, submission=group.submission, reviewer=group.reviewer
        )
        assignment.scores.all().delete()
        Score.objects.bulk_create(
            Score(assignment=assignment, criterion=c, score=v) for c, v in group.scores.items()
        )
        assignment.conflict = group.conflict
        assignment.scored_at = now
        assignment.save(update_fields=["conflict", "scored_at"])
        result.reviews += 1
        if group.conflict:
            result.conflicts += 1
            audit.record("programs.conflict_declared", group.submission, round=round.kind)
    audit.record("programs.scores_imported", call, round=round.kind, rows=count, reviews=result.reviews)
    return result
