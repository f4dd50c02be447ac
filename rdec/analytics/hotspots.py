"""Spatio-temporal hotspots: district × category × week cells with more cases than their own
history leads one to expect.

For each week of the period asked and each district × category cell with cases that week:

    expected = 0.5 × (mean weekly count of the cell over the BASELINE_WEEKS weeks before the period)
             + 0.5 × (mean weekly count of the cell in the same weeks one year earlier, ± SEASON_WEEKS)

(when the year-earlier weeks hold no data, the recent mean alone; never below FLOOR_EXPECTED, so a
first case in a quiet cell is no alarm). The excess is tested with the Poisson upper tail,
p = P(X ≥ count | expected), and the p-values of all cells tested are corrected for the number of
tests with Benjamini–Hochberg (false discovery rate ALPHA). A cell is a hotspot when its q-value is
below ALPHA and it has at least MIN_COUNT cases; its score is −log10(q).
"""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

BASELINE_WEEKS = 12
SEASON_WEEKS = 2
FLOOR_EXPECTED = 0.5
ALPHA = 0.05
MIN_COUNT = 4


@dataclass
class Hotspot:
    district_id: int
    category_id: int
    period_start: datetime.date
    count: int
    expected: float
    p: float
    q: float

    @property
    def score(self) -> float:
        return round(-math.log10(max(self.q, 1e-300)), 2)


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_counts(rows) -> dict[tuple[int, int], dict[datetime.date, int]]:
    """rows: (district_id, category_id, a day of the week, count) → {(district, category): {monday: count}}."""
    cells: dict[tuple[int, int], dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for district_id, category_id, day, n in rows:
        if isinstance(day, datetime.datetime):
            day = day.date()
        cells[(district_id, category_id)][monday(day)] += n
    return cells


def history_start(start: datetime.date) -> datetime.date:
    """The first day whose cases the scoring of a period starting on `start` needs."""
    return monday(start) - datetime.timedelta(weeks=52 + SEASON_WEEKS)


def score(cells, start: datetime.date, end: datetime.date, data_since: datetime.date) -> list[Hotspot]:
    """The hotspots of the weeks from `start` to `end`. `data_since`: the first day cases were
    recorded at all (before it, "no case" means "no data", not zero)."""
    from scipy.stats import poisson

    first = monday(start)
    weeks = []
    week = first
    while week <= end:
        weeks.append(week)
        week += datetime.timedelta(weeks=1)
    tested: list[Hotspot] = []
    raw_expected: list[float] = []
    for (district_id, category_id), counts in cells.items():
        recent = [counts.get(first - datetime.timedelta(weeks=k), 0) for k in range(1, BASELINE_WEEKS + 1)]
        recent_mean = sum(recent) / BASELINE_WEEKS
        for week in weeks:
            count = counts.get(week, 0)
            if count == 0:
                continue
            year_ago = [
                week - datetime.timedelta(weeks=52 + k) for k in range(-SEASON_WEEKS, SEASON_WEEKS + 1)
            ]
            if min(year_ago) >= monday(data_since):
                season_mean = sum(counts.get(w, 0) for w in year_ago) / len(year_ago)
                expected = 0.5 * recent_mean + 0.5 * season_mean
            else:
                expected = recent_mean
            expected = max(expected, FLOOR_EXPECTED)
            tested.append(Hotspot(district_id, category_id, week, count, round(expected, 2), 1.0, 1.0))
            raw_expected.append(expected)
    if tested:  # one vectorised call: scipy's per-call overhead dominates thousands of cells
        pvalues = poisson.sf([h.count - 1 for h in tested], raw_expected)
        for h, pv in zip(tested, pvalues, strict=True):
            h.p = float(pv)
    _benjamini_hochberg(tested)
    found = [h for h in tested if h.q < ALPHA and h.count >= MIN_COUNT]
    found.sort(key=lambda h: (h.q, -h.count))
    return found


def _benjamini_hochberg(tests: list[Hotspot]) -> None:
    """Set each test's q-value (Benjamini–Hochberg adjusted p-value)."""
    m = len(tests)
    ordered = sorted(tests, key=lambda h: h.p)
    running = 1.0
    for rank in range(m, 0, -1):
        h = ordered[rank - 1]
        running = min(running, h.p * m / rank)
        h.q = running
