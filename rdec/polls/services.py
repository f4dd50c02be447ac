"""Writes of the polls module: create a survey, import its fieldwork, load its targets, weight it,
fill its disclosure and publish it. Each checks `polls.manage_polls` and leaves an audit entry."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rdec.core import audit
from rdec.core import services as core_services
from rdec.core.models import APIKey
from rdec.core.permissions import require
from rdec.core.tabular import ImportFailed
from rdec.core.tasks import enqueue_on_commit
from rdec.polls import formulas
from rdec.polls.importing import KNOWN, read_fieldwork, read_targets
from rdec.polls.models import DISCLOSURE_FIELDS, Case, Question, Survey, Target, WeightingRun
from rdec.polls.population import district_shares

SURVEY_FIELDS = (
    "title",
    "purpose",
    "sponsor",
    "contractor",
    "procurement",
    "target_population",
    "frames",
    "modes",
    "field_start",
    "field_end",
    "series",
    "wave",
    *DISCLOSURE_FIELDS,
)


def _split_codes(codes) -> list[str]:
    if isinstance(codes, str):
        codes = re.split(r"[,，、;\s]+", codes)
    out = []
    for code in codes or []:
        text = str(code).strip()
        if text and text not in out:
            out.append(text)
    return out


def _check_filter(
    code: str, depends: str, codes, questions: list[tuple[str, dict]]
) -> tuple[dict, dict[str, list[str]]]:
    """The filter {"question", "codes"} of question `code`, checked against the questionnaire
    (`questions`: (code, options) in the order asked), and the errors by field: the question it
    depends on must be an earlier question of the poll, and the codes that open it must be its options
    (when it has any). An empty `depends` is no filter."""
    depends = str(depends or "").strip()
    if not depends:
        return {}, {}
    codes = _split_codes(codes)
    order = [c for c, _options in questions]
    errors: dict[str, list[str]] = {}
    if depends not in order:
        errors["filter_question"] = [_("This poll has no question %(code)s.") % {"code": depends}]
    elif code in order and order.index(depends) >= order.index(code):
        errors["filter_question"] = [
            _("A filter depends on an earlier question; %(depends)s does not come before %(code)s.")
            % {"depends": depends, "code": code}
        ]
    if not codes:
        errors["filter_codes"] = [_("Give the answer codes that open the question, e.g. 1, 2.")]
    elif depends in order:
        options = dict(questions[order.index(depends)][1] or {})
        unknown = [c for c in codes if options and c not in options]
        if unknown:
            errors["filter_codes"] = [
                _("%(codes)s: not an answer code of %(question)s (%(options)s).")
                % {"codes": ", ".join(unknown), "question": depends, "options": ", ".join(options)}
            ]
    return {"question": depends, "codes": codes}, errors


@transaction.atomic
def update_question(
    question: Question,
    *,
    actor,
    wording: str | None = None,
    filter_question: str | None = None,
    filter_codes=None,
) -> Question:
    """Change a question's exact wording and its filter (skip logic). A new wording on a question that
    had one is a new version of it. The filter must depend on an earlier question, and no case already
    imported may answer the question where the filter skips it."""
    survey = question.survey
    require(actor, "polls.manage_polls", survey)
    if survey.status in (Survey.Status.REPORTED, Survey.Status.PUBLISHED):
        raise ValidationError(
            {"question": [_("The poll is already reported; its questionnaire cannot change.")]}
        )
    fields = []
    if filter_question is not None:
        questions = [(q.code, q.options) for q in survey.questions.all()]
        new_filter, errors = _check_filter(question.code, filter_question, filter_codes, questions)
        if errors:
            raise ValidationError(errors)
        if new_filter:
            skipped = [
                case.case_id
                for case in survey.cases.filter(outcome__in=("I", "P")).order_by("pk")
                if str(case.answers.get(question.code, "")) != ""
                and str(case.answers.get(new_filter["question"], "")) not in new_filter["codes"]
            ]
            if skipped:
                raise ValidationError(
                    {
                        "filter_codes": [
                            _(
                                "%(count)s imported cases answer %(code)s though this filter skips them (e.g. %(cases)s); correct the fieldwork file first."
                            )
                            % {"count": len(skipped), "code": question.code, "cases": ", ".join(skipped[:5])}
                        ]
                    }
                )
        if new_filter != (question.filter or {}):
            question.filter = new_filter
            fields.append("filter")
    if wording is not None and wording.strip() != question.wording:
        if question.wording.strip():
            question.version += 1
            fields.append("version")
        question.wording = wording.strip()
        fields.append("wording")
    if fields:
        question.save(update_fields=fields)
        audit.record(
            "poll.question_updated",
            survey,
            question=question.code,
            version=question.version,
            filter=question.filter or None,
        )
    return question


@transaction.atomic
def create_survey(*, actor, slug: str, title: str, questions: list[dict] | None = None, **fields) -> Survey:
    """A draft poll; `questions`: its questionnaire in order, each {"code", "wording", "options",
    "filter": {"question", "codes"}} (a filter depends on an earlier question of the list)."""
    require(actor, "polls.manage_polls")
    if Survey.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [_("A poll with this slug already exists.")]})
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise ValueError(f"unknown survey fields {sorted(unknown)}")
    questions = questions or []
    listed = [
        (str(q["code"]), {str(k): str(v) for k, v in (q.get("options") or {}).items()}) for q in questions
    ]
    errors: dict[str, list[str]] = {}
    codes = [c for c, _options in listed]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        errors["questions"] = [
            _("Question code(s) %(codes)s appear more than once.") % {"codes": ", ".join(repeated)}
        ]
    filters = {}
    for q in questions:
        given = q.get("filter") or {}
        checked, problems = _check_filter(
            str(q["code"]), given.get("question", ""), given.get("codes"), listed
        )
        for messages in problems.values():
            errors.setdefault("questions", []).extend(f"{q['code']}: {m}" for m in messages)
        filters[str(q["code"])] = checked
    if errors:
        raise ValidationError(errors)
    survey = Survey(slug=slug, title=title, **fields)
    survey.full_clean()
    survey.save()
    for order, (q, (code, options)) in enumerate(zip(questions, listed, strict=True), start=1):
        Question.objects.create(
            survey=survey,
            code=code,
            wording=str(q.get("wording") or "").strip(),
            options=options,
            order=order,
            filter=filters[code],
        )
    audit.record("poll.created", survey)
    return survey


@transaction.atomic
def update_survey(survey: Survey, *, actor, **fields) -> Survey:
    require(actor, "polls.manage_polls", survey)
    unknown = set(fields) - set(SURVEY_FIELDS)
    if unknown:
        raise ValueError(f"unknown survey fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(survey, name, value)
    survey.full_clean()
    survey.save(update_fields=list(fields) or None)
    return survey


@dataclass
class ImportResult:
    survey: Survey
    cases: int
    completes: int
    questions: list[str]
    dropped: list[str]
    created: bool


def _import(
    survey: Survey | None, data: bytes, filename: str, *, slug: str, title: str, create: bool
) -> ImportResult:
    filters = {}
    if survey is not None:
        filters = {
            q.code: (q.filter_question, q.filter_codes) for q in survey.questions.all() if q.filter_question
        }
    fieldwork = read_fieldwork(data, filename, filters=filters)
    created = False
    if survey is None:
        if not create:
            raise ImportFailed([_("No poll named %(slug)s; add --create to make it.") % {"slug": slug}])
        if not re.fullmatch(r"[-a-zA-Z0-9_]{1,80}", slug) or len(title) > 200:
            raise ImportFailed(
                [
                    _(
                        "A poll's slug is 1–80 letters, digits, dashes or underscores, its title at most 200 characters."
                    )
                ]
            )
        survey = Survey.objects.create(slug=slug, title=title or slug)
        created = True
        audit.record("poll.created", survey)
    elif survey.status in (Survey.Status.REPORTED, Survey.Status.PUBLISHED):
        raise ImportFailed([_("The poll is already reported; its fieldwork cannot be replaced.")])
    known_questions = {q.code: q for q in survey.questions.all()}
    if not created and known_questions:
        unknown = [q for q in fieldwork.questions if q not in known_questions]
        if unknown:
            raise ImportFailed(
                [
                    _("Row 1: column(s) %(columns)s are not questions of this poll.")
                    % {"columns": ", ".join(unknown)}
                ]
            )
    next_order = max([q.order for q in known_questions.values()], default=0)
    for code, options in fieldwork.questions.items():
        question = known_questions.get(code)
        if question is None:
            next_order += 1
            Question.objects.create(survey=survey, code=code, options=options, order=next_order)
        else:
            merged = {**options, **(question.options or {})}
            if merged != question.options:
                question.options = merged
                question.save(update_fields=["options"])
    # the file replaces the survey's cases: weights and runs of the former file no longer apply
    survey.cases.all().delete()
    survey.weighting_runs.all().delete()
    Case.objects.bulk_create(
        [Case(survey=survey, **dict(row.items())) for row in fieldwork.rows], batch_size=1000
    )
    if survey.status == Survey.Status.DRAFT:
        survey.status = Survey.Status.FIELDING
        survey.save(update_fields=["status"])
    completes = sum(1 for row in fieldwork.rows if row["outcome"] == "I")
    audit.record(
        "poll.fieldwork_imported",
        survey,
        filename=filename,
        cases=len(fieldwork.rows),
        completes=completes,
        dropped_columns=fieldwork.dropped,
    )
    return ImportResult(
        survey, len(fieldwork.rows), completes, list(fieldwork.questions), fieldwork.dropped, created
    )


@transaction.atomic
def import_responses(
    slug: str, data: bytes, filename: str = "", *, actor=None, create: bool = False, title: str = ""
) -> ImportResult:
    """Import a fieldwork file into the poll SLUG (replacing its cases), all or nothing (ImportFailed
    with every row/column error). `create` makes a draft poll whose questions are the file's Q columns.
    `actor` None: the system (the command without --user)."""
    survey = Survey.objects.select_for_update().filter(slug=slug).first()
    if actor is not None:
        require(actor, "polls.manage_polls", survey)
    return _import(survey, data, filename, slug=slug, title=title, create=create)


def _fieldwork_columns(survey: Survey) -> set[str]:
    columns = {"frame", "district", "sex", "age_band", "education"}
    first = survey.cases.order_by("pk").first()
    if first is not None:
        columns |= set(first.extra)
    return columns


@transaction.atomic
def load_targets(survey: Survey, data: bytes, filename: str = "", *, actor=None) -> list[Target]:
    """Replace the poll's targets by those of the file (variable, category, share [, vintage, source]).
    Refused unless each variable names a column of the fieldwork file and its shares sum to 1 ± 0.001."""
    if actor is not None:
        require(actor, "polls.manage_polls", survey)
    rows = read_targets(data, filename)
    columns = _fieldwork_columns(survey) if survey.cases.exists() else set(KNOWN) | {"region"}
    errors = []
    by_variable: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["variable"] not in columns:
            errors.append(
                _("Row %(row)s, column %(column)s: %(message)s")
                % {
                    "row": row["line"],
                    "column": "variable",
                    "message": _("%(variable)s is not a column of the fieldwork file (%(columns)s).")
                    % {"variable": row["variable"], "columns": ", ".join(sorted(columns))},
                }
            )
        by_variable[row["variable"]].append(row)
    for variable, items in by_variable.items():
        total = sum(item["share"] for item in items)
        if abs(total - 1) > formulas.SHARE_TOLERANCE:
            errors.append(
                _("The shares of %(variable)s sum to %(total)s, not 1 (± 0.001).")
                % {"variable": variable, "total": f"{total:.4f}"}
            )
        repeated = [c for c, k in Counter(item["category"] for item in items).items() if k > 1]
        if repeated:
            errors.append(
                _("%(variable)s has the category %(category)s more than once.")
                % {"variable": variable, "category": ", ".join(repeated)}
            )
    if errors:
        raise ImportFailed(errors)
    survey.targets.all().delete()
    targets = Target.objects.bulk_create(
        [
            Target(
                survey=survey,
                variable=row["variable"],
                category=row["category"],
                share=row["share"],
                vintage=row["vintage"],
                source=row["source"],
            )
            for row in rows
        ]
    )
    audit.record("poll.targets_loaded", survey, filename=filename, variables=sorted(by_variable))
    return targets


def _store_weights(cases: list[Case]) -> None:
    """Save the cases' weights: one UPDATE per distinct weight when they are few (raking gives one
    weight per cell of the margins, so 1,000 completes have a few hundred), else in batches."""
    by_value: dict[float, list[int]] = defaultdict(list)
    for case in cases:
        by_value[case.weight].append(case.pk)
    if len(by_value) * 4 > len(cases):
        Case.objects.bulk_update(cases, ["weight"], batch_size=1000)
        return
    for value, pks in by_value.items():
        for start in range(0, len(pks), 500):
            Case.objects.filter(pk__in=pks[start : start + 500]).update(weight=value)


@transaction.atomic
def weight_survey(
    survey: Survey,
    *,
    actor=None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    trim: tuple[float | None, float | None] | None = None,
    variables: list[str] | None = None,
) -> WeightingRun:
    """Rake the completes' base weights to the poll's targets and store the weights, scaled to mean 1.

    Base weights: the file's `base_weight` when every complete has one; else the allocation's design
    weights (district population share over sample share, shipped table 115/09) when every complete
    has a district; else equal. A target category without respondents is refused naming it."""
    if actor is not None:
        require(actor, "polls.manage_polls", survey)
    if survey.status in (Survey.Status.REPORTED, Survey.Status.PUBLISHED):
        raise ValidationError({"survey": [_("The poll is already reported; its weights cannot change.")]})
    completes = list(survey.cases.filter(outcome="I").order_by("pk"))
    if not completes:
        raise ValidationError({"cases": [_("The poll has no complete interviews to weight.")]})
    targets: dict[str, dict[str, float]] = defaultdict(dict)
    for target in survey.targets.all():
        if variables is None or target.variable in variables:
            targets[target.variable][target.category] = target.share
    if not targets:
        raise ValidationError({"targets": [_("Load the poll's population targets first.")]})

    if all(case.base_weight for case in completes):
        base_source = "file"
        base = [case.base_weight for case in completes]
    else:
        shares = district_shares()
        if all(case.district in shares for case in completes):
            base_source = "allocation"
            by_district = formulas.design_weights(shares, Counter(case.district for case in completes))
            base = [by_district[case.district] for case in completes]
        else:
            base_source = "equal"
            base = [1.0] * len(completes)
    data = {variable: [case.value(variable) for case in completes] for variable in targets}
    try:
        result = formulas.rake(
            data, targets, base_weights=base, total=len(completes), tol=tol, max_iter=max_iter, trim=trim
        )
    except formulas.PollError as exc:
        if exc.category:
            message = _(
                "No respondent has %(variable)s = %(category)s, yet it has a target; merge the category or drop its target."
            ) % {
                "variable": exc.field,
                "category": exc.category,
            }
            if exc.message.startswith("a case has"):
                message = _("A respondent has %(variable)s = %(category)s, which has no target.") % {
                    "variable": exc.field,
                    "category": exc.category or "—",
                }
        else:
            message = exc.message
        raise ValidationError({"targets": [message]}) from exc
    weights = formulas.scale_to_mean_one(result.weights)
    for case, w in zip(completes, weights, strict=True):
        case.weight = float(w)
    _store_weights(completes)
    survey.cases.exclude(outcome="I").update(weight=None)
    deff = formulas.kish_deff(weights)
    run = WeightingRun.objects.create(
        survey=survey,
        parameters={
            "method": "raking",
            "tol": tol,
            "max_iter": max_iter,
            "trim": list(trim) if trim else None,
            "base_weights": base_source,
            "targets": {k: dict(v) for k, v in targets.items()},
            "trimmed": result.trimmed,
        },
        iterations=result.iterations,
        converged=result.converged,
        deff=deff,
        n_eff=len(weights) / deff,
        n=len(weights),
        run_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if survey.status in (Survey.Status.DRAFT, Survey.Status.FIELDING):
        survey.status = Survey.Status.WEIGHTING
        survey.save(update_fields=["status"])
    audit.record(
        "poll.weighted", survey, iterations=result.iterations, converged=result.converged, deff=round(deff, 6)
    )
    return run


@transaction.atomic
def mark_reported(survey: Survey, *, actor) -> Survey:
    require(actor, "polls.manage_polls", survey)
    if not survey.weighting_runs.exists():
        raise ValidationError({"status": [_("Weight the poll before marking it reported.")]})
    survey.status = Survey.Status.REPORTED
    survey.save(update_fields=["status"])
    audit.record("poll.reported", survey)
    return survey


@transaction.atomic
def publish_survey(survey: Survey, *, actor) -> Survey:
    """Publish a weighted poll: refused until all eleven AAPOR disclosure items are filled. Once the
    transaction commits, its de-identified microdata and frequency tables go to the open data catalog
    (background job tasks.publish_open_data). Publishing a published poll again (after a correction
    of its disclosure or questionnaire) brings the same dataset up to date; it keeps its first date."""
    require(actor, "polls.manage_polls", survey)
    missing = survey.missing_disclosure()
    if missing:
        raise ValidationError(
            {name: [_("Fill in this disclosure item before publishing.")] for name in missing}
        )
    if not survey.weighting_runs.exists():
        raise ValidationError({"status": [_("Weight the poll before publishing it.")]})
    republished = survey.status == Survey.Status.PUBLISHED
    survey.status = Survey.Status.PUBLISHED
    survey.published_at = survey.published_at if republished and survey.published_at else timezone.now()
    survey.save(update_fields=["status", "published_at"])
    audit.record("poll.republished" if republished else "poll.published", survey)
    from rdec.polls.tasks import publish_open_data

    enqueue_on_commit(publish_open_data, survey_id=survey.pk)
    return survey


# --- the contractor's API key ------------------------------------------------------------------------


@transaction.atomic
def issue_contractor_key(survey: Survey, *, actor) -> tuple[APIKey, str]:
    """A new API key for the poll's contractor: it may upload this poll's fieldwork file
    (POST /api/v1/polls/surveys/{id}/responses/) and nothing of any agency. A key issued before is
    revoked. Returns the key record and the key itself, shown once."""
    require(actor, "polls.manage_polls", survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status in (Survey.Status.REPORTED, Survey.Status.PUBLISHED):
        raise ValidationError(
            {"contractor_key": [_("The poll is already reported; its fieldwork cannot be replaced.")]}
        )
    if survey.contractor_key_id:
        _revoke(survey, actor)
    serial = APIKey.objects.filter(name__startswith=f"poll-{survey.pk}-contractor").count() + 1
    key, raw = core_services.create_api_key(
        name=f"poll-{survey.pk}-contractor-{serial}",
        agency=None,
        actor=actor,
        permission="polls.manage_polls",
        permission_obj=survey,
    )
    survey.contractor_key = key
    survey.save(update_fields=["contractor_key"])
    audit.record("poll.contractor_key_issued", survey, prefix=key.prefix)
    return key, raw


def _revoke(survey: Survey, actor) -> None:
    key = survey.contractor_key
    if not key.revoked:
        core_services.revoke_api_key(
            prefix=key.prefix, actor=actor, permission="polls.manage_polls", permission_obj=survey
        )
    audit.record("poll.contractor_key_revoked", survey, prefix=key.prefix)
    survey.contractor_key = None
    survey.save(update_fields=["contractor_key"])


@transaction.atomic
def revoke_contractor_key(survey: Survey, *, actor) -> Survey:
    """Revoke the poll's contractor key (at once, in every process: the key's row is read on each call)."""
    require(actor, "polls.manage_polls", survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)  # no join: FOR UPDATE refuses an outer join
    if survey.contractor_key_id is None:
        raise ValidationError({"contractor_key": [_("The poll has no contractor key.")]})
    _revoke(survey, actor)
    return survey


@transaction.atomic
def upload_responses(survey: Survey, data: bytes, filename: str, *, actor) -> ImportResult:
    """The fieldwork file sent by API: by the RDEC or by the poll's own contractor key; the same
    importer as `rdec import_poll_responses`, all or nothing (ImportFailed), refused once reported."""
    require(actor, "polls.upload_responses", survey)
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    return _import(survey, data, filename, slug=survey.slug, title="", create=False)
