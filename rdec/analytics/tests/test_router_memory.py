"""The broad router's memory: the nearest training FAQ questions' agencies blended into the suggestions."""

import pickle

import numpy as np
import pytest

from rdec.analytics import routing
from rdec.analytics.tests.test_router_broad import small_corpus

AGENCY_OF = {"light-out": "construction", "garbage": "environment"}


@pytest.fixture(scope="module")
def router():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model, _metrics = routing.train_broad(small_corpus(), AGENCY_OF, vocabulary_prior=False)
    return model


def test_the_memory_holds_the_train_splits_faq_questions_only(router):
    features, agencies = router.memory
    faq_train = [t for t in small_corpus() if t.source == "faq" and t.split == "train"]
    assert features.shape[0] == len(agencies) == len(faq_train)
    assert set(agencies) == {"tax", "labor"}


def test_the_nearest_questions_give_shares_of_their_agencies(router):
    shares = router.neighbours(["地價稅如何計算？", "巷口路燈不亮"])
    assert shares[0] and max(shares[0], key=shares[0].get) == "tax"
    assert sum(shares[0].values()) == pytest.approx(1.0)
    assert all(0 <= s <= 1 for s in shares[1].values())


def test_an_agencys_score_blends_the_classifier_and_the_memory(router):
    text = "房屋稅怎麼繳？"
    by_agency: dict[str, float] = {}
    for p, label in zip(router.probabilities([text])[0], router.pipeline.classes_, strict=True):
        agency = router.agency_for(label)
        by_agency[agency] = by_agency.get(agency, 0.0) + float(p)
    shares = router.neighbours([text])[0]
    expected = {
        a: (1 - routing.MEMORY_WEIGHT) * s + routing.MEMORY_WEIGHT * shares.get(a, 0.0)
        for a, s in by_agency.items()
    }
    got = router.suggest(text, top=3)
    assert got[0].agency == "tax"
    for s in got:
        assert s.score == pytest.approx(expected[s.agency], abs=1e-4)


def test_a_router_without_memory_suggests_from_the_classifier_alone(router):
    plain = routing.Router(router.pipeline, router.agency_of, router.calibration)
    old = routing.Router(router.pipeline, router.agency_of, router.calibration)
    del old.__dict__["memory"]  # a model file written before the memory
    text = "加班費怎麼算？"
    p = router.probabilities([text])[0]
    total = sum(
        float(q)
        for q, label in zip(p, router.pipeline.classes_, strict=True)
        if router.agency_for(label) == "labor"
    )
    assert plain.suggest(text)[0].score == old.suggest(text)[0].score == pytest.approx(total, abs=1e-4)


def test_the_memory_cache_is_not_written_to_the_model_file(router):
    before = router.suggest_many(["地價稅減免申請", "勞資爭議調解申請"])
    assert "_memory" in router.__dict__
    again = pickle.loads(pickle.dumps(router))  # noqa: S301 (our own bytes)
    assert "_memory" not in again.__dict__ and again.memory is not None
    after = again.suggest_many(["地價稅減免申請", "勞資爭議調解申請"])
    assert [[(s.agency, s.score) for s in x] for x in before] == [
        [(s.agency, s.score) for s in x] for x in after
    ]
    assert np.isclose(before[0][0].confidence, after[0][0].confidence)
