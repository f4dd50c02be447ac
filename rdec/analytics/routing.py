"""The case router: from a petition's text (and place), the likely category and agency.

Character 1–3-gram TF-IDF (Chinese needs no word segmentation for this: the n-grams carry 路燈,
坑洞, 違停...) feeding a linear classifier with logistic loss (scikit-learn's SGDClassifier), which
gives a probability per category. A category's agency is its routing agency; an agency's score is
the sum of its categories' probabilities, and each suggestion names the agency's likeliest
category. Trained on closed cases plus the everyday vocabulary of each category
(data/vocabulary.json), so words that past cases seldom used are known too.
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


@dataclass
class Suggestion:
    agency: str
    category: str
    score: float


class Router:
    """A fitted pipeline and the routing table (category → agency)."""

    def __init__(self, pipeline, agency_of: dict[str, str]):
        self.pipeline = pipeline
        self.agency_of = agency_of

    def suggest(self, text: str, top: int = 3) -> list[Suggestion]:
        return self.suggest_many([text], top)[0]

    def suggest_many(self, texts: list[str], top: int = 3) -> list[list[Suggestion]]:
        probabilities = self.pipeline.predict_proba(texts)
        classes = self.pipeline.classes_
        results = []
        for row in probabilities:
            by_agency: dict[str, float] = defaultdict(float)
            best: dict[str, tuple[float, str]] = {}
            for p, category in zip(row, classes, strict=True):
                agency = self.agency_of.get(category, "")
                by_agency[agency] += float(p)
                if p > best.get(agency, (-1.0, ""))[0]:
                    best[agency] = (float(p), category)
            ranked = sorted(by_agency.items(), key=lambda kv: -kv[1])[:top]
            results.append(
                [Suggestion(agency, str(best[agency][1]), round(score, 4)) for agency, score in ranked]
            )
        return results


def fit(pipeline, texts: list[str], labels: list[str]) -> None:
    """Fit the pipeline on texts and labels as if every text were vectorised, but vectorising each
    distinct text once (cases repeat one another; the vocabulary is repeated): document frequencies
    (for min_df and the idf) count every row, and a repeated text's rows are copies of its row."""
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
    classifier.fit(distinct[rows].astype(np.float32), labels)


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
    metrics.update(trained_on=len(train_ix), seconds=round(time.monotonic() - started, 1))
    return router, metrics


def evaluate(router: Router, texts: list[str], categories: list[str | None], agencies: list[str]) -> dict:
    """Top-1/top-3 accuracy at the agency level (and the category level where categories are
    given), and the agency confusion: {expected: {suggested: count}} for top-1 misses."""
    if not texts:
        zero = {"category_top1": 0.0, "category_top3": 0.0, "agency_top1": 0.0, "agency_top3": 0.0}
        return {**zero, "tested_on": 0, "confusion": {}}
    suggestions = router.suggest_many(texts, top=3)
    probabilities = router.pipeline.predict_proba(texts)
    classes = router.pipeline.classes_
    top3_categories = [[classes[j] for j in np.argsort(-row)[:3]] for row in probabilities]
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
    return {
        "tested_on": n,
        "agency_top1": a1 / n,
        "agency_top3": a3 / n,
        "category_top1": c1 / n,
        "category_top3": c3 / n,
        "confusion": {k: dict(v) for k, v in confusion.items()},
    }


def handwritten() -> list[dict]:
    """The hand-written evaluation set (data/handwritten-eval.json): texts not from any case or
    from the demo generator, with the agency (and category) that should handle each."""
    return json.loads((DATA / "handwritten-eval.json").read_text(encoding="utf-8"))["cases"]
