"""The router's agency figures at first level: every agency, the label and the suggestions alike, folded to
its first-level ancestor by the agency tree (rdec/core/data/taichung-agencies.json), as issue 15's floors are
stated against the city's first-level agencies."""

from __future__ import annotations

from rdec.analytics import routing

TREE = [
    {"code": "city", "parent": None},
    {"code": "transportation", "parent": "city"},
    {"code": "labor", "parent": "city"},
    {"code": "tax", "parent": "city"},
    {"code": "parking", "parent": "transportation"},
    {"code": "traffic-adjudication", "parent": "transportation"},
    {"code": "labor-inspection", "parent": "labor"},
    {"code": "labor-inspection-east", "parent": "labor-inspection"},  # a third level folds to the first
]


def test_the_shipped_tree_folds_second_level_agencies_into_their_parent():
    first = routing.first_level_of()
    assert first["parking"] == first["traffic-adjudication"] == "transportation"
    assert first["labor-inspection"] == "labor" and first["animal-protection"] == "agriculture"
    assert first["household-registration"] == "civil-affairs" and first["land-offices"] == "land"
    assert first["labor"] == "labor" and first["mrt"] == "mrt"  # first-level agencies are their own
    assert first["city"] == "city"
    assert routing.fold("not-an-agency") == "not-an-agency"
    # district offices' parent is the city: they are not folded into anything
    assert first["district-office-66000010"] == "district-office-66000010"


def test_a_childs_suggestion_is_right_at_first_level_for_its_parents_label_and_vice_versa():
    tree = routing.first_level_of(TREE)
    assert tree["labor-inspection-east"] == "labor"
    ranked = [
        ["parking", "tax", "labor"],  # label transportation: its child first → right
        ["labor", "tax", "parking"],  # label labor-inspection: its parent first → right
        ["traffic-adjudication", "tax", "labor"],  # label parking: a sibling under transportation → right
        ["labor-inspection", "tax", "transportation"],  # label parking: another first-level agency's child
        ["tax", "labor", "transportation"],  # label labor-inspection-east: the ancestor second → top-3 only
        ["tax", "transportation", "parking"],  # label labor: no suggestion under labor
    ]
    labels = ["transportation", "labor-inspection", "parking", "parking", "labor-inspection-east", "labor"]
    figures = routing.first_level_figures(ranked, labels, tree)
    assert figures["right"] == [True, True, True, False, False, False]
    assert figures["agency_top1"] == 3 / 6
    assert figures["agency_top3"] == 5 / 6  # the fourth has transportation third; the last has none
    assert figures["confusion"] == {
        "transportation": {"transportation": 2, "labor": 1},
        "labor": {"labor": 1, "tax": 2},
    }
    assert figures["per_agency"]["transportation"] == {"support": 3, "precision": 2 / 2, "recall": 2 / 3}
    assert figures["per_agency"]["labor"] == {"support": 3, "precision": 1 / 2, "recall": 1 / 3}
    assert figures["per_agency"]["tax"] == {"support": 0, "precision": 0.0, "recall": None}
    # as labelled, only an exact agency counts
    assert sum(r[0] == label for r, label in zip(ranked, labels, strict=True)) == 0


class FakeRouter:
    """suggest_many() from a fixed table {text: [agency, …]}."""

    def __init__(self, table: dict[str, list[str]]):
        self.table = table

    def suggest_many(self, texts, top=3):
        return [
            [
                routing.Suggestion(a, "", 0.5, 0.95 if i == 0 else None)
                for i, a in enumerate(self.table[t][:top])
            ]
            for t in texts
        ]


def test_measure_and_the_stored_summary_carry_both_levels():
    router = FakeRouter(
        {"停車費": ["parking", "tax"], "加班費": ["labor", "tax"], "地價稅": ["labor", "tax"]}
    )
    texts, labels = ["停車費", "加班費", "地價稅"], ["transportation", "labor-inspection", "tax"]
    m = routing.measure(router, texts, labels)
    assert m["agency_top1"] == 0 and m["agency_top3"] == 1 / 3  # as labelled: only 地價稅's second
    first = m["first_level"]
    assert first["agency_top1"] == 2 / 3 and first["agency_top3"] == 1.0
    assert first["per_agency"]["transportation"]["recall"] == 1.0
    metrics = {
        "trained_on": 1,
        "calibrated_on": 1,
        "tested_on": 3,
        "seconds": 0,
        "sources": {"faq": m},
        "all": m,
    }
    kept = routing.summary(metrics, thresholds=(0.9,))["sources"]["faq"]
    assert kept["agency_top1"] == 0 and kept["first_level"]["agency_top1"] == 2 / 3
    assert kept["abstention"][0]["precision"] == 0.0
    assert kept["first_level"]["abstention"][0] == {"threshold": 0.9, "coverage": 1.0, "precision": 2 / 3}
    assert "right" not in kept["first_level"]  # no per-text data kept with the model
    assert routing.first_level_summary(kept) is kept["first_level"]


def test_an_evaluation_kept_before_the_first_level_figures_gets_them_from_its_confusion():
    old = {"confusion": {"transportation": {"parking": 2, "tax": 1}, "labor-inspection": {"labor": 1}}}
    first = routing.first_level_summary(old)
    assert first["agency_top1"] == 3 / 4 and first["agency_top3"] is None and first["abstention"] == []
    assert first["confusion"] == {"transportation": {"transportation": 2, "tax": 1}, "labor": {"labor": 1}}
