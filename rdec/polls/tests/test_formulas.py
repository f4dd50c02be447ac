"""The research brief's §3.7 numbers, exactly (to 1e-6), and the formulas' refusals and properties."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rdec.polls import formulas as f
from rdec.polls.population import district_populations

TOL = 1e-6


# --- §3.7.1 sample sizes and margins -------------------------------------------------------------------


def test_three_points_at_95_percent_needs_1068():
    assert f.sample_size_unrounded(0.03) == pytest.approx(1067.0718, abs=1e-4)
    assert f.sample_size(0.03) == 1068


def test_finite_population_correction_is_negligible_for_a_city():
    assert f.sample_size_unrounded(0.03, population=2_300_000) == pytest.approx(1066.6, abs=0.05)
    assert f.sample_size(0.03, population=2_300_000) == 1067


@pytest.mark.parametrize(("n", "percent"), [(1068, 2.999), (1072, 2.993), (1213, 2.814), (854, 3.353)])
def test_maximum_margin_of_error(n, percent):
    assert round(f.margin_of_error(n) * 100, 3) == percent


def test_margin_with_design_effect_equals_margin_at_effective_n():
    assert f.margin_of_error(1068, deff=1068 / 854) == pytest.approx(f.margin_of_error(854), abs=1e-12)


# --- §3.7.2 raking, 10 respondents ---------------------------------------------------------------------

TEN = {
    "sex": ["M"] * 5 + ["F"] * 5,
    "age": ["young", "young", "old", "old", "old", "young", "young", "young", "young", "old"],
}
TEN_TARGETS = {"sex": {"M": 0.48, "F": 0.52}, "age": {"young": 0.40, "old": 0.60}}
TEN_WEIGHTS = [0.464911] * 2 + [1.290059] * 3 + [0.767544] * 4 + [2.129822]


def test_raking_ten_respondents_gives_the_published_weights():
    result = f.rake(TEN, TEN_TARGETS)
    assert result.converged
    assert result.weights.sum() == pytest.approx(10, abs=1e-9)
    assert result.weights == pytest.approx(TEN_WEIGHTS, abs=TOL)
    assert f.kish_deff(result.weights) == pytest.approx(1.231768, abs=TOL)
    assert f.effective_n(result.weights) == pytest.approx(8.118409, abs=TOL)


def test_raking_matches_weightipy():
    import weightipy as wp

    df = pd.DataFrame(TEN)
    df["sex"] = df["sex"].map({"M": 1, "F": 2})
    df["age"] = df["age"].map({"young": 1, "old": 2})
    scheme = wp.scheme_from_dict({"sex": {1: 48.0, 2: 52.0}, "age": {1: 40.0, 2: 60.0}})
    oracle = wp.weight_dataframe(df, scheme, weight_column="w")["w"].to_numpy()
    ours = f.rake(TEN, TEN_TARGETS).weights
    # weightipy scales to mean 1; ours keeps the total (10 cases: the same numbers)
    assert ours == pytest.approx(oracle * len(ours) / oracle.sum(), abs=1e-9)


# --- §3.7.3 raking, 12 respondents, 3 margins; a weighted estimate -------------------------------------

TWELVE_ROWS = [
    ("M", "20-39", "city"),
    ("M", "20-39", "other"),
    ("M", "40-59", "city"),
    ("M", "60+", "other"),
    ("M", "60+", "other"),
    ("F", "20-39", "city"),
    ("F", "40-59", "city"),
    ("F", "40-59", "other"),
    ("F", "40-59", "other"),
    ("F", "60+", "city"),
    ("F", "60+", "other"),
    ("F", "60+", "other"),
]
TWELVE = {
    "sex": [r[0] for r in TWELVE_ROWS],
    "age": [r[1] for r in TWELVE_ROWS],
    "region": [r[2] for r in TWELVE_ROWS],
}
TWELVE_TARGETS = {
    "sex": {"M": 0.49, "F": 0.51},
    "age": {"20-39": 0.34, "40-59": 0.36, "60+": 0.30},
    "region": {"city": 0.43, "other": 0.57},
}
TWELVE_WEIGHTS = [
    1.379009,
    1.615608,
    1.189655,
    0.847864,
    0.847864,
    1.085384,
    0.936348,
    1.096999,
    1.096999,
    0.569605,
    0.667333,
    0.667333,
]
Y = [1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0]


def test_raking_twelve_respondents_three_margins():
    result = f.rake(TWELVE, TWELVE_TARGETS)
    assert result.converged
    assert result.weights.mean() == pytest.approx(1, abs=1e-12)
    assert result.weights == pytest.approx(TWELVE_WEIGHTS, abs=TOL)
    assert f.kish_deff(result.weights) == pytest.approx(1.086801, abs=TOL)
    for variable, shares in TWELVE_TARGETS.items():
        assert result.margins[variable] == pytest.approx(shares, abs=1e-9)


def test_weighted_estimate_and_its_margin_with_the_design_effect():
    weights = f.rake(TWELVE, TWELVE_TARGETS).weights
    assert np.mean(Y) == 0.5
    estimate = f.weighted_proportion(Y, weights)
    assert estimate.p == pytest.approx(0.521417, abs=TOL)
    # the brief's "±29.47 points" is 29.4648 rounded twice (29.465 → 29.47); the exact value:
    assert estimate.margin * 100 == pytest.approx(29.464817, abs=TOL)
    assert abs(estimate.margin * 100 - 29.47) < 0.01
    assert estimate.margin == pytest.approx(
        f.Z95 * np.sqrt(1.086801 * 0.521417 * (1 - 0.521417) / 12), abs=TOL
    )


# --- §3.7.7 refusals -----------------------------------------------------------------------------------


def test_an_empty_target_category_is_an_error_naming_the_cell_never_nan():
    data = {"sex": ["M", "M", "F"], "age": ["young", "young", "young"]}
    with pytest.raises(f.PollError) as caught:
        f.rake(data, TEN_TARGETS)
    assert caught.value.field == "age"
    assert caught.value.category == "old"
    assert "age=old" in caught.value.message


def test_targets_not_summing_to_one_are_refused():
    with pytest.raises(f.PollError) as caught:
        f.rake(TEN, {"sex": {"M": 0.48, "F": 0.50}})
    assert caught.value.field == "sex"
    assert "0.9800" in caught.value.message


def test_targets_within_a_thousandth_pass_and_normalise_is_explicit():
    f.rake(TEN, {"sex": {"M": 0.4805, "F": 0.52}})
    result = f.rake(TEN, {"sex": {"M": 48, "F": 52}}, normalise=True)
    assert result.margins["sex"]["M"] == pytest.approx(0.48, abs=1e-9)


def test_a_case_whose_category_has_no_target_is_named():
    with pytest.raises(f.PollError) as caught:
        f.rake({"sex": ["M", "F", "X"]}, {"sex": {"M": 0.5, "F": 0.5}})
    assert caught.value.category == "X"


def test_trimming_keeps_weights_within_bounds_and_re_rakes():
    result = f.rake(TEN, TEN_TARGETS, trim=(0.3, 2.05))
    assert result.converged
    assert result.weights.max() == pytest.approx(2.05, abs=1e-9)  # F-old, 2.129822 untrimmed
    assert result.weights.min() >= 0.3 - 1e-9
    assert result.trimmed == 1
    for variable, shares in TEN_TARGETS.items():
        assert result.margins[variable] == pytest.approx(shares, abs=1e-7)


def test_bounds_that_cannot_hold_with_the_margins_end_not_converged():
    # F-old ≤ 2 forces M-old ≥ 4/3, hence M-young ≤ 0.4 < 0.5
    result = f.rake(TEN, TEN_TARGETS, trim=(0.5, 2.0), max_iter=200)
    assert not result.converged
    assert np.all(np.isfinite(result.weights))


def test_raking_stops_at_max_iter_and_says_so():
    result = f.rake(TWELVE, TWELVE_TARGETS, max_iter=2)
    assert not result.converged
    assert result.iterations == 2


# --- §3.7.4 and 3.7.5 AAPOR outcome rates --------------------------------------------------------------

EXAMPLE = ["I", "P", "I", "NC", "UH", "I", "R", "NE", "UR", "UO", "I", "O", "P", "I"]


def test_outcomerate_example_counts_and_e():
    counts = f.count_groups(EXAMPLE)
    assert counts == {"I": 5, "P": 2, "R": 1, "NC": 1, "O": 1, "UH": 1, "UR": 1, "UO": 1, "NE": 1}
    assert f.eligibility_rate(counts) == pytest.approx(10 / 11, abs=1e-12)


@pytest.mark.parametrize(
    ("rate", "value"),
    [
        ("RR1", 0.384615),
        ("RR2", 0.538462),
        ("RR3", 0.392857),
        ("RR4", 0.550000),
        ("RR5", 0.500000),
        ("RR6", 0.700000),
        ("COOP1", 0.555556),
        ("COOP2", 0.777778),
        ("COOP3", 0.625),
        ("COOP4", 0.875),
        ("REF1", 0.076923),
        ("REF2", 0.078571),
        ("REF3", 0.100),
        ("CON1", 0.692308),
        ("CON2", 0.707143),
        ("CON3", 0.900),
    ],
)
def test_every_aapor_rate_of_the_worked_example(rate, value):
    rates = f.outcome_rates(f.count_groups(EXAMPLE))
    assert rates[rate] == pytest.approx(value, abs=TOL)


def test_category_specific_e():
    rates = f.outcome_rates(f.count_groups(EXAMPLE), e={"UH": 0.4, "UR": 0.7, "UO": 0.2})
    assert rates["RR3"] == pytest.approx(0.442478, abs=TOL)
    assert rates["REF2"] == pytest.approx(0.088496, abs=TOL)
    assert rates["CON2"] == pytest.approx(0.796460, abs=TOL)


def test_counts_without_unknowns():
    rates = f.outcome_rates({"I": 6, "P": 2, "NC": 3, "R": 1})
    assert rates["RR1"] == pytest.approx(0.5, abs=TOL)
    assert rates["COOP1"] == pytest.approx(0.666667, abs=TOL)


def test_hkupop_effective_response_rate():
    rates = f.outcome_rates({"I": 513, "R": 20, "NC": 7, "UO": 302}, e=540 / 1045)
    assert round(rates["RR3"], 3) == 0.737


@pytest.mark.parametrize(
    ("code", "group"),
    [
        ("1.1", "I"),
        ("1.2", "P"),
        ("2.10", "R"),
        ("2.11", "R"),
        ("2.112", "R"),
        ("2.20", "NC"),
        ("2.21", "NC"),
        ("2.30", "O"),
        ("2.33", "O"),
        ("3.10", "UH"),
        ("3.11", "UH"),
        ("3.20", "UR"),
        ("3.21", "UR"),
        ("3.90", "UO"),
        ("4.10", "NE"),
        ("4.70", "NE"),
        (1.1, "I"),
        (2.2, "NC"),
        ("NE", "NE"),
    ],
)
def test_detailed_disposition_codes_map_up(code, group):
    assert f.disposition_group(code) == group


@pytest.mark.parametrize("code", ["5.1", "x", "", "2"])
def test_unknown_disposition_codes_are_refused(code):
    with pytest.raises(f.PollError):
        f.disposition_group(code)


# --- §3.7.6 allocation of 1,068 across the 29 districts ------------------------------------------------

ALLOCATION = {
    "北屯區": 119,
    "西屯區": 89,
    "大里區": 78,
    "太平區": 75,
    "南屯區": 69,
    "豐原區": 60,
    "北區": 53,
    "南區": 48,
    "西區": 42,
    "潭子區": 41,
    "沙鹿區": 38,
    "大雅區": 35,
    "清水區": 34,
    "烏日區": 31,
    "龍井區": 30,
    "東區": 29,
    "大甲區": 27,
    "梧棲區": 25,
    "神岡區": 24,
    "霧峰區": 23,
    "后里區": 20,
    "大肚區": 20,
    "東勢區": 17,
    "外埔區": 11,
    "新社區": 8,
    "中區": 7,
    "大安區": 6,
    "石岡區": 5,
    "和平區": 4,
}


def test_allocation_of_1068_across_the_29_districts():
    pops = district_populations()
    assert len(pops) == 29
    assert sum(pops.values()) == 2_866_367
    seats = f.allocate(pops, 1068)
    assert seats == ALLOCATION
    assert sum(seats.values()) == 1068
    by_remainder = sum(seats[k] - int(1068 * v / sum(pops.values())) for k, v in pops.items())
    assert by_remainder == 16


def test_allocation_floor_lifts_small_districts_and_keeps_the_total():
    seats = f.allocate(district_populations(), 1068, floor=10)
    assert min(seats.values()) == 10
    assert sum(seats.values()) == 1068
    assert seats["和平區"] == 10
    assert seats["北屯區"] < 119


def test_allocation_merge_joins_small_districts():
    seats = f.allocate(district_populations(), 1068, merge={"和平區": "東勢區", "石岡區": "東勢區"})
    assert "和平區" not in seats
    assert seats["東勢區"] == 26
    assert sum(seats.values()) == 1068


def test_design_weights_are_population_share_over_sample_share():
    weights = f.design_weights({"A": 0.5, "B": 0.5}, {"A": 30, "B": 10})
    assert weights == pytest.approx({"A": 0.5 / 0.75, "B": 0.5 / 0.25})


# --- properties ----------------------------------------------------------------------------------------


@st.composite
def samples(draw):
    n = draw(st.integers(min_value=6, max_value=60))
    sex = draw(st.lists(st.sampled_from("MF"), min_size=n, max_size=n))
    age = draw(st.lists(st.sampled_from("abc"), min_size=n, max_size=n))
    # every sex × age cell has a respondent, so the margins can always be met
    sex[:6] = ["M", "M", "M", "F", "F", "F"]
    age[:6] = ["a", "b", "c", "a", "b", "c"]
    m = draw(st.floats(min_value=0.2, max_value=0.8))
    a = draw(st.floats(min_value=0.1, max_value=0.5))
    b = draw(st.floats(min_value=0.1, max_value=0.4))
    base = draw(st.lists(st.floats(min_value=0.2, max_value=5), min_size=n, max_size=n))
    targets = {"sex": {"M": m, "F": 1 - m}, "age": {"a": a, "b": b, "c": 1 - a - b}}
    return {"sex": sex, "age": age}, targets, base


@settings(max_examples=60, deadline=None)
@given(samples())
def test_raked_margins_match_targets_and_weights_are_positive(sample):
    data, targets, base = sample
    result = f.rake(data, targets, base_weights=base, max_iter=5000)
    assert np.all(result.weights > 0)
    assert np.all(np.isfinite(result.weights))
    assert result.weights.sum() == pytest.approx(sum(base), rel=1e-9)
    assert result.converged
    for variable, shares in targets.items():
        for category, share in shares.items():
            assert result.margins[variable][category] == pytest.approx(share, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=3), st.integers(min_value=0, max_value=10**6), min_size=1),
    st.integers(min_value=0, max_value=5000),
)
def test_allocation_sums_to_n(pops, n):
    if n and not sum(pops.values()):
        with pytest.raises(f.PollError):
            f.allocate(pops, n)
        return
    seats = f.allocate(pops, n)
    assert sum(seats.values()) == n
    assert all(s >= 0 for s in seats.values())
    total = sum(pops.values())
    if total:
        for k, v in pops.items():
            assert abs(seats[k] - n * v / total) < 1 + 1e-9


# --- Rao–Scott ---------------------------------------------------------------------------------------------


def test_rao_scott_with_equal_weights_is_pearson_on_the_counts():
    from scipy.stats import chi2_contingency

    rows = ["M"] * 30 + ["F"] * 40
    columns = ["yes"] * 20 + ["no"] * 10 + ["yes"] * 15 + ["no"] * 25
    table = f.rao_scott(rows, columns, [1.0] * 70)
    pearson = chi2_contingency([[10, 20], [25, 15]], correction=False)[0]  # rows F, M; columns no, yes
    assert table.pearson == pytest.approx(pearson, rel=1e-12)
    assert table.counts.tolist() == [[25, 15], [10, 20]]
    assert table.df == 1


def test_rao_scott_under_exact_independence_has_the_with_replacement_deff():
    rows = ["a"] * 20 + ["b"] * 20
    columns = (["x"] * 10 + ["y"] * 10) * 2
    table = f.rao_scott(rows, columns, [1.0] * 40)
    assert table.pearson == pytest.approx(0, abs=1e-12)
    assert table.mean_deff == pytest.approx(40 / 39, rel=1e-12)
    assert table.p_value == pytest.approx(1.0)


def test_rao_scott_unequal_weights_deflate_the_statistic():
    rng = np.random.default_rng(3)
    rows = rng.choice(["a", "b"], 400).tolist()
    columns = [("x" if rng.random() < (0.6 if r == "a" else 0.4) else "y") for r in rows]
    weights = rng.lognormal(0, 0.8, 400)
    table = f.rao_scott(rows, columns, weights)
    assert table.mean_deff > 1.2  # unequal weights: a design effect well above 1
    assert table.statistic == pytest.approx(table.pearson / table.mean_deff)
    same = f.rao_scott(rows, columns, weights * 7.5)  # the scale of the weights does not matter
    assert same.statistic == pytest.approx(table.statistic, rel=1e-9)


# --- waves: two independent weighted proportions ---------------------------------------------------------


def test_wave_difference_by_hand_without_design_effects():
    # 50 % of 100 vs 40 % of 100: se = √(.25/100 + .24/100) = √.0049 = .07, z = .10/.07 = 1.428571
    d = f.proportion_difference(0.5, 100, 0.4, 100)
    assert d.difference == pytest.approx(0.10, abs=1e-12)
    assert d.standard_error == pytest.approx(0.07, abs=1e-12)
    assert d.z == pytest.approx(10 / 7, abs=1e-9)
    assert not d.significant


def test_wave_difference_with_design_effects_not_significant():
    # 62 % (n 1,068, deff 1.25) vs 58 % (n 1,075, deff 1.30):
    # 1.25·.62·.38/1068 = .2945/1068 = .000275749; 1.30·.58·.42/1075 = .31668/1075 = .000294586;
    # se = √.000570335 = .0238817, z = .04/.0238817 = 1.674923 < 1.959964
    d = f.proportion_difference(0.62, 1068, 0.58, 1075, deff1=1.25, deff2=1.30)
    assert d.standard_error == pytest.approx(0.0238817, abs=1e-7)
    assert d.z == pytest.approx(1.674923, abs=1e-6)
    assert d.p_value == pytest.approx(0.093949, abs=1e-6)
    assert not d.significant


def test_wave_difference_with_design_effects_significant():
    # 62 % vs 55 %: 1.30·.55·.45/1075 = .32175/1075 = .000299302; se = √.000575051 = .0239802,
    # z = .07/.0239802 = 2.919071 ≥ 1.959964; the same difference without deffs gives a larger z
    d = f.proportion_difference(0.62, 1068, 0.55, 1075, deff1=1.25, deff2=1.30)
    assert d.standard_error == pytest.approx(0.0239802, abs=1e-7)
    assert d.z == pytest.approx(2.919071, abs=1e-6)
    assert d.significant
    assert f.proportion_difference(0.62, 1068, 0.55, 1075).z > d.z


def test_wave_difference_of_two_certainties_has_no_z():
    d = f.proportion_difference(1.0, 50, 1.0, 60)
    assert d.z is None and d.p_value is None and not d.significant


@pytest.mark.parametrize(
    "args", [(1.2, 10, 0.5, 10), (0.5, 0, 0.5, 10), (0.5, 10, -0.1, 10)], ids=["p>1", "n=0", "p<0"]
)
def test_wave_difference_refuses_bad_input(args):
    with pytest.raises(f.PollError):
        f.proportion_difference(*args)
