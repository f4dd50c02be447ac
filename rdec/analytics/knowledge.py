"""Knowledge-base suggestions with the router's text understanding (issue 15, item 5).

While a 1999 agent types a caller's question, the console suggests the agency (routing.py) and the
knowledge-base articles (內部資料知識庫, `petitions.Article`) that answer it. Both read the text the
same way: the router's fitted character 1–3-gram TF-IDF (`Router.vectors`, the idf learned from the
router's training texts — the city's FAQ questions, 1999 cases and the platform's own cases), each
n-gram weighted by how much it tells the router about a text's business (`topical=True`: the wording
of any question — 怎麼辦, 什麼時候, 要找誰 — counts less than what it is about — 路燈, 地價稅, 欠薪).

An article is represented twice: its question with its tags (what it is about), and the question,
tags and answer together (the words a caller may use that only the answer has). A question's score
for an article is

    score = QUESTION_WEIGHT × cos(question, article question + tags)
          + (1 − QUESTION_WEIGHT) × cos(question, article question + tags + answer)

and the suggestions are the TOP articles of highest score at or above MIN_SCORE (none when nothing
is close enough: an unrelated question gets no article rather than a wrong one). The weight and the
threshold were chosen on the validation questions of data/kb-eval.json and measured on its test
questions (docs/analytics.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

QUESTION_WEIGHT = 0.5
MIN_SCORE = 0.15
TOP = 3


def about(question: str, tags: str) -> str:
    return f"{question} {tags.replace(',', ' ').replace('，', ' ')}".strip()


@dataclass
class Hit:
    article: int  # the article's id
    score: float


class Index:
    """The articles' vectors under one router: [(id, question, tags, answer)]."""

    def __init__(self, router, articles: list[tuple[int, str, str, str]]):
        self.router = router
        self.ids = [a[0] for a in articles]
        if articles:
            self.short = router.vectors([about(q, t) for _i, q, t, _a in articles], topical=True)
            self.full = router.vectors([f"{about(q, t)} {a}" for _i, q, t, a in articles], topical=True)

    def scores(self, texts: list[str]) -> np.ndarray:
        """texts × articles: the score of each article for each text."""
        if not self.ids:
            return np.zeros((len(texts), 0))
        queries = self.router.vectors(texts, topical=True)
        short = (queries @ self.short.T).toarray()
        full = (queries @ self.full.T).toarray()
        return QUESTION_WEIGHT * short + (1 - QUESTION_WEIGHT) * full

    def suggest_many(self, texts: list[str], top: int = TOP, min_score: float = MIN_SCORE) -> list[list[Hit]]:
        found = []
        for row in self.scores(texts):
            best = np.argsort(-row, kind="stable")[:top]
            found.append([Hit(self.ids[j], round(float(row[j]), 4)) for j in best if row[j] >= min_score])
        return found

    def suggest(self, text: str, top: int = TOP, min_score: float = MIN_SCORE) -> list[Hit]:
        return self.suggest_many([text], top, min_score)[0]


def evaluate(
    index: Index, questions: list[dict], question_to_id: dict[str, int], min_score: float = MIN_SCORE
):
    """On [{"text", "article": the article's question or None}]: for questions an article answers, the
    share whose first suggestion is that article (top-1) and whose suggestions include it (top-3);
    for the others, the share given no suggestion at all (rightly silent)."""
    hits = index.suggest_many([q["text"] for q in questions], TOP, min_score)
    answered = [(q, h) for q, h in zip(questions, hits, strict=True) if q["article"]]
    unanswered = [h for q, h in zip(questions, hits, strict=True) if not q["article"]]
    top1 = sum(bool(h) and h[0].article == question_to_id[q["article"]] for q, h in answered)
    top3 = sum(question_to_id[q["article"]] in [x.article for x in h] for q, h in answered)
    return {
        "answered": len(answered),
        "top1": top1 / len(answered) if answered else 0.0,
        "top3": top3 / len(answered) if answered else 0.0,
        "unanswered": len(unanswered),
        "silent": sum(not h for h in unanswered) / len(unanswered) if unanswered else 0.0,
    }
