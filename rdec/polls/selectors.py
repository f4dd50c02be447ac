"""Reads of the polls module: which polls a user sees, and a poll's estimates, rates and weights."""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from rdec.core.permissions import check
from rdec.polls import formulas
from rdec.polls.importing import filter_text
from rdec.polls.models import Case, Survey

SMALL_BASE = 30  # a subgroup with fewer unweighted cases is shown with a warning (research §3.7.8)


def surveys_visible_to(user) -> QuerySet[Survey]:
    if check(user, "polls.manage_polls"):
        return Survey.objects.select_related("sponsor")
    return Survey.objects.filter(status=Survey.Status.PUBLISHED).select_related("sponsor")


def get_survey_for_user(user, pk=None, *, slug=None) -> Survey:
    queryset = surveys_visible_to(user)
    survey = queryset.filter(slug=slug).first() if slug is not None else queryset.filter(pk=pk).first()
    if survey is None:
        raise Http404
    return survey


def _completes(survey: Survey) -> list[Case]:
    return list(survey.cases.filter(outcome="I").order_by("pk"))


def question_results(
    survey: Survey, question, *, cases: list[Case] | None = None, confidence: float = 0.95
) -> dict:
    """The weighted frequencies of one question over the completes that answered it: n, effective n,
    Kish deff, the maximum margin at p = 0.5 with the deff (percentage points) and per option the
    unweighted n, weighted % and its CI (0–100). Unweighted polls count each case as 1.

    A filtered question's base is the completes its filter opens (`base`: who they are, e.g. "those
    who answered 1–2 to Q2"); `missing` counts the completes of the base who left it empty (item
    nonresponse), outside the percentages."""
    eligible = [
        c for c in (cases if cases is not None else _completes(survey)) if question.opens_for(c.answers)
    ]
    base = [c for c in eligible if str(c.answers.get(question.code, "")) != ""]
    n = len(base)
    options = dict(question.options or {})
    for case in base:
        options.setdefault(str(case.answers[question.code]), str(case.answers[question.code]))
    out = {
        "question": question.code,
        "wording": question.wording,
        "n": n,
        "base": filter_text(question.filter_question, question.filter_codes)
        if question.filter_question
        else None,
        "missing": len(eligible) - n,
    }
    if n == 0:
        out.update({"effective_n": 0, "design_effect": None, "margin_of_error": None, "small_base": True})
        out["options"] = [
            {"code": code, "label": label, "n": 0, "weighted_pct": None, "ci_low": None, "ci_high": None}
            for code, label in options.items()
        ]
        return out
    weights = [c.weight if c.weight is not None else 1.0 for c in base]
    deff = formulas.kish_deff(weights)
    out.update(
        {
            "effective_n": n / deff,
            "design_effect": deff,
            "margin_of_error": 100 * formulas.margin_of_error(n, p=0.5, deff=deff, confidence=confidence),
            "small_base": n < SMALL_BASE,
        }
    )
    rows = []
    for code, label in options.items():
        y = [1.0 if str(c.answers[question.code]) == code else 0.0 for c in base]
        estimate = formulas.weighted_proportion(y, weights, deff=deff, confidence=confidence)
        rows.append(
            {
                "code": code,
                "label": label,
                "n": estimate.n,
                "weighted_pct": 100 * estimate.p,
                "ci_low": 100 * estimate.low,
                "ci_high": 100 * estimate.high,
            }
        )
    out["options"] = rows
    return out


def subgroup_results(survey: Survey, question, variable: str) -> list[dict]:
    """The question's results within each category of a weighting variable (sex, age_band, district,
    education, …), each flagged `small_base` when fewer than 30 unweighted cases answered."""
    groups: dict[str, list[Case]] = {}
    for case in _completes(survey):
        groups.setdefault(case.value(variable) or "—", []).append(case)
    return [
        {"category": category, **question_results(survey, question, cases=cases)}
        for category, cases in sorted(groups.items())
    ]


def disposition_counts(survey: Survey, *, weighted: bool = False) -> dict[str, float]:
    """Cases per AAPOR group; `weighted`: sums of the base (selection) weights, 1 where a case has none
    (AAPOR weights outcome rates by selection weights, never by post-stratified ones)."""
    counts = dict.fromkeys(formulas.GROUPS, 0.0)
    if weighted:
        for outcome, base in survey.cases.values_list("outcome", "base_weight"):
            counts[outcome] += base if base else 1.0
        return counts
    for outcome, k in Counter(survey.cases.values_list("outcome", flat=True)).items():
        counts[outcome] = float(k)
    return counts


def response_rates(survey: Survey, *, e=None, weighted: bool = False) -> dict:
    """AAPOR RR1–RR6, COOP1–4, REF1–3, CON1–3 and e over every case of the fieldwork file; e: one
    value or {"UH", "UR", "UO"} (default the eligibility rate)."""
    return formulas.outcome_rates(disposition_counts(survey, weighted=weighted), e=e)


def case_weights(survey: Survey) -> list[dict]:
    return [
        {"case_id": case_id, "weight": weight}
        for case_id, weight in survey.cases.filter(outcome="I")
        .order_by("pk")
        .values_list("case_id", "weight")
    ]


def latest_run(survey: Survey):
    return survey.weighting_runs.order_by("-run_at", "-pk").first()


def design(survey: Survey, *, margin: float = 0.03, confidence: float = 0.95) -> dict:
    """The sample size for the margin (p = 0.5) and its proportional allocation by district (largest
    remainder, shipped population table 115/09), beside the completes achieved per district."""
    from rdec.polls.population import district_populations

    n = formulas.sample_size(margin, confidence=confidence)
    pops = district_populations()
    planned = formulas.allocate(pops, n)
    achieved = Counter(survey.cases.filter(outcome="I").values_list("district", flat=True))
    rows = [
        {"district": name, "population": pop, "planned": planned[name], "achieved": achieved.get(name, 0)}
        for name, pop in sorted(pops.items(), key=lambda kv: -kv[1])
    ]
    return {
        "n": n,
        "margin": 100 * margin,
        "rows": rows,
        "unknown": sum(k for d, k in achieved.items() if d not in pops),
    }


def crosstab_test(question, variable: str, cases: list[Case]):
    """The Rao–Scott chi-square of a question by a weighting variable over the completes that answered,
    or None when either side has fewer than two categories."""
    base = [c for c in cases if str(c.answers.get(question.code, "")) != "" and c.value(variable)]
    try:
        return formulas.rao_scott(
            [c.value(variable) for c in base],
            [str(c.answers[question.code]) for c in base],
            [c.weight if c.weight is not None else 1.0 for c in base],
        )
    except formulas.PollError:
        return None


# --- waves: the same question in the earlier polls of a series ------------------------------------------


def _wave_key(survey: Survey):
    return (
        survey.wave if survey.wave is not None else 10**9,
        survey.field_start or datetime.date.max,
        survey.created_at,
        survey.pk,
    )


def earlier_waves(survey: Survey, user) -> list[Survey]:
    """The polls of the survey's series that come before it (by wave number, then fieldwork start),
    oldest first, among those the user may read (the public: published ones only)."""
    if not survey.series.strip():
        return []
    others = surveys_visible_to(user).filter(series=survey.series).exclude(pk=survey.pk)
    key = _wave_key(survey)
    return sorted((s for s in others if _wave_key(s) < key), key=_wave_key)


def _same_text(a: str, b: str) -> bool:
    return " ".join(str(a or "").split()) == " ".join(str(b or "").split())


def wave_label(survey: Survey) -> str:
    if survey.wave is not None:
        return _("Wave %(number)s") % {"number": survey.wave}
    return survey.title


def wave_comparison(
    survey: Survey,
    question,
    *,
    user,
    confidence: float = 0.95,
    completes: dict[int, list[Case]] | None = None,
) -> dict:
    """The question in each wave of the series up to this poll (oldest first, this poll last): per
    option the weighted % of each wave and, for each earlier wave, the change to this poll in points
    with the z test of two independent weighted proportions with their Kish design effects
    (formulas.proportion_difference; n the unweighted base in each wave). An earlier wave whose
    wording, filter or options differ is flagged not comparable (`changes`) and has no test."""
    completes = completes if completes is not None else {}

    def results(s, q):
        if s.pk not in completes:
            completes[s.pk] = _completes(s)
        return question_results(s, q, cases=completes[s.pk], confidence=confidence)

    current = results(survey, question)
    current_pct = {o["code"]: o for o in current["options"]}
    waves = []
    for earlier in earlier_waves(survey, user):
        before_q = earlier.questions.filter(code=question.code).first()
        if before_q is None:
            continue
        before = results(earlier, before_q)
        changes = []
        if not _same_text(before_q.wording, question.wording):
            changes.append("wording")
        if (before_q.filter or {}) != (question.filter or {}):
            changes.append("filter")
        if {str(k): str(v) for k, v in (before_q.options or {}).items()} != {
            str(k): str(v) for k, v in (question.options or {}).items()
        }:
            changes.append("options")
        options = []
        for o in before["options"]:
            now = current_pct.get(o["code"])
            row = {
                "code": o["code"],
                "label": o["label"],
                "n": o["n"],
                "weighted_pct": o["weighted_pct"],
                "difference": None,
                "z": None,
                "p_value": None,
                "significant": None,
            }
            if (
                not changes
                and now is not None
                and now["weighted_pct"] is not None
                and o["weighted_pct"] is not None
            ):
                test = formulas.proportion_difference(
                    now["weighted_pct"] / 100,
                    current["n"],
                    o["weighted_pct"] / 100,
                    before["n"],
                    deff1=current["design_effect"],
                    deff2=before["design_effect"],
                    confidence=confidence,
                )
                row.update(
                    {
                        "difference": 100 * test.difference,
                        "z": test.z,
                        "p_value": test.p_value,
                        "significant": test.significant,
                    }
                )
            options.append(row)
        waves.append(_wave_entry(earlier, before_q, before, changes, options))
    own = [
        {
            "code": o["code"],
            "label": o["label"],
            "n": o["n"],
            "weighted_pct": o["weighted_pct"],
            "difference": None,
            "z": None,
            "p_value": None,
            "significant": None,
        }
        for o in current["options"]
    ]
    waves.append(_wave_entry(survey, question, current, [], own))
    return {"question": question.code, "series": survey.series, "waves": waves}


def _wave_entry(survey: Survey, question, result: dict, changes: list[str], options: list[dict]) -> dict:
    return {
        "survey": survey.pk,
        "slug": survey.slug,
        "title": survey.title,
        "wave": survey.wave,
        "label": wave_label(survey),
        "field_start": survey.field_start,
        "field_end": survey.field_end,
        "wording": question.wording,
        "n": result["n"],
        "design_effect": result["design_effect"],
        "comparable": not changes,
        "changes": changes,
        "options": options,
    }
