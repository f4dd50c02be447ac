"""The poll report in the Taiwanese skeleton (政大選研中心; research §3.3): 研究發現摘要, 研究方法,
樣本檢定與樣本分配表, 次數分配表, 交叉列表, 問卷 (issue 19, item 5).

`build_report(survey)` reads the poll once (its completes, questions, targets, latest weighting run and
dispositions) and returns one plain data structure that the page, the PDF and the spreadsheets
(rdec/polls/report_files.py) all render; no number is computed twice. The frequencies are the
selectors' (`question_results`, the same as the poll page and the results API); the crosstabs are
computed here with numpy and tested against the selectors' subgroups; the goodness-of-fit test is
Pearson's chi-square of the sample's distribution against the population targets (scipy)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rdec.polls import formulas, population, selectors
from rdec.polls.models import Case, Survey

VARIABLES = ("sex", "age_band", "district", "education")
# the report crosses by area (地區: the districts grouped into population.REGIONS) instead of district:
# with ~1,068 completes most of the 29 districts have fewer than 30 respondents (n < 30 rows), and the
# 29-row tables were most of a long report's PDF; the API's crosstab still takes `by=district` (and
# `by=area`). A fieldwork file's own `area` column, if it has one, is used as it is.
AREA = "area"
ALPHA = 0.05  # the level of the goodness-of-fit and crosstab tests
SMALL_BASE = selectors.SMALL_BASE


def variable_label(variable: str) -> str:
    return {
        "sex": _("Sex"),
        "age_band": _("Age band"),
        "district": _("District"),
        "area": pgettext("poll variable", "Area"),
        "education": _("Education"),
    }.get(variable, variable)


# --- goodness of fit ---------------------------------------------------------------------------------------


@dataclass
class GoodnessOfFit:
    statistic: float
    df: int
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    def as_dict(self) -> dict:
        return {
            "statistic": self.statistic,
            "df": self.df,
            "p_value": self.p_value,
            "significant": self.significant,
        }


def goodness_of_fit(observed: Sequence[float], shares: Sequence[float]) -> GoodnessOfFit | None:
    """Pearson's chi-square goodness-of-fit test of a sample's counts (or weighted counts) against
    population shares: X² = Σ(O − E)²/E with E = share·n (the shares normalised to sum to 1), on k − 1
    degrees of freedom (scipy.stats.chisquare). A category with no population share and no case is left
    out; one with cases but no share, or fewer than two categories, gives None (no test)."""
    from scipy.stats import chisquare

    obs = np.asarray(observed, dtype=float)
    exp_shares = np.asarray(shares, dtype=float)
    if obs.shape != exp_shares.shape:
        raise ValueError("one share per observed category")
    keep = (exp_shares > 0) | (obs > 0)
    obs, exp_shares = obs[keep], exp_shares[keep]
    if obs.size < 2 or np.any(exp_shares <= 0) or obs.sum() <= 0:
        return None
    expected = exp_shares / exp_shares.sum() * obs.sum()
    result = chisquare(obs, expected)
    return GoodnessOfFit(float(result.statistic), int(obs.size - 1), float(result.pvalue))


# --- the poll's data as arrays -------------------------------------------------------------------------------


@dataclass
class _Frame:
    """The completes as columns: weights and each variable's / question's value per case ("" = none)."""

    cases: list[Case]
    weights: np.ndarray
    columns: dict

    @classmethod
    def of(cls, cases: list[Case]) -> _Frame:
        weights = np.array([c.weight if c.weight is not None else 1.0 for c in cases], dtype=float)
        return cls(cases, weights, {})

    def variable(self, name: str) -> np.ndarray:
        key = ("v", name)
        if key not in self.columns:
            if name == AREA and not any(AREA in (c.extra or {}) for c in self.cases):
                values = [population.region_of(c.district) for c in self.cases]
            else:
                values = [c.value(name) or "" for c in self.cases]
            self.columns[key] = np.array(values, dtype=object)
        return self.columns[key]

    def answers(self, code: str) -> np.ndarray:
        key = ("q", code)
        if key not in self.columns:
            self.columns[key] = np.array([str(c.answers.get(code, "")) for c in self.cases], dtype=object)
        return self.columns[key]


def _ordered(preferred: Sequence[str], found) -> list[str]:
    """The categories in the targets' order, then any other found, sorted."""
    found = set(found)
    return [c for c in preferred if c in found] + sorted(found - set(preferred))


def _options(question, answers: np.ndarray) -> dict[str, str]:
    options = {str(k): str(v) for k, v in (question.options or {}).items()}
    for code in sorted(set(answers.tolist()) - {""} - set(options)):
        options[code] = code
    return options


def crosstab(
    question, variable: str, frame: _Frame, *, order: Sequence[str] = (), confidence: float = 0.95
) -> dict:
    """The question by a variable over the completes that answered it and have a category: per category
    the unweighted n, the `warning` (n < 30), the weighted row percentages per option (0–100) and the
    maximum margin of error with the row's Kish deff; and the Rao–Scott test (None with fewer than two
    categories either way)."""
    answers, values, weights = frame.answers(question.code), frame.variable(variable), frame.weights
    options = _options(question, answers)
    mask = (answers != "") & (values != "")
    a, v, w = answers[mask], values[mask], weights[mask]
    cats = _ordered(order, v.tolist())
    codes = list(options)
    rows = []
    if a.size:
        c_index = {c: i for i, c in enumerate(cats)}
        o_index = {c: i for i, c in enumerate(codes)}
        vi = np.fromiter((c_index[x] for x in v), dtype=int, count=v.size)
        ai = np.fromiter((o_index[x] for x in a), dtype=int, count=a.size)
        cell = np.zeros((len(cats), len(codes)))
        np.add.at(cell, (vi, ai), w)
        n = np.bincount(vi, minlength=len(cats))
        sw = np.bincount(vi, weights=w, minlength=len(cats))
        sw2 = np.bincount(vi, weights=w * w, minlength=len(cats))
        for i, category in enumerate(cats):
            deff = float(n[i] * sw2[i] / sw[i] ** 2)
            rows.append(
                {
                    "category": category,
                    "n": int(n[i]),
                    "warning": bool(n[i] < SMALL_BASE),
                    "design_effect": deff,
                    "margin_of_error": 100
                    * formulas.margin_of_error(int(n[i]), p=0.5, deff=deff, confidence=confidence),
                    "options": [
                        {
                            "code": code,
                            "label": options[code],
                            "weighted_pct": 100 * float(cell[i, j] / sw[i]),
                        }
                        for j, code in enumerate(codes)
                    ],
                }
            )
    test = None
    if len(cats) >= 2:
        try:
            rs = formulas.rao_scott(v.tolist(), a.tolist(), w)
        except formulas.PollError:
            rs = None
        if rs is not None:
            test = {
                "statistic": rs.statistic,
                "df": rs.df,
                "p_value": rs.p_value,
                "mean_deff": rs.mean_deff,
                "pearson": rs.pearson,
                "significant": rs.p_value < ALPHA,
            }
    return {
        "question": question.code,
        "by": variable,
        "by_label": variable_label(variable),
        "n": int(a.size),
        "options": [{"code": code, "label": options[code]} for code in codes],
        "rows": rows,
        "test": test,
    }


def _order(survey: Survey, variable: str, targets: dict[str, list] | None = None) -> list[str]:
    if variable == AREA and not survey.targets.filter(variable=AREA).exists():
        return list(population.REGIONS)
    if targets is not None:
        return [t.category for t in targets.get(variable, [])]
    return list(survey.targets.filter(variable=variable).values_list("category", flat=True))


def survey_crosstab(survey: Survey, question, variable: str) -> dict:
    """One crosstab of a poll (the API's), categories in the targets' order (areas in REGIONS')."""
    frame = _Frame.of(selectors._completes(survey))
    return crosstab(question, variable, frame, order=_order(survey, variable))


def crosstab_variables(survey: Survey) -> list[str]:
    """The variables a poll's questions may be crossed by: sex, age band, district, education, area
    and any other variable the poll is weighted by."""
    extra = sorted(set(survey.targets.values_list("variable", flat=True)) - {*VARIABLES, AREA})
    return [*VARIABLES, AREA, *extra]


def report_variables(survey: Survey) -> list[str]:
    """The report's crosstab variables: the API's with the districts grouped into areas."""
    return [v for v in crosstab_variables(survey) if v != "district"]


# --- the report ---------------------------------------------------------------------------------------------


def _sample_section(frame: _Frame, targets: dict[str, list], weighted: bool) -> list[dict]:
    """Per weighting variable (those with targets, the usual four first; else the usual four with data):
    the sample's unweighted n and %, the population share and the weighted %, and the goodness-of-fit
    test of the sample against the population before and after weighting."""
    variables = [v for v in VARIABLES if v in targets] + sorted(set(targets) - set(VARIABLES))
    if not targets:
        variables = [v for v in VARIABLES if any(frame.variable(v) != "")]
    out = []
    for variable in variables:
        values = frame.variable(variable)
        has = values != ""
        shares = {t.category: t.share for t in targets.get(variable, [])}
        cats = _ordered(list(shares), values[has].tolist())
        counts = Counter(values[has].tolist())
        n = int(has.sum())
        wsum: dict[str, float] = {}
        for value, w in zip(values[has].tolist(), frame.weights[has].tolist(), strict=True):
            wsum[value] = wsum.get(value, 0.0) + w
        total_w = sum(wsum.values()) or 1.0
        rows = [
            {
                "category": c,
                "n": counts.get(c, 0),
                "sample_pct": 100 * counts.get(c, 0) / n if n else None,
                "population_pct": 100 * shares[c] if c in shares else None,
                "weighted_pct": 100 * wsum.get(c, 0.0) / total_w if weighted and n else None,
            }
            for c in cats
        ]
        before = after = None
        if shares and n:
            share_list = [shares.get(c, 0.0) for c in cats]
            before = goodness_of_fit([counts.get(c, 0) for c in cats], share_list)
            if weighted:
                # the weighted counts scaled to the unweighted n, as a report compares them
                after = goodness_of_fit([n * wsum.get(c, 0.0) / total_w for c in cats], share_list)
        sources = sorted({(t.vintage, t.source) for t in targets.get(variable, []) if t.vintage or t.source})
        out.append(
            {
                "variable": variable,
                "label": variable_label(variable),
                "n": n,
                "rows": rows,
                "before": before.as_dict() if before else None,
                "after": after.as_dict() if after else None,
                "tests": [
                    (_("Before weighting"), before.as_dict() if before else None),
                    (_("After weighting"), after.as_dict() if after else None),
                ],
                "sources": [" ".join(x for x in s if x) for s in sources],
            }
        )
    return out


def _finding(result: dict) -> dict | None:
    rows = [o for o in result["options"] if o["weighted_pct"] is not None]
    if not result["n"] or not rows:
        return None
    top = max(rows, key=lambda o: o["weighted_pct"])
    p = top["weighted_pct"] / 100
    moe = 100 * formulas.margin_of_error(result["n"], p=p, deff=result["design_effect"])
    return {
        "question": result["question"],
        "wording": result["wording"],
        "code": top["code"],
        "label": top["label"],
        "weighted_pct": top["weighted_pct"],
        "margin_of_error": moe,
        "n": result["n"],
        "text": _("%(question)s: “%(label)s” leads with %(pct)s%% (±%(moe)s percentage points, n = %(n)s).")
        % {
            "question": result["question"] + (f" {result['wording']}" if result["wording"] else ""),
            "label": top["label"],
            "pct": f"{top['weighted_pct']:.1f}",
            "moe": f"{moe:.1f}",
            "n": result["n"],
        },
    }


def build_report(survey: Survey, *, crosstabs: bool = True) -> dict:
    """Everything the report shows, as plain data (numbers unrounded; percentages 0–100)."""
    cases = selectors._completes(survey)
    frame = _Frame.of(cases)
    questions = list(survey.questions.all())
    target_rows = list(survey.targets.all())
    targets: dict[str, list] = {}
    for t in target_rows:
        targets.setdefault(t.variable, []).append(t)
    run = selectors.latest_run(survey)
    weighted = run is not None and all(c.weight is not None for c in cases)
    n = len(cases)
    deff = run.deff if weighted else (formulas.kish_deff(frame.weights) if n else None)

    frequencies = [selectors.question_results(survey, q, cases=cases) for q in questions]
    findings = [f for f in (_finding(r) for r in frequencies) if f]

    counts = selectors.disposition_counts(survey)
    total_cases = int(sum(counts.values()))
    method = {
        "population": survey.target_population,
        "frames": survey.frames,
        "modes": survey.modes,
        "field_start": survey.field_start,
        "field_end": survey.field_end,
        "sponsor": survey.sponsor.name if survey.sponsor_id else "",
        "contractor": survey.contractor,
        "procurement": survey.procurement,
        "cases": total_cases,
        "completes": n,
        "by_frame": sorted(Counter(c.frame or "—" for c in cases).items()),
        "design_effect": deff,
        "effective_n": n / deff if n and deff else None,
        "max_error": 100 * formulas.margin_of_error(n, p=0.5) if n else None,
        "max_error_deff": 100 * formulas.margin_of_error(n, p=0.5, deff=deff) if n and deff else None,
        "weighted": weighted,
        "run": (
            {
                "iterations": run.iterations,
                "converged": run.converged,
                "base_weights": run.parameters.get("base_weights", ""),
                "trim": run.parameters.get("trim"),
                "tol": run.parameters.get("tol"),
                "run_at": run.run_at,
            }
            if weighted
            else None
        ),
        "targets": [
            {
                "variable": variable,
                "label": variable_label(variable),
                "shares": [(t.category, 100 * t.share) for t in items],
                "sources": sorted({" ".join(x for x in (t.vintage, t.source) if x) for t in items} - {""}),
            }
            for variable, items in sorted(
                targets.items(), key=lambda kv: (VARIABLES.index(kv[0]) if kv[0] in VARIABLES else 9, kv[0])
            )
        ],
        "counts": counts,
        "rates": selectors.response_rates(survey) if total_cases else None,
    }
    rates = method["rates"] or {}
    method["rate_rows"] = [
        [(name, rates[name]) for name in names]
        for names in (
            [f"RR{i}" for i in range(1, 7)],
            [f"COOP{i}" for i in range(1, 5)],
            [f"REF{i}" for i in range(1, 4)],
            [f"CON{i}" for i in range(1, 4)],
        )
        if rates
    ]

    crosstab_list = []
    if crosstabs and n:
        variables = [v for v in report_variables(survey) if any(frame.variable(v) != "")]
        for q in questions:
            tables = [crosstab(q, v, frame, order=_order(survey, v, targets)) for v in variables]
            crosstab_list.append(
                {"question": q.code, "wording": q.wording, "tables": [t for t in tables if t["rows"]]}
            )

    return {
        "survey": survey,
        "title": survey.title,
        "n": n,
        "findings": findings,
        "summary": _summary_lines(survey, method, findings),
        "method": method,
        "sample": _sample_section(frame, targets, weighted),
        "frequencies": frequencies,
        "crosstabs": crosstab_list,
        "questionnaire": [
            {
                "code": q.code,
                "wording": q.wording,
                "options": [(str(k), str(v)) for k, v in (q.options or {}).items()],
                "version": q.version,
            }
            for q in questions
        ],
        "small_base": SMALL_BASE,
        "alpha": ALPHA,
    }


def _summary_lines(survey: Survey, method: dict, findings: list[dict]) -> list[str]:
    lines = []
    if method["completes"]:
        if method["max_error_deff"] is not None and method["weighted"]:
            lines.append(
                _(
                    "%(n)s complete interviews; at 95%% confidence the maximum sampling error is ±%(moe)s "
                    "percentage points (±%(moe_deff)s with the design effect of the weights, %(deff)s)."
                )
                % {
                    "n": f"{method['completes']:,}",
                    "moe": f"{method['max_error']:.2f}",
                    "moe_deff": f"{method['max_error_deff']:.2f}",
                    "deff": f"{method['design_effect']:.3f}",
                }
            )
        else:
            lines.append(
                _(
                    "%(n)s complete interviews; at 95%% confidence the maximum sampling error is ±%(moe)s "
                    "percentage points (not weighted yet)."
                )
                % {"n": f"{method['completes']:,}", "moe": f"{method['max_error']:.2f}"}
            )
    return lines
