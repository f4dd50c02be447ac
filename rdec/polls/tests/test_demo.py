"""The demo's two waves of 臺中市市政滿意度調查 (issue 19 item 7): published, ≥ 1,068 completes each
with the AAPOR non-interviews, and a non-response bias the weighting visibly corrects."""

from collections import Counter

import pytest

from rdec.core.demo import ensure_demo_accounts
from rdec.polls import demo, selectors
from rdec.polls.models import Survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    ensure_demo_accounts()
    assert demo.seed() == 2
    assert demo.seed() == 0  # a second start reuses them
    return list(Survey.objects.filter(series=demo.SERIES).order_by("wave"))


def _shares(cases, variable, weighted):
    totals = Counter()
    for case in cases:
        totals[case.value(variable)] += case.weight if weighted else 1.0
    whole = sum(totals.values())
    return {k: v / whole for k, v in totals.items()}


def test_two_published_waves_with_their_dispositions(seeded):
    first, second = seeded
    assert [s.wave for s in seeded] == [1, 2]
    for survey in seeded:
        assert survey.is_published and not survey.missing_disclosure()
        counts = selectors.disposition_counts(survey)
        assert counts["I"] >= 1068
        assert all(counts[g] > 0 for g in ("P", "R", "NC", "O", "UH", "UR", "UO", "NE"))
        rates = selectors.response_rates(survey)
        assert 0.2 < rates["RR3"] < 0.45  # a Taiwanese CATI poll's order of magnitude
        run = selectors.latest_run(survey)
        assert run.converged and 1.05 < run.deff < 2.0
        assert {t.variable for t in survey.targets.all()} == {"sex", "age_band", "district"}
        assert all(t.vintage == "115/09" and t.source for t in survey.targets.all())
    assert first.field_end < second.field_start


def test_the_weighting_corrects_the_non_response_bias(seeded):
    for survey in seeded:
        completes = list(survey.cases.filter(outcome="I"))
        targets = {(t.variable, t.category): t.share for t in survey.targets.all()}
        for (variable, category), target in targets.items():
            assert _shares(completes, variable, weighted=True)[category] == pytest.approx(target, abs=1e-6)
        # the sample's age distribution is off by more than 15 points in all (sum of |share − target|)
        raw = _shares(completes, "age_band", weighted=False)
        assert sum(abs(raw[band] - targets[("age_band", band)]) for band in demo.AGE_BANDS) > 0.15
        # the old are over-represented, the young and 和平區 under-covered
        assert _shares(completes, "age_band", False)["65+"] > targets[("age_band", "65+")] + 0.05
        assert _shares(completes, "age_band", False)["18-24"] < 0.75 * targets[("age_band", "18-24")]
        assert _shares(completes, "sex", False)["女"] > targets[("sex", "女")] + 0.03
        assert _shares(completes, "district", False)["和平區"] < 0.7 * targets[("district", "和平區")]


def test_filtered_questions_and_the_wave_comparison(seeded):
    first, second = seeded
    q4 = second.questions.get(code="Q4")
    result = selectors.question_results(second, q4)
    assert result["base"] and result["n"] < 700  # only the bus riders
    q9 = selectors.question_results(second, second.questions.get(code="Q9"))
    assert q9["missing"] >= 0 and q9["n"] < 300
    officer = None  # the public: both waves are published
    from django.contrib.auth.models import AnonymousUser

    officer = AnonymousUser()
    q6 = selectors.wave_comparison(second, second.questions.get(code="Q6"), user=officer)
    assert [w["wave"] for w in q6["waves"]] == [1, 2]
    assert q6["waves"][0]["changes"] == ["wording"]
    q2 = selectors.wave_comparison(second, second.questions.get(code="Q2"), user=officer)
    before = q2["waves"][0]
    assert before["comparable"]
    assert all(o["z"] is not None for o in before["options"])


def test_the_demo_is_the_same_at_every_start():
    assert demo.fieldwork_csv(0) == demo.fieldwork_csv(0)
    assert demo.fieldwork_csv(0) != demo.fieldwork_csv(1)
