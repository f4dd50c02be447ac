"""The engine's arithmetic, on plain values (no database), so that it is tested on its own.

- A reviewer's total = Σ(score × weight) / 100 over the criteria of the rubric version they scored
  under (weights sum to 100, so a total is on the same 0–100 scale as a score).
- A submission's score = the mean of its non-conflicted reviewers' totals; with five or more
  totals, one highest and one lowest total are dropped first (trimmed mean).
- Ranking: higher score first; a tie is broken by the mean of the configured tie-break criterion
  (higher first) over the same counted reviewers; then by the earlier submission time, then by the
  reference (so the order is total and stable). Submissions without a counted review get no rank.

Decimal throughout; the score shown is rounded half up to 2 places, the comparison uses the exact
value.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

TRIM_FROM = 5  # trimmed mean from this many counted reviewers on
PLACES = Decimal("0.01")


def weighted_total(scores: Mapping[str, Decimal], weights: Mapping[str, int]) -> Decimal:
    """Σ(score × weight)/100 over the weighted criteria (every criterion must have a score)."""
    return sum((Decimal(scores[code]) * weight for code, weight in weights.items()), Decimal(0)) / 100


def trimmed_mean(totals: Sequence[Decimal]) -> Decimal | None:
    """The mean, after dropping one highest and one lowest value when there are TRIM_FROM or more."""
    values = sorted(Decimal(t) for t in totals)
    if not values:
        return None
    if len(values) >= TRIM_FROM:
        values = values[1:-1]
    return sum(values, Decimal(0)) / len(values)


def mean(values: Sequence[Decimal]) -> Decimal | None:
    values = [Decimal(v) for v in values]
    return sum(values, Decimal(0)) / len(values) if values else None


def shown(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Review:
    reviewer: str
    scores: dict[str, Decimal]
    weights: dict[str, int]
    conflict: bool = False

    @property
    def total(self) -> Decimal:
        return weighted_total(self.scores, self.weights)


@dataclass
class Entry:
    reference: str
    submitted_at: datetime.datetime
    reviews: list[Review] = field(default_factory=list)
    score: Decimal | None = None
    tie_value: Decimal | None = None
    rank: int | None = None

    @property
    def counted(self) -> list[Review]:
        return [r for r in self.reviews if not r.conflict and r.scores]

    @property
    def excluded_reviewers(self) -> list[str]:
        return [r.reviewer for r in self.reviews if r.conflict]


def rank_entries(entries: Sequence[Entry], tie_break: str) -> list[Entry]:
    """Score, tie value and rank of each entry; ranked entries first by rank, then the unranked."""
    for entry in entries:
        counted = entry.counted
        entry.score = trimmed_mean([r.total for r in counted])
        entry.tie_value = mean([r.scores[tie_break] for r in counted if tie_break in r.scores])
    ranked = sorted(
        (e for e in entries if e.score is not None),
        key=lambda e: (
            -e.score,
            -(e.tie_value if e.tie_value is not None else Decimal(-1)),
            e.submitted_at,
            e.reference,
        ),
    )
    for position, entry in enumerate(ranked, start=1):
        entry.rank = position
    unranked = sorted((e for e in entries if e.score is None), key=lambda e: (e.submitted_at, e.reference))
    for entry in unranked:
        entry.rank = None
    return ranked + unranked
