"""Location-level hot spots: many reports of one thing at one place (one broken street light
reported by 15 people, one pothole on a busy road). Cases of the same category within a short
walk of each other, in a recent window, grouped with DBSCAN on the haversine distance (scikit-
learn's ball tree): a cluster is at least MIN_CASES cases each within RADIUS_M of another.

District × category × week hotspots (hotspots.py) find areas with more cases than usual; these
find the single places behind them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

EARTH_RADIUS_M = 6_371_000
RADIUS_M = 60  # a street light, a crossing, a stretch of road
MIN_CASES = 5


@dataclass
class PointCluster:
    category_id: int
    lat: float
    lon: float
    count: int
    radius_m: float  # the farthest member from the centre
    members: list = field(default_factory=list)  # what the caller passed as each point's key


def _haversine_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def point_clusters(points, *, radius_m: float = RADIUS_M, min_cases: int = MIN_CASES) -> list[PointCluster]:
    """points: (key, category_id, lat, lon) → the clusters, largest first (members: the keys, in
    the order given)."""
    from sklearn.cluster import DBSCAN

    by_category: dict[int, list[tuple]] = {}
    for key, category_id, lat, lon in points:
        if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            continue
        by_category.setdefault(category_id, []).append((key, lat, lon))
    found: list[PointCluster] = []
    for category_id, rows in by_category.items():
        if len(rows) < min_cases:
            continue
        coords = np.radians(np.array([(lat, lon) for _k, lat, lon in rows], dtype=float))
        labels = DBSCAN(
            eps=radius_m / EARTH_RADIUS_M, min_samples=min_cases, metric="haversine", algorithm="ball_tree"
        ).fit_predict(coords)
        for label in sorted(set(labels) - {-1}):
            ix = np.flatnonzero(labels == label)
            lats = np.array([rows[i][1] for i in ix])
            lons = np.array([rows[i][2] for i in ix])
            lat, lon = float(lats.mean()), float(lons.mean())
            spread = float(_haversine_m(lat, lon, lats, lons).max())
            found.append(
                PointCluster(
                    category_id=category_id,
                    lat=round(lat, 6),
                    lon=round(lon, 6),
                    count=len(ix),
                    radius_m=round(spread, 1),
                    members=[rows[i][0] for i in ix],
                )
            )
    found.sort(key=lambda c: (-c.count, c.category_id, c.lat, c.lon))
    return found
