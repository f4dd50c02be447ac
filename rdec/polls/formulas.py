"""The arithmetic of an opinion poll: sample size, allocation, raking, design effect, estimates and the
AAPOR outcome rates. Pure functions on floats and numpy arrays; no Django.

References (the research brief ../shared/research/transparency-programs-polls.md §3.2):
- Sample size and margin of error for a proportion: Cochran, W. G. (1977) *Sampling Techniques*, 3rd ed.,
  §4.4 (n0 = z²p(1−p)/e², finite-population correction n = n0 / (1 + (n0 − 1)/N)).
- Proportional allocation with largest-remainder (Hamilton) rounding: Cochran §5.5; the rounding as in
  seat apportionment.
- Raking / iterative proportional fitting: Deming, W. E. & Stephan, F. F. (1940) "On a least squares
  adjustment of a sampled frequency table when the expected marginal totals are known", *Ann. Math.
  Stat.* 11, 427–444; R `survey::rake()` (Lumley) semantics: marginal targets, `epsilon`, `maxit`.
  Trimming with re-raking: Battaglia, Izrael, Hoaglin & Frankel (2009) "Practical considerations in
  raking survey data", *Survey Practice* 2(5).
- Kish's design effect of unequal weights: Kish, L. (1965) *Survey Sampling*; Kish (1992) "Weighting
  for unequal Pi", *J. Official Statistics* 8, 183–200: deff = n·Σw²/(Σw)² = 1 + CV², n_eff = n/deff.
- Outcome rates: AAPOR (2023) *Standard Definitions: Final Dispositions of Case Codes and Outcome Rates
  for Surveys*, 10th ed.; the rOpenSci `outcomerate` package's formulas and example.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

Z95 = 1.959963984540054  # the 97.5 % quantile of the standard normal
SHARE_TOLERANCE = 0.001


class PollError(ValueError):
    """A computation refused with a message saying what to fix; `field` names what is wrong."""

    def __init__(self, message: str, *, field: str = "", category: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        self.category = category


# --- sample size and margin of error ------------------------------------------------------------------


def z_for_confidence(confidence: float = 0.95) -> float:
    """The two-sided normal quantile, e.g. 0.95 → 1.959964."""
    if not 0 < confidence < 1:
        raise PollError("confidence must be between 0 and 1", field="confidence")
    if abs(confidence - 0.95) < 1e-12:
        return Z95
    from scipy.stats import norm

    return float(norm.ppf(0.5 + confidence / 2))


def sample_size_unrounded(
    margin: float, *, confidence: float = 0.95, p: float = 0.5, population: int | None = None
) -> float:
    """n0 = z²·p(1−p)/e² (Cochran 4.4), with the finite-population correction n0/(1+(n0−1)/N) when
    `population` is given. ±3 % at 95 %: 1067.07 (with N = 2,300,000: 1066.6)."""
    if not 0 < margin < 1:
        raise PollError("margin must be a fraction between 0 and 1, e.g. 0.03", field="margin")
    z = z_for_confidence(confidence)
    n0 = z * z * p * (1 - p) / (margin * margin)
    if population:
        n0 = n0 / (1 + (n0 - 1) / population)
    return n0


def sample_size(
    margin: float, *, confidence: float = 0.95, p: float = 0.5, population: int | None = None
) -> int:
    """The completes needed, rounded up: ±3 % at 95 % → 1,068 (1,067 with N = 2,300,000)."""
    return math.ceil(sample_size_unrounded(margin, confidence=confidence, p=p, population=population) - 1e-9)


def margin_of_error(n: float, *, p: float = 0.5, deff: float = 1.0, confidence: float = 0.95) -> float:
    """e = z·√(deff·p(1−p)/n) as a fraction: n = 1,068 → 0.029990; with weights pass Kish's deff (or n_eff
    as n and deff 1)."""
    if n <= 0:
        raise PollError("the sample size must be positive", field="n")
    return z_for_confidence(confidence) * math.sqrt(deff * p * (1 - p) / n)


# --- allocation by district -----------------------------------------------------------------------------


def largest_remainder(quotas: Mapping[str, float], total: int) -> dict[str, int]:
    """Round the quotas down, then give the remaining seats to the largest remainders (ties: the larger
    quota, then the key's order)."""
    floors = {k: math.floor(q + 1e-12) for k, q in quotas.items()}
    left = total - sum(floors.values())
    order = sorted(quotas, key=lambda k: (-(quotas[k] - floors[k]), -quotas[k]))
    for k in order[:left]:
        floors[k] += 1
    return floors


def allocate(
    populations: Mapping[str, float],
    n: int,
    *,
    floor: int = 0,
    merge: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Proportional allocation of `n` completes to strata by population, rounded by largest remainder
    (1,068 across Taichung's 29 districts → 北屯區 119 … 和平區 4).

    `merge` maps a stratum to the stratum it joins (e.g. {"和平區": "東勢區"}) before allocating.
    `floor`: every stratum gets at least `floor`; those below it are fixed at the floor and the rest is
    re-allocated proportionally among the others, until no stratum falls below."""
    if n < 0:
        raise PollError("the sample size must not be negative", field="n")
    if n and sum(populations.values()) <= 0:
        raise PollError("the strata have no population to allocate by", field="population")
    pops: dict[str, float] = {}
    for name, pop in populations.items():
        if pop < 0:
            raise PollError(f"the population of {name} is negative", field="population", category=name)
        target = (merge or {}).get(name, name)
        pops[target] = pops.get(target, 0.0) + float(pop)
    if floor * len(pops) > n:
        raise PollError(
            f"a floor of {floor} in {len(pops)} strata needs more than {n} completes", field="floor"
        )
    fixed: dict[str, int] = {}
    while True:
        free = {k: v for k, v in pops.items() if k not in fixed}
        remaining = n - sum(fixed.values())
        total_pop = sum(free.values())
        if total_pop <= 0:
            quotas = dict.fromkeys(free, 0.0)
        else:
            quotas = {k: remaining * v / total_pop for k, v in free.items()}
        seats = largest_remainder(quotas, remaining)
        below = [k for k, s in seats.items() if s < floor]
        if not below:
            return {k: fixed.get(k, seats.get(k, 0)) for k in pops}
        for k in below:
            fixed[k] = floor


def design_weights(
    population_shares: Mapping[str, float], sample_counts: Mapping[str, int]
) -> dict[str, float]:
    """The base weight of a case in stratum h: population share over sample share (N_h/N)/(n_h/n), so
    the weights average 1 over the sample."""
    n = sum(sample_counts.values())
    total = sum(population_shares.get(h, 0.0) for h in sample_counts)
    out = {}
    for h, n_h in sample_counts.items():
        if n_h <= 0:
            continue
        share = population_shares.get(h)
        if share is None or share <= 0:
            raise PollError(f"stratum {h} has no population share", field="district", category=h)
        out[h] = (share / total) / (n_h / n)
    return out


# --- raking ---------------------------------------------------------------------------------------------


@dataclass
class RakeResult:
    weights: np.ndarray
    iterations: int
    converged: bool
    trimmed: int = 0
    max_change: float = 0.0
    margins: dict[str, dict[str, float]] = field(default_factory=dict)


def check_targets(targets: Mapping[str, Mapping[str, float]], *, normalise: bool = False) -> dict:
    """Each variable's shares must sum to 1 ± 0.001 (or, with `normalise`, are divided by their sum)."""
    out: dict[str, dict[str, float]] = {}
    for variable, shares in targets.items():
        if not shares:
            raise PollError(f"the targets of {variable} are empty", field=variable)
        for category, share in shares.items():
            if not (share >= 0) or math.isinf(share):
                raise PollError(
                    f"the share of {variable}={category} must be a number ≥ 0",
                    field=variable,
                    category=category,
                )
        total = sum(shares.values())
        if abs(total - 1) > SHARE_TOLERANCE:
            if not normalise or total <= 0:
                raise PollError(
                    f"the shares of {variable} sum to {total:.4f}, not 1 (± {SHARE_TOLERANCE})",
                    field=variable,
                )
            shares = {k: v / total for k, v in shares.items()}
        out[variable] = {str(k): float(v) for k, v in shares.items()}
    return out


def rake(
    data: Mapping[str, Sequence],
    targets: Mapping[str, Mapping[str, float]],
    *,
    base_weights: Sequence[float] | None = None,
    total: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    trim: tuple[float | None, float | None] | None = None,
    normalise: bool = False,
) -> RakeResult:
    """Iterative proportional fitting (Deming & Stephan 1940) of the base weights to marginal shares.

    data: {variable: the category of each case}; targets: {variable: {category: share}} (shares of each
    variable summing to 1 ± 0.001). The weights keep the base weights' total unless `total` is given.
    Stops when the largest change of a weight in a full cycle is below `tol`, or after `max_iter` cycles.
    `trim` = (low, high) bounds on weight / mean weight: after each cycle the weights outside are
    clipped to them and the next cycle re-rakes, until the weights lie within the bounds and the margins
    hold (Battaglia et al. 2009); bounds that cannot be met with the margins end not converged.
    A target category with no respondent, or a case whose category has no target, is a PollError
    naming the variable and category: never NaN weights."""
    targets = check_targets(targets, normalise=normalise)
    if not targets:
        raise PollError("no targets to rake to", field="targets")
    n = len(next(iter(data.values()))) if data else 0
    if n == 0:
        raise PollError("no cases to weight", field="cases")
    w0 = np.ones(n) if base_weights is None else np.asarray(base_weights, dtype=float).copy()
    if w0.shape != (n,) or not np.all(np.isfinite(w0)) or np.any(w0 <= 0):
        raise PollError("the base weights must be positive numbers, one per case", field="base_weight")
    grand = float(w0.sum()) if total is None else float(total)

    # each margin as (variable, a per-case index into its categories, the target totals)
    margins = []
    for variable, shares in targets.items():
        if variable not in data:
            raise PollError(f"the cases have no column {variable}", field=variable)
        values = [str(v) for v in data[variable]]
        if len(values) != n:
            raise PollError(f"the column {variable} has {len(values)} values for {n} cases", field=variable)
        cats = list(shares)
        position = {c: i for i, c in enumerate(cats)}
        for v in values:
            if v not in position:
                raise PollError(f"a case has {variable}={v}, which has no target", field=variable, category=v)
        idx = np.array([position[v] for v in values])
        counts = np.bincount(idx, minlength=len(cats))
        for i, c in enumerate(cats):
            if counts[i] == 0 and shares[c] > 0:
                raise PollError(
                    f"no respondent has {variable}={c}, yet its target share is {shares[c]:g}: "
                    "merge the category or drop its target",
                    field=variable,
                    category=c,
                )
        margins.append((variable, idx, np.array([shares[c] for c in cats]) * grand, cats))

    mean = grand / n
    low, high = trim if trim is not None else (None, None)
    lo = 0.0 if low is None else low * mean
    hi = math.inf if high is None else high * mean
    bounded = low is not None or high is not None

    def margins_met(w: np.ndarray) -> bool:
        return all(
            np.max(np.abs(np.bincount(idx, weights=w, minlength=len(want)) - want)) <= 1e-7 * grand
            for _variable, idx, want, _cats in margins
        )

    w = w0 * (grand / w0.sum())
    converged, change, iterations = False, math.inf, 0
    for iterations in range(1, max_iter + 1):  # noqa: B007
        before = w.copy()
        for _variable, idx, want, _cats in margins:
            have = np.bincount(idx, weights=w, minlength=len(want))
            factor = np.divide(want, have, out=np.zeros_like(want), where=have > 0)
            w = w * factor[idx]
        if bounded:
            # trimming inside the cycle, then re-raking in the next one (rake–trim–rake)
            w = np.clip(w, lo, hi)
        change = float(np.max(np.abs(w - before)))
        if change < tol:
            # a fixed point that misses a margin means the targets (or bounds) cannot all be met
            converged = margins_met(w)
            break
    trimmed = int(np.sum((w <= lo + 1e-9) | (w >= hi - 1e-9))) if bounded else 0
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise PollError("raking produced weights that are not positive; check the targets", field="targets")
    achieved = {
        variable: {
            c: float(v)
            for c, v in zip(cats, np.bincount(idx, weights=w, minlength=len(cats)) / w.sum(), strict=True)
        }
        for variable, idx, _want, cats in margins
    }
    return RakeResult(w, iterations, converged, trimmed, change, achieved)


# --- design effect and estimates ------------------------------------------------------------------------


def kish_deff(weights: Sequence[float]) -> float:
    """Kish's design effect of unequal weighting: n·Σw²/(Σw)² (= 1 + CV² of the weights)."""
    w = np.asarray(weights, dtype=float)
    if w.size == 0 or w.sum() <= 0:
        raise PollError("no weights", field="weights")
    return float(w.size * np.sum(w * w) / w.sum() ** 2)


def effective_n(weights: Sequence[float]) -> float:
    """n_eff = n / deff = (Σw)²/Σw²."""
    w = np.asarray(weights, dtype=float)
    return float(w.size / kish_deff(w))


def scale_to_mean_one(weights: Sequence[float]) -> np.ndarray:
    w = np.asarray(weights, dtype=float)
    return w * (w.size / w.sum())


@dataclass
class Estimate:
    p: float  # the weighted proportion, 0–1
    n: int  # unweighted count of cases with the characteristic
    base: int  # unweighted cases in the base
    margin: float  # half-width of the CI, as a fraction
    low: float
    high: float


def weighted_proportion(
    y: Sequence[float],
    weights: Sequence[float],
    *,
    deff: float | None = None,
    confidence: float = 0.95,
) -> Estimate:
    """p_w = Σw·y/Σw and its normal-approximation CI with the design effect:
    p_w ± z·√(deff·p_w(1−p_w)/n) (deff defaults to Kish's of these weights). The bounds are clipped to
    [0, 1]."""
    yy = np.asarray(y, dtype=float)
    w = np.asarray(weights, dtype=float)
    if yy.size == 0:
        raise PollError("no cases in the base", field="question")
    if deff is None:
        deff = kish_deff(w)
    p = float(np.sum(w * yy) / np.sum(w))
    e = margin_of_error(yy.size, p=p, deff=deff, confidence=confidence)
    return Estimate(p, int(np.sum(yy > 0)), int(yy.size), e, max(0.0, p - e), min(1.0, p + e))


# --- AAPOR dispositions and outcome rates ---------------------------------------------------------------

GROUPS = ("I", "P", "R", "NC", "O", "UH", "UR", "UO", "NE")


def disposition_group(code) -> str:
    """The AAPOR group of a detailed final disposition code (Standard Definitions, 10th ed.):
    1.1 → I, 1.2 → P, 2.1x → R (refusal and break-off), 2.2x → NC, 2.3x → O, 3.1x → UH, 3.20 → UR
    (unknown if eligible respondent, new in the 10th ed.), other 3.x → UO, 4.x → NE. A group letter
    (I, P, R, NC, O, UH, UR, UO, NE) is accepted as it is."""
    text = str(code).strip().upper()
    if text in GROUPS:
        return text
    if text.endswith(".0") and text.count(".") == 1 and len(text) > 3:
        text = text[:-2]
    major, _dot, minor = text.partition(".")
    if not major.isdigit() or (minor and not minor.isdigit()) or not minor:
        raise PollError(
            f"{code} is not an AAPOR disposition code (e.g. 1.1, 2.11, 3.20, 4.10)", field="disposition"
        )
    first = minor[0]
    table = {
        ("1", "1"): "I",
        ("1", "2"): "P",
        ("2", "1"): "R",
        ("2", "2"): "NC",
        ("2", "3"): "O",
        ("3", "1"): "UH",
        ("3", "2"): "UR",
    }
    if (major, first) in table:
        return table[(major, first)]
    if major == "2" and first in "0456789":
        return "O"
    if major == "3":
        return "UO"
    if major == "4":
        return "NE"
    raise PollError(
        f"{code} is not an AAPOR disposition code (e.g. 1.1, 2.11, 3.20, 4.10)", field="disposition"
    )


def count_groups(codes: Sequence, weights: Sequence[float] | None = None) -> dict[str, float]:
    """Counts (or base-weighted sums: AAPOR weights rates by selection weights only) per group."""
    out = dict.fromkeys(GROUPS, 0.0)
    for i, code in enumerate(codes):
        out[disposition_group(code)] += 1.0 if weights is None else float(weights[i])
    return out


def eligibility_rate(counts: Mapping[str, float]) -> float:
    """e = (I+P+R+NC+O)/(I+P+R+NC+O+NE): the share of the cases of known eligibility that are eligible
    (outcomerate's `eligibility_rate`). With no case of known eligibility, 1."""
    c = {g: float(counts.get(g, 0)) for g in GROUPS}
    known = c["I"] + c["P"] + c["R"] + c["NC"] + c["O"]
    denominator = known + c["NE"]
    return known / denominator if denominator else 1.0


def _div(a: float, b: float) -> float | None:
    return a / b if b else None


def outcome_rates(
    counts: Mapping[str, float], *, e: float | Mapping[str, float] | None = None
) -> dict[str, float | None]:
    """RR1–RR6, COOP1–4, REF1–3, CON1–3 (AAPOR Standard Definitions, 10th ed.) and `e`.

    e: one estimate for all unknowns, or per unknown group {"UH": .4, "UR": .7, "UO": .2}; default the
    eligibility rate. A rate whose denominator is 0 is None."""
    c = {g: float(counts.get(g, 0)) for g in GROUPS}
    for g, v in c.items():
        if v < 0:
            raise PollError(f"the count of {g} is negative", field=g)
    if e is None:
        e = eligibility_rate(c)
    if isinstance(e, Mapping):
        e_by = {g: float(e.get(g, eligibility_rate(c))) for g in ("UH", "UR", "UO")}
        e_value: float | dict = dict(e_by)
    else:
        e_by = dict.fromkeys(("UH", "UR", "UO"), float(e))
        e_value = float(e)
    for g, v in e_by.items():
        if not 0 <= v <= 1:
            raise PollError(f"e for {g} must be between 0 and 1", field="e")
    ip = c["I"] + c["P"]
    known = ip + c["R"] + c["NC"] + c["O"]
    unknown = c["UH"] + c["UR"] + c["UO"]
    unknown_e = sum(e_by[g] * c[g] for g in ("UH", "UR", "UO"))
    contacted = ip + c["R"] + c["O"]
    return {
        "RR1": _div(c["I"], known + unknown),
        "RR2": _div(ip, known + unknown),
        "RR3": _div(c["I"], known + unknown_e),
        "RR4": _div(ip, known + unknown_e),
        "RR5": _div(c["I"], known),
        "RR6": _div(ip, known),
        "COOP1": _div(c["I"], contacted),
        "COOP2": _div(ip, contacted),
        "COOP3": _div(c["I"], ip + c["R"]),
        "COOP4": _div(ip, ip + c["R"]),
        "REF1": _div(c["R"], known + unknown),
        "REF2": _div(c["R"], known + unknown_e),
        "REF3": _div(c["R"], known),
        "CON1": _div(contacted, known + unknown),
        "CON2": _div(contacted, known + unknown_e),
        "CON3": _div(contacted, known),
        "e": e_value,
    }


# --- crosstabs: the Rao–Scott design-adjusted chi-square ---------------------------------------------------


@dataclass
class Crosstab:
    rows: list[str]
    columns: list[str]
    shares: np.ndarray  # weighted cell shares p_ij, summing to 1
    counts: np.ndarray  # unweighted cell counts
    pearson: float  # X² = n·Σ(p_ij − p_i·p_j)²/(p_i·p_j) on the weighted shares
    mean_deff: float  # δ̄, the mean generalised design effect
    statistic: float  # X²/δ̄
    df: int
    p_value: float


def _linearised_deff(y: np.ndarray, w: np.ndarray) -> float:
    """The design effect of a weighted proportion under with-replacement sampling of the cases
    (Taylor linearisation): Var = n/(n−1)·Σ(w_k(y_k − p)/Σw)² over p(1−p)/n."""
    n = y.size
    p = float(np.sum(w * y) / np.sum(w))
    if p <= 0 or p >= 1 or n < 2:
        return 0.0
    z = w * (y - p) / np.sum(w)
    var = n / (n - 1) * float(np.sum(z * z))
    return var / (p * (1 - p) / n)


def _linearised_deffs(index: np.ndarray, k: int, w: np.ndarray) -> np.ndarray:
    """`_linearised_deff` of the indicator of each of k categories at once (index: each case's
    category): with W_k = Σ_k w, S_k = Σ_k w², p_k = W_k/W, the with-replacement variance is
    n/(n−1)·(S_k(1−p_k)² + (S−S_k)p_k²)/W²; 0 where p_k is 0 or 1 (or n < 2)."""
    n = w.size
    big_w, big_s = float(w.sum()), float(np.sum(w * w))
    w_k = np.bincount(index, weights=w, minlength=k)
    s_k = np.bincount(index, weights=w * w, minlength=k)
    p = w_k / big_w
    out = np.zeros(k)
    ok = (p > 0) & (p < 1)
    if n < 2 or not ok.any():
        return out
    var = n / (n - 1) * (s_k[ok] * (1 - p[ok]) ** 2 + (big_s - s_k[ok]) * p[ok] ** 2) / big_w**2
    out[ok] = var / (p[ok] * (1 - p[ok]) / n)
    return out


def rao_scott(rows: Sequence, columns: Sequence, weights: Sequence[float]) -> Crosstab:
    """The first-order Rao–Scott correction of Pearson's chi-square test of independence for a weighted
    r×c table (Rao & Scott 1981, JASA 76: 221–230; 1984, Ann. Stat. 12: 46–60): X²_RS = X²/δ̄ on
    (r−1)(c−1) degrees of freedom, with
    (r−1)(c−1)·δ̄ = Σ_ij (p_ij/(p_i·p_j))(1−p_ij)·d_ij − Σ_i (1−p_i)·d_i − Σ_j (1−p_j)·d_j,
    the d's being the linearised design effects of the cell and margin proportions."""
    r_values = [str(v) for v in rows]
    c_values = [str(v) for v in columns]
    w = np.asarray(weights, dtype=float)
    n = w.size
    if not (len(r_values) == len(c_values) == n) or n < 2:
        raise PollError("a crosstab needs two columns and weights of the same length", field="crosstab")
    r_cats = sorted(set(r_values))
    c_cats = sorted(set(c_values))
    if len(r_cats) < 2 or len(c_cats) < 2:
        raise PollError("a crosstab needs at least two categories each way", field="crosstab")
    r_pos = {c: i for i, c in enumerate(r_cats)}
    c_pos = {c: j for j, c in enumerate(c_cats)}
    ri = np.fromiter((r_pos[v] for v in r_values), dtype=int, count=n)
    ci = np.fromiter((c_pos[v] for v in c_values), dtype=int, count=n)
    shares = np.zeros((len(r_cats), len(c_cats)))
    counts = np.zeros((len(r_cats), len(c_cats)), dtype=int)
    np.add.at(shares, (ri, ci), w)
    np.add.at(counts, (ri, ci), 1)
    shares /= shares.sum()
    pr, pc = shares.sum(axis=1), shares.sum(axis=0)
    expected = np.outer(pr, pc)
    pearson = float(n * np.sum((shares - expected) ** 2 / expected))
    df = (len(r_cats) - 1) * (len(c_cats) - 1)
    cells = _linearised_deffs(ri * len(c_cats) + ci, len(r_cats) * len(c_cats), w).reshape(shares.shape)
    total = float(np.sum(shares / expected * (1 - shares) * cells))
    total -= float(np.sum((1 - pr) * _linearised_deffs(ri, len(r_cats), w)))
    total -= float(np.sum((1 - pc) * _linearised_deffs(ci, len(c_cats), w)))
    mean_deff = total / df
    if not mean_deff > 0:
        mean_deff = 1.0
    statistic = pearson / mean_deff
    from scipy.stats import chi2

    return Crosstab(
        r_cats, c_cats, shares, counts, pearson, mean_deff, statistic, df, float(chi2.sf(statistic, df))
    )


# --- waves: the difference of two independent weighted proportions -------------------------------------


@dataclass
class Difference:
    difference: float  # p1 − p2, as a fraction
    standard_error: float  # √(deff1·p1(1−p1)/n1 + deff2·p2(1−p2)/n2)
    z: float | None  # None when the standard error is 0 (both proportions 0 or both 1)
    p_value: float | None  # two-sided
    significant: bool  # |z| ≥ the quantile of `confidence`


def proportion_difference(
    p1: float,
    n1: float,
    p2: float,
    n2: float,
    *,
    deff1: float = 1.0,
    deff2: float = 1.0,
    confidence: float = 0.95,
) -> Difference:
    """The test of the difference between two independent weighted proportions (two waves of a poll),
    each variance inflated by its Kish design effect (Kish 1965 §14.1; the unpooled two-sample z test):
    z = (p1 − p2)/√(deff1·p1(1−p1)/n1 + deff2·p2(1−p2)/n2), significant at `confidence` when
    |z| ≥ z_(1−α/2) (1.959964 at 95 %). The n's are the unweighted bases of the question in each wave."""
    for name, p in (("p1", p1), ("p2", p2)):
        if not 0 <= p <= 1:
            raise PollError(f"{name} must be a proportion between 0 and 1", field=name)
    for name, n in (("n1", n1), ("n2", n2)):
        if not n > 0:
            raise PollError(f"{name} must be greater than 0", field=name)
    for name, d in (("deff1", deff1), ("deff2", deff2)):
        if not d > 0:
            raise PollError(f"{name} must be greater than 0", field=name)
    se = math.sqrt(deff1 * p1 * (1 - p1) / n1 + deff2 * p2 * (1 - p2) / n2)
    diff = p1 - p2
    if se == 0:
        return Difference(diff, 0.0, None, None, False)
    z = diff / se
    from scipy.stats import norm

    p_value = float(2 * norm.sf(abs(z)))
    return Difference(diff, se, z, p_value, abs(z) >= z_for_confidence(confidence) - 1e-12)
