"""The case router: from a petition's text (and place), the likely category and agency.

Character 1–3-gram TF-IDF (Chinese needs no word segmentation for this: the n-grams carry 路燈,
坑洞, 違停...) feeding a linear classifier with logistic loss (scikit-learn's SGDClassifier), which
gives a probability per category. A category's agency is its routing agency; an agency's score is
the sum of its categories' probabilities, and each suggestion names the agency's likeliest
category. Trained on closed cases plus the everyday vocabulary of each category
(data/vocabulary.json), so words that past cases seldom used are known too. A broad router
(train_broad) also remembers its training FAQ questions: the agencies of the nearest ones are
blended into each agency's score (see MEMORY_WEIGHT).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"
VOCABULARY_REPEAT = 3  # each vocabulary phrase counts as this many training texts…
VOCABULARY_PER = 30_000  # …times one more for every this many cases, so it is not drowned out
LARGE = 100_000  # from this many training texts on, SGD stops after 2 epochs without gain
# train_broad: how much one text of each source counts (its sample weight). The FAQ questions are the only
# texts about the whole city's business and are outnumbered about six to one by 1999 dispatch texts. Chosen
# on validation only (three groups of FAQ near-duplicates taken out of the train and calibrate splits in turn,
# the Kaohsiung calibrate month): counted 3 times, FAQ top-1 +1.0 point (+0.8 with the service catalogue's
# prior), top-3 +0.3 (+0.5), the dispatch texts unchanged; 2 and 5 were no better, nor were jieba words beside
# the character n-grams, 1–4-grams, min_df 1, other alphas, balanced classes or the vocabulary counted 0.5.
SOURCE_WEIGHT = {"faq": 3.0}
VOCABULARY_WEIGHT = 1.0  # train_broad: the sample weight of each repeated vocabulary phrase
# train_broad: the broad texts' memory. Beside the classifier, each suggestion looks at the MEMORY_K training FAQ
# questions nearest to the text (cosine of the topical vectors, see Router.vectors) and gives each agency the share
# of their similarity that its questions carry; an agency's score is (1 − MEMORY_WEIGHT) × its classifier
# probability + MEMORY_WEIGHT × that share. Chosen on validation only (grouped 4-fold cross-validation inside the
# FAQ train split, 4,827 questions, and the FAQ calibrate split, 649): FAQ agency top-1 at first level +0.8 point
# (cross-validation) and +1.7 (calibrate), top-3 +0.5 and ±0; the Kaohsiung calibrate month's top-1 −0.15 point
# (97.75 %). k 10, weights 0.1–0.4 and all training texts as the memory were no better.
MEMORY_SOURCES = ("faq",)
MEMORY_K = 5
MEMORY_WEIGHT = 0.3


def text_of(subject: str, description: str, district: str = "") -> str:
    text = f"{subject}。{description}"
    return f"{text} {district}" if district else text


def vocabulary() -> dict[str, list[str]]:
    return json.loads((DATA / "vocabulary.json").read_text(encoding="utf-8"))["categories"]


def build_pipeline(rows: int = 0):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import SGDClassifier
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(
            analyzer="char",
            ngram_range=(1, 3),
            min_df=2,
            max_features=400_000,
            sublinear_tf=True,
            dtype=np.float32,
        ),
        SGDClassifier(
            loss="log_loss",
            alpha=2e-6,
            max_iter=30,
            tol=1e-4,
            n_iter_no_change=2 if rows >= LARGE else 5,
            random_state=0,
            n_jobs=2,
        ),
    )


AGENCY_LABEL = "@"  # a label "@labor": a text that names its agency only (an FAQ question), no category


@dataclass
class Suggestion:
    agency: str
    category: str  # "" when the agency's likeliest label names no category (broad texts)
    score: float
    confidence: float | None = None  # calibrated chance the agency is right (the first suggestion only)


class Router:
    """A fitted pipeline and the routing table (category → agency)."""

    def __init__(self, pipeline, agency_of: dict[str, str], calibration=None, memory=None):
        self.pipeline = pipeline
        self.agency_of = agency_of
        # (features, agencies): the TF-IDF rows of remembered training texts (the broad FAQ questions) and
        # each one's agency; None: suggestions from the classifier alone (see MEMORY_WEIGHT)
        self.memory = memory
        # (scores, chances): the isotonic map from the first agency's score to the chance that it is
        # right, fitted on a calibration split; None (an uncalibrated router): the score itself
        self.calibration = calibration

    def agency_for(self, label: str) -> str:
        return label[len(AGENCY_LABEL) :] if label.startswith(AGENCY_LABEL) else self.agency_of.get(label, "")

    def calibrate(self, score: float) -> float:
        calibration = getattr(self, "calibration", None)
        if calibration is None:
            return float(score)
        xs, ys = calibration
        return float(np.interp(score, xs, ys))

    def suggest(self, text: str, top: int = 3) -> list[Suggestion]:
        return self.suggest_many([text], top)[0]

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_weights", None)  # caches: not written to the model file
        state.pop("_topical", None)
        state.pop("_memory", None)
        return state

    def vectors(self, texts: list[str], *, topical: bool = False):
        """The router's text representation of `texts`: its fitted character 1–3-gram TF-IDF (the
        idf learned from the router's training texts), one L2-normalised sparse row per text, so the
        dot product of two rows is their cosine similarity. The knowledge-base suggestions
        (knowledge.py) and the duplicate finder (similar.py) compare texts with it.

        `topical`: each n-gram also weighted by how much it tells the router about a text's business
        — the square root of its largest absolute weight over the classifier's classes, scaled to 0–1
        — so that the wording of any question (怎麼辦, 什麼時候, 要找誰) counts less than what it is about
        (路燈, 地價稅, 欠薪); the rows are normalised again."""
        features = self.pipeline[:-1].transform(texts)
        if not topical:
            return features
        from sklearn.preprocessing import normalize

        return normalize(features.multiply(self._topical_weights()).tocsr(), copy=False)

    def _topical_weights(self) -> np.ndarray:
        coef = getattr(self.pipeline[-1], "coef_", None)
        cached = self.__dict__.get("_topical")
        if cached is None or cached[0] is not coef:
            weights = np.sqrt(np.abs(coef).max(axis=0))
            weights = (weights / weights.max()).astype(np.float32) if weights.max() > 0 else weights
            cached = (coef, weights.reshape(1, -1))
            self.__dict__["_topical"] = cached
        return cached[1]

    def probabilities(self, texts: list[str]) -> np.ndarray:
        """The classifier's probabilities (as pipeline.predict_proba: one-vs-rest logistic, normalised),
        computed against a C-contiguous copy of the weights kept once per process: scikit-learn
        multiplies the text's sparse row by the transposed (Fortran-ordered) weight matrix, which
        SciPy copies on every call — tens of milliseconds per suggestion with hundreds of classes."""
        classifier = self.pipeline[-1]
        coef = getattr(classifier, "coef_", None)
        if coef is None or coef.shape[0] == 1:
            return self.pipeline.predict_proba(texts)
        cached = self.__dict__.get("_weights")
        if cached is None or cached[0] is not coef:
            cached = (coef, np.ascontiguousarray(coef.T), np.asarray(classifier.intercept_))
            self.__dict__["_weights"] = cached
        from scipy.special import expit

        features = self.pipeline[:-1].transform(texts)
        scores = np.asarray(features @ cached[1], dtype=np.float64) + cached[2]
        probabilities = expit(scores)
        probabilities /= probabilities.sum(axis=1, keepdims=True)
        return probabilities

    def _memory_matrix(self):
        """The memory's rows weighted as vectors(topical=True) weights a text (cached per process)."""
        from sklearn.preprocessing import normalize

        features, agencies = self.memory
        coef = getattr(self.pipeline[-1], "coef_", None)
        cached = self.__dict__.get("_memory")
        if cached is None or cached[0] is not coef:
            matrix = normalize(features.multiply(self._topical_weights()).tocsr(), copy=False)
            names = sorted(set(agencies))
            index = {a: i for i, a in enumerate(names)}
            cached = (coef, matrix.T.tocsr(), names, np.array([index[a] for a in agencies], dtype=np.int64))
            self.__dict__["_memory"] = cached
        return cached[1:]

    def neighbours(self, texts: list[str], k: int = MEMORY_K) -> list[dict[str, float]]:
        """Per text, {agency: share of the similarity} over its k nearest remembered texts ({} without memory)."""
        if getattr(self, "memory", None) is None or not texts:
            return [{} for _ in texts]
        matrix, names, labels = self._memory_matrix()
        k = min(k, matrix.shape[1])
        out = []
        for start in range(0, len(texts), 1000):
            similar = (self.vectors(texts[start : start + 1000], topical=True) @ matrix).toarray()
            nearest = np.argpartition(-similar, k - 1, axis=1)[:, :k]
            for row, idx in zip(similar, nearest, strict=True):
                share = np.bincount(labels[idx], weights=np.maximum(row[idx], 0.0), minlength=len(names))
                total = share.sum()
                out.append(
                    {names[i]: float(share[i] / total) for i in np.flatnonzero(share)} if total > 0 else {}
                )
        return out

    def suggest_many(self, texts: list[str], top: int = 3) -> list[list[Suggestion]]:
        probabilities = self.probabilities(texts)
        classes = self.pipeline.classes_
        near = self.neighbours(texts)
        results = []
        for row, shares in zip(probabilities, near, strict=True):
            by_agency: dict[str, float] = defaultdict(float)
            best: dict[str, tuple[float, str]] = {}
            for p, label in zip(row, classes, strict=True):
                agency = self.agency_for(label)
                by_agency[agency] += float(p)
                # the agency's likeliest category (an agency-only label names none)
                if not label.startswith(AGENCY_LABEL) and p > best.get(agency, (-1.0, ""))[0]:
                    best[agency] = (float(p), label)
            if shares:  # the nearest remembered texts' agencies (see MEMORY_WEIGHT)
                for agency in by_agency:
                    by_agency[agency] *= 1.0 - MEMORY_WEIGHT
                for agency, share in shares.items():
                    by_agency[agency] += MEMORY_WEIGHT * share
            ranked = sorted(by_agency.items(), key=lambda kv: -kv[1])[:top]
            found = [
                Suggestion(agency, str(best.get(agency, (0, ""))[1]), round(score, 4))
                for agency, score in ranked
            ]
            if found:
                found[0].confidence = round(self.calibrate(ranked[0][1]), 4)
            results.append(found)
        return results


def fit(pipeline, texts: list[str], labels: list[str], weights=None) -> None:
    """Fit the pipeline on texts and labels as if every text were vectorised, but vectorising each
    distinct text once (cases repeat one another; the vocabulary is repeated): document frequencies
    (for min_df and the idf) count every row, and a repeated text's rows are copies of its row.
    `weights`: each text's sample weight for the classifier (None: 1 each)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    vectorizer, classifier = pipeline[0], pipeline[-1]
    params = vectorizer.get_params()
    index: dict[str, int] = {}
    rows = np.fromiter((index.setdefault(t, len(index)) for t in texts), dtype=np.int64, count=len(texts))
    times = np.bincount(rows, minlength=len(index)).astype(np.float64)
    # sublinear term frequencies of the distinct texts over every n-gram they have
    tf = TfidfVectorizer(**{**params, "min_df": 1, "max_features": None, "use_idf": False, "norm": None})
    counts = tf.fit_transform(list(index)).tocsc()
    df = np.asarray(counts.astype(bool).T @ times).ravel()  # in how many rows (not distinct texts)
    keep = np.flatnonzero(df >= params["min_df"])
    if params["max_features"] and len(keep) > params["max_features"]:
        keep = keep[np.argsort(-df[keep], kind="stable")[: params["max_features"]]]
        keep.sort()
    terms = tf.get_feature_names_out()[keep]
    n = len(texts)
    idf = np.log((1 + n) / (1 + df[keep])) + 1  # smooth idf, as TfidfVectorizer computes it
    fitted = TfidfVectorizer(**{**params, "vocabulary": {t: i for i, t in enumerate(terms)}})
    fitted.idf_ = idf
    pipeline.steps[0] = (pipeline.steps[0][0], fitted)
    distinct = normalize(counts[:, keep].tocsr().multiply(idf.astype(np.float32)).tocsr(), copy=False)
    sample_weight = None if weights is None else np.asarray(weights, dtype=np.float64)
    classifier.fit(distinct[rows].astype(np.float32), labels, sample_weight=sample_weight)


def train(
    texts: list[str],
    categories: list[str],
    agencies: list[str],
    agency_of: dict[str, str],
    *,
    holdout: float = 0.1,
    seed: int = 0,
) -> tuple[Router, dict]:
    """Fit on all but `holdout` of the cases (plus the vocabulary) and measure on the rest.
    `agencies` are the agencies that actually answered each case (after any transfer)."""
    from sklearn.model_selection import train_test_split

    started = time.monotonic()
    index = np.arange(len(texts))
    counts = Counter(categories)
    stratify = [c if counts[c] > 1 else "_rare" for c in categories] if len(texts) >= 20 else None
    if holdout and len(texts) >= 20:
        train_ix, test_ix = train_test_split(index, test_size=holdout, random_state=seed, stratify=stratify)
    else:
        train_ix, test_ix = index, index[:0]
    train_texts = [texts[i] for i in train_ix]
    train_labels = [categories[i] for i in train_ix]
    repeat = round(VOCABULARY_REPEAT * max(1.0, len(train_ix) / VOCABULARY_PER))
    for category, phrases in vocabulary().items():
        if category in agency_of:
            for phrase in phrases:
                train_texts += [phrase] * repeat
                train_labels += [category] * repeat
    pipeline = build_pipeline(len(train_texts))
    fit(pipeline, train_texts, train_labels)
    router = Router(pipeline, agency_of)
    metrics = evaluate(
        router, [texts[i] for i in test_ix], [categories[i] for i in test_ix], [agencies[i] for i in test_ix]
    )
    metrics.update(
        trained_on=len(train_ix),
        seconds=round(time.monotonic() - started, 1),
        held_out_index=[int(i) for i in test_ix],  # which texts were held out (to measure others on them)
    )
    return router, metrics


def evaluate(router: Router, texts: list[str], categories: list[str | None], agencies: list[str]) -> dict:
    """Top-1/top-3 accuracy at the agency level (and the category level where categories are
    given), and the agency confusion: {expected: {suggested: count}} for top-1 misses."""
    if not texts:
        zero = {"category_top1": 0.0, "category_top3": 0.0, "agency_top1": 0.0, "agency_top3": 0.0}
        first = {"agency_top1": 0.0, "agency_top3": 0.0}
        return {**zero, "tested_on": 0, "confusion": {}, "first_level": first}
    suggestions = router.suggest_many(texts, top=3)
    probabilities = router.probabilities(texts)
    classes = router.pipeline.classes_
    top3_categories = [
        [classes[j] for j in np.argsort(-row) if not classes[j].startswith(AGENCY_LABEL)][:3]
        for row in probabilities
    ]
    confusion: dict[str, Counter] = defaultdict(Counter)
    a1 = a3 = c1 = c3 = 0
    for got, cats, category, agency in zip(suggestions, top3_categories, categories, agencies, strict=True):
        ranked = [s.agency for s in got]
        a1 += ranked[0] == agency
        a3 += agency in ranked
        if ranked[0] != agency:
            confusion[agency][ranked[0]] += 1
        if category:
            c1 += cats[0] == category
            c3 += category in cats
    n = len(texts)
    first = first_level_figures([[s.agency for s in got] for got in suggestions], agencies)
    return {
        "tested_on": n,
        "agency_top1": a1 / n,
        "agency_top3": a3 / n,
        "category_top1": c1 / n,
        "category_top3": c3 / n,
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "first_level": {k: first[k] for k in ("agency_top1", "agency_top3")},
    }


def handwritten() -> list[dict]:
    """The hand-written evaluation set (data/handwritten-eval.json): texts not from any case or
    from the demo generator, with the agency (and category) that should handle each."""
    return json.loads((DATA / "handwritten-eval.json").read_text(encoding="utf-8"))["cases"]


# --- First-level agencies ----------------------------------------------------------------------------
#
# The labels name the agency that handles a business, second-level agencies included (動物保護防疫處, 停車管理處,
# 勞動檢查處, 各區戶政事務所 …). Issue 15's floors are stated against the city's first-level agencies (一級機關):
# a suggestion naming a second-level agency whose parent is the right first-level agency — or the parent when the
# label is its second-level child — reaches the right first-level agency, which receives and dispatches the case.
# Figures "at first level" fold every agency, label and suggestion alike, to its first-level ancestor.

AGENCY_TREE = Path(__file__).resolve().parent.parent / "core" / "data" / "taichung-agencies.json"
_FIRST_LEVEL: dict[str, str] | None = None


def first_level_of(agencies: list[dict] | None = None) -> dict[str, str]:
    """{agency code: the code of its first-level ancestor} by the agency tree's parent relation
    (rdec/core/data/taichung-agencies.json, or the given rows {"code", "parent"}): an agency whose parent
    is the city (or which has none) is its own; district offices, whose parent is the city, stay
    themselves. Codes not in the tree are not in the map (fold() keeps them)."""
    global _FIRST_LEVEL
    if agencies is None and _FIRST_LEVEL is not None:
        return _FIRST_LEVEL
    rows = agencies
    if rows is None:
        data = json.loads(AGENCY_TREE.read_text(encoding="utf-8"))
        rows = data if isinstance(data, list) else data.get("agencies", [])
    parent = {r["code"]: r.get("parent") or None for r in rows}
    roots = {code for code, up in parent.items() if up is None}  # the city
    out = {}
    for code in parent:
        node, seen = code, set()
        while parent.get(node) and parent[node] not in roots and node not in seen:
            seen.add(node)
            node = parent[node]
        out[code] = node
    if agencies is None:
        _FIRST_LEVEL = out
    return out


def fold(agency: str, first_level: dict[str, str] | None = None) -> str:
    """The agency's first-level ancestor (itself when first-level or not in the tree)."""
    return (first_level_of() if first_level is None else first_level).get(agency, agency)


def per_agency_figures(confusion: dict[str, dict[str, int]]) -> dict:
    """{agency: support, precision, recall} from the top-1 confusion {expected: {suggested: n}}."""
    predicted: Counter = Counter()
    for row in confusion.values():
        predicted.update(row)
    out = {}
    for agency in sorted(set(confusion) | set(predicted)):
        hit = confusion.get(agency, {}).get(agency, 0)
        actual = sum(confusion.get(agency, {}).values())
        out[agency] = {
            "support": actual,
            "precision": hit / predicted[agency] if predicted[agency] else None,
            "recall": hit / actual if actual else None,
        }
    return out


def first_level_figures(
    ranked: list[list[str]], agencies: list[str], first_level: dict[str, str] | None = None
) -> dict:
    """Top-1/top-3 with every agency folded to its first-level ancestor: top-1 right when the first
    suggestion's ancestor is the label's; top-3 right when the label's ancestor is among the ancestors of
    the (up to three) suggestions. Also the folded top-1 confusion, per-agency precision and recall, and
    per text whether the first suggestion is right at first level (`right`, for the abstention figures)."""
    tree = first_level_of() if first_level is None else first_level
    n = len(agencies)
    if not n:
        return {"agency_top1": 0.0, "agency_top3": 0.0, "per_agency": {}, "confusion": {}, "right": []}
    confusion: dict[str, Counter] = defaultdict(Counter)
    a1 = a3 = 0
    right = []
    for got, agency in zip(ranked, agencies, strict=True):
        expected = tree.get(agency, agency)
        folded = [tree.get(a, a) for a in got]
        a1 += folded[0] == expected
        a3 += expected in folded
        right.append(folded[0] == expected)
        confusion[expected][folded[0]] += 1
    confusion_out = {k: dict(v) for k, v in confusion.items()}
    return {
        "agency_top1": a1 / n,
        "agency_top3": a3 / n,
        "per_agency": per_agency_figures(confusion_out),
        "confusion": confusion_out,
        "right": right,
    }


def first_level_summary(m: dict, first_level: dict[str, str] | None = None) -> dict:
    """A stored source's figures at first level: as kept by summary(), or — for an evaluation kept
    before the first-level figures were — top-1 and per-agency figures recomputed from its stored full
    top-1 confusion (top-3 and the abstention are then unknown: None and [])."""
    if m.get("first_level"):
        return m["first_level"]
    tree = first_level_of() if first_level is None else first_level
    confusion: dict[str, Counter] = defaultdict(Counter)
    for expected, row in (m.get("confusion") or {}).items():
        for got, count in row.items():
            confusion[tree.get(expected, expected)][tree.get(got, got)] += count
    n = sum(sum(row.values()) for row in confusion.values())
    hits = sum(row.get(expected, 0) for expected, row in confusion.items())
    folded = {k: dict(v) for k, v in confusion.items()}
    return {
        "agency_top1": hits / n if n else 0.0,
        "agency_top3": None,
        "per_agency": per_agency_figures(folded),
        "confusion": folded,
        "abstention": [],
    }


# --- Broad training and held-out evaluation ---------------------------------------------------------
#
# Three sources of labelled text, each split so that evaluation never sees a training text:
#   faq        Taipei's FAQ questions with the Taichung agency (data/router-faq.csv.gz): split by groups of
#              near-duplicates (the question with digits, Latin letters and punctuation removed), so
#              "2017臺北藝術節FAQ" and "2018臺北藝術節FAQ" fall on the same side;
#   kaohsiung  real Kaohsiung 1999 cases with an rdec category (data/router-kaohsiung.csv.gz): split by
#              time — train before CALIBRATE_FROM, calibrate on the month before TEST_FROM, test after;
#   cases      the platform's own replied and closed cases: split by time in the same proportions.
# The hand-written set (data/handwritten-eval.json) is never trained on.

CALIBRATE_FROM = "2016-12-01"
TEST_FROM = "2017-01-01"
SPLITS = ("train", "calibrate", "test")


@dataclass
class Text:
    text: str
    label: str  # a category code, or AGENCY_LABEL + agency code
    source: str  # faq, kaohsiung, cases
    split: str = "train"
    date: str = ""  # ISO date, where known
    category: str = ""  # the expected category, where known


def near_duplicate_key(text: str) -> str:
    import re

    return re.sub(r"[\W\d_A-Za-z\uFF10-\uFF19\uFF21-\uFF5A]+", "", text)


def faq_split(text: str) -> str:
    """70 % train, 10 % calibrate, 20 % test, by a stable hash of the near-duplicate group."""
    import zlib

    bucket = zlib.crc32(near_duplicate_key(text).encode()) % 10
    return "train" if bucket < 7 else "calibrate" if bucket == 7 else "test"


def time_split(day: str, calibrate_from: str, test_from: str) -> str:
    return "train" if day < calibrate_from else "calibrate" if day < test_from else "test"


def shipped_texts(limit: int | None = None) -> list[Text]:
    """The shipped broad corpus (see data/README.md), each text with its split."""
    import csv
    import gzip

    texts: list[Text] = []
    with gzip.open(DATA / "router-faq.csv.gz", "rt", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            texts.append(Text(r["text"], AGENCY_LABEL + r["agency"], "faq", faq_split(r["text"])))
    with gzip.open(DATA / "router-kaohsiung.csv.gz", "rt", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            day = r["received_at"]
            split = time_split(day, CALIBRATE_FROM, TEST_FROM)
            texts.append(Text(r["text"], r["category"], "kaohsiung", split, day, r["category"]))
    return texts[:limit] if limit else texts


def case_texts(rows: list[tuple[str, str, str]]) -> list[Text]:
    """The platform's own cases [(text, category, ISO date)] split by time: the oldest 70 % train, the
    next 10 % calibrate, the newest 20 % test (the same day never straddles two splits)."""
    days = sorted(d for _t, _c, d in rows)
    if len(days) < 20:
        return [Text(t, c, "cases", "train", d, c) for t, c, d in rows]
    calibrate_from, test_from = days[int(len(days) * 0.7)], days[int(len(days) * 0.8)]
    return [Text(t, c, "cases", time_split(d, calibrate_from, test_from), d, c) for t, c, d in rows]


def isotonic(scores: np.ndarray, right: np.ndarray):
    """The monotone (non-decreasing) map from score to the share right: (xs, ys) for np.interp."""
    from sklearn.isotonic import IsotonicRegression

    model = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip", increasing=True)
    model.fit(scores, right.astype(float))
    return np.asarray(model.X_thresholds_, dtype=float), np.asarray(model.y_thresholds_, dtype=float)


def _agency(label: str, agency_of: dict[str, str]) -> str:
    return label[len(AGENCY_LABEL) :] if label.startswith(AGENCY_LABEL) else agency_of.get(label, "")


def train_broad(
    texts: list[Text],
    agency_of: dict[str, str],
    *,
    vocabulary_prior: bool = True,
    prior: dict[str, list[str]] | None = None,
) -> tuple[Router, dict]:
    """Fit on the train split of every source (plus the category vocabulary as a prior), calibrate
    the first agency's score on the calibrate split, and measure on the test split, per source.
    `prior`: {category code: terms} from the service catalogue, added to data/vocabulary.json's."""
    started = time.monotonic()
    train_texts = [t.text for t in texts if t.split == "train"]
    train_labels = [t.label for t in texts if t.split == "train"]
    train_weights = [SOURCE_WEIGHT.get(t.source, 1.0) for t in texts if t.split == "train"]
    if vocabulary_prior:
        repeat = round(VOCABULARY_REPEAT * max(1.0, len(train_texts) / VOCABULARY_PER))
        phrases_of = {k: list(v) for k, v in vocabulary().items()}
        for category, terms in (prior or {}).items():
            known = phrases_of.setdefault(category, [])
            known += [t for t in terms if t not in known]
        for category, phrases in phrases_of.items():
            if category in agency_of:
                for phrase in phrases:
                    train_texts += [phrase] * repeat
                    train_labels += [category] * repeat
                    train_weights += [VOCABULARY_WEIGHT] * repeat
    pipeline = build_pipeline(len(train_texts))
    fit(pipeline, train_texts, train_labels, train_weights)
    remembered = [
        t for t in texts if t.split == "train" and t.source in MEMORY_SOURCES and _agency(t.label, agency_of)
    ]
    memory = None
    if remembered:
        features = pipeline[:-1].transform([t.text for t in remembered])
        memory = (features.astype(np.float32).tocsr(), [_agency(t.label, agency_of) for t in remembered])
    router = Router(pipeline, agency_of, memory=memory)
    seconds = round(time.monotonic() - started, 1)
    held = [t for t in texts if t.split == "calibrate"]
    if held:
        found = router.suggest_many([t.text for t in held], top=1)
        scores = np.array([f[0].score for f in found])
        right = np.array(
            [f[0].agency == router.agency_for(t.label) for f, t in zip(found, held, strict=True)]
        )
        router.calibration = isotonic(scores, right)
    test = [t for t in texts if t.split == "test"]
    metrics = {
        "trained_on": sum(1 for t in texts if t.split == "train"),
        "calibrated_on": len(held),
        "tested_on": len(test),
        "seconds": seconds,
        "sources": {},
    }
    for source in sorted({t.source for t in test}):
        part = [t for t in test if t.source == source]
        metrics["sources"][source] = measure(
            router,
            [t.text for t in part],
            [router.agency_for(t.label) for t in part],
            [t.category for t in part],
        )
    metrics["all"] = measure(
        router, [t.text for t in test], [router.agency_for(t.label) for t in test], [t.category for t in test]
    )
    with_category = [t for t in test if t.category]
    overall = evaluate(
        router,
        [t.text for t in with_category],
        [t.category for t in with_category],
        [router.agency_for(t.label) for t in with_category],
    )
    everything = metrics["all"]
    metrics.update(
        agency_top1=everything["agency_top1"],
        agency_top3=everything["agency_top3"],
        category_top1=overall["category_top1"],
        category_top3=overall["category_top3"],
        confusion={
            expected: {got: n for got, n in row.items() if got != expected}
            for expected, row in everything["confusion"].items()
            if any(got != expected for got in row)
        },
    )
    router.evaluation = summary(metrics)
    return router, metrics


def summary(metrics: dict, thresholds=(0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)) -> dict:
    """What is kept with the model and shown: per source (and all) the top-1/top-3, per-agency precision and
    recall, the confusion, the abstention curve and the reliability table (no texts); under "first_level"
    the top-1/top-3, per-agency figures, confusion and abstention curve at first-level agencies."""
    out = {k: metrics[k] for k in ("trained_on", "calibrated_on", "tested_on", "seconds")}
    out["sources"] = {}
    for name, m in [*metrics["sources"].items(), ("all", metrics["all"])]:
        out["sources"][name] = {
            **{
                k: m[k]
                for k in (
                    "tested_on",
                    "agency_top1",
                    "agency_top3",
                    "category_top1",
                    "per_agency",
                    "confusion",
                )
            },
            "abstention": [abstention(m["confidences"], m["right"], t) for t in thresholds],
            "reliability": reliability(m["confidences"], m["right"]),
        }
        first = m.get("first_level")
        if first:
            out["sources"][name]["first_level"] = {
                **{k: first[k] for k in ("agency_top1", "agency_top3", "per_agency", "confusion")},
                # the same confidences (calibrated on the labels as given), right at first level
                "abstention": [abstention(m["confidences"], first["right"], t) for t in thresholds],
            }
    return out


def measure(
    router: Router, texts: list[str], agencies: list[str], categories: list[str] | None = None
) -> dict:
    """Held-out figures: agency top-1/top-3, category top-1 (where known), per-agency precision and
    recall, the full agency confusion {expected: {suggested: n}}, and the confidences (to choose
    and check the abstention threshold: see abstention()); under "first_level" the agency figures
    with every agency folded to its first-level ancestor (first_level_figures())."""
    n = len(texts)
    if not n:
        first = first_level_figures([], [])
        return {
            "tested_on": 0,
            "agency_top1": 0.0,
            "agency_top3": 0.0,
            "per_agency": {},
            "confusion": {},
            "first_level": first,
        }
    found = router.suggest_many(texts, top=3)
    confusion: dict[str, Counter] = defaultdict(Counter)
    a1 = a3 = c1 = cn = 0
    confidences, right = [], []
    for got, agency, category in zip(found, agencies, categories or [""] * n, strict=True):
        ranked = [s.agency for s in got]
        a1 += ranked[0] == agency
        a3 += agency in ranked
        confusion[agency][ranked[0]] += 1
        confidences.append(got[0].confidence)
        right.append(ranked[0] == agency)
        if category:
            cn += 1
            c1 += got[0].category == category
    per_agency = per_agency_figures(confusion)
    return {
        "tested_on": n,
        "agency_top1": a1 / n,
        "agency_top3": a3 / n,
        "category_top1": c1 / cn if cn else None,
        "per_agency": per_agency,
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "confidences": confidences,
        "right": right,
        # the same folded to first-level agencies (issue 15's floors are stated at that level)
        "first_level": first_level_figures([[s.agency for s in got] for got in found], agencies),
    }


def abstention(confidences: list[float], right: list[bool], threshold: float) -> dict:
    """Routed alone (confidence ≥ threshold): its share (coverage) and how many of them are right
    (precision); the rest is 建議人工分案."""
    auto = [r for c, r in zip(confidences, right, strict=True) if c is not None and c >= threshold]
    return {
        "threshold": threshold,
        "coverage": len(auto) / len(right) if right else 0.0,
        "precision": sum(auto) / len(auto) if auto else None,
    }


def reliability(confidences: list[float], right: list[bool], bins: int = 10) -> list[dict]:
    """The reliability table: per confidence bin, how many texts, their mean confidence and the share right."""
    rows = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        part = [
            (c, r)
            for c, r in zip(confidences, right, strict=True)
            if low <= c < high or (b == bins - 1 and c == 1.0)
        ]
        if part:
            rows.append(
                {
                    "low": low,
                    "high": high,
                    "n": len(part),
                    "confidence": sum(c for c, _r in part) / len(part),
                    "right": sum(r for _c, r in part) / len(part),
                }
            )
    return rows
